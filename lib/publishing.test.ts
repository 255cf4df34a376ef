// Publishing (PRODUCT.md Publication, Public record, Lifecycle; R1, R6, S6, S7; SECURITY.md C4, I7, I13): when an
// initiator admin may publish (state `open`, every initiating organization bound to the current version), what the
// slug, the display date and the joining window must be, what a publication writes (state, publication row, one
// audit event, record 1 signed and verifiable, the signatories from bindings in order, mail to listed and unlisted
// organizations), alphabetical positions per language ignoring quote marks, signing and withdrawing after
// publication, close, withdraw, corrections, the joining window, unchanged refreshes, append-only records and
// corrections at the database, and no e-mail address or user id in any record. Every refusal checks that the
// database did not change and has its allowed twin.
import crypto from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, getSql } from '@/db';
import { auditEvents, outbox, publicRecords, publications, statementCorrections, statements, statementVersions, users } from '@/db/schema';
import { verifyChain } from './audit';
import { canonicalJson, sha256Hex } from './canonical';
import type { Actor } from './context';
import { AppError, type ErrorCode } from './errors';
import { checkInvariants, totalFindings } from './invariants';
import {
  addCorrection,
  closeStatement,
  freeSlug,
  getPublicStatement,
  getPublishDialog,
  getRecordRevision,
  listRecordRevisions,
  orderedSignatories,
  publishStatement,
  setJoining,
  withdrawStatement,
  type PublishInput,
} from './publishing';
import { envelopeOf, refreshRecord, verifyEnvelope, type RecordDocument } from './record';
import { publicKeys } from './record-keys';
import { freezeVersion, reopenStatement, signForOrganization, withdrawSignature } from './signing';
import { listMyStatements } from './statements';
import { ctxFor, digestDomain } from './testing/db';
import { participate } from './testing/invitations';
import { seedOrg, uniqueOrgName, type SeededOrg } from './testing/orgs';
import { seedReviewStatement } from './testing/review';

const db = () => getDb();
const rnd = () => crypto.randomBytes(4).toString('hex');
const MIN = 60_000;
const DAY = 86_400_000;

/** The AppError a promise rejects with (fails the test when it resolves or throws something else). */
async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, 'expected a refusal').toBeInstanceOf(AppError);
  return e as AppError;
}

/** Refused with `code` (and `message`), and the database is exactly as it was. */
async function refused(p: () => Promise<unknown>, code: ErrorCode, message?: string): Promise<AppError> {
  const before = await digestDomain();
  const e = await errorOf(p());
  expect(e.code).toBe(code);
  if (message) expect(e.message).toBe(message);
  expect(await digestDomain(), 'the database did not change').toBe(before);
  return e;
}

/** The audit event types `fn` added to the statement's chain, in order. */
async function eventsAdded(statementId: string, fn: () => Promise<unknown>): Promise<string[]> {
  const seqOf = async () => {
    const [r] = await db()
      .select({ n: sql<number>`coalesce(max(${auditEvents.seq}), 0)::int` })
      .from(auditEvents)
      .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, statementId)));
    return r!.n;
  };
  const from = await seqOf();
  await fn();
  const rows = await db()
    .select({ type: auditEvents.type })
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, statementId), sql`${auditEvents.seq} > ${from}`))
    .orderBy(asc(auditEvents.seq));
  return rows.map((r) => r.type);
}

type World = { init: SeededOrg; co: SeededOrg | null; parts: SeededOrg[]; id: string };

/** A statement of `init` (hy primary + en), with `parts` participants and optionally a co-initiator, all through the real paths. */
async function world(opts: { parts?: number; co?: boolean; freeze?: boolean; init?: SeededOrg; partOrgs?: SeededOrg[] } = {}): Promise<World> {
  const init = opts.init ?? (await seedOrg());
  const id = await seedReviewStatement(init);
  const parts: SeededOrg[] = opts.partOrgs ?? [];
  for (let i = 0; i < (opts.parts ?? 0); i++) parts.push(await seedOrg());
  for (const p of parts) await participate(id, p, { by: init.admin });
  let co: SeededOrg | null = null;
  if (opts.co) {
    co = await seedOrg();
    await participate(id, co, { by: init.admin, kind: 'co_initiator' });
  }
  if (opts.freeze !== false) await freezeVersion(ctxFor(init.admin), { statementId: id });
  return { init, co, parts, id };
}

const sign = (who: Actor, statementId: string, org: SeededOrg, version = 1, now?: Date) =>
  signForOrganization(ctxFor(who, now ? { now } : {}), { statementId, orgId: org.org.id, version });

const input = (statementId: string, extra: Partial<PublishInput> = {}): PublishInput => ({
  statementId,
  slug: `letter-${rnd()}`,
  displayDate: '2021-03-01',
  listOrder: 'joined',
  joinUntil: null,
  ...extra,
});
const publish = (who: Actor, statementId: string, extra: Partial<PublishInput> = {}, now?: Date) =>
  publishStatement(ctxFor(who, now ? { now } : {}), input(statementId, extra));

async function stateOf(id: string) {
  const [s] = await db().select({ state: statements.state }).from(statements).where(eq(statements.id, id));
  return s!.state;
}
async function recordsOf(id: string) {
  return db().select().from(publicRecords).where(eq(publicRecords.statementId, id)).orderBy(asc(publicRecords.seq));
}
async function pubOf(id: string) {
  const [p] = await db().select().from(publications).where(eq(publications.statementId, id));
  return p;
}
/** The latest record revision of a statement, parsed. */
async function liveRecord(id: string): Promise<RecordDocument> {
  const rows = await recordsOf(id);
  return JSON.parse(rows.at(-1)!.canonical) as RecordDocument;
}
const entryOf = (r: RecordDocument, org: SeededOrg) => r.signatories.find((s) => s.names.default === org.org.name);

// ---------------------------------------------------------------------------------------------------------------

describe('publishing: when it is allowed', () => {
  it('only from `open`: draft and reopened are INVALID_STATE (nothing changed); open publishes; a second publish is refused', async () => {
    const { init, id } = await world({ freeze: false });
    await refused(() => publish(init.owner, id), 'INVALID_STATE', 'errors.cannotPublish');
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    await sign(init.owner, id, init);
    await reopenStatement(ctxFor(init.owner), { statementId: id });
    await refused(() => publish(init.owner, id), 'INVALID_STATE', 'errors.cannotPublish');
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    await sign(init.owner, id, init, 2);
    const r = await publish(init.admin, id);
    expect(r).toMatchObject({ recordSeq: 1, listed: 1, notListed: 0 });
    expect(await stateOf(id)).toBe('published');
    await refused(() => publish(init.owner, id), 'INVALID_STATE', 'errors.cannotPublish');
  });

  it('refused while the initiator has not signed; allowed once it has', async () => {
    const { init, id } = await world();
    await refused(() => publish(init.owner, id), 'INVALID_STATE', 'errors.initiatorsNotBound');
    expect((await getPublishDialog(ctxFor(init.owner), id)).initiatorsMissing).toEqual([init.org.name]);
    await sign(init.admin, id, init);
    expect((await getPublishDialog(ctxFor(init.owner), id)).initiatorsMissing).toEqual([]);
    await publish(init.owner, id);
    expect(await stateOf(id)).toBe('published');
  });

  it('refused while the initiator signed an older version only; allowed once it re-confirms the current one', async () => {
    const { init, id } = await world();
    await sign(init.owner, id, init);
    await reopenStatement(ctxFor(init.owner), { statementId: id });
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    await refused(() => publish(init.owner, id), 'INVALID_STATE', 'errors.initiatorsNotBound');
    expect(await sign(init.owner, id, init, 2)).toMatchObject({ kind: 'reconfirmed' });
    await publish(init.owner, id);
    expect((await pubOf(id))!.versionNumber).toBe(2);
  });

  it('refused while the initiator has withdrawn; allowed once it reinstates', async () => {
    const { init, id } = await world();
    await sign(init.owner, id, init);
    await withdrawSignature(ctxFor(init.owner), { statementId: id, orgId: init.org.id, reason: 'Not yet' });
    await refused(() => publish(init.owner, id), 'INVALID_STATE', 'errors.initiatorsNotBound');
    expect(await sign(init.owner, id, init)).toMatchObject({ kind: 'reinstated' });
    await publish(init.owner, id);
    expect(await stateOf(id)).toBe('published');
  });

  it('every initiating organization: refused while the co-initiator has not signed; allowed once it has', async () => {
    const { init, co, id } = await world({ co: true });
    await sign(init.owner, id, init);
    await refused(() => publish(init.owner, id), 'INVALID_STATE', 'errors.initiatorsNotBound');
    expect((await getPublishDialog(ctxFor(init.owner), id)).initiatorsMissing).toEqual([co!.org.name]);
    await sign(co!.admin, id, co!);
    await publish(init.owner, id);
    expect(await stateOf(id)).toBe('published');
  });
});

describe('publishing: the slug, the display date and the joining window', () => {
  it('an invalid slug, a taken slug (CONFLICT), an impossible date, a malformed date and a joining window in the past are refused; nothing changes; valid input publishes', async () => {
    const taken = await world();
    await sign(taken.init.owner, taken.id, taken.init);
    const takenSlug = `taken-${rnd()}`;
    await publish(taken.init.owner, taken.id, { slug: takenSlug });

    const { init, id } = await world();
    await sign(init.owner, id, init);
    for (const slug of ['ab', 'Not a slug', 'a--b', '-lead', 'trail-', 'ünïcode-slug', 'slash/slug', 'x'.repeat(81)]) {
      const e = await refused(() => publish(init.owner, id, { slug }), 'INVALID_INPUT', 'errors.invalidSlug');
      expect(e.fieldErrors).toEqual({ slug: ['errors.invalidSlug'] });
    }
    // `confirm` is a route of its own (/join/confirm): reserved, as if taken.
    for (const slug of [takenSlug, takenSlug.toUpperCase(), ` ${takenSlug} `, 'confirm', 'Confirm']) {
      const e = await refused(() => publish(init.owner, id, { slug }), 'CONFLICT', 'errors.slugTaken');
      expect(e.fieldErrors).toEqual({ slug: ['errors.slugTaken'] });
    }
    for (const displayDate of ['2021-02-30', '2021-13-01', '2023-02-29', '2021-3-1', '01.03.2021', '']) {
      const e = await refused(() => publish(init.owner, id, { displayDate }), 'INVALID_INPUT', 'errors.invalidDate');
      expect(e.fieldErrors).toEqual({ displayDate: ['errors.invalidDate'] });
    }
    const now = new Date();
    for (const joinUntil of [new Date(now.getTime() - MIN), now, new Date('invalid')]) {
      const e = await refused(() => publish(init.owner, id, { joinUntil }, now), 'INVALID_INPUT', 'errors.joinUntilPast');
      expect(e.fieldErrors).toEqual({ joinUntil: ['errors.joinUntilPast'] });
    }
    await refused(() => publish(init.owner, id, { listOrder: 'random' as never }), 'INVALID_INPUT');
    expect(await stateOf(id)).toBe('open');

    // The allowed twin: a leap day that exists, a slug given in capitals (stored lowercase), joining open for a day.
    const slug = `Open-Letter-${rnd()}`;
    const r = await publish(init.owner, id, { slug, displayDate: '2024-02-29', joinUntil: new Date(now.getTime() + DAY) }, now);
    expect(r.slug).toBe(slug.toLowerCase());
    expect(await pubOf(id)).toMatchObject({ slug: slug.toLowerCase(), displayDate: '2024-02-29', joinUntil: new Date(now.getTime() + DAY) });
  });

  it("the initiators' dashboard links a published statement to its public page; an unpublished one has no link", async () => {
    const { init, id } = await world();
    const draft = await world({ init });
    await sign(init.owner, id, init);
    const r = await publish(init.owner, id);
    const mine = await listMyStatements(ctxFor(init.owner));
    expect(mine.find((s) => s.id === id)).toMatchObject({ state: 'published', publicSlug: r.slug });
    expect(mine.find((s) => s.id === draft.id)).toMatchObject({ state: 'open', publicSlug: null });
  });

  it('suggested and imported slugs skip taken and reserved ones', async () => {
    expect(await freeSlug(db(), 'Confirm')).toBe('confirm-2');
    expect(await freeSlug(db(), 'Confirmation')).toBe('confirmation');
    const { init, id } = await world();
    await sign(init.owner, id, init);
    const base = `Free Slug ${rnd()}`;
    const first = await freeSlug(db(), base);
    await publish(init.owner, id, { slug: first });
    expect(await freeSlug(db(), base)).toBe(`${first}-2`);
  });
});

describe('a successful publication', () => {
  it('state, publication row, one audit event, record 1 signed and verifiable, the signatories in order, mail to listed and unlisted organizations', async () => {
    const w = await world({ parts: 4, co: true });
    const { init, id } = w;
    const co = w.co!;
    const [p1, p2, p3, p4] = w.parts as [SeededOrg, SeededOrg, SeededOrg, SeededOrg];
    // p3 signs version 1 only (awaiting re-confirmation); the others sign version 2: p1 first, before the
    // initiators, then the co-initiator, the initiator, p2; p4 signs and withdraws before publication.
    await sign(p3.owner, id, p3);
    await reopenStatement(ctxFor(init.owner), { statementId: id });
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    await sign(p1.admin, id, p1, 2);
    await sign(co.admin, id, co, 2);
    await sign(init.admin, id, init, 2);
    await sign(p2.owner, id, p2, 2);
    await sign(p4.owner, id, p4, 2);
    await withdrawSignature(ctxFor(p4.owner), { statementId: id, orgId: p4.org.id, reason: 'We changed our mind' });

    const dialog = await getPublishDialog(ctxFor(init.owner), id);
    expect(dialog).toMatchObject({ state: 'open', version: 2, initiatorsMissing: [], awaitingReconfirmation: [p3.org.name], listed: 4, publication: null });

    const slug = `open-letter-${rnd()}`;
    const now = new Date(Date.now() + MIN);
    let result: Awaited<ReturnType<typeof publishStatement>> | null = null;
    const types = await eventsAdded(id, async () => {
      result = await publish(init.admin, id, { slug, displayDate: '2021-03-01' }, now);
    });
    expect(types).toEqual(['statement.published']);
    expect(result).toEqual({ slug, recordSeq: 1, listed: 4, notListed: 1 });
    expect(await verifyChain(db(), { type: 'statement', id })).toEqual([]);

    // The statement and its publication: the chosen display date apart from the server's time.
    expect(await stateOf(id)).toBe('published');
    const [v2] = await db()
      .select()
      .from(statementVersions)
      .where(and(eq(statementVersions.statementId, id), eq(statementVersions.number, 2)));
    const pub = (await pubOf(id))!;
    expect(pub).toMatchObject({
      slug,
      versionId: v2!.id,
      versionNumber: 2,
      displayDate: '2021-03-01',
      publishedAt: now,
      publishedBy: init.admin.userId,
      listOrder: 'joined',
      joinUntil: null,
      closedAt: null,
      withdrawnAt: null,
      recordSeq: 1,
    });
    const [ev] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, id), eq(auditEvents.type, 'statement.published')));
    expect(ev!.data).toMatchObject({ slug, version: 2, contentSha256: v2!.contentSha256, displayDate: '2021-03-01', listOrder: 'joined', joinUntil: null });
    expect(ev!.actorUserId).toBe(init.admin.userId);

    // Record 1: stored, hashed, signed with the current key; verifies.
    const rows = await recordsOf(id);
    expect(rows.map((r) => r.seq)).toEqual([1]);
    const row = rows[0]!;
    expect(row.sha256).toBe(sha256Hex(Buffer.from(row.canonical, 'utf8')));
    const env = envelopeOf(row);
    expect(canonicalJson(env.record)).toBe(row.canonical);
    const check = verifyEnvelope(env);
    expect(check).toMatchObject({ ok: true, hashOk: true, signatureOk: true, key: { id: row.keyId, status: 'current' } });
    expect(row.keyId).toBe(publicKeys()[0]!.keyId);
    // A flipped byte of the body does not verify.
    expect(verifyEnvelope({ ...env, record: { ...env.record, display_date: '2021-03-02' } }).ok).toBe(false);

    const rec = env.record;
    expect(rec).toMatchObject({
      v: 1,
      kind: 'undersigned.statement-record',
      statement: id,
      slug,
      record_seq: 1,
      state: 'published',
      published_at: now.toISOString(),
      display_date: '2021-03-01',
      closed_at: null,
      join_until: null,
      withdrawn: null,
      primary_lang: 'hy',
      list_order: 'joined',
      version: { number: 2, content_sha256: v2!.contentSha256, langs: ['en', 'hy'] },
      corrections: [],
    });
    expect(rec.texts).toEqual((JSON.parse(v2!.canonical) as { texts: unknown }).texts);
    // Initiators first (the primary, then the co-initiator), then by signing: p1 before p2. p3 (awaiting
    // re-confirmation) and p4 (withdrawn before publication) are not listed.
    expect(rec.signatories.map((s) => s.names.default)).toEqual([init.org.name, co.org.name, p1.org.name, p2.org.name]);
    expect(rec.signatories.map((s) => s.initiator)).toEqual([true, true, false, false]);
    for (const s of rec.signatories) {
      expect(s).toMatchObject({ kind: 'organization', method: 'member', status: 'signed', joined_after_publication: false, withdrawn_at: null, withdraw_reason: null });
      expect(new Date(s.signed_at!).getTime()).toBeLessThan(now.getTime());
    }
    const pubState = (await getPublicStatement(db(), slug))!;
    expect(pubState).toMatchObject({ slug, statementId: id, state: 'published', listOrder: 'joined', joiningOpen: false });
    expect(pubState.envelope).toEqual(env);
    expect(await getRecordRevision(db(), slug, 1)).toEqual(env);
    expect(await listRecordRevisions(db(), slug)).toEqual([{ seq: 1, sha256: row.sha256, createdAt: now }]);

    // Mail: owners and admins of every listed organization (listed: true) and of p3 (listed: false); none for p4.
    const mail = await db()
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, 'statement.published'), sql`${outbox.data}->>'statementId' = ${id}`))
      .then((rows) => rows.sort((a, b) => (a.toEmail < b.toEmail ? -1 : 1)));
    const expected = [
      ...[init, co, p1, p2].flatMap((o) => [o.owner, o.admin].map((u) => [u.email, o.org.name, true] as const)),
      ...[p3.owner, p3.admin].map((u) => [u.email, p3.org.name, false] as const),
    ].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(mail.map((m) => [m.toEmail, m.data.orgName, m.data.listed])).toEqual(expected);
    for (const m of mail) {
      expect(m.auditEventId).toBe(ev!.id);
      expect(m.data).toMatchObject({ slug, title: 'Open letter', lang: 'hy' });
    }
    for (const u of [p4.owner, p4.admin, init.member, p1.member]) expect(mail.some((m) => m.toEmail === u.email)).toBe(false);
  });

  it('alphabetical: positions sorted per language ignoring «» and quote marks; the joined order stays in the record', async () => {
    const tag = rnd();
    const ginit = await seedOrg({ profile: { name: `«Գիտելիք» հիմնադրամ ${tag}`, names: { en: `Apex Knowledge Foundation ${tag}` } } });
    const apaga = await seedOrg({ profile: { name: `«Ապագա» կենտրոն ${tag}`, names: { en: `"Zenith" Future Center ${tag}` } } });
    const bac = await seedOrg({ profile: { name: `Բաց հասարակություն ${tag}`, names: { en: `Open Society ${tag}` } } });
    const { id } = await world({ init: ginit, partOrgs: [apaga, bac] });
    await sign(bac.owner, id, bac);
    await sign(ginit.owner, id, ginit);
    await sign(apaga.owner, id, apaga);
    const slug = `alpha-${rnd()}`;
    await publish(ginit.owner, id, { slug, listOrder: 'alphabetical' });
    const p = (await getPublicStatement(db(), slug))!;
    const idOf = (o: SeededOrg) => entryOf(p.record, o)!.id;
    // Joined order in the record: the initiator, then bac, then apaga.
    expect(p.record.signatories.map((s) => s.id)).toEqual([idOf(ginit), idOf(bac), idOf(apaga)]);
    expect(p.record.list_order).toBe('alphabetical');
    // Armenian: Ա, Բ, Գ (the quote marks of «Գիտելիք» do not put it first); English: Apex, Open, "Zenith".
    expect(p.positions.hy).toEqual([idOf(apaga), idOf(bac), idOf(ginit)]);
    expect(p.positions.en).toEqual([idOf(ginit), idOf(bac), idOf(apaga)]);
    expect(orderedSignatories(p, 'hy').map((s) => s.id)).toEqual(p.positions.hy);
    expect(orderedSignatories(p, 'en').map((s) => s.id)).toEqual(p.positions.en);
    // Russian has no names of its own here: the names as registered (Armenian), sorted the same way.
    expect(p.positions.ru).toEqual(p.positions.hy);
  });
});

describe('signing after publication', () => {
  it('refused when not open for joining (nothing changed); while the window is open: listed as joined after publication with its date, a new revision, the previous one unchanged', async () => {
    const { init, parts, id } = await world({ parts: 1 });
    const [p] = parts as [SeededOrg];
    await sign(init.owner, id, init);
    const t0 = new Date();
    const slug = `late-${rnd()}`;
    await publish(init.owner, id, { slug }, t0);
    // Not open for joining.
    await refused(() => sign(p.admin, id, p, 1, new Date(t0.getTime() + MIN)), 'INVALID_STATE', 'errors.signingClosed');
    // Open until t0 + 1 day: record 2.
    const until = new Date(t0.getTime() + DAY);
    expect(await eventsAdded(id, () => setJoining(ctxFor(init.admin, { now: new Date(t0.getTime() + MIN) }), { statementId: id, joinUntil: until }))).toEqual([
      'statement.joining_changed',
    ]);
    expect((await pubOf(id))!.recordSeq).toBe(2);
    const rev2 = (await recordsOf(id))[1]!;
    // After the window: refused, nothing changed.
    await refused(() => sign(p.admin, id, p, 1, new Date(until.getTime() + MIN)), 'INVALID_STATE', 'errors.signingClosed');
    // Inside it: signed, listed as joined after publication.
    const at = new Date(t0.getTime() + 2 * MIN);
    expect(await eventsAdded(id, () => sign(p.admin, id, p, 1, at))).toEqual(['signature.signed']);
    const rows = await recordsOf(id);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[1]).toEqual(rev2);
    expect((await pubOf(id))!.recordSeq).toBe(3);
    const rec = await liveRecord(id);
    expect(rec.record_seq).toBe(3);
    expect(entryOf(rec, p)).toMatchObject({ joined_after_publication: true, signed_at: at.toISOString(), status: 'signed', initiator: false });
    expect(entryOf(rec, init)).toMatchObject({ joined_after_publication: false });
    expect(entryOf(JSON.parse(rev2.canonical) as RecordDocument, p)).toBeUndefined();
    expect(verifyEnvelope(envelopeOf(rows[2]!)).ok).toBe(true);
    expect(verifyEnvelope(envelopeOf(rows[1]!)).ok).toBe(true);
    // Signing again changes nothing (the same binding), and issues no revision.
    const before = await digestDomain();
    expect(await sign(p.owner, id, p, 1, new Date(at.getTime() + MIN))).toMatchObject({ created: false, kind: 'existing' });
    expect(await digestDomain()).toBe(before);
  });

  it('withdrawing after publication keeps the entry, marked withdrawn with its date and reason (a new revision); before publication a withdrawn signature is not listed', async () => {
    const { init, parts, id } = await world({ parts: 2 });
    const [p, q] = parts as [SeededOrg, SeededOrg];
    await sign(init.owner, id, init);
    await sign(p.owner, id, p);
    await sign(q.owner, id, q);
    await withdrawSignature(ctxFor(q.owner), { statementId: id, orgId: q.org.id, reason: 'Before publication' });
    await publish(init.owner, id);
    const first = await liveRecord(id);
    expect(first.signatories.map((s) => s.names.default)).toEqual([init.org.name, p.org.name]);
    const at = new Date(Date.now() + MIN);
    expect(await eventsAdded(id, () => withdrawSignature(ctxFor(p.admin, { now: at }), { statementId: id, orgId: p.org.id, reason: 'Our board disagrees' }))).toEqual([
      'signature.withdrawn',
    ]);
    const rec = await liveRecord(id);
    expect(rec.record_seq).toBe(2);
    expect(rec.signatories.map((s) => s.names.default)).toEqual([init.org.name, p.org.name]);
    expect(entryOf(rec, p)).toMatchObject({ status: 'withdrawn', withdrawn_at: at.toISOString(), withdraw_reason: 'Our board disagrees' });
    expect(entryOf(rec, q)).toBeUndefined();
    // Revision 1 is kept as it was.
    expect(JSON.parse((await recordsOf(id))[0]!.canonical)).toEqual(first);
    // A repeat changes nothing.
    const before = await digestDomain();
    expect(await withdrawSignature(ctxFor(p.admin), { statementId: id, orgId: p.org.id })).toEqual({ changed: false });
    expect(await digestDomain()).toBe(before);
  });
});

describe('close, withdraw, corrections, the joining window', () => {
  it('close: published → closed; no more signing even with a joining window set; closing twice, or changing the window, is refused', async () => {
    const { init, parts, id } = await world({ parts: 2 });
    const [p, q] = parts as [SeededOrg, SeededOrg];
    await sign(init.owner, id, init);
    const now = new Date();
    await publish(init.owner, id, { joinUntil: new Date(now.getTime() + 7 * DAY) }, now);
    // The allowed twin of the refusal below: while published and open for joining, p signs.
    expect(await sign(p.owner, id, p, 1, new Date(now.getTime() + MIN))).toMatchObject({ created: true });
    const closedAt = new Date(now.getTime() + 2 * MIN);
    expect(await eventsAdded(id, () => closeStatement(ctxFor(init.admin, { now: closedAt }), { statementId: id }))).toEqual(['statement.closed']);
    expect(await stateOf(id)).toBe('closed');
    expect((await pubOf(id))!.closedAt).toEqual(closedAt);
    const rec = await liveRecord(id);
    expect(rec).toMatchObject({ state: 'closed', closed_at: closedAt.toISOString(), record_seq: 3 });
    await refused(() => sign(q.owner, id, q, 1, new Date(now.getTime() + 3 * MIN)), 'INVALID_STATE', 'errors.signingClosed');
    await refused(() => closeStatement(ctxFor(init.owner), { statementId: id }), 'INVALID_STATE', 'errors.cannotClose');
    await refused(() => setJoining(ctxFor(init.owner), { statementId: id, joinUntil: new Date(Date.now() + DAY) }), 'INVALID_STATE', 'errors.cannotChangeJoining');
    // A signature can still be withdrawn after closing: the record says so.
    await withdrawSignature(ctxFor(p.owner), { statementId: id, orgId: p.org.id, reason: 'Later' });
    expect(entryOf(await liveRecord(id), p)).toMatchObject({ status: 'withdrawn', withdraw_reason: 'Later' });
    // Not published yet: nothing to close.
    const other = await world();
    await refused(() => closeStatement(ctxFor(other.init.owner), { statementId: other.id }), 'INVALID_STATE', 'errors.notPublished');
  });

  it('withdraw: a reason is required; published or closed → withdrawn, with its reason in the record; earlier revisions stay', async () => {
    const { init, id } = await world();
    await sign(init.owner, id, init);
    await publish(init.owner, id);
    await closeStatement(ctxFor(init.owner), { statementId: id });
    const beforeRows = await recordsOf(id);
    for (const reason of ['', '   ']) {
      const e = await refused(() => withdrawStatement(ctxFor(init.owner), { statementId: id, reason }), 'INVALID_INPUT', 'errors.reasonRequired');
      expect(e.fieldErrors).toEqual({ reason: ['errors.reasonRequired'] });
    }
    await refused(() => withdrawStatement(ctxFor(init.owner), { statementId: id, reason: 'x'.repeat(2001) }), 'INVALID_INPUT', 'errors.tooLong');
    const at = new Date(Date.now() + MIN);
    expect(
      await eventsAdded(id, () => withdrawStatement(ctxFor(init.admin, { now: at }), { statementId: id, reason: '  Superseded by a joint statement  ' })),
    ).toEqual(['statement.withdrawn']);
    expect(await stateOf(id)).toBe('withdrawn');
    expect(await pubOf(id)).toMatchObject({ withdrawnAt: at, withdrawReason: 'Superseded by a joint statement' });
    const rec = await liveRecord(id);
    expect(rec).toMatchObject({ state: 'withdrawn', withdrawn: { at: at.toISOString(), reason: 'Superseded by a joint statement' } });
    const rows = await recordsOf(id);
    expect(rows.slice(0, beforeRows.length)).toEqual(beforeRows);
    expect(rows).toHaveLength(beforeRows.length + 1);
    expect((await getPublicStatement(db(), rec.slug))!.state).toBe('withdrawn');
    await refused(() => withdrawStatement(ctxFor(init.owner), { statementId: id, reason: 'Again' }), 'INVALID_STATE', 'errors.cannotWithdrawStatement');
    await refused(() => closeStatement(ctxFor(init.owner), { statementId: id }), 'INVALID_STATE', 'errors.cannotClose');
    await refused(() => withdrawSignature(ctxFor(init.owner), { statementId: id, orgId: init.org.id }), 'INVALID_STATE', 'errors.statementWithdrawn');

    // Straight from published, too.
    const other = await world();
    await sign(other.init.owner, other.id, other.init);
    await publish(other.init.owner, other.id);
    await withdrawStatement(ctxFor(other.init.owner), { statementId: other.id, reason: 'Published by mistake' });
    expect(await liveRecord(other.id)).toMatchObject({ state: 'withdrawn', record_seq: 2, withdrawn: { reason: 'Published by mistake' } });
    // Never published: nothing to withdraw.
    const never = await world();
    await refused(() => withdrawStatement(ctxFor(never.init.owner), { statementId: never.id, reason: 'x' }), 'INVALID_STATE', 'errors.notPublished');
  });

  it('corrections are appended, dated, in order, and carried by the record; the published text is unchanged; an empty one is refused', async () => {
    const { init, id } = await world();
    await sign(init.owner, id, init);
    await publish(init.owner, id);
    const first = await liveRecord(id);
    await refused(() => addCorrection(ctxFor(init.owner), { statementId: id, lang: 'hy', body: '  ' }), 'INVALID_INPUT', 'errors.correctionRequired');
    await refused(() => addCorrection(ctxFor(init.owner), { statementId: id, lang: 'hy', body: 'x'.repeat(5001) }), 'INVALID_INPUT', 'errors.tooLong');
    const t1 = new Date(Date.now() + MIN);
    const t2 = new Date(Date.now() + 2 * MIN);
    expect(await eventsAdded(id, () => addCorrection(ctxFor(init.admin, { now: t1 }), { statementId: id, lang: 'en', body: 'The date in the second paragraph is 3 March.' }))).toEqual([
      'statement.correction_added',
    ]);
    // A language the version does not have falls back to the primary.
    const c2 = await addCorrection(ctxFor(init.owner, { now: t2 }), { statementId: id, lang: 'ru', body: 'Ուղղում՝ երկրորդ պարբերությունում։' });
    expect(c2.recordSeq).toBe(3);
    const rec = await liveRecord(id);
    expect(rec.corrections).toEqual([
      { lang: 'en', body: 'The date in the second paragraph is 3 March.', at: t1.toISOString() },
      { lang: 'hy', body: 'Ուղղում՝ երկրորդ պարբերությունում։', at: t2.toISOString() },
    ]);
    expect(rec.texts).toEqual(first.texts);
    expect(rec.version).toEqual(first.version);
    const stored = await db().select().from(statementCorrections).where(eq(statementCorrections.statementId, id)).orderBy(asc(statementCorrections.seq));
    expect(stored.map((c) => [c.lang, c.createdBy])).toEqual([
      ['en', init.admin.userId],
      ['hy', init.owner.userId],
    ]);
    // Not published: refused.
    const other = await world();
    await refused(() => addCorrection(ctxFor(other.init.owner), { statementId: other.id, lang: 'hy', body: 'Too early' }), 'INVALID_STATE', 'errors.notPublished');
  });

  it('public records and corrections refuse UPDATE and DELETE at the database (append-only triggers)', async () => {
    const { init, id } = await world();
    await sign(init.owner, id, init);
    await publish(init.owner, id);
    await addCorrection(ctxFor(init.owner), { statementId: id, lang: 'hy', body: 'Ուղղում։' });
    const q = getSql();
    const attempts: [string, () => Promise<unknown>][] = [
      ['public_records canonical', () => q`UPDATE public_records SET canonical = canonical || ' ' WHERE statement_id = ${id}`],
      ['public_records signature', () => q`UPDATE public_records SET signature = 'AAAA' WHERE statement_id = ${id}`],
      ['public_records delete', () => q`DELETE FROM public_records WHERE statement_id = ${id}`],
      ['statement_corrections body', () => q`UPDATE statement_corrections SET body = 'edited' WHERE statement_id = ${id}`],
      ['statement_corrections delete', () => q`DELETE FROM statement_corrections WHERE statement_id = ${id}`],
    ];
    for (const [what, run] of attempts) {
      const before = await digestDomain();
      const e = await run().then(
        () => null,
        (x: { message?: string; code?: string }) => x,
      );
      expect(e, what).not.toBeNull();
      expect(e!.message, what).toMatch(/append-only/);
      expect(e!.code, what).toBe('23001');
      expect(await digestDomain(), what).toBe(before);
    }
    // The allowed twin: the who-column of a correction may be cleared (an account deleted).
    await q`UPDATE statement_corrections SET created_by = NULL WHERE statement_id = ${id}`;
    const [c] = await db().select().from(statementCorrections).where(eq(statementCorrections.statementId, id));
    expect(c).toMatchObject({ createdBy: null, body: 'Ուղղում։' });
  });

  it('the joining window: opened until an instant, then ended; a past instant is refused; only while published', async () => {
    const { init, id } = await world();
    await sign(init.owner, id, init);
    // Not published yet.
    await refused(() => setJoining(ctxFor(init.owner), { statementId: id, joinUntil: new Date(Date.now() + DAY) }), 'INVALID_STATE', 'errors.notPublished');
    const slug = `window-${rnd()}`;
    await publish(init.owner, id, { slug });
    const until = new Date(Date.now() + 3 * DAY);
    await refused(() => setJoining(ctxFor(init.owner), { statementId: id, joinUntil: new Date(Date.now() - MIN) }), 'INVALID_INPUT', 'errors.joinUntilPast');
    expect(await setJoining(ctxFor(init.admin), { statementId: id, joinUntil: until })).toEqual({ joinUntil: until.toISOString() });
    expect((await pubOf(id))!.joinUntil).toEqual(until);
    expect(await liveRecord(id)).toMatchObject({ join_until: until.toISOString(), record_seq: 2 });
    expect((await getPublicStatement(db(), slug))!.joiningOpen).toBe(true);
    expect((await getPublicStatement(db(), slug, new Date(until.getTime() + MIN)))!.joiningOpen).toBe(false);
    expect(await eventsAdded(id, () => setJoining(ctxFor(init.owner), { statementId: id, joinUntil: null }))).toEqual(['statement.joining_changed']);
    expect((await pubOf(id))!.joinUntil).toBeNull();
    expect(await liveRecord(id)).toMatchObject({ join_until: null, record_seq: 3 });
    expect((await getPublicStatement(db(), slug))!.joiningOpen).toBe(false);
  });

  it('an unchanged refresh issues no revision (and changes nothing); a changed one does', async () => {
    const { init, id } = await world();
    await sign(init.owner, id, init);
    await publish(init.owner, id);
    const before = await digestDomain();
    const seq = await db().transaction((tx) => refreshRecord(tx, id, new Date(Date.now() + MIN)));
    expect(seq).toBeNull();
    expect(await digestDomain()).toBe(before);
    expect((await recordsOf(id)).map((r) => r.seq)).toEqual([1]);
    // Ending a window that was never open changes the audit trail, not the record.
    await setJoining(ctxFor(init.owner), { statementId: id, joinUntil: null });
    expect((await recordsOf(id)).map((r) => r.seq)).toEqual([1]);
    // A change that shows: revision 2.
    await addCorrection(ctxFor(init.owner), { statementId: id, lang: 'hy', body: 'Ուղղում։' });
    expect((await recordsOf(id)).map((r) => r.seq)).toEqual([1, 2]);
    expect((await pubOf(id))!.recordSeq).toBe(2);
  });

  it('a statement that is not yours: outsiders NOT_FOUND, initiator members and participants FORBIDDEN (nothing changed); the owner may', async () => {
    const { init, parts, id } = await world({ parts: 1 });
    const [p] = parts as [SeededOrg];
    await sign(init.owner, id, init);
    await refused(() => publish(init.member, id), 'FORBIDDEN');
    await refused(() => publish(p.owner, id), 'FORBIDDEN');
    await refused(() => publish(init.outsider, id), 'NOT_FOUND');
    await refused(() => publish(init.owner, crypto.randomUUID()), 'NOT_FOUND');
    await refused(() => publishStatement(ctxFor(null), input(id)), 'UNAUTHENTICATED');
    await publish(init.owner, id);
    expect(await stateOf(id)).toBe('published');
  });
});

describe('no e-mail address or user id in any record (I13)', () => {
  it("no record's canonical text contains any user's e-mail address or id", async () => {
    // One more published statement whose signer chose to show their personal name: a name is allowed, an address never.
    const init = await seedOrg({ profile: { name: uniqueOrgName('Privacy Watch') } });
    const { id } = await world({ init });
    await getSql()`UPDATE users SET name = 'Lusine Grigoryan' WHERE id = ${init.owner.userId}`;
    await signForOrganization(ctxFor(init.owner), { statementId: id, orgId: init.org.id, version: 1, showName: true, title: 'Chair' });
    await publish(init.owner, id);
    expect(entryOf(await liveRecord(id), init)).toMatchObject({ person_name: 'Lusine Grigoryan', title: 'Chair' });

    const everyone = await db().select({ id: users.id, email: users.email }).from(users);
    const records = await db().select({ canonical: publicRecords.canonical }).from(publicRecords);
    expect(everyone.length).toBeGreaterThan(20);
    expect(records.length).toBeGreaterThan(10);
    for (const r of records) {
      const text = r.canonical.toLowerCase();
      expect(text).not.toContain('@example.org');
      for (const u of everyone) {
        expect(text).not.toContain(u.email.toLowerCase());
        expect(text).not.toContain(u.id.toLowerCase());
      }
    }
  });
});

describe('invariants after this file', () => {
  it('the invariant checker finds nothing', async () => {
    const findings = await checkInvariants(db());
    expect(findings.filter((f) => f.count > 0)).toEqual([]);
    expect(totalFindings(findings)).toBe(0);
  });
});
