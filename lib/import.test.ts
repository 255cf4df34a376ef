// Import of past statements (R8): each fixture and our own file (individuals, roles, groups, late joiners) imports
// and its public record lists exactly the file's signatories — names as printed, count, kinds, roles, groups,
// joined-later flags — in file order, or in Armenian alphabetical order ignoring «»; --initiator lists that
// organization first; importing twice (also concurrently, also from two processes) changes nothing; bad files are
// refused with a clear message and nothing written; organizations match by normalized name AND location.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { auditEvents, organizations, publications, signatureBindings, signatures, statementInitiators, statements, statementTexts } from '@/db/schema';
import { verifyChain } from './audit';
import { AppError } from './errors';
import { importKeyOf, importStatement, parseImportFile, publicUrl, type ImportResult } from './import';
import { createOrganization, verifyOrganizationByOperator } from './orgs';
import { getPublicStatement, orderedSignatories, plainText } from './publishing';
import { verifyEnvelope, type RecordSignatory } from './record';
import { runTs } from './testing/child';
import { createUser, ctxFor, digestDomain } from './testing/db';

type RawSignatory = { name: string; kind: string; location?: string | null; role?: string | null; group?: string | null; joined_after_publication?: boolean | null };
type RawFile = Record<string, unknown> & { title?: string | null; date?: string | null; language?: string | null; source_url?: string | null; signatories: RawSignatory[] };

const db = () => getDb();
const FIXTURES = path.join(process.cwd(), 'db', 'fixtures', 'statements');
const OWN = path.join(process.cwd(), 'db', 'fixtures', 'test', 'individuals-and-groups.json');
const load = (file: string): RawFile => JSON.parse(fs.readFileSync(file, 'utf8')) as RawFile;
const fixtureFiles = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
const QUOTES = /["'«»„“”‟‘’‚‛‹›`´]/g;

/** A copy of a file with another identity (no source URL, a different title), so a test can import it afresh. */
const variant = (f: RawFile, tag: string): RawFile => ({ ...f, source_url: null, title: `${f.title ?? 'Statement'} (${tag})` });

/** What the record says about each signatory, in the shape of the file. */
const asFile = (list: RecordSignatory[]) =>
  list.map((s) => ({ name: s.names.default, kind: s.kind, role: s.title, group: s.group, later: s.joined_after_publication, location: s.city, method: s.method }));
const fromFile = (f: RawFile) =>
  f.signatories.map((s) => ({ name: s.name, kind: s.kind, role: s.role ?? null, group: s.group ?? null, later: s.joined_after_publication === true, location: s.location ?? null, method: 'imported' }));

async function published(r: ImportResult) {
  const pub = await getPublicStatement(db(), r.slug);
  expect(pub, r.slug).not.toBeNull();
  return pub!;
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const importedEvents = (statementId: string) =>
  db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, statementId), eq(auditEvents.type, 'statement.imported')));

describe('importing the fixtures and our own file', () => {
  for (const name of [...fixtureFiles, 'test/individuals-and-groups.json']) {
    it(`${name}: its record lists exactly the file's signatories, as printed, in file order`, async () => {
      const file = name.startsWith('test/') ? OWN : path.join(FIXTURES, name);
      const f = load(file);
      const now = new Date('2025-01-10T08:00:00Z');
      const r = await importStatement(db(), f, { order: 'joined', now });
      expect(r.created).toBe(true);
      const lang = f.language ?? 'hy';
      expect(r.lang).toBe(lang);
      const pub = await published(r);
      // Names exactly as printed (commas, «guillemets»), count, kinds, roles, groups, late joiners, in file order.
      expect(pub.record.signatories).toHaveLength(f.signatories.length);
      expect(asFile(pub.record.signatories)).toEqual(fromFile(f));
      expect(asFile(orderedSignatories(pub, 'hy'))).toEqual(fromFile(f));
      expect(asFile(orderedSignatories(pub, lang))).toEqual(fromFile(f));
      for (const s of pub.record.signatories) {
        expect(s.signed_at).toBeNull();
        expect(s.status).toBe('signed');
        expect(s.initiator).toBe(false);
      }
      expect(pub.record).toMatchObject({
        state: 'published',
        record_seq: 1,
        display_date: f.date,
        published_at: now.toISOString(),
        primary_lang: lang,
        source_url: f.source_url ?? null,
        list_order: 'joined',
        version: { number: 1, langs: [lang] },
      });
      expect(pub.record.texts[lang]!.title).toBe(f.title);
      // Paragraphs from the body (scraped **bold** markers become bold text).
      const body = plainText(pub.record.texts[lang]!.body);
      const firstWords = String(f.body_text).replace(/\*\*/g, '').split(/\n+/)[0]!.trim().slice(0, 60);
      expect(body.startsWith(firstWords)).toBe(true);
      expect(verifyEnvelope(pub.envelope)).toMatchObject({ ok: true, hashOk: true, signatureOk: true });
      // The publication, statement and signatures as the import path writes them.
      const [p] = await db().select().from(publications).where(eq(publications.statementId, r.statementId));
      expect(p).toMatchObject({ slug: r.slug, importKey: f.source_url ?? importKeyOf(parseImportFile(f)), sourceUrl: f.source_url ?? null, publishedBy: null, displayDate: f.date });
      expect(p!.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      const [st] = await db().select().from(statements).where(eq(statements.id, r.statementId));
      expect(st).toMatchObject({ state: 'published', primaryLang: lang, timeZone: 'Asia/Yerevan', createdBy: null, currentVersion: 1 });
      const sigs = await db().select().from(signatures).where(eq(signatures.statementId, r.statementId));
      expect(sigs.every((s) => s.method === 'imported')).toBe(true);
      expect(sigs.filter((s) => s.orgId).length).toBe(f.signatories.filter((s) => s.kind === 'organization').length);
      expect(sigs.filter((s) => s.individualKey).length).toBe(f.signatories.filter((s) => s.kind === 'individual').length);
      const binds = await db().select().from(signatureBindings).where(eq(signatureBindings.statementId, r.statementId));
      expect(binds.every((b) => b.signedBy === null && b.signerRole === null && b.policy === null && b.versionNumber === 1)).toBe(true);
      // The audit event, on a chain that verifies.
      const ev = await importedEvents(r.statementId);
      expect(ev).toHaveLength(1);
      expect(ev[0]).toMatchObject({ actorUserId: null, data: { slug: r.slug, sourceUrl: f.source_url ?? null, importKey: p!.importKey, signatories: f.signatories.length, order: 'joined' } });
      expect(await verifyChain(db(), { type: 'statement', id: r.statementId })).toEqual([]);
    });
  }

  it('our own file has what the fixtures lack: individuals with roles, groups, two late joiners, «» in locations', () => {
    const f = load(OWN);
    const ind = f.signatories.filter((s) => s.kind === 'individual');
    expect(ind.length).toBeGreaterThanOrEqual(4);
    expect(ind.filter((s) => s.role).length).toBeGreaterThanOrEqual(3);
    expect(new Set(f.signatories.map((s) => s.group)).size).toBe(2);
    expect(f.signatories.filter((s) => s.joined_after_publication === true)).toHaveLength(2);
    expect(f.signatories.some((s) => /«/.test(s.location ?? ''))).toBe(true);
    expect(f.signatories.some((s) => s.kind === 'organization' && s.name.includes(','))).toBe(true);
  });

  it('late joiners are marked joined later without a date; individuals are keyed by normalized name + role', async () => {
    const f = variant(load(OWN), 'late joiners');
    const r = await importStatement(db(), f);
    const pub = await published(r);
    const later = pub.record.signatories.filter((s) => s.joined_after_publication);
    expect(later.map((s) => s.names.default)).toEqual(['«Էկոլոգիական ճակատ» ՀԿ', 'Արմեն Դավթյան']);
    expect(later.every((s) => s.signed_at === null)).toBe(true);
    const keys = (await db().select({ k: signatures.individualKey }).from(signatures).where(eq(signatures.statementId, r.statementId))).map((s) => s.k).filter(Boolean);
    expect(keys).toContain('անի պետրոսյան|իրավապաշտպան');
    expect(keys).toContain('լուսինե մարտիրոսյան|փաստաբան, իրավունք գրասենյակ');
    expect(keys).toContain('զարուհի աբրահամյան|');
  });
});

describe('list order and initiator', () => {
  it("order 'alphabetical' lists by the Armenian alphabet ignoring «» (computed here with Intl.Collator)", async () => {
    const f = variant(load(OWN), 'alphabetical');
    const r = await importStatement(db(), f, { order: 'alphabetical' });
    const pub = await published(r);
    expect(pub.listOrder).toBe('alphabetical');
    const collator = new Intl.Collator('hy', { ignorePunctuation: true });
    const expected = f.signatories.map((s) => s.name).sort((a, b) => collator.compare(a.replace(QUOTES, ''), b.replace(QUOTES, '')));
    // The test means something: the file is not in this order, and «Ազատ խոսք» ակումբ comes first only when «» is ignored.
    expect(expected).not.toEqual(f.signatories.map((s) => s.name));
    expect(expected[0]).toBe('«Ազատ խոսք» ակումբ');
    const got = orderedSignatories(pub, 'hy');
    expect(got.map((s) => s.names.default)).toEqual(expected);
    // Kinds and roles travel with the names.
    const byName = new Map(f.signatories.map((s) => [s.name, s]));
    for (const s of got) {
      const inFile = byName.get(s.names.default!)!;
      expect({ kind: s.kind, role: s.title }).toEqual({ kind: inFile.kind, role: inFile.role ?? null });
    }
    // The record itself keeps the joined order; only the stored positions differ.
    expect(pub.record.signatories.map((s) => s.names.default)).toEqual(f.signatories.map((s) => s.name));
  });

  it('--initiator lists that organization first (primary initiator); the rest keep the file order', async () => {
    const f = variant(load(OWN), 'initiator');
    const initiator = 'Իրական Աշխարհ, Իրական Մարդիկ ՀԿ';
    const r = await importStatement(db(), f, { initiator });
    const pub = await published(r);
    const list = orderedSignatories(pub, 'hy');
    expect(list[0]).toMatchObject({ names: { default: initiator }, initiator: true, kind: 'organization' });
    expect(list.slice(1).map((s) => s.names.default)).toEqual(f.signatories.map((s) => s.name).filter((n) => n !== initiator));
    expect(list.slice(1).every((s) => !s.initiator)).toBe(true);
    const rows = await db().select().from(statementInitiators).where(eq(statementInitiators.statementId, r.statementId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.role).toBe('primary');
    const [sig] = await db().select().from(signatures).where(and(eq(signatures.statementId, r.statementId), eq(signatures.orgId, rows[0]!.orgId)));
    expect(sig).toBeDefined();
  });

  it('an initiator that is not an organization signatory of the file is refused, and nothing changes', async () => {
    const f = variant(load(OWN), 'bad initiator');
    const before = await digestDomain();
    const unknown = await failure(importStatement(db(), f, { initiator: 'Nobody at all' }));
    expect(unknown.code).toBe('INVALID_INPUT');
    expect(unknown.message).toContain('initiator');
    expect(unknown.message).toContain('Nobody at all');
    // Not quite as in the file (quote marks dropped) is not the name as printed.
    expect((await failure(importStatement(db(), f, { initiator: 'Ազատ խոսք ակումբ' }))).code).toBe('INVALID_INPUT');
    // An individual cannot initiate.
    const individual = await failure(importStatement(db(), f, { initiator: 'Անի Պետրոսյան' }));
    expect(individual.message).toContain('individual');
    expect(await digestDomain()).toBe(before);
    // Allowed twin: the exact name as printed.
    expect((await importStatement(db(), f, { initiator: '«Ազատ խոսք» ակումբ' })).created).toBe(true);
  });
});

describe('identity: importing twice changes nothing', () => {
  it('a second import of the same file (by source URL, or by content without one) returns created:false and changes nothing', async () => {
    const withUrl = { ...load(OWN), title: 'Twice with a URL', source_url: 'https://example.org/statements/twice' };
    const first = await importStatement(db(), withUrl);
    expect(first.created).toBe(true);
    let before = await digestDomain();
    // Same source URL: the same statement, even with other options.
    expect(await importStatement(db(), withUrl, { order: 'alphabetical', initiator: '«Ազատ խոսք» ակումբ' })).toEqual({ ...first, created: false });
    expect(await digestDomain()).toBe(before);

    const noUrl = variant(load(OWN), 'twice by content');
    const a = await importStatement(db(), noUrl);
    expect(a.created).toBe(true);
    expect((await db().select().from(publications).where(eq(publications.statementId, a.statementId)))[0]!.importKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    before = await digestDomain();
    // Same content with other extra keys, nulls spelled out or left out, and keys in another order: the same file.
    const reordered = { notes: ['another note'], ...Object.fromEntries(Object.entries(noUrl).reverse()), completeness: null, title_en: null };
    expect(await importStatement(db(), reordered)).toEqual({ ...a, created: false });
    expect(await digestDomain()).toBe(before);
    // A changed signatory is another file.
    const changed = { ...noUrl, signatories: [...noUrl.signatories, { name: 'Նոր Անդամ', kind: 'individual', role: 'ուսանող' }] };
    expect((await importStatement(db(), changed)).created).toBe(true);
  });

  it('two concurrent imports of one file create it once', async () => {
    const f = variant(load(OWN), 'concurrent');
    const results = await Promise.all([importStatement(db(), f), importStatement(db(), f), importStatement(db(), f)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.statementId)).size).toBe(1);
    const key = importKeyOf(parseImportFile(f));
    expect(await db().select().from(publications).where(eq(publications.importKey, key))).toHaveLength(1);
  });
});

describe('bad files', () => {
  const good = () => variant(load(OWN), 'bad files');

  it('a missing name, a bad kind, a bad date or no signatories is refused with the path named, and nothing changes', async () => {
    const before = await digestDomain();
    const noName = good();
    noName.signatories = noName.signatories.map((s, i) => (i === 1 ? { kind: s.kind } : s)) as RawSignatory[];
    const e1 = await failure(importStatement(db(), noName));
    expect(e1.code).toBe('INVALID_INPUT');
    expect(e1.message).toMatch(/^signatories\[1\]\.name: /);
    expect(e1.fieldErrors).toHaveProperty(['signatories.1.name']);

    const badKind = good();
    badKind.signatories = badKind.signatories.map((s, i) => (i === 3 ? { ...s, kind: 'person' } : s));
    const e2 = await failure(importStatement(db(), badKind));
    expect(e2.code).toBe('INVALID_INPUT');
    expect(e2.message).toContain("signatories[3].kind: must be 'organization' or 'individual'");

    const emptyName = good();
    emptyName.signatories = emptyName.signatories.map((s, i) => (i === 0 ? { ...s, name: '   ' } : s));
    expect((await failure(importStatement(db(), emptyName))).message).toContain('signatories[0].name: must not be empty');

    expect((await failure(importStatement(db(), { ...good(), date: '15.03.2024' }))).message).toContain('date: must be a date YYYY-MM-DD');
    expect((await failure(importStatement(db(), { ...good(), date: '2024-02-30' }))).message).toContain('date:');
    expect((await failure(importStatement(db(), { ...good(), signatories: [] }))).message).toContain('signatories: must list at least one signatory');
    expect((await failure(importStatement(db(), { ...good(), signatories: undefined }))).message).toContain('signatories:');
    expect((await failure(importStatement(db(), { ...good(), source_url: 'javascript:alert(1)' }))).message).toContain('source_url: must be an http(s) URL');
    expect((await failure(importStatement(db(), { ...good(), title: null, title_en: null }))).message).toContain('title');
    expect((await failure(importStatement(db(), { ...good(), language: 'Armenian' }))).message).toContain('language:');
    expect((await failure(importStatement(db(), [good()]))).message).toContain('JSON object');
    expect((await failure(importStatement(db(), null))).code).toBe('INVALID_INPUT');
    const flag = good();
    flag.signatories = flag.signatories.map((s, i) => (i === 2 ? { ...s, joined_after_publication: 'yes' as unknown as boolean } : s));
    expect((await failure(importStatement(db(), flag))).message).toContain('signatories[2].joined_after_publication');
    // The same organization (same name and location) or individual (same name and role) twice.
    const dupOrg = good();
    dupOrg.signatories = [...dupOrg.signatories, { ...dupOrg.signatories[0]!, name: '"Քաղաքացիական նախաձեռնություն" ՀԿ' }];
    expect((await failure(importStatement(db(), dupOrg))).message).toContain('listed twice');
    const dupInd = good();
    dupInd.signatories = [...dupInd.signatories, { name: 'Անի  Պետրոսյան', kind: 'individual', role: 'Իրավապաշտպան' }];
    expect((await failure(importStatement(db(), dupInd))).message).toContain('listed twice');
    expect((await failure(importStatement(db(), good(), { order: 'random' as 'joined' }))).message).toContain('order');
    expect(await digestDomain()).toBe(before);
    // Allowed twin: the same file, intact.
    expect((await importStatement(db(), good())).created).toBe(true);
  });

  it('extra keys and nulls are accepted: no language means Armenian, no date means today in Yerevan, no title means title_en', async () => {
    const f = {
      title: null,
      title_en: 'Only an English title «here»',
      date: null,
      language: null,
      source_url: null,
      body_text: null,
      signatories: [
        { name: 'Null Fields NGO', kind: 'organization', location: null, role: null, group: null, joined_after_publication: null, extra: { nested: true } },
        { name: 'Person With Nothing', kind: 'individual' },
      ],
      notes: null,
      completeness: ['anything', 1, { deep: [null] }],
      unknown_key: 42,
    };
    const parsed = parseImportFile(f);
    expect(parsed).toMatchObject({ title: null, title_en: 'Only an English title «here»', language: 'hy', date: null, body_text: null });
    expect(parsed.signatories[0]).toEqual({ name: 'Null Fields NGO', kind: 'organization', location: null, role: null, group: null, joined_after_publication: false });
    // 21:30 UTC on 31 May is already 1 June in Yerevan (UTC+4).
    const r = await importStatement(db(), f, { now: new Date('2024-05-31T21:30:00Z') });
    expect(r).toMatchObject({ created: true, lang: 'hy', slug: 'only-an-english-title-here' });
    const pub = await published(r);
    expect(pub.record.display_date).toBe('2024-06-01');
    expect(pub.record.primary_lang).toBe('hy');
    expect(pub.record.texts.hy!.title).toBe('Only an English title «here»');
    expect(asFile(pub.record.signatories)).toEqual([
      { name: 'Null Fields NGO', kind: 'organization', role: null, group: null, later: false, location: null, method: 'imported' },
      { name: 'Person With Nothing', kind: 'individual', role: null, group: null, later: false, location: null, method: 'imported' },
    ]);
    // A language outside the interface languages: the public URL uses English.
    const fr = await importStatement(db(), { title: 'Déclaration commune', language: 'fr', signatories: [{ name: 'Association X', kind: 'organization' }] });
    expect(fr.lang).toBe('en');
    expect((await published(fr)).record.primary_lang).toBe('fr');
  });
});

describe('organizations: normalized name AND location', () => {
  const file = (title: string, signatories: RawSignatory[]): RawFile => ({ title, language: 'hy', date: '2023-05-01', signatories });
  const orgsNamed = (normalized: string) => db().select().from(organizations).where(eq(organizations.normalizedName, normalized));
  const orgOf = async (statementId: string, name: string) => {
    const pub = (await getPublicStatement(db(), (await db().select().from(publications).where(eq(publications.statementId, statementId)))[0]!.slug))!;
    const s = pub.record.signatories.find((x) => x.names.default === name)!;
    return { sig: s, orgId: (await db().select().from(signatures).where(eq(signatures.id, s.id)))[0]!.orgId! };
  };

  it('the same organization across two imports (quotes, case, spacing, location spelled differently) is one; another location is another', async () => {
    const a = await importStatement(db(), file('Org match A', [{ name: '«Փորձնական Միություն» ՀԿ', kind: 'organization', location: 'Գյումրի' }]));
    const created = await orgsNamed('փորձնական միություն հկ');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ name: '«Փորձնական Միություն» ՀԿ', city: 'Գյումրի', verifiedAt: null, createdBy: null });
    expect(await verifyChain(db(), { type: 'organization', id: created[0]!.id })).toEqual([]);
    const orgEvents = await db().select().from(auditEvents).where(and(eq(auditEvents.chainType, 'organization'), eq(auditEvents.chainId, created[0]!.id)));
    expect(orgEvents.map((e) => e.type)).toEqual(['org.created']);
    expect(orgEvents[0]!.data).toMatchObject({ via: 'import', statementId: a.statementId, name: '«Փորձնական Միություն» ՀԿ' });

    const b = await importStatement(
      db(),
      file('Org match B', [
        { name: 'Փորձնական  միություն ՀԿ', kind: 'organization', location: ' «ԳՅՈՒՄՐԻ» ' },
        { name: '"Փորձնական Միություն" ՀԿ', kind: 'organization', location: 'Վանաձոր' },
      ]),
    );
    const all = await orgsNamed('փորձնական միություն հկ');
    expect(all).toHaveLength(2);
    const inB = await orgOf(b.statementId, 'Փորձնական  միություն ՀԿ');
    expect(inB.orgId).toBe(created[0]!.id);
    // The binding keeps the name as printed in this file, and this file's location.
    expect(inB.sig).toMatchObject({ names: { default: 'Փորձնական  միություն ՀԿ' }, city: '«ԳՅՈՒՄՐԻ»' });
    const vanadzor = await orgOf(b.statementId, '"Փորձնական Միություն" ՀԿ');
    expect(vanadzor.orgId).not.toBe(created[0]!.id);
    expect(all.find((o) => o.id === vanadzor.orgId)).toMatchObject({ city: 'Վանաձոր', verifiedAt: null });
    expect((await orgOf(a.statementId, '«Փորձնական Միություն» ՀԿ')).orgId).toBe(created[0]!.id);
    expect(new Set(all.map((o) => o.slug)).size).toBe(2);
  });

  it("an existing (verified) organization is matched by its city or country, and the binding shows it verified", async () => {
    const owner = await createUser();
    const org = await createOrganization(ctxFor(owner), { name: 'Registered Rights Centre', city: 'Yerevan', country: 'Armenia', confirmDistinct: true });
    await verifyOrganizationByOperator({ db: db(), actor: null }, { slug: org.slug });
    const before = await db().select({ n: sql<number>`count(*)::int` }).from(organizations);
    const r = await importStatement(
      db(),
      file('Matches a registered org', [
        { name: 'REGISTERED RIGHTS CENTRE', kind: 'organization', location: 'Armenia' },
        { name: 'Another Org', kind: 'organization', location: 'Yerevan, Armenia' },
      ]),
    );
    const after = await db().select({ n: sql<number>`count(*)::int` }).from(organizations);
    expect(after[0]!.n).toBe(before[0]!.n + 1); // only "Another Org" is new
    const m = await orgOf(r.statementId, 'REGISTERED RIGHTS CENTRE');
    expect(m.orgId).toBe(org.id);
    expect(m.sig.verified).toBe(true);
    expect((await orgOf(r.statementId, 'Another Org')).sig.verified).toBe(false);
    // Same name, "Yerevan, Armenia" written out: still the same organization (city, country).
    const r2 = await importStatement(db(), file('Matches by city, country', [{ name: 'Registered Rights Centre', kind: 'organization', location: 'Yerevan, Armenia' }]));
    expect((await orgOf(r2.statementId, 'Registered Rights Centre')).orgId).toBe(org.id);
    // Another city: a new, unverified organization.
    const r3 = await importStatement(db(), file('Other city', [{ name: 'Registered Rights Centre', kind: 'organization', location: 'Gyumri' }]));
    const other = await orgOf(r3.statementId, 'Registered Rights Centre');
    expect(other.orgId).not.toBe(org.id);
    expect(other.sig.verified).toBe(false);
  });

  it('a signatory without a location matches the one organization of that name; several located ones are not guessed', async () => {
    const r1 = await importStatement(db(), file('Unlocated 1', [{ name: 'Lone Name Org', kind: 'organization', location: 'Kapan' }]));
    const lone = await orgOf(r1.statementId, 'Lone Name Org');
    const r2 = await importStatement(db(), file('Unlocated 2', [{ name: 'Lone Name Org', kind: 'organization' }]));
    expect((await orgOf(r2.statementId, 'Lone Name Org')).orgId).toBe(lone.orgId);
    await importStatement(db(), file('Unlocated 3', [{ name: 'Lone Name Org', kind: 'organization', location: 'Goris' }]));
    // Now two located organizations share the name: a file without a location gets an unlocated one of its own...
    const r4 = await importStatement(db(), file('Unlocated 4', [{ name: 'Lone Name Org', kind: 'organization' }]));
    const unlocated = await orgOf(r4.statementId, 'Lone Name Org');
    expect(unlocated.orgId).not.toBe(lone.orgId);
    expect((await db().select().from(organizations).where(eq(organizations.id, unlocated.orgId)))[0]).toMatchObject({ city: null, country: null });
    // ...which later files without a location reuse.
    const r5 = await importStatement(db(), file('Unlocated 5', [{ name: 'lone name org', kind: 'organization' }]));
    expect((await orgOf(r5.statementId, 'lone name org')).orgId).toBe(unlocated.orgId);
    expect(await orgsNamed('lone name org')).toHaveLength(3);
  });
});

describe('the CLI (tsx scripts/import.ts, as npm run import runs it)', () => {
  const script = path.join(process.cwd(), 'scripts', 'import.ts');
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'import-cli-'));

  it('prints the public URL, says whether it was created, and refuses bad input with exit code 1', async () => {
    const dir = tmp();
    const f = variant(load(OWN), 'CLI');
    fs.writeFileSync(path.join(dir, 'own.json'), JSON.stringify(f));
    // A relative path is the caller's directory (npm sets INIT_CWD).
    const first = await runTs(script, ['--', 'own.json', '--order', 'alphabetical', '--initiator', '«Ազատ խոսք» ակումբ'], { INIT_CWD: dir });
    expect(first.code, first.stderr).toBe(0);
    const [p] = await db().select().from(publications).where(eq(publications.importKey, importKeyOf(parseImportFile(f))));
    expect(p).toBeDefined();
    const url = publicUrl('http://localhost:3000', 'hy', p!.slug);
    expect(url).toBe(`http://localhost:3000/hy/s/${p!.slug}`);
    expect(first.stdout).toContain(`created and published: ${url}`);
    expect(p!.listOrder).toBe('alphabetical');
    const pub = (await getPublicStatement(db(), p!.slug))!;
    expect(pub.record.signatories[0]).toMatchObject({ names: { default: '«Ազատ խոսք» ակումբ' }, initiator: true });

    const before = await digestDomain();
    const again = await runTs(script, [path.join(dir, 'own.json')]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`already imported (nothing changed): ${url}`);

    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...f, title: 'bad', signatories: [{ name: 'X', kind: 'company' }] }));
    const bad = await runTs(script, [path.join(dir, 'bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("signatories[0].kind: must be 'organization' or 'individual'");
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"title": "x", ');
    const broken = await runTs(script, [path.join(dir, 'broken.json')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('is not valid JSON');
    const unknownInitiator = await runTs(script, [path.join(dir, 'own.json'), '--initiator', 'Nobody']);
    expect(unknownInitiator.code).toBe(1);
    expect(unknownInitiator.stderr).toContain('"Nobody" is not an organization signatory of the file');
    const badOrder = await runTs(script, [path.join(dir, 'own.json'), '--order=sideways']);
    expect(badOrder.code).toBe(1);
    expect(badOrder.stderr).toContain('--order must be');
    const missing = await runTs(script, [path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const none = await runTs(script, []);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('usage: npm run import');
    expect(await digestDomain()).toBe(before);

    // An English file prints an /en/ URL.
    fs.writeFileSync(path.join(dir, 'en.json'), JSON.stringify({ title: 'An English statement for the CLI', language: 'en', signatories: [{ name: 'CLI Org', kind: 'organization' }] }));
    const en = await runTs(script, [path.join(dir, 'en.json')]);
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toContain('created and published: http://localhost:3000/en/s/an-english-statement-for-the-cli');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two processes importing one file at once: one creates it, the other finds it', async () => {
    const dir = tmp();
    const f = variant(load(OWN), 'two processes');
    const file = path.join(dir, 'same.json');
    fs.writeFileSync(file, JSON.stringify(f));
    const [x, y] = await Promise.all([runTs(script, [file]), runTs(script, [file])]);
    expect(x.code, x.stderr).toBe(0);
    expect(y.code, y.stderr).toBe(0);
    const out = [x.stdout, y.stdout];
    expect(out.filter((o) => o.includes('created and published:'))).toHaveLength(1);
    expect(out.filter((o) => o.includes('already imported (nothing changed):'))).toHaveLength(1);
    const rows = await db().select().from(publications).where(eq(publications.importKey, importKeyOf(parseImportFile(f))));
    expect(rows).toHaveLength(1);
    expect(await db().select().from(statementTexts).where(eq(statementTexts.title, f.title as string))).toHaveLength(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
