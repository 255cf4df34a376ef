// The statement PDF (R4): its text read back with pdf.js contains the title, the body (headings, lists, quotes,
// footnotes), the Armenian, Russian and Latin names with their marks; the fonts are embedded (FontFile2, BaseFont
// NotoSansArmenian); and one PDF is stored per record revision and language, reused on the next request.
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { files, recordPdfs } from '@/db/schema';
import type { DocJSON } from './editor/extensions';
import { getStatementPdf, PDF_KIND, renderStatementPdf, woffToSfnt } from './pdf';
import { formatDay, signatoryView } from './public-outputs';
import { addCorrection, getPublicStatement } from './publishing';
import type { RecordDocument, RecordSignatory } from './record';
import { ctxFor, digestDomain } from './testing/db';
import { publishedStatement } from './testing/publish';
import { XSS_PAYLOADS } from './testing/xss-corpus';

const ORIGIN = 'http://localhost:3000';

/** Every page's text, items joined as pdf.js reads them (line ends as newlines). */
async function pdfText(bytes: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await pdfjs.getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  let out = '';
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    for (const item of content.items) if ('str' in item) out += item.str + (item.hasEOL ? '\n' : '');
    out += '\n';
  }
  await pdf.destroy();
  return out;
}

/** The fonts the PDF embeds: BaseFont names whose descriptor points at a non-empty FontFile2/FontFile3 stream. */
function embeddedFonts(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  const objects = new Map<number, string>();
  for (const m of text.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) objects.set(Number(m[1]), m[2]!);
  const out: string[] = [];
  for (const body of objects.values()) {
    if (!/\/Type\s*\/FontDescriptor/.test(body)) continue;
    const name = /\/FontName\s*\/([^\s/<>]+)/.exec(body)?.[1];
    const file = /\/FontFile[23]?\s+(\d+) 0 R/.exec(body)?.[1];
    if (!name || !file) continue;
    const stream = objects.get(Number(file)) ?? '';
    const length = Number(/\/Length\s+(\d+)/.exec(stream)?.[1] ?? 0);
    if (length > 0 && /stream/.test(stream)) out.push(name);
  }
  // Each embedded font is also used by a font dictionary under the same (subset-tagged) BaseFont.
  return out.filter((n) => text.includes(`/BaseFont /${n}`));
}

const sig = (over: Partial<RecordSignatory> & { name: string }): RecordSignatory => ({
  id: over.id ?? crypto.randomUUID(),
  kind: 'organization',
  names: { default: over.name },
  city: null,
  country: null,
  verified: false,
  title: null,
  person_name: null,
  group: null,
  initiator: false,
  method: 'member',
  signed_at: '2024-05-01T10:00:00.000Z',
  joined_after_publication: false,
  status: 'signed',
  withdrawn_at: null,
  withdraw_reason: null,
  ...over,
});

const BODY: DocJSON = {
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Մենք կոչ ենք անում հրապարակել օրենքի նախագիծը։ ' },
        { type: 'text', text: 'Bold Latin', marks: [{ type: 'bold' }] },
        { type: 'text', text: ' и курсив', marks: [{ type: 'italic' }] },
        { type: 'footnote', attrs: { text: 'Տե՛ս օրենքի 5-րդ հոդվածը' } },
      ],
    },
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Պահանջներ' }] },
    {
      type: 'bulletList',
      content: [
        {
          type: 'listItem',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Առաջին կետ' }] }],
        },
      ],
    },
    {
      type: 'orderedList',
      attrs: { start: 1 },
      content: [
        {
          type: 'listItem',
          content: [
            {
              type: 'paragraph',
              content: [
                {
                  type: 'text',
                  text: 'Numbered item',
                  marks: [{ type: 'link', attrs: { href: 'https://example.org/law' } }],
                },
              ],
            },
          ],
        },
      ],
    },
    {
      type: 'blockquote',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Цитата из закона' }] }],
    },
    { type: 'horizontalRule' },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Line one' },
        { type: 'hardBreak' },
        { type: 'text', text: 'Line two' },
      ],
    },
  ],
};

function recordOf(signatories: RecordSignatory[], over: Partial<RecordDocument> = {}): RecordDocument {
  return {
    v: 1,
    kind: 'undersigned.statement-record',
    statement: crypto.randomUUID(),
    slug: 'open-letter',
    record_seq: 2,
    state: 'published',
    published_at: '2024-05-02T09:00:00.000Z',
    display_date: '2024-05-01',
    closed_at: null,
    join_until: null,
    withdrawn: null,
    primary_lang: 'hy',
    source_url: null,
    list_order: 'joined',
    version: { number: 1, content_sha256: 'a'.repeat(64), langs: ['hy', 'en'] },
    texts: {
      hy: { title: 'Բաց նամակ «Օրենքի» մասին', body: BODY },
      en: {
        title: 'Open letter on the Law',
        body: {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'We call for the draft.' }] }],
        },
      },
    },
    signatories,
    corrections: [{ lang: 'hy', body: 'Ուղղված է ամսաթիվը', at: '2024-05-05T00:00:00.000Z' }],
    ...over,
  };
}

const sourceOf = (record: RecordDocument) => ({
  record,
  listOrder: record.list_order,
  positions: {},
  envelope: { record, sha256: 'c'.repeat(64), key_id: 'ed25519:x', signature: 's' },
});

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('dates of public outputs', () => {
  it("an instant is given as its day in the statement's time zone; a date as written; an unknown zone falls back to UTC", () => {
    const late = '2024-06-30T21:30:00.000Z'; // 1 July 01:30 in Yerevan (UTC+4), 30 June 14:30 in Los Angeles
    expect(formatDay(late, 'en', 'Asia/Yerevan')).toBe('July 1, 2024');
    expect(formatDay(late, 'en', 'America/Los_Angeles')).toBe('June 30, 2024');
    expect(formatDay(late, 'en')).toBe('June 30, 2024');
    expect(formatDay(late, 'en', 'Not/A_Zone')).toBe('June 30, 2024');
    for (const tz of ['Asia/Yerevan', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) expect(formatDay('2024-07-01', 'en', tz)).toBe('July 1, 2024');
    expect(formatDay('not a date', 'en')).toBe('not a date');
  });

  it('the signatory marks use it too (joined after publication, withdrawn)', () => {
    const s = sig({ name: 'Late Org', joined_after_publication: true, signed_at: '2024-06-30T21:30:00.000Z', status: 'withdrawn', withdrawn_at: '2024-06-30T22:00:00.000Z' });
    const yerevan = signatoryView(s, 'en', null, { timeZone: 'Asia/Yerevan' }).marks.join(' | ');
    expect(yerevan).toContain('July 1, 2024');
    expect(yerevan).not.toContain('June 30');
    expect(signatoryView(s, 'en', null).marks.join(' | ')).toContain('June 30, 2024');
  });
});

describe('renderStatementPdf', () => {
  const list = [
    sig({
      name: '«Իրավունքի» կենտրոն',
      initiator: true,
      verified: true,
      city: 'Երևան',
      country: 'Հայաստան',
      title: 'Նախագահ',
      person_name: 'Անի Պետրոսյան',
    }),
    sig({ name: 'Правозащитный центр «Мемориал»', group: 'Региональные', city: 'Москва' }),
    sig({
      name: 'Ani Individual',
      kind: 'individual',
      title: 'human rights defender',
      group: 'Региональные',
      method: 'join_request',
      joined_after_publication: true,
      signed_at: '2024-06-02T08:00:00.000Z',
    }),
    sig({
      name: 'Աշխատավորների միություն',
      status: 'withdrawn',
      withdrawn_at: '2024-07-01T00:00:00.000Z',
      withdraw_reason: 'x',
    }),
  ];

  it('the Armenian text: title, date, body structure, numbered notes, corrections, signatories with groups and marks', async () => {
    const bytes = await renderStatementPdf(sourceOf(recordOf(list)), 'hy', ORIGIN);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = flat(await pdfText(bytes));
    for (const s of [
      'Բաց նամակ «Օրենքի» մասին',
      `Ամսաթիվ՝ ${formatDay('2024-05-01', 'hy')}`,
      'Մենք կոչ ենք անում հրապարակել օրենքի նախագիծը։',
      'Bold Latin',
      'и курсив[1]',
      'Պահանջներ',
      '• Առաջին կետ',
      '1. Numbered item',
      'Цитата из закона',
      'Line one Line two',
      'Ծանոթագրություններ',
      '[1] Տե՛ս օրենքի 5-րդ հոդվածը',
      'Ուղղումներ',
      'Ուղղված է ամսաթիվը',
      'Ստորագրողներ (3)',
      '«Իրավունքի» կենտրոն — Անի Պետրոսյան, Նախագահ (Երևան, Հայաստան) · նախաձեռնող · հաստատված կազմակերպություն',
      'Региональные',
      'Правозащитный центр «Мемориал» (Москва)',
      `Ani Individual — human rights defender · միացել է հրապարակումից հետո՝ ${formatDay('2024-06-02', 'hy')} · միացել է հանրային հղումով`,
      `Աշխատավորների միություն · ստորագրությունը հետ է կանչվել ${formatDay('2024-07-01', 'hy')}`,
      `${ORIGIN}/hy/s/open-letter`,
    ])
      expect(text).toContain(s);
    // Groups: the ungrouped first, then the group heading above its members.
    expect(text.indexOf('Региональные')).toBeGreaterThan(text.indexOf('«Իրավունքի» կենտրոն'));
    expect(text.indexOf('Региональные')).toBeLessThan(text.indexOf('Правозащитный центр'));
  });

  it('embeds Noto Sans Armenian and Noto Sans as font files (subsets), and only fonts it uses', async () => {
    const bytes = await renderStatementPdf(sourceOf(recordOf(list)), 'hy', ORIGIN);
    const fonts = embeddedFonts(bytes);
    expect(fonts.some((f) => /^[A-Z]{6}\+NotoSansArmenian-Regular$/.test(f))).toBe(true);
    expect(fonts.some((f) => /^[A-Z]{6}\+NotoSansArmenian-Bold$/.test(f))).toBe(true);
    expect(fonts.some((f) => /^[A-Z]{6}\+NotoSans-Regular$/.test(f))).toBe(true);
    expect(bytes.toString('latin1')).not.toMatch(/\/BaseFont \/Helvetica/);
    // An English-only record with Latin names needs no Armenian font (allowed twin).
    const latin = recordOf([sig({ name: 'Open Society Foundation' })], {
      texts: {
        en: {
          title: 'Open letter',
          body: {
            type: 'doc',
            content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Plain text.' }] }],
          },
        },
      },
      primary_lang: 'en',
      corrections: [],
    });
    const latinFonts = embeddedFonts(await renderStatementPdf(sourceOf(latin), 'en', ORIGIN));
    expect(latinFonts.some((f) => f.includes('NotoSans-'))).toBe(true);
    expect(latinFonts.some((f) => f.includes('NotoSansArmenian'))).toBe(false);
  });

  it('the English interface: the English text and English marks; the XSS corpus in names is just text; same record, same bytes', async () => {
    const evil = XSS_PAYLOADS.filter((p) => !p.bodyOnly && p.id !== 'long').map((p) => p.value);
    const rec = recordOf([...list, ...evil.map((v) => sig({ name: v }))], {
      state: 'withdrawn',
      withdrawn: { at: '2024-08-01T00:00:00.000Z', reason: 'Superseded <b>' },
    });
    const bytes = await renderStatementPdf(sourceOf(rec), 'en', ORIGIN);
    const text = flat(await pdfText(bytes));
    expect(text).toContain('Open letter on the Law');
    expect(text).toContain('We call for the draft.');
    expect(text).toContain('This statement was withdrawn on August 1, 2024. Reason: Superseded <b>');
    expect(text).toContain('Правозащитный центр «Мемориал» (Москва)');
    expect(text).toContain(
      'Ani Individual — human rights defender · joined after publication, June 2, 2024 · joined via public link',
    );
    expect(text).toContain('signature withdrawn on July 1, 2024');
    for (const v of evil.filter((v) => !/[\u200b-\u200f\u202e]/.test(v)))
      expect(text).toContain(flat(v).trim());
    expect(text).not.toContain('Ծանոթագրություններ');
    const again = await renderStatementPdf(sourceOf(rec), 'en', ORIGIN);
    expect(again.equals(bytes)).toBe(true);
  });

  it('woffToSfnt unwraps WOFF into a TrueType font (and leaves other data alone)', async () => {
    const fs = await import('node:fs');
    const woff = fs.readFileSync(
      'node_modules/@fontsource/noto-sans-armenian/files/noto-sans-armenian-armenian-400-normal.woff',
    );
    const ttf = woffToSfnt(woff);
    expect(ttf.readUInt32BE(0)).toBe(0x00010000);
    expect(ttf.length).toBe(woff.readUInt32BE(16)); // totalSfntSize in the WOFF header
    const plain = Buffer.from('not a woff');
    expect(woffToSfnt(plain)).toBe(plain);
  });
});

describe('getStatementPdf (stored once per record revision and language)', () => {
  const pdfRows = async (statementId: string) =>
    getDb()
      .select({
        seq: recordPdfs.seq,
        lang: recordPdfs.lang,
        sha256: files.sha256,
        kind: files.kind,
        mime: files.mime,
        size: files.size,
      })
      .from(recordPdfs)
      .innerJoin(files, eq(files.id, recordPdfs.fileId))
      .where(eq(recordPdfs.statementId, statementId))
      .orderBy(recordPdfs.seq, recordPdfs.lang);
  const pdfFiles = async () =>
    (await getDb().select({ id: files.id }).from(files).where(eq(files.kind, PDF_KIND))).length;

  it('renders on first request, stores it (files + record_pdfs), then serves the stored bytes without writing', async () => {
    const p = await publishedStatement({
      signatories: 3,
      title: 'Բաց նամակ',
      profiles: [
        { name: '«Իրավունքի» կենտրոն', city: 'Երևան' },
        { name: 'Հելսինկյան քաղաքացիական ասամբլեա' },
        { name: 'Правозащитный центр' },
      ],
      signerTitles: ['Նախագահ', null, null],
    });
    const db = getDb();
    const first = (await getStatementPdf(db, p.slug, 'hy', ORIGIN))!;
    expect(first.seq).toBe(p.recordSeq);
    expect(first.sha256).toBe(crypto.createHash('sha256').update(first.bytes).digest('hex'));
    const rows = await pdfRows(p.statementId);
    expect(rows).toEqual([
      {
        seq: p.recordSeq,
        lang: 'hy',
        sha256: first.sha256,
        kind: 'statement_pdf',
        mime: 'application/pdf',
        size: first.bytes.length,
      },
    ]);
    const text = flat(await pdfText(first.bytes));
    for (const name of [
      '«Իրավունքի» կենտրոն — Նախագահ (Երևան)',
      'Հելսինկյան քաղաքացիական ասամբլեա',
      'Правозащитный центр',
      'Բաց նամակ',
      'Ստորագրողներ (3)',
    ])
      expect(text).toContain(name);
    expect(embeddedFonts(first.bytes).some((f) => f.includes('+NotoSansArmenian-'))).toBe(true);
    // No e-mail address or user id in the PDF's text or bytes.
    const users = (await db.execute(sql`SELECT id::text AS id, email FROM users`)) as unknown as {
      id: string;
      email: string;
    }[];
    for (const u of users) {
      expect(text).not.toContain(u.email);
      expect(first.bytes.toString('latin1')).not.toContain(u.id);
    }

    const before = await digestDomain();
    const second = (await getStatementPdf(db, p.slug, 'hy', ORIGIN))!;
    expect(second.sha256).toBe(first.sha256);
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(await digestDomain(), 'the second request wrote nothing').toBe(before);

    // Another language is another stored PDF of the same revision.
    const en = (await getStatementPdf(db, p.slug, 'en', ORIGIN))!;
    expect(en.sha256).not.toBe(first.sha256);
    expect((await pdfRows(p.statementId)).map((r) => r.lang)).toEqual(['en', 'hy']);
  });

  it('a new record revision gets a new PDF; concurrent first requests store exactly one (no orphan file)', async () => {
    const p = await publishedStatement({ signatories: 2 });
    const db = getDb();
    const v1 = (await getStatementPdf(db, p.slug, 'hy', ORIGIN))!;
    const { recordSeq } = await addCorrection(ctxFor(p.init.admin), {
      statementId: p.statementId,
      lang: 'hy',
      body: 'Ուղղում՝ նոր տարբերակ',
    });
    expect(recordSeq).toBe(p.recordSeq + 1);
    const filesBefore = await pdfFiles();
    const results = await Promise.all([1, 2, 3, 4].map(() => getStatementPdf(db, p.slug, 'hy', ORIGIN)));
    const hashes = new Set(results.map((r) => r!.sha256));
    expect(hashes.size).toBe(1);
    expect(results.every((r) => r!.seq === recordSeq)).toBe(true);
    expect(await pdfFiles()).toBe(filesBefore + 1);
    const rows = await pdfRows(p.statementId);
    expect(rows.map((r) => r.seq)).toEqual([p.recordSeq, recordSeq]);
    expect(rows[1]!.sha256).toBe([...hashes][0]);
    expect(rows[1]!.sha256).not.toBe(v1.sha256);
    expect(flat(await pdfText(results[0]!.bytes))).toContain('Ուղղում՝ նոր տարբերակ');
    // The earlier revision's PDF stays stored.
    const [old] = await db
      .select()
      .from(recordPdfs)
      .where(and(eq(recordPdfs.statementId, p.statementId), eq(recordPdfs.seq, p.recordSeq)));
    expect(old).toBeTruthy();
  });

  it('an unknown or malformed slug is null and writes nothing', async () => {
    await publishedStatement();
    const db = getDb();
    const before = await digestDomain();
    expect(await getStatementPdf(db, 'no-such-statement', 'hy', ORIGIN)).toBeNull();
    expect(await getStatementPdf(db, "x' OR '1'='1", 'hy', ORIGIN)).toBeNull();
    expect(await digestDomain()).toBe(before);
    const pub = await getPublicStatement(db, 'no-such-statement');
    expect(pub).toBeNull();
  });
});
