// The public archive (R2) and organization pages' statement lists: search over titles and texts of every language
// (an Armenian word found only in a body; a Russian word in another letter case), filters by organization,
// language and year, pagination, excerpts ending in "[…]" only when cut, the signatory count following
// withdrawals, and no e-mail address or user id in anything returned (I13). Statements are published through the
// real path: create, write, freeze, sign for the initiator (and a co-signer), publish.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { archiveFacets, formatCalendarDate, likeEscape, listArchive, normalizeQuery, orgStatements, type ArchiveItem } from './archive';
import { closeStatement, publishStatement, withdrawStatement } from './publishing';
import { freezeVersion, signForOrganization, withdrawSignature } from './signing';
import { addTranslation, createStatement, saveText } from './statements';
import { ctxFor, digestDomain } from './testing/db';
import { seedOrg, type SeededOrg } from './testing/orgs';
import { addParticipant, docOf } from './testing/review';

const db = () => getDb();

type Texts = Record<string, { title: string; paragraphs: string[] }>;

let slugN = 0;
/** Create, write (primary first, then translations), freeze, sign for the initiator and co-signers, publish. */
async function publish(init: SeededOrg, opts: { primary: string; texts: Texts; displayDate: string; cosigners?: SeededOrg[]; slug?: string }) {
  const c = ctxFor(init.admin);
  const primary = opts.texts[opts.primary]!;
  const { id } = await createStatement(c, { orgId: init.org.id, title: primary.title, primaryLang: opts.primary, summary: null, timeZone: 'Asia/Yerevan' });
  await saveText(c, { statementId: id, lang: opts.primary, baseVersion: 0, title: primary.title, doc: docOf(...primary.paragraphs) });
  for (const [lang, t] of Object.entries(opts.texts)) {
    if (lang === opts.primary) continue;
    await addTranslation(c, { statementId: id, lang, title: t.title });
    await saveText(c, { statementId: id, lang, baseVersion: 0, title: t.title, doc: docOf(...t.paragraphs) });
  }
  for (const org of opts.cosigners ?? []) await addParticipant(id, org);
  await freezeVersion(c, { statementId: id });
  await signForOrganization(c, { statementId: id, orgId: init.org.id, version: 1 });
  for (const org of opts.cosigners ?? []) await signForOrganization(ctxFor(org.admin), { statementId: id, orgId: org.org.id, version: 1 });
  const slug = opts.slug ?? `archive-test-${++slugN}`;
  await publishStatement(c, { statementId: id, slug, displayDate: opts.displayDate, listOrder: 'joined', joinUntil: null });
  return { id, slug };
}

// An Armenian word that appears only in the body of the first statement (not in any title).
const HY_WORD = 'ծիրանաթռչնակներ';
const LONG_HY = Array.from({ length: 70 }, (_, i) => (i === 40 ? HY_WORD : `բառ${i}`)).join(' ');
const RU_WORD = 'Правозащитники';

let A: SeededOrg; // initiates S1 (hy+en, 2023) and S2 (ru, 2024)
let B: SeededOrg; // co-signs S1
let C: SeededOrg; // initiates the 21 pagination statements (en, 2022)
let S1: { id: string; slug: string };
let S2: { id: string; slug: string };
const emails: string[] = [];

beforeAll(async () => {
  [A, B, C] = [await seedOrg(), await seedOrg(), await seedOrg()];
  for (const o of [A, B, C]) emails.push(o.owner.email, o.admin.email, o.member.email, o.outsider.email);
  S1 = await publish(A, {
    primary: 'hy',
    texts: {
      hy: { title: 'Բաց նամակ ջրի մասին', paragraphs: [LONG_HY] },
      en: { title: 'Open letter on water', paragraphs: ['We call on the government to protect the rivers.'] },
    },
    displayDate: '2023-05-10',
    cosigners: [B],
  });
  S2 = await publish(A, {
    primary: 'ru',
    texts: { ru: { title: 'Заявление о свободе собраний', paragraphs: [`${RU_WORD} требуют прекратить преследования.`] } },
    displayDate: '2024-02-01',
  });
  // 21 statements on one day (same display date: newest publication first), all containing "pagetest".
  for (let i = 0; i < 21; i++) {
    await publish(C, {
      primary: 'en',
      texts: { en: { title: `Pagetest statement ${i}`, paragraphs: [`Short pagetest body ${i}.`] } },
      displayDate: '2022-03-01',
      slug: `pagetest-${i}`,
    });
  }
}, 300_000);

const slugs = (items: ArchiveItem[]) => items.map((i) => i.slug);

describe('search', () => {
  it('finds an Armenian word that occurs only in a body, and not a word that occurs nowhere', async () => {
    const hit = await listArchive(db(), { q: HY_WORD, lang: 'hy' });
    expect(slugs(hit.items)).toEqual([S1.slug]);
    // A part of the word (substring, the trigram path) finds it too; upper case Armenian as well.
    expect(slugs((await listArchive(db(), { q: 'ծիրանաթռչ', lang: 'hy' })).items)).toEqual([S1.slug]);
    expect(slugs((await listArchive(db(), { q: HY_WORD.toLocaleUpperCase('hy'), lang: 'hy' })).items)).toEqual([S1.slug]);
    const miss = await listArchive(db(), { q: 'ծիրանաթռչնակներըչկա', lang: 'hy' });
    expect(miss.items).toEqual([]);
    expect(miss.total).toBe(0);
  });

  it('both search paths work on their own for Armenian and Russian (full text and substring), with lower() folding case', async () => {
    const n = async (cond: ReturnType<typeof sql>) =>
      ((await db().execute(sql`SELECT count(*)::int AS n FROM publications p WHERE ${cond}`)) as unknown as { n: number }[])[0]!.n;
    expect(await n(sql`to_tsvector('simple', p.search_text) @@ plainto_tsquery('simple', lower(${HY_WORD.toLocaleUpperCase('hy')}))`)).toBe(1);
    expect(await n(sql`to_tsvector('simple', p.search_text) @@ plainto_tsquery('simple', lower(${RU_WORD.toUpperCase()}))`)).toBe(1);
    expect(await n(sql`p.search_text ILIKE '%' || lower(${'ԾԻՐԱՆԱԹՌՉ'}) || '%'`)).toBe(1);
    expect(await n(sql`p.search_text ILIKE '%' || lower(${'ПРАВОЗАЩИТ'}) || '%'`)).toBe(1);
  });

  it('finds a Russian word written in another letter case', async () => {
    for (const q of [RU_WORD.toUpperCase(), RU_WORD.toLowerCase(), 'пРАВОЗАЩИТНИКИ']) {
      expect(slugs((await listArchive(db(), { q, lang: 'ru' })).items), q).toEqual([S2.slug]);
    }
  });

  it('searches titles of every language, whatever the interface language', async () => {
    // S1's English title, searched from the Russian interface; S2's Russian title from the English one.
    expect(slugs((await listArchive(db(), { q: 'rivers', lang: 'ru' })).items)).toEqual([S1.slug]);
    expect(slugs((await listArchive(db(), { q: 'water', lang: 'ru' })).items)).toEqual([S1.slug]);
    expect(slugs((await listArchive(db(), { q: 'свободе собраний', lang: 'en' })).items)).toEqual([S2.slug]);
  });

  it('takes % and _ literally (no wildcard), and ignores a blank query', async () => {
    expect((await listArchive(db(), { q: '%', lang: 'en' })).total).toBe(0);
    expect((await listArchive(db(), { q: '_', lang: 'en' })).total).toBe(0);
    expect((await listArchive(db(), { q: '   ', lang: 'en' })).total).toBe(23);
    expect(likeEscape('50%_a\\b')).toBe('50\\%\\_a\\\\b');
    expect(normalizeQuery('  ПРАВО  защита ')).toBe('право защита');
  });
});

describe('items', () => {
  it('shows the title and excerpt in the interface language when the version has it, else the primary language', async () => {
    const en = (await listArchive(db(), { q: HY_WORD, lang: 'en' })).items[0]!;
    expect(en).toMatchObject({ title: 'Open letter on water', textLang: 'en', excerpt: 'We call on the government to protect the rivers.' });
    const ru = (await listArchive(db(), { q: HY_WORD, lang: 'ru' })).items[0]!;
    expect(ru).toMatchObject({ title: 'Բաց նամակ ջրի մասին', textLang: 'hy', displayDate: '2023-05-10', state: 'published' });
    expect(ru.langs).toEqual(['en', 'hy']);
  });

  it('cuts a long text at about 50 words ending in "[…]", and leaves a short one whole', async () => {
    const long = (await listArchive(db(), { q: HY_WORD, lang: 'hy' })).items[0]!;
    expect(long.excerpt.endsWith(' […]')).toBe(true);
    expect(long.excerpt.replace(' […]', '').split(' ')).toHaveLength(50);
    const short = (await listArchive(db(), { q: RU_WORD, lang: 'ru' })).items[0]!;
    expect(short.excerpt).toBe(`${RU_WORD} требуют прекратить преследования.`);
    expect(short.excerpt).not.toContain('[…]');
  });

  it('names the initiator and counts signatories that signed and did not withdraw', async () => {
    const before = (await listArchive(db(), { q: HY_WORD, lang: 'en' })).items[0]!;
    expect(before.initiator).toBe(A.org.name);
    expect(before.signatories).toBe(2);
    expect((await archiveFacets(db(), 'en')).orgs.map((o) => o.slug)).toContain(B.org.slug);
    expect(slugs((await orgStatements(db(), B.org.id, 'en')).signed)).toEqual([S1.slug]);
    await withdrawSignature(ctxFor(B.admin), { statementId: S1.id, orgId: B.org.id, reason: 'Changed our mind' });
    const after = (await listArchive(db(), { q: HY_WORD, lang: 'en' })).items[0]!;
    expect(after.signatories).toBe(1);
    expect(after.initiator).toBe(A.org.name);
    // Withdrawn: no longer "signed by" B.
    expect(slugs((await listArchive(db(), { org: B.org.slug, lang: 'en' })).items)).toEqual([]);
    expect((await orgStatements(db(), B.org.id, 'en')).signed).toEqual([]);
    expect((await archiveFacets(db(), 'en')).orgs.map((o) => o.slug)).not.toContain(B.org.slug);
  });

  it('lists closed and withdrawn statements with their state, and never an unpublished one', async () => {
    const c = ctxFor(A.admin);
    const { id } = await createStatement(c, { orgId: A.org.id, title: 'Zyxwvut draft', primaryLang: 'en', summary: null, timeZone: 'Asia/Yerevan' });
    await saveText(c, { statementId: id, lang: 'en', baseVersion: 0, title: 'Zyxwvut draft', doc: docOf('Unpublishedword body.') });
    await freezeVersion(c, { statementId: id });
    await signForOrganization(c, { statementId: id, orgId: A.org.id, version: 1 });
    expect((await listArchive(db(), { q: 'unpublishedword', lang: 'en' })).total).toBe(0);
    expect((await listArchive(db(), { q: 'zyxwvut', lang: 'en' })).total).toBe(0);
    expect(slugs((await orgStatements(db(), A.org.id, 'en')).initiated)).toEqual([S2.slug, S1.slug]);

    const s = await publish(A, { primary: 'en', texts: { en: { title: 'Statechange letter', paragraphs: ['Statechange body.'] } }, displayDate: '2020-06-01' });
    await closeStatement(c, { statementId: s.id });
    expect((await listArchive(db(), { q: 'statechange', lang: 'en' })).items[0]).toMatchObject({ slug: s.slug, state: 'closed', signatories: 1 });
    await withdrawStatement(c, { statementId: s.id, reason: 'Superseded' });
    expect((await listArchive(db(), { q: 'statechange', lang: 'en' })).items[0]).toMatchObject({ slug: s.slug, state: 'withdrawn' });
  });
});

describe('filters', () => {
  it('by organization: statements it initiated or signed', async () => {
    const a = slugs((await listArchive(db(), { org: A.org.slug, lang: 'en' })).items);
    // S2 (2024), S1 (2023), then the closed-and-withdrawn one of 2020 (a test above).
    expect(a.slice(0, 2)).toEqual([S2.slug, S1.slug]);
    expect(a).toHaveLength(3);
    expect(a.some((x) => x.startsWith('pagetest-'))).toBe(false);
    expect((await listArchive(db(), { org: C.org.slug, lang: 'en' })).total).toBe(21);
    expect((await listArchive(db(), { org: 'no-such-org', lang: 'en' })).total).toBe(0);
    expect((await listArchive(db(), { org: "x' OR 1=1 --", lang: 'en' })).total).toBe(0);
  });

  it('by organization: a co-signer finds the statement it signed (and only that one)', async () => {
    const D = await seedOrg();
    const E = await seedOrg();
    const s = await publish(D, { primary: 'en', texts: { en: { title: 'Cosign check', paragraphs: ['Cosign check body.'] } }, displayDate: '2021-01-01', cosigners: [E] });
    expect(slugs((await listArchive(db(), { org: E.org.slug, lang: 'en' })).items)).toEqual([s.slug]);
    const e = await orgStatements(db(), E.org.id, 'en');
    expect(slugs(e.signed)).toEqual([s.slug]);
    expect(e.initiated).toEqual([]);
    const d = await orgStatements(db(), D.org.id, 'en');
    expect(slugs(d.initiated)).toEqual([s.slug]);
    // An initiator also signs, but is listed once: under "initiated".
    expect(d.signed).toEqual([]);
    const facets = await archiveFacets(db(), 'en');
    expect(facets.orgs.map((o) => o.slug)).toEqual(expect.arrayContaining([D.org.slug, E.org.slug, A.org.slug, C.org.slug]));
  });

  it('by language of the published version', async () => {
    expect(slugs((await listArchive(db(), { language: 'ru', lang: 'en' })).items)).toEqual([S2.slug]);
    expect(slugs((await listArchive(db(), { language: 'hy', lang: 'en' })).items)).toEqual([S1.slug]);
    expect((await listArchive(db(), { language: 'en', lang: 'en' })).total).toBeGreaterThanOrEqual(22);
    expect((await listArchive(db(), { language: 'fr', lang: 'en' })).total).toBe(0);
  });

  it('by year of the display date, combined with other filters', async () => {
    expect(slugs((await listArchive(db(), { year: 2023, lang: 'en' })).items)).toEqual([S1.slug]);
    expect(slugs((await listArchive(db(), { year: '2024', lang: 'en' })).items)).toEqual([S2.slug]);
    expect((await listArchive(db(), { year: '2022', lang: 'en' })).total).toBe(21);
    expect((await listArchive(db(), { year: '2023', language: 'ru', lang: 'en' })).total).toBe(0);
    expect((await listArchive(db(), { year: 'abcd', lang: 'en' })).total).toBe(0);
    expect((await listArchive(db(), { year: '2024', org: A.org.slug, q: RU_WORD, lang: 'en' })).total).toBe(1);
  });

  it('offers the languages and years of published statements', async () => {
    const f = await archiveFacets(db(), 'en');
    expect(f.languages).toEqual(expect.arrayContaining(['en', 'hy', 'ru']));
    expect(f.years).toEqual(expect.arrayContaining(['2024', '2023', '2022']));
    expect(f.years.indexOf('2024')).toBeLessThan(f.years.indexOf('2022'));
  });
});

describe('pagination', () => {
  it('20 per page, newest first, with the total and page count; past the end is empty', async () => {
    const p1 = await listArchive(db(), { q: 'pagetest', lang: 'en', page: 1 });
    expect(p1.items).toHaveLength(20);
    expect(p1.total).toBe(21);
    expect(p1.pageCount).toBe(2);
    // Same display date: the most recently published first.
    expect(p1.items[0]!.slug).toBe('pagetest-20');
    expect(p1.items[19]!.slug).toBe('pagetest-1');
    const p2 = await listArchive(db(), { q: 'pagetest', lang: 'en', page: 2 });
    expect(slugs(p2.items)).toEqual(['pagetest-0']);
    expect(p2.page).toBe(2);
    const p3 = await listArchive(db(), { q: 'pagetest', lang: 'en', page: 3 });
    expect(p3.items).toEqual([]);
    expect(p3.total).toBe(21);
  });

  it('orders the whole archive by display date, newest first', async () => {
    const all = await listArchive(db(), { lang: 'en' });
    const dates = all.items.map((i) => i.displayDate);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(all.items[0]!.slug).toBe(S2.slug);
  });
});

describe('privacy and reads', () => {
  it('returns no e-mail address or user id, and changes nothing in the database', async () => {
    const before = await digestDomain();
    const outputs = [
      await listArchive(db(), { lang: 'en' }),
      await listArchive(db(), { lang: 'hy', page: 2 }),
      await listArchive(db(), { q: HY_WORD, lang: 'ru' }),
      await orgStatements(db(), A.org.id, 'en'),
      await orgStatements(db(), C.org.id, 'hy'),
      await archiveFacets(db(), 'hy'),
    ];
    expect(await digestDomain()).toBe(before);
    const text = JSON.stringify(outputs);
    const userIds = ((await db().execute(sql`SELECT id FROM users`)) as unknown as { id: string }[]).map((u) => u.id);
    expect(userIds.length).toBeGreaterThan(0);
    for (const e of emails) expect(text).not.toContain(e);
    for (const id of userIds) expect(text).not.toContain(id);
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  });

  it('formats a display date in the interface language', () => {
    expect(formatCalendarDate('2024-02-01', 'en')).toBe('February 1, 2024');
    expect(formatCalendarDate('2024-02-01', 'ru')).toMatch(/1 февраля 2024/);
    expect(formatCalendarDate('2024-02-01', 'hy')).toMatch(/2024/);
    expect(formatCalendarDate('not-a-date', 'en')).toBe('not-a-date');
  });
});
