// Open joining below the UI (PRODUCT.md S7, Tokens; SECURITY.md I8, I13, C2): asking to join a published statement
// (signed out), confirming the address with the mailed link (read from the relay's mail, as a requester reads it),
// the initiators' queue, approval into a `join_request` signature listed as joined after publication with its date,
// rejection, and the anti-abuse rules (links and formula starters in names, rate limits per IP and per e-mail, the
// joining window). Every refusal asserts an unchanged domain digest and has an allowed twin.
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { auditEvents, joinRequests, organizations, outbox, signatureBindings, signatures } from '@/db/schema';
import { verifyChain } from './audit';
import { isAppError } from './errors';
import { checkInvariants } from './invariants';
import { renderOutboxMail } from './mail/render';
import {
  approveJoinRequest,
  confirmJoin,
  containsLink,
  getJoinPage,
  joinRateLimits,
  listJoinRequests,
  rejectJoinRequest,
  requestToJoin,
  validateJoinRequest,
  type JoinRequestInput,
} from './joining';
import { closeStatement, getPublicStatement, setJoining } from './publishing';
import { ctxFor, digestDomain } from './testing/db';
import { mailCatcher } from './testing/invitations';
import { askAndConfirm, JOIN_LINK, joinTokenIn, publishForJoining } from './testing/joining';
import { seedOrg, type SeededOrg } from './testing/orgs';

const db = () => getDb();
const catcher = mailCatcher();
const rnd = () => crypto.randomBytes(4).toString('hex');
const newEmail = (p = 'joiner') => `${p}-${rnd()}@example.org`;
const newIp = () => `10.${crypto.randomInt(255)}.${crypto.randomInt(255)}.${crypto.randomInt(255)}`;
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

async function refusal(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (e) {
    if (isAppError(e)) return { code: e.code, message: e.message, fieldErrors: e.fieldErrors };
    throw e;
  }
  throw new Error('expected a refusal');
}
/** Refused with `code`, and nothing in the domain tables changed. */
async function expectRefusedUnchanged(fn: () => Promise<unknown>, code: string, message?: string) {
  const before = await digestDomain();
  const r = await refusal(fn);
  expect(r.code).toBe(code);
  if (message) expect(r.message).toBe(message);
  expect(await digestDomain()).toBe(before);
  return r;
}
const ask = (slug: string, over: Partial<JoinRequestInput> = {}) =>
  requestToJoin(ctxFor(null), { slug, kind: 'individual', name: 'Anahit Petrosyan', title: 'human rights defender', email: newEmail(), ip: newIp(), ...over });
const requestOf = async (statementId: string, email: string) =>
  (await db().select().from(joinRequests).where(and(eq(joinRequests.statementId, statementId), eq(joinRequests.email, email))))[0];

let A: SeededOrg;
let pub: { statementId: string; slug: string; title: string };
beforeAll(async () => {
  A = await seedOrg();
  pub = await publishForJoining(A.owner, A.org.id);
});

describe('asking, confirming, approving and rejecting', () => {
  it('an organization and an individual ask and confirm; one is approved, the other rejected; only the approved one is listed, joined after publication with its date', async () => {
    const orgEmail = newEmail('org');
    const personEmail = newEmail('person');
    const orgName = `«Civic Voice ${rnd()}» NGO`;
    await requestToJoin(ctxFor(null), { slug: pub.slug, kind: 'organization', name: orgName, city: 'Vanadzor', country: 'Armenia', title: 'Director', email: orgEmail, ip: newIp(), locale: 'hy' });
    expect(await requestOf(pub.statementId, orgEmail)).toMatchObject({ status: 'unconfirmed', kind: 'organization', name: orgName, city: 'Vanadzor', title: 'Director' });
    // The confirmation link goes to the address only, in the fragment, minted by the relay.
    const sent = await catcher.deliver();
    const confirmMail = sent.find((m) => m.to === orgEmail)!;
    expect(confirmMail.text).toMatch(new RegExp(`http://localhost:3000/join/confirm#t=[A-Za-z0-9_-]{43}`));
    expect(confirmMail.subject).toContain(pub.title);
    const orgConfirmed = await confirmJoin(ctxFor(null), { token: joinTokenIn(sent, orgEmail) });
    expect(orgConfirmed).toMatchObject({ slug: pub.slug, name: orgName, kind: 'organization' });
    expect(await requestOf(pub.statementId, orgEmail)).toMatchObject({ status: 'pending' });

    const person = await askAndConfirm(catcher, { slug: pub.slug, kind: 'individual', name: 'Anahit Petrosyan', title: 'human rights defender', email: personEmail });
    // The initiators' owners and admins hear of each confirmed request (plain members do not).
    const told = await catcher.deliver();
    const pendingTo = told.filter((m) => m.text.includes('/statements/') && m.text.includes('/joins')).map((m) => m.to);
    expect(pendingTo).toEqual(expect.arrayContaining([A.owner.email, A.admin.email]));
    expect(pendingTo).not.toContain(A.member.email);

    // The queue: initiator members see both, with the private e-mail addresses.
    const queue = await listJoinRequests(ctxFor(A.member), pub.statementId);
    expect(queue.canDecide).toBe(false);
    expect(queue.pending.map((r) => r.email).sort()).toEqual([orgEmail, personEmail].sort());

    const orgReq = (await requestOf(pub.statementId, orgEmail))!;
    const approvedAt = new Date(Date.now() + 1000);
    const approved = await approveJoinRequest(ctxFor(A.admin, { now: approvedAt }), { statementId: pub.statementId, requestId: orgReq.id });
    expect(approved.signedAt).toBe(approvedAt.toISOString());
    await rejectJoinRequest(ctxFor(A.owner), { statementId: pub.statementId, requestId: person.requestId });

    const after = await listJoinRequests(ctxFor(A.owner), pub.statementId);
    expect(after.pending).toEqual([]);
    expect(after.decided.map((r) => [r.email, r.status]).sort()).toEqual([[orgEmail, 'approved'], [personEmail, 'rejected']].sort());

    // The public record: the initiator, then the approved organization — as asked, unverified, joined after
    // publication on the approval date, method join_request. The rejected individual is not there.
    const p = (await getPublicStatement(db(), pub.slug))!;
    const names = p.record.signatories.map((s) => s.names.default);
    expect(names).toEqual([A.org.name, orgName]);
    expect(p.record.signatories[0]).toMatchObject({ initiator: true, joined_after_publication: false, method: 'member' });
    expect(p.record.signatories[1]).toMatchObject({
      kind: 'organization',
      city: 'Vanadzor',
      country: 'Armenia',
      title: 'Director',
      verified: false,
      person_name: null,
      initiator: false,
      method: 'join_request',
      signed_at: approvedAt.toISOString(),
      joined_after_publication: true,
      status: 'signed',
    });
    expect(p.record.record_seq).toBe(2);
    // I13: no e-mail address anywhere in what the public gets.
    const published = JSON.stringify(p.envelope);
    for (const e of [orgEmail, personEmail, A.owner.email, A.admin.email]) expect(published).not.toContain(e);
    expect(published).not.toMatch(EMAIL_RE);

    // C2: the signature names its confirmed e-mail (through the request) and the approving initiator.
    const [sig] = await db().select().from(signatures).where(eq(signatures.id, approved.signatureId));
    expect(sig).toMatchObject({ method: 'join_request', createdBy: A.admin.userId, individualEmail: null });
    const [decided] = await db().select().from(joinRequests).where(eq(joinRequests.id, orgReq.id));
    expect(decided).toMatchObject({ status: 'approved', decidedBy: A.admin.userId, signatureId: sig!.id, email: orgEmail });
    // A new, unverified organization with no members, named as asked.
    const [org] = await db().select().from(organizations).where(eq(organizations.id, sig!.orgId!));
    expect(org).toMatchObject({ name: orgName, city: 'Vanadzor', country: 'Armenia', verifiedAt: null });

    // The requesters hear the decision, in the language they asked in; the approved one gets the public link.
    const decisions = await catcher.deliver();
    const toOrg = decisions.filter((m) => m.to === orgEmail);
    expect(toOrg).toHaveLength(1);
    expect(toOrg[0]!.text).toContain(`http://localhost:3000/hy/s/${pub.slug}`);
    expect(decisions.filter((m) => m.to === personEmail)).toHaveLength(1);

    // Audit: one event per change, the e-mail addresses kept out of it; chains verify; nothing half-written.
    const events = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chainId, pub.statementId), sql`${auditEvents.type}::text LIKE 'join.%'`));
    expect(events.map((e) => e.type).sort()).toEqual(['join.approved', 'join.confirmed', 'join.confirmed', 'join.rejected', 'join.requested', 'join.requested']);
    expect(JSON.stringify(events.map((e) => e.data))).not.toMatch(EMAIL_RE);
    expect(await verifyChain(db(), { type: 'statement', id: pub.statementId })).toEqual([]);
    expect((await checkInvariants(db())).filter((f) => f.count > 0)).toEqual([]);
  });

  it('an individual approved is listed with their role; a second approval for the same e-mail is refused clearly (and another e-mail passes)', async () => {
    const email = newEmail('twice');
    const first = await askAndConfirm(catcher, { slug: pub.slug, kind: 'individual', name: 'Armen Grigoryan', title: 'journalist', email });
    await approveJoinRequest(ctxFor(A.owner), { statementId: pub.statementId, requestId: first.requestId });
    const listed = (await getPublicStatement(db(), pub.slug))!.record.signatories.find((s) => s.names.default === 'Armen Grigoryan');
    expect(listed).toMatchObject({ kind: 'individual', title: 'journalist', city: null, country: null, joined_after_publication: true, method: 'join_request' });
    const [sig] = await db().select().from(signatures).where(eq(signatures.id, listed!.id));
    expect(sig!.individualEmail).toBe(email);

    // The same address asks again (a new live request: the first one was decided) and is confirmed.
    const second = await askAndConfirm(catcher, { slug: pub.slug, kind: 'individual', name: 'Armen Grigoryan Jr', title: 'journalist', email });
    await expectRefusedUnchanged(
      () => approveJoinRequest(ctxFor(A.owner), { statementId: pub.statementId, requestId: second.requestId }),
      'CONFLICT',
      'joining.errors.emailAlreadySigned',
    );
    // Twin: another address is approved.
    const other = await askAndConfirm(catcher, { slug: pub.slug, kind: 'individual', name: 'Lilit Hakobyan', title: 'lawyer', email: newEmail() });
    await approveJoinRequest(ctxFor(A.owner), { statementId: pub.statementId, requestId: other.requestId });
    expect((await getPublicStatement(db(), pub.slug))!.record.signatories.map((s) => s.names.default)).toContain('Lilit Hakobyan');
  });

  it('organizations match an existing one by normalized name and the same city and country; a second request for it is refused on approval', async () => {
    const B = await seedOrg({ profile: { city: 'Gyumri', country: 'Armenia' } });
    // Case and quote marks differ: the same organization (normalizeOrgName), in the same place.
    const spelled = `"${B.org.name.toUpperCase()}"`;
    const r = await askAndConfirm(catcher, { slug: pub.slug, kind: 'organization', name: spelled, city: 'gyumri', country: 'Armenia', title: 'Chair', email: newEmail() });
    const out = await approveJoinRequest(ctxFor(A.owner), { statementId: pub.statementId, requestId: r.requestId });
    const [sig] = await db().select().from(signatures).where(eq(signatures.id, out.signatureId));
    expect(sig!.orgId).toBe(B.org.id);
    // The binding keeps the name as it was asked, unverified.
    const [b] = await db().select().from(signatureBindings).where(eq(signatureBindings.id, out.bindingId));
    expect(b!.snapshot).toMatchObject({ names: { default: spelled }, verified: false, individual: false, personName: null, title: 'Chair' });

    const again = await askAndConfirm(catcher, { slug: pub.slug, kind: 'organization', name: B.org.name, city: 'Gyumri', country: 'Armenia', email: newEmail() });
    await expectRefusedUnchanged(
      () => approveJoinRequest(ctxFor(A.owner), { statementId: pub.statementId, requestId: again.requestId }),
      'CONFLICT',
      'joining.errors.organizationAlreadySigned',
    );
    // Twin: the same name in another city is another organization (created, unverified), and is approved.
    const elsewhere = await askAndConfirm(catcher, { slug: pub.slug, kind: 'organization', name: B.org.name, city: 'Ijevan', country: 'Armenia', email: newEmail() });
    const ok = await approveJoinRequest(ctxFor(A.owner), { statementId: pub.statementId, requestId: elsewhere.requestId });
    const [sig2] = await db().select().from(signatures).where(eq(signatures.id, ok.signatureId));
    expect(sig2!.orgId).not.toBe(B.org.id);
    expect((await checkInvariants(db())).filter((f) => f.count > 0)).toEqual([]);
  });

  it('the confirmation link: used, unknown and malformed tokens get one answer and change nothing; a repeat request re-sends a fresh link', async () => {
    const email = newEmail('repeat');
    await ask(pub.slug, { email, name: 'Typo Nmae' });
    const firstToken = joinTokenIn(await catcher.deliver(), email);
    // Asking again does not fail: the same request, corrected, with a fresh link (the older one ends).
    await ask(pub.slug, { email, name: 'Typo Name' });
    const secondToken = joinTokenIn(await catcher.deliver(), email);
    const rows = await db().select().from(joinRequests).where(and(eq(joinRequests.statementId, pub.statementId), eq(joinRequests.email, email)));
    expect(rows.map((r) => [r.name, r.status])).toEqual([['Typo Name', 'unconfirmed']]);

    const first = await expectRefusedUnchanged(() => confirmJoin(ctxFor(null), { token: firstToken }), 'NOT_FOUND', 'joining.errors.linkInvalid');
    const unknown = await expectRefusedUnchanged(() => confirmJoin(ctxFor(null), { token: crypto.randomBytes(32).toString('base64url') }), 'NOT_FOUND');
    const malformed = await expectRefusedUnchanged(() => confirmJoin(ctxFor(null), { token: 'not a token' }), 'NOT_FOUND');
    expect(unknown).toEqual(first);
    expect(malformed).toEqual(first);
    // Twin: the fresh link confirms; used again, the same one answer.
    await confirmJoin(ctxFor(null), { token: secondToken });
    expect((await requestOf(pub.statementId, email))!.status).toBe('pending');
    const used = await expectRefusedUnchanged(() => confirmJoin(ctxFor(null), { token: secondToken }), 'NOT_FOUND');
    expect(used).toEqual(first);
    // Once confirmed, asking again sends nothing new and keeps the one request.
    const mailBefore = await db().select({ n: sql<number>`count(*)::int` }).from(outbox).where(eq(outbox.toEmail, email));
    await ask(pub.slug, { email });
    expect(await db().select({ n: sql<number>`count(*)::int` }).from(outbox).where(eq(outbox.toEmail, email))).toEqual(mailBefore);
    // Expired: 48 hours later the link answers the same.
    const late = newEmail('late');
    await ask(pub.slug, { email: late });
    const lateToken = joinTokenIn(await catcher.deliver(), late);
    const expired = await expectRefusedUnchanged(
      () => confirmJoin(ctxFor(null, { now: new Date(Date.now() + 49 * 3_600_000) }), { token: lateToken }),
      'NOT_FOUND',
    );
    expect(expired).toEqual(first);
  });
});

describe('e-mails', () => {
  it('every join message renders in English, Armenian and Russian, with names and titles escaped', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const data = { statementId: crypto.randomUUID(), requestId: crypto.randomUUID(), title: `${evil} letter`, name: evil, kind: 'organization', slug: 'a-letter' };
    for (const kind of ['join.confirm', 'join.pending', 'join.approved', 'join.rejected'])
      for (const locale of ['en', 'hy', 'ru'] as const) {
        const m = renderOutboxMail(kind, locale, data, kind === 'join.confirm' ? 'http://localhost:3000/join/confirm#t=x' : null, undefined);
        expect(m.subject, `${kind} ${locale}`).toContain(evil);
        expect(m.html).not.toContain('<img');
        expect(m.html).toContain('&lt;img');
        if (kind === 'join.confirm') expect(m.text).toContain('/join/confirm#t=x');
        if (kind === 'join.pending') expect(m.text).toContain(`/statements/${data.statementId}/joins`);
        if (kind === 'join.approved') expect(m.text).toContain(`http://localhost:3000/${locale}/s/a-letter`);
      }
    // The three languages differ (real translations).
    const subjects = (['en', 'hy', 'ru'] as const).map((l) => renderOutboxMail('join.confirm', l, data, null, undefined).subject);
    expect(new Set(subjects).size).toBe(3);
  });
});

describe('anti-abuse', () => {
  it('names with a link or beginning with = + - @ are refused with a clear field error; nothing changes; ordinary names pass', async () => {
    const refused: [string, string][] = [
      ['Visit https://spam.example', 'joining.errors.nameHasLink'],
      ['Best NGO spam.com', 'joining.errors.nameHasLink'],
      ['www.example', 'joining.errors.nameHasLink'],
      ['Ассоциация пример.рф', 'joining.errors.nameHasLink'],
      ['=HYPERLINK("http://x","y")', 'joining.errors.nameHasLink'],
      ['=1+2', 'joining.errors.nameFormulaStart'],
      ['  =cmd|calc', 'joining.errors.nameFormulaStart'],
      ['+37410000000', 'joining.errors.nameFormulaStart'],
      ['-2+3', 'joining.errors.nameFormulaStart'],
      ['@SUM(A1)', 'joining.errors.nameFormulaStart'],
      ['', 'joining.errors.nameRequired'],
      ['x'.repeat(201), 'errors.tooLong'],
      ['Line\nbreak', 'joining.errors.controlCharacters'],
    ];
    for (const [name, key] of refused) {
      const r = await expectRefusedUnchanged(() => ask(pub.slug, { name }), 'INVALID_INPUT');
      expect(r.fieldErrors?.name, name).toEqual([key]);
    }
    // Other public fields follow the same rules; the e-mail must be valid.
    const t = await expectRefusedUnchanged(() => ask(pub.slug, { title: 'see example.org' }), 'INVALID_INPUT');
    expect(t.fieldErrors).toEqual({ title: ['joining.errors.fieldHasLink'] });
    const c = await expectRefusedUnchanged(() => ask(pub.slug, { kind: 'organization', name: 'Civic Forum', city: '@Yerevan' }), 'INVALID_INPUT');
    expect(c.fieldErrors).toEqual({ city: ['joining.errors.fieldFormulaStart'] });
    const e = await expectRefusedUnchanged(() => ask(pub.slug, { email: 'not-an-address' }), 'INVALID_INPUT');
    expect(e.fieldErrors).toEqual({ email: ['errors.invalidEmail'] });
    // Every problem at once.
    const all = await expectRefusedUnchanged(() => ask(pub.slug, { name: '=x', email: '' }), 'INVALID_INPUT');
    expect(Object.keys(all.fieldErrors ?? {}).sort()).toEqual(['email', 'name']);

    // Twins: ordinary names — with abbreviations, quote marks, Armenian and Cyrillic — pass.
    for (const name of ['Women’s Resource Center', 'A.D. Sakharov Foundation', '«Հելսինկյան քաղաքացիական ասամբլեա»', 'Мемориал', 'St. Petersburg Group', 'Dr. Ed Smith', 'Ann-Marie O’Neil']) {
      expect(() => validateJoinRequest({ kind: 'individual', name, email: 'a@example.org' }), name).not.toThrow();
      expect(containsLink(name), name).toBe(false);
    }
    const ok = newEmail('ok');
    await ask(pub.slug, { name: 'Women’s Resource Center', kind: 'organization', city: 'Yerevan', country: 'Armenia', email: ok });
    expect((await requestOf(pub.statementId, ok))!.name).toBe('Women’s Resource Center');
  });

  it('rate limits: the 4th request for one e-mail in a day and the 11th from one address in an hour are refused, nothing changes; other e-mails and addresses pass', async () => {
    // The defaults, as configured (the test environment sets none).
    expect(joinRateLimits()).toEqual({ join_ip: 10, join_email: 3 });
    const email = newEmail('limited');
    for (let i = 0; i < 3; i++) await ask(pub.slug, { email, ip: newIp() });
    await expectRefusedUnchanged(() => ask(pub.slug, { email, ip: newIp() }), 'RATE_LIMITED', 'errors.rateLimited');
    // Twin: another address, at once.
    const other = newEmail('unlimited');
    await ask(pub.slug, { email: other, ip: newIp() });
    expect(await requestOf(pub.statementId, other)).toBeDefined();

    const ip = newIp();
    for (let i = 0; i < 10; i++) await ask(pub.slug, { ip });
    const blocked = newEmail('blocked');
    await expectRefusedUnchanged(() => ask(pub.slug, { ip, email: blocked }), 'RATE_LIMITED');
    expect(await requestOf(pub.statementId, blocked)).toBeUndefined();
    // Twin: the same request from another address passes.
    await ask(pub.slug, { ip: newIp(), email: blocked });
    expect(await requestOf(pub.statementId, blocked)).toBeDefined();
  });

  it('requests are refused when joining is not open (never opened, ended, past its instant, closed); allowed while open', async () => {
    const never = await publishForJoining(A.owner, A.org.id, { joinHours: 0 });
    expect(await getJoinPage(db(), never.slug, 'en')).toMatchObject({ joiningOpen: false, title: never.title });
    await expectRefusedUnchanged(() => ask(never.slug), 'INVALID_STATE', 'joining.errors.closed');
    await expectRefusedUnchanged(() => ask(`missing-${rnd()}`), 'NOT_FOUND');

    const open = await publishForJoining(A.owner, A.org.id, { joinHours: 2 });
    expect(await getJoinPage(db(), open.slug, 'en')).toMatchObject({ joiningOpen: true });
    // Past the joining instant (the domain's clock three hours on).
    await expectRefusedUnchanged(
      () => requestToJoin(ctxFor(null, { now: new Date(Date.now() + 3 * 3_600_000) }), { slug: open.slug, kind: 'individual', name: 'Late Comer', email: newEmail(), ip: newIp() }),
      'INVALID_STATE',
    );
    // Twin: now, it is accepted.
    const inTime = newEmail('intime');
    await ask(open.slug, { email: inTime });
    expect((await requestOf(open.statementId, inTime))!.status).toBe('unconfirmed');

    // Ended by the initiators: refused; opened again: accepted.
    await setJoining(ctxFor(A.owner), { statementId: open.statementId, joinUntil: null });
    await expectRefusedUnchanged(() => ask(open.slug), 'INVALID_STATE');
    await setJoining(ctxFor(A.owner), { statementId: open.statementId, joinUntil: new Date(Date.now() + 3_600_000) });
    await ask(open.slug);
  });

  it('after closing, links are not used up and approval is refused (nothing changes); rejecting still works', async () => {
    const s = await publishForJoining(A.owner, A.org.id);
    const waiting = await askAndConfirm(catcher, { slug: s.slug, kind: 'individual', name: 'Narine Sargsyan', title: 'teacher', email: newEmail() });
    const unconfirmedEmail = newEmail('unconfirmed');
    await ask(s.slug, { email: unconfirmedEmail });
    const token = joinTokenIn(await catcher.deliver(), unconfirmedEmail);
    await closeStatement(ctxFor(A.owner), { statementId: s.statementId });

    await expectRefusedUnchanged(() => ask(s.slug), 'INVALID_STATE', 'joining.errors.closed');
    await expectRefusedUnchanged(() => confirmJoin(ctxFor(null), { token }), 'INVALID_STATE', 'joining.errors.closed');
    await expectRefusedUnchanged(
      () => approveJoinRequest(ctxFor(A.owner), { statementId: s.statementId, requestId: waiting.requestId }),
      'INVALID_STATE',
      'joining.errors.notPublished',
    );
    const q = await listJoinRequests(ctxFor(A.owner), s.statementId);
    expect([q.canDecide, q.canApprove, q.pending.length]).toEqual([true, false, 1]);
    // Twin: rejecting a waiting request still works once closed.
    await rejectJoinRequest(ctxFor(A.owner), { statementId: s.statementId, requestId: waiting.requestId });
    expect((await db().select().from(joinRequests).where(eq(joinRequests.id, waiting.requestId)))[0]!.status).toBe('rejected');
    // A decided request cannot be decided again.
    await expectRefusedUnchanged(
      () => rejectJoinRequest(ctxFor(A.owner), { statementId: s.statementId, requestId: waiting.requestId }),
      'INVALID_STATE',
      'joining.errors.notPending',
    );
    // The record lists only the initiator.
    expect((await getPublicStatement(db(), s.slug))!.record.signatories.map((x) => x.names.default)).toEqual([A.org.name]);
    expect(JOIN_LINK.test(`/join/confirm#t=${token}`)).toBe(true);
  });
});
