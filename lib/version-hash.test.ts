// The version hash (PRODUCT.md, Version; docs/version-hash.md): RFC 8785 canonical bytes of
// {v, statement, version, texts} and their SHA-256. The documented test vector is read out of the markdown and
// recomputed; every included character changes the hash; another process computes the same bytes; every stored
// version re-hashes from its canonical bytes and from re-canonicalizing what they parse to; and a statement frozen
// through the database (jsonb round trip, on whichever PostgreSQL the run uses) hashes to the documented constant.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { statementVersions } from '@/db/schema';
import { canonicalJson } from './canonical';
import { checkInvariants } from './invariants';
import { canonicalVersion, freezeVersion, parseVersion, reopenStatement, type VersionTexts } from './signing';
import { addTranslation, createStatement, saveText } from './statements';
import { runTs } from './testing/child';
import { parseResult } from './testing/children/_main';
import { ctxFor } from './testing/db';
import { seedOrg } from './testing/orgs';
import { docOf, seedReviewStatement } from './testing/review';

type VectorInput = { statement: string; version: number; texts: VersionTexts };

const sha256 = (s: string) => crypto.createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');

/** The fenced blocks of docs/version-hash.md, by info string (```json input, ```text canonical, ```text sha256). */
function docBlocks(): Record<string, string> {
  const md = fs.readFileSync(path.join(process.cwd(), 'docs', 'version-hash.md'), 'utf8');
  const out: Record<string, string> = {};
  for (const m of md.matchAll(/^```(\w+) (\w+)\n([\s\S]*?)\n```$/gm)) out[`${m[1]} ${m[2]}`] = m[3]!;
  return out;
}

function vector() {
  const b = docBlocks();
  expect(Object.keys(b).sort()).toEqual(['json input', 'text canonical', 'text sha256']);
  return { input: JSON.parse(b['json input']!) as VectorInput, canonical: b['text canonical']!, sha256: b['text sha256']! };
}

const clone = <T>(v: T): T => structuredClone(v);

describe('the canonical form is RFC 8785', () => {
  it('keys sorted by UTF-16 code units, no whitespace, the RFC’s escapes and numbers', () => {
    // RFC 8785 §3.2.2 sample: literals, numbers in ECMAScript form, the minimal string escapes.
    const sample = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(sample)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    // RFC 8785 §3.2.3: property order by UTF-16 code units (the emoji's surrogate sorts before U+FB33).
    const keys = ['\u20ac', '\r', '\ufb33', '1', '\ud83d\ude00', '\u0080', '\u00f6'];
    // (Read from the string: a parsed object would list the integer-like key "1" first.)
    expect(canonicalJson(Object.fromEntries(keys.map((k, i) => [k, i])))).toBe('{"\\r":1,"1":3,"\u0080":5,"\u00f6":6,"\u20ac":0,"\ud83d\ude00":4,"\ufb33":2}');
    expect(canonicalJson({ b: { d: 1, c: [2, { z: 0, a: 1 }] }, a: 'x y' })).toBe('{"a":"x y","b":{"c":[2,{"a":1,"z":0}],"d":1}}');
  });

  it('a version: sorted keys, no whitespace outside strings, Armenian and Cyrillic as UTF-8 (not \\u escapes)', () => {
    const texts: VersionTexts = {
      ru: { title: 'Открытое письмо', body: docOf('Мы требуем опубликовать проект.') },
      hy: { title: 'Բաց նամակ', body: docOf('Մենք պահանջում ենք։') },
    };
    const { canonical, sha256: hash } = canonicalVersion('00000000-0000-4000-8000-000000000001', 3, texts);
    expect(canonical.startsWith('{"statement":"00000000-0000-4000-8000-000000000001","texts":{"hy":{"body":{"content":[{"content":[{"text":"Մենք պահանջում ենք։"')).toBe(true);
    expect(canonical.endsWith(',"title":"Открытое письмо"}},"v":1,"version":3}')).toBe(true);
    expect(canonical).not.toMatch(/\\u/);
    expect(canonical).toContain('Открытое письмо');
    expect(canonical).toBe(JSON.stringify(JSON.parse(canonical)));
    // Outside strings there is no whitespace at all.
    expect(canonical.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/\s/);
    expect(Buffer.byteLength(canonical, 'utf8')).toBeGreaterThan(canonical.length);
    expect(hash).toBe(sha256(canonical));
    // Property order of the input does not matter.
    expect(canonicalVersion('00000000-0000-4000-8000-000000000001', 3, { hy: texts.hy!, ru: texts.ru! }).canonical).toBe(canonical);
  });
});

describe('docs/version-hash.md test vector', () => {
  it('the code produces exactly the documented canonical bytes and SHA-256', () => {
    const v = vector();
    expect(v.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v.canonical).not.toContain('\n');
    const r = canonicalVersion(v.input.statement, v.input.version, v.input.texts);
    expect(r.canonical).toBe(v.canonical);
    expect(r.sha256).toBe(v.sha256);
    expect(sha256(v.canonical)).toBe(v.sha256);
    expect(parseVersion(v.canonical)).toEqual({ v: 1, ...v.input });
    // The vector covers what it says it covers.
    expect(Object.keys(v.input.texts).sort()).toEqual(['en', 'hy']);
    for (const needle of ['"type":"heading"', '"type":"bold"', '"href":"https://example.org/law"', 'Բաց նամակ']) expect(v.canonical).toContain(needle);
  });

  it('any change to an included text changes the hash: a title, one character, a mark, a link, a heading level, the number, the id, a language', () => {
    const { input, sha256: base } = vector();
    type T = VectorInput['texts'];
    const variants: [string, (t: T, i: VectorInput) => void][] = [
      ['translation title', (t) => (t.en!.title = 'Open letter.')],
      ['primary title', (t) => (t.hy!.title = 'Բաց նամակ ')],
      ['one character of a body', (t) => (t.hy!.body.content![1]!.content![0]!.text = 'Մենք՝ ')],
      ['one character (case) of a translation', (t) => (t.en!.body.content![1]!.content![0]!.text = 'we ')],
      ['bold mark removed', (t) => delete t.hy!.body.content![1]!.content![1]!.marks],
      ['bold becomes italic', (t) => (t.en!.body.content![1]!.content![1]!.marks = [{ type: 'italic' }])],
      ['link address', (t) => (t.en!.body.content![1]!.content![3]!.marks![0]!.attrs = { href: 'https://example.org/law2' })],
      ['heading level', (t) => (t.hy!.body.content![0]!.attrs = { level: 3 })],
      ['language dropped', (t) => delete t.en],
      ['version number', (_t, i) => (i.version = 2)],
      ['statement id', (_t, i) => (i.statement = '5f0c2a8e-3b1d-4c7a-9e2f-6a1b8d4c0e94')],
    ];
    const seen = new Map<string, string>([[base, 'base']]);
    for (const [what, change] of variants) {
      const i = clone(input);
      change(i.texts, i);
      const h = canonicalVersion(i.statement, i.version, i.texts).sha256;
      expect(seen.get(h), what).toBeUndefined();
      seen.set(h, what);
    }
    expect(seen.size).toBe(variants.length + 1);
    // …and an unchanged copy hashes the same.
    const same = clone(input);
    expect(canonicalVersion(same.statement, same.version, same.texts).sha256).toBe(base);
  });

  it('another process (another time zone and locale) computes the same bytes and hash', async () => {
    const { input, canonical, sha256: hash } = vector();
    const r = await runTs('lib/testing/children/version-hash.ts', [JSON.stringify(input)], { TZ: 'Pacific/Kiritimati', LANG: 'hy_AM.UTF-8', LC_ALL: 'C' });
    expect(r.code, r.stderr).toBe(0);
    const out = parseResult<{ canonical: string; sha256: string; bytes: number; pid: number }>(r.stdout);
    expect(out.pid).not.toBe(process.pid);
    expect(out).toMatchObject({ canonical, sha256: hash, bytes: Buffer.byteLength(canonical, 'utf8') });
  });
});

describe('stored versions', () => {
  it('a statement frozen through the database hashes to the documented constant (with its own id): the jsonb round trip changes nothing', async () => {
    const { input, canonical } = vector();
    const org = await seedOrg();
    const c = ctxFor(org.owner);
    const { id } = await createStatement(c, { orgId: org.org.id, title: input.texts.hy!.title, primaryLang: 'hy', summary: null, timeZone: 'Asia/Yerevan' });
    await saveText(c, { statementId: id, lang: 'hy', baseVersion: 0, title: input.texts.hy!.title, doc: input.texts.hy!.body });
    await addTranslation(c, { statementId: id, lang: 'en', title: input.texts.en!.title });
    await saveText(c, { statementId: id, lang: 'en', baseVersion: 0, title: input.texts.en!.title, doc: input.texts.en!.body });
    const frozen = await freezeVersion(c, { statementId: id });
    // The documented bytes with this statement's id in place of the vector's (a uuid for a uuid: order unchanged).
    const expected = canonical.replace(`"statement":"${input.statement}"`, `"statement":"${id}"`);
    expect(expected).not.toBe(canonical);
    expect(frozen.contentSha256).toBe(sha256(expected));
    expect(frozen.contentSha256).toBe(canonicalVersion(id, 1, input.texts).sha256);
    const [row] = await getDb().select().from(statementVersions).where(eqId(id));
    expect(row!.canonical).toBe(expected);
  });

  it('every stored hash re-computes from its canonical bytes and from re-canonicalizing what they parse to; the bytes parse to {v:1, statement, version, texts}', async () => {
    const org = await seedOrg();
    // A review statement (hy + en), frozen twice with an edit between.
    const a = await seedReviewStatement(org);
    await freezeVersion(ctxFor(org.owner), { statementId: a });
    await reopenStatement(ctxFor(org.owner), { statementId: a });
    await saveText(ctxFor(org.owner), { statementId: a, lang: 'hy', baseVersion: 1, title: 'Open letter', doc: docOf('Երկրորդ տարբերակը։', '«Չակերտներ» և — գծիկ') });
    await freezeVersion(ctxFor(org.owner), { statementId: a, langs: ['hy'] });
    // Real Armenian statements (fixtures 02 and 05), as the seed builds them.
    for (const prefix of ['02-', '05-']) {
      const dir = path.join(process.cwd(), 'db', 'fixtures', 'statements');
      const file = fs.readdirSync(dir).find((f) => f.startsWith(prefix))!;
      const f = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { title: string; body_text: string };
      const paragraphs = f.body_text.split(/\n+/).map((p) => p.trim()).filter(Boolean);
      const { id } = await createStatement(ctxFor(org.owner), { orgId: org.org.id, title: f.title, primaryLang: 'hy', summary: null, timeZone: 'Asia/Yerevan' });
      await saveText(ctxFor(org.owner), { statementId: id, lang: 'hy', baseVersion: 0, title: f.title, doc: docOf(...paragraphs) });
      const v = await freezeVersion(ctxFor(org.owner), { statementId: id });
      const [row] = await getDb().select().from(statementVersions).where(eqId(id));
      expect(row!.canonical).toContain(paragraphs[0]!);
      expect(v.contentSha256).toBe(row!.contentSha256);
    }

    const rows = await getDb().select().from(statementVersions).orderBy(asc(statementVersions.frozenAt));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      const label = `${row.statementId} v${row.number}`;
      expect(sha256(row.canonical), label).toBe(row.contentSha256);
      const doc = parseVersion(row.canonical);
      expect(Object.keys(doc).sort(), label).toEqual(['statement', 'texts', 'v', 'version']);
      expect(doc, label).toMatchObject({ v: 1, statement: row.statementId, version: row.number });
      expect(Object.keys(doc.texts).sort(), label).toEqual([...row.langs].sort());
      const again = canonicalVersion(doc.statement, doc.version, doc.texts);
      expect(again.canonical, label).toBe(row.canonical);
      expect(again.sha256, label).toBe(row.contentSha256);
    }
    expect((await checkInvariants(getDb())).filter((x) => x.count > 0)).toEqual([]);
  });
});

function eqId(statementId: string) {
  return eq(statementVersions.statementId, statementId);
}
