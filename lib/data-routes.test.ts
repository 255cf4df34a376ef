// The public data routes as HTTP responses (what app/feeds and app/data return): status, content type, caching,
// download names, bodies; a 404 JSON for anything missing, and nothing written by a read except the one stored PDF.
import { sql } from 'drizzle-orm';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import {
  feedResponse,
  PUBLIC_CACHE_CONTROL,
  recordResponse,
  revisionResponse,
  signatoriesCsvResponse,
  statementPdfResponse,
} from './data-routes';
import { addCorrection, getPublicStatement } from './publishing';
import { verifyEnvelope } from './record';
import { ctxFor, digestDomain } from './testing/db';
import { publishedStatement } from './testing/publish';

const NOT_FOUND = { error: { code: 'NOT_FOUND', message: 'errors.notFound' } };

async function expectNotFound(res: Response) {
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(await res.json()).toEqual(NOT_FOUND);
}

async function privateValues() {
  return (await getDb().execute(sql`SELECT id::text AS id, email FROM users`)) as unknown as {
    id: string;
    email: string;
  }[];
}

describe('data routes', () => {
  it('record.json: the latest signed envelope exactly as stored, cacheable, verifiable; revisions at stable URLs', async () => {
    const p = await publishedStatement({ signatories: 2, translations: { en: { title: 'Open letter' } } });
    const res = await recordResponse(p.slug);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const text = await res.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['record', 'sha256', 'key_id', 'signature']);
    const pub = (await getPublicStatement(getDb(), p.slug))!;
    expect(body).toEqual(pub.envelope);
    expect(verifyEnvelope(body)).toMatchObject({ ok: true, hashOk: true, signatureOk: true });
    for (const u of await privateValues()) {
      expect(text).not.toContain(u.email);
      expect(text).not.toContain(u.id);
    }

    // A correction makes revision 2; revision 1 stays at its address, unchanged.
    const { recordSeq } = await addCorrection(ctxFor(p.init.admin), {
      statementId: p.statementId,
      lang: 'hy',
      body: 'Ուղղում',
    });
    const latest = (await (await recordResponse(p.slug)).json()) as { record: { record_seq: number } };
    expect(latest.record.record_seq).toBe(recordSeq);
    const first = await revisionResponse(p.slug, String(p.recordSeq));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual(pub.envelope);
    const second = (await (await revisionResponse(p.slug, String(recordSeq))).json()) as unknown;
    expect(second).toEqual(latest);
  });

  it('404 JSON for unknown statements, revisions and malformed parameters; reading writes nothing', async () => {
    const p = await publishedStatement();
    const before = await digestDomain();
    await expectNotFound(await recordResponse('no-such-statement'));
    await expectNotFound(await recordResponse('../../etc/passwd'));
    for (const seq of ['0', '99', '-1', '1.5', '1e3', 'abc', '01', '9999999999'])
      await expectNotFound(await revisionResponse(p.slug, seq));
    await expectNotFound(await revisionResponse('no-such-statement', '1'));
    await expectNotFound(await signatoriesCsvResponse(p.slug, 'de'));
    await expectNotFound(await signatoriesCsvResponse('no-such-statement', 'en'));
    await expectNotFound(await statementPdfResponse(p.slug, 'xx'));
    await expectNotFound(await statementPdfResponse('no-such-statement', 'hy'));
    await expectNotFound(await feedResponse({ kind: 'org', slug: 'no-such-org' }, 'rss'));
    await expectNotFound(await feedResponse({ kind: 'lang', lang: '<x>' }, 'atom'));
    // Allowed twins: the same statement's data exists.
    expect((await recordResponse(p.slug)).status).toBe(200);
    expect((await revisionResponse(p.slug, '1')).status).toBe(200);
    expect((await signatoriesCsvResponse(p.slug, 'en')).status).toBe(200);
    expect(await digestDomain()).toBe(before);
  });

  it('signatories.csv: a UTF-8 attachment named after the slug, with a BOM; per interface language', async () => {
    const p = await publishedStatement({
      signatories: 2,
      profiles: [{ name: '@Ֆորում' }, { name: 'Центр' }],
    });
    for (const lang of ['en', 'hy', 'ru']) {
      const res = await signatoriesCsvResponse(p.slug, lang);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${p.slug}-signatories.csv"`);
      expect(res.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).split('\r\n');
      expect(lines[0]).toMatch(/^name,kind,role_or_title,/);
      expect(lines.slice(1, 3).map((l) => l.split(',')[0])).toEqual(["'@Ֆորում", 'Центр']);
    }
  });

  it('statement.pdf: inline, named after the slug, the stored bytes (one stored PDF for repeated requests)', async () => {
    const p = await publishedStatement({ signatories: 2 });
    const res = await statementPdfResponse(p.slug, 'hy');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="${p.slug}.pdf"`);
    expect(res.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    const before = await digestDomain();
    const again = await statementPdfResponse(p.slug, 'hy');
    expect(Buffer.from(await again.arrayBuffer()).equals(bytes)).toBe(true);
    expect(again.headers.get('etag')).toBe(res.headers.get('etag'));
    expect(await digestDomain()).toBe(before);
  });

  it('feeds: RSS and Atom content types, cacheable, well-formed, absolute links on APP_URL', async () => {
    const p = await publishedStatement({ title: 'Feed <title> & "quotes"' });
    for (const [scope, format, type] of [
      [{ kind: 'all' }, 'rss', 'application/rss+xml; charset=utf-8'],
      [{ kind: 'all' }, 'atom', 'application/atom+xml; charset=utf-8'],
      [{ kind: 'lang', lang: 'hy' }, 'rss', 'application/rss+xml; charset=utf-8'],
      [{ kind: 'org', slug: p.init.org.slug }, 'atom', 'application/atom+xml; charset=utf-8'],
    ] as const) {
      const res = await feedResponse(scope, format);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL);
      const xml = await res.text();
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(xml).toContain(`http://localhost:3000/hy/s/${p.slug}`);
      expect(xml).toContain('Feed &lt;title&gt; &amp; &quot;quotes&quot;');
    }
  });
});
