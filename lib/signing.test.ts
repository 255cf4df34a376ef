// Versions and signatures (PRODUCT.md Version, Signature; issue 6 S4–S6; SECURITY.md C2, C3, I3, I4, I7, I11):
// freezing rules, who may sign under each policy, stale versions, idempotent signing, the snapshot a binding keeps,
// re-confirmation after a new version, the mail each step queues, declining to sign, withdrawing and reinstating,
// accept-and-sign as one transaction, one audit event per action, append-only tables at the database, and what a
// receipt does not reveal. Every refusal checks that the database did not change; every refusal has its allowed twin.
import crypto from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, getSql } from '@/db';
import {
  auditEvents,
  outbox,
  signatureBindings,
  signatureEvents,
  signatures,
  signDeclines,
  statementInvitations,
  statements,
  statementVersions,
  users,
} from '@/db/schema';
import { verifyChain } from './audit';
import type { Actor } from './context';
import { AppError, type ErrorCode } from './errors';
import { checkInvariants, totalFindings } from './invariants';
import { createOrganization, setSigningPolicy, verifyOrganizationByOperator } from './orgs';
import {
  acceptAndSign,
  countCurrentSignatures,
  declineToSign,
  freezeVersion,
  getReceipt,
  getSignatureBoard,
  getSigningPage,
  reopenStatement,
  signForOrganization,
  withdrawSignature,
} from './signing';
import { addTranslation, createStatement, saveText } from './statements';
import { ctxFor, digestDomain } from './testing/db';
import { inviteOrg, mailCatcher } from './testing/invitations';
import { seedOrg, uniqueOrgName, type SeededOrg } from './testing/orgs';
import { addParticipant, docOf, seedReviewStatement } from './testing/review';

const db = () => getDb();
const catcher = mailCatcher();

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
async function refused(p: () => Promise<unknown>, code: ErrorCode | null, message?: string): Promise<AppError> {
  const before = await digestDomain();
  const e = await errorOf(p());
  if (code) expect(e.code).toBe(code);
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

const outboxOf = (kind: string, statementId: string) =>
  db()
    .select()
    .from(outbox)
    .where(and(eq(outbox.kind, kind), sql`${outbox.data}->>'statementId' = ${statementId}`))
    .orderBy(asc(outbox.toEmail));

async function bindingsOf(statementId: string, orgId: string) {
  return db()
    .select({ b: signatureBindings })
    .from(signatureBindings)
    .innerJoin(signatures, eq(signatures.id, signatureBindings.signatureId))
    .where(and(eq(signatures.statementId, statementId), eq(signatures.orgId, orgId)))
    .orderBy(asc(signatureBindings.seq))
    .then((rows) => rows.map((r) => r.b));
}

/** A statement of `init` (hy primary + en) with `part` participating. */
async function setup(opts: { freeze?: boolean } = {}) {
  const init = await seedOrg();
  const part = await seedOrg();
  const id = await seedReviewStatement(init);
  await addParticipant(id, part);
  if (opts.freeze) await freezeVersion(ctxFor(init.admin), { statementId: id });
  return { init, part, id };
}

const sign = (who: Actor, statementId: string, org: SeededOrg, extra: Partial<Parameters<typeof signForOrganization>[1]> = {}) =>
  signForOrganization(ctxFor(who), { statementId, orgId: org.org.id, version: 1, ...extra });

async function stateOf(id: string) {
  const [s] = await db().select({ state: statements.state, currentVersion: statements.currentVersion }).from(statements).where(eq(statements.id, id));
  return s!;
}

// ---------------------------------------------------------------------------------------------------------------

describe('freezing a version', () => {
  it('only initiator admins: an initiator member and a participant admin are FORBIDDEN, an outsider NOT_FOUND; the owner and an admin may', async () => {
    const { init, part, id } = await setup();
    await refused(() => freezeVersion(ctxFor(init.member), { statementId: id }), 'FORBIDDEN', 'errors.forbidden');
    await refused(() => freezeVersion(ctxFor(part.owner), { statementId: id }), 'FORBIDDEN', 'errors.forbidden');
    await refused(() => freezeVersion(ctxFor(init.outsider), { statementId: id }), 'NOT_FOUND');
    const v1 = await freezeVersion(ctxFor(init.admin), { statementId: id });
    expect(v1).toMatchObject({ version: 1, reconfirm: 0 });
    expect(v1.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    await reopenStatement(ctxFor(init.owner), { statementId: id });
    expect((await freezeVersion(ctxFor(init.owner), { statementId: id })).version).toBe(2);
  });

  it('from draft or reopened only (open → INVALID_STATE); numbered 1..n; the statement becomes open at the new version', async () => {
    const { init, id } = await setup();
    expect(await stateOf(id)).toEqual({ state: 'draft', currentVersion: null });
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    expect(await stateOf(id)).toEqual({ state: 'open', currentVersion: 1 });
    await refused(() => freezeVersion(ctxFor(init.owner), { statementId: id }), 'INVALID_STATE', 'errors.cannotFreeze');
    for (const n of [2, 3]) {
      await reopenStatement(ctxFor(init.owner), { statementId: id });
      expect(await stateOf(id)).toEqual({ state: 'reopened', currentVersion: n - 1 });
      await freezeVersion(ctxFor(init.owner), { statementId: id });
      expect(await stateOf(id)).toEqual({ state: 'open', currentVersion: n });
    }
    const vs = await db().select().from(statementVersions).where(eq(statementVersions.statementId, id)).orderBy(asc(statementVersions.number));
    expect(vs.map((v) => v.number)).toEqual([1, 2, 3]);
    expect(vs.every((v) => v.langs.join() === 'en,hy')).toBe(true);
  });

  it('reopen: initiator admins only, from open only', async () => {
    const { init, part, id } = await setup();
    await refused(() => reopenStatement(ctxFor(init.owner), { statementId: id }), 'INVALID_STATE', 'errors.cannotReopen');
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    await refused(() => reopenStatement(ctxFor(init.member), { statementId: id }), 'FORBIDDEN');
    await refused(() => reopenStatement(ctxFor(part.owner), { statementId: id }), 'FORBIDDEN');
    expect(await reopenStatement(ctxFor(init.admin), { statementId: id })).toEqual({ state: 'reopened' });
  });

  it('the primary language must be included; a language the statement does not have is refused', async () => {
    const { init, id } = await setup();
    await refused(() => freezeVersion(ctxFor(init.owner), { statementId: id, langs: ['en'] }), 'INVALID_INPUT', 'errors.freezePrimaryRequired');
    await refused(() => freezeVersion(ctxFor(init.owner), { statementId: id, langs: ['hy', 'ru'] }), 'INVALID_INPUT', 'errors.freezeUnknownLanguage');
    await freezeVersion(ctxFor(init.owner), { statementId: id, langs: ['hy'] });
    const [v] = await db().select().from(statementVersions).where(eq(statementVersions.statementId, id));
    expect(v!.langs).toEqual(['hy']);
    expect(Object.keys(JSON.parse(v!.canonical).texts)).toEqual(['hy']);
  });

  it('an out-of-date translation is refused unless it is left out', async () => {
    const { init, id } = await setup();
    await saveText(ctxFor(init.owner), { statementId: id, lang: 'hy', baseVersion: 1, title: 'Open letter', doc: docOf('Փոփոխված նախադասություն։') });
    const e = await refused(() => freezeVersion(ctxFor(init.owner), { statementId: id }), 'INVALID_STATE', 'errors.freezeOutOfDate');
    expect(e.fieldErrors).toEqual({ langs: ['errors.freezeOutOfDate'] });
    await refused(() => freezeVersion(ctxFor(init.owner), { statementId: id, langs: ['hy', 'en'] }), 'INVALID_STATE', 'errors.freezeOutOfDate');
    const v = await freezeVersion(ctxFor(init.owner), { statementId: id, langs: ['hy'] });
    expect(v.version).toBe(1);
    const [row] = await db().select().from(statementVersions).where(eq(statementVersions.statementId, id));
    expect(row!.langs).toEqual(['hy']);
    expect(row!.canonical).toContain('Փոփոխված նախադասություն։');
  });

  it('an empty text is refused (a fresh statement; an added translation with no text), a non-empty one is frozen', async () => {
    const init = await seedOrg();
    const { id } = await createStatement(ctxFor(init.owner), { orgId: init.org.id, title: 'Empty', primaryLang: 'hy', summary: null, timeZone: 'Asia/Yerevan' });
    await refused(() => freezeVersion(ctxFor(init.owner), { statementId: id }), 'INVALID_STATE', 'errors.freezeEmpty');
    await saveText(ctxFor(init.owner), { statementId: id, lang: 'hy', baseVersion: 0, title: 'Empty', doc: docOf('Հիմա կա տեքստ։') });
    await addTranslation(ctxFor(init.owner), { statementId: id, lang: 'en', title: 'Now with text' });
    await refused(() => freezeVersion(ctxFor(init.owner), { statementId: id }), 'INVALID_STATE', 'errors.freezeEmpty');
    expect((await freezeVersion(ctxFor(init.owner), { statementId: id, langs: ['hy'] })).version).toBe(1);
  });

  it('while open the text cannot be saved (INVALID_STATE); after reopening it can', async () => {
    const { init, id } = await setup({ freeze: true });
    const save = () => saveText(ctxFor(init.owner), { statementId: id, lang: 'hy', baseVersion: 1, title: 'Open letter', doc: docOf('Նոր տեքստ։') });
    await refused(save, 'INVALID_STATE', 'errors.statementNotEditable');
    await reopenStatement(ctxFor(init.owner), { statementId: id });
    expect(await save()).toMatchObject({ version: 2, changed: true });
  });
});

describe('signing (S4)', () => {
  it('policy "admins": a plain member is FORBIDDEN, an admin signs; policy "members" (set by the owner): the member signs', async () => {
    const { init, part, id } = await setup({ freeze: true });
    await refused(() => sign(part.member, id, part), 'FORBIDDEN', 'errors.policyForbidsSigning');
    const r = await sign(part.admin, id, part);
    expect(r).toMatchObject({ created: true, kind: 'signed', version: 1 });
    const [b] = await bindingsOf(id, part.org.id);
    expect(b).toMatchObject({ signedBy: part.admin.userId, signerRole: 'admin', policy: 'admins', versionNumber: 1 });

    await refused(() => sign(init.member, id, init), 'FORBIDDEN', 'errors.policyForbidsSigning');
    // Only an owner changes the policy.
    await refused(() => setSigningPolicy(ctxFor(init.admin), { orgId: init.org.id, policy: 'members' }), 'FORBIDDEN');
    expect(await setSigningPolicy(ctxFor(init.owner), { orgId: init.org.id, policy: 'members' })).toEqual({ policy: 'members', changed: true });
    const m = await sign(init.member, id, init);
    expect(m).toMatchObject({ created: true, kind: 'signed' });
    const [mb] = await bindingsOf(id, init.org.id);
    expect(mb).toMatchObject({ signedBy: init.member.userId, signerRole: 'member', policy: 'members' });
    expect(await countCurrentSignatures(db(), id)).toBe(2);
  });

  it('for another organization (a tampered id: not a member) FORBIDDEN; for an own organization that is not involved FORBIDDEN; for the own involved one allowed', async () => {
    const { init, part, id } = await setup({ freeze: true });
    await refused(() => signForOrganization(ctxFor(part.owner), { statementId: id, orgId: init.org.id, version: 1 }), 'FORBIDDEN', 'errors.notYourOrganization');
    await refused(() => signForOrganization(ctxFor(part.owner), { statementId: id, orgId: 'not-a-uuid', version: 1 }), 'FORBIDDEN', 'errors.notYourOrganization');
    const other = await createOrganization(ctxFor(part.owner), { name: uniqueOrgName('Uninvolved'), confirmDistinct: true });
    await refused(() => signForOrganization(ctxFor(part.owner), { statementId: id, orgId: other.id, version: 1 }), 'FORBIDDEN', 'errors.organizationNotInvolved');
    // An outsider does not even see the statement.
    await refused(() => signForOrganization(ctxFor(init.outsider), { statementId: id, orgId: init.org.id, version: 1 }), 'NOT_FOUND');
    expect((await sign(part.owner, id, part)).created).toBe(true);
  });

  it('a wrong version or a wrong hash is CONFLICT errors.staleVersion and writes nothing; the shown version and hash sign', async () => {
    const { part, id } = await setup({ freeze: true });
    const [v] = await db().select().from(statementVersions).where(eq(statementVersions.statementId, id));
    await refused(() => sign(part.owner, id, part, { version: 2 }), 'CONFLICT', 'errors.staleVersion');
    await refused(() => sign(part.owner, id, part, { version: 0 }), 'CONFLICT', 'errors.staleVersion');
    await refused(() => sign(part.owner, id, part, { contentSha256: '0'.repeat(64) }), 'CONFLICT', 'errors.staleVersion');
    const r = await sign(part.owner, id, part, { contentSha256: v!.contentSha256 });
    expect(r).toMatchObject({ created: true, version: 1, contentSha256: v!.contentSha256 });
  });

  it('while draft or reopened: INVALID_STATE, nothing written; open: allowed', async () => {
    const { init, part, id } = await setup();
    await refused(() => sign(part.owner, id, part), 'INVALID_STATE', 'errors.signingClosed');
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    await reopenStatement(ctxFor(init.owner), { statementId: id });
    await refused(() => sign(part.owner, id, part), 'INVALID_STATE', 'errors.signingClosed');
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    expect((await sign(part.owner, id, part, { version: 2 })).created).toBe(true);
  });

  it('signing twice returns the same binding: one signature, one binding, nothing else written', async () => {
    const { part, id } = await setup({ freeze: true });
    const first = await sign(part.admin, id, part);
    const before = await digestDomain();
    const again = await sign(part.owner, id, part);
    expect(await digestDomain()).toBe(before);
    expect(again).toMatchObject({ bindingId: first.bindingId, signatureId: first.signatureId, created: false, kind: 'existing', signedAt: first.signedAt });
    expect(await bindingsOf(id, part.org.id)).toHaveLength(1);
    expect(await db().select().from(signatures).where(eq(signatures.statementId, id))).toHaveLength(1);
  });
});

describe('the snapshot a binding keeps', () => {
  it('names per language with default, city, country, verified, the membership title when none is given; no personal name unless opted in', async () => {
    const init = await seedOrg();
    const hyName = `Թեստային կազմակերպություն ${crypto.randomBytes(3).toString('hex')}`;
    const ruName = `Тестовая организация ${crypto.randomBytes(3).toString('hex')}`;
    const part = await seedOrg({ profile: { names: { hy: hyName, ru: ruName }, city: 'Gyumri', country: 'Armenia' } });
    await verifyOrganizationByOperator({ db: db(), actor: null }, { slug: part.org.slug });
    const id = await seedReviewStatement(init);
    await addParticipant(id, part);
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    await setSigningPolicy(ctxFor(part.owner), { orgId: part.org.id, policy: 'members' });
    await db().update(users).set({ name: 'Anahit Petrosyan' }).where(eq(users.id, part.member.userId));
    await sign(part.member, id, part);
    const [b] = await bindingsOf(id, part.org.id);
    expect(b!.snapshot).toEqual({
      names: { default: part.org.name, hy: hyName, ru: ruName },
      city: 'Gyumri',
      country: 'Armenia',
      verified: true,
      title: 'Coordinator',
      personName: null,
    });
    // An unverified organization's binding says so.
    await sign(init.owner, id, init);
    const [ib] = await bindingsOf(id, init.org.id);
    expect(ib!.snapshot).toMatchObject({ names: { default: init.org.name }, verified: false, city: null, country: null, title: null, personName: null });
  });

  it('showName without a personal name is INVALID_INPUT (nothing written); with one, the name and the title given are kept', async () => {
    const { part, id } = await setup({ freeze: true });
    const e = await refused(() => sign(part.admin, id, part, { showName: true }), 'INVALID_INPUT', 'errors.noPersonalName');
    expect(e.fieldErrors).toEqual({ showName: ['errors.noPersonalName'] });
    await db().update(users).set({ name: 'Davit Hakobyan' }).where(eq(users.id, part.admin.userId));
    await sign(part.admin, id, part, { showName: true, title: 'Chair' });
    const [b] = await bindingsOf(id, part.org.id);
    expect(b!.snapshot).toMatchObject({ title: 'Chair', personName: 'Davit Hakobyan' });
  });
});

describe('re-confirmation (S5)', () => {
  it('after reopen, edit and a second freeze: needs re-confirmation, not counted, owners/admins e-mailed once each; re-confirming binds to v2', async () => {
    const { init, part, id } = await setup({ freeze: true });
    const first = await sign(part.admin, id, part);
    expect(await countCurrentSignatures(db(), id)).toBe(1);
    await reopenStatement(ctxFor(init.owner), { statementId: id });
    await saveText(ctxFor(init.owner), { statementId: id, lang: 'hy', baseVersion: 1, title: 'Open letter', doc: docOf('Երկրորդ տարբերակ։') });
    const v2 = await freezeVersion(ctxFor(init.owner), { statementId: id, langs: ['hy'] });
    expect(v2).toMatchObject({ version: 2, reconfirm: 1 });

    const page = await getSigningPage(ctxFor(part.admin), id);
    expect(page.orgs.find((o) => o.orgId === part.org.id)).toMatchObject({ status: 'needs_reconfirmation', signedVersion: 1, bindingId: first.bindingId });
    expect(await countCurrentSignatures(db(), id)).toBe(0);
    const board = await getSignatureBoard(ctxFor(init.member), id);
    expect(board.rows.find((r) => r.orgId === part.org.id)?.status).toBe('needs_reconfirmation');

    const mails = await outboxOf('signature.reconfirm_needed', id);
    expect(mails.map((m) => m.dedupeKey)).toEqual(
      [part.owner.email, part.admin.email].sort().map((e) => `reconfirm:${first.signatureId}:2:${e.toLowerCase()}`),
    );
    expect(mails.every((m) => m.data.version === 2 && m.data.signedVersion === 1 && m.data.orgName === part.org.name)).toBe(true);

    const r = await sign(part.owner, id, part, { version: 2 });
    expect(r).toMatchObject({ kind: 'reconfirmed', created: true, version: 2, signatureId: first.signatureId });
    const bs = await bindingsOf(id, part.org.id);
    expect(bs.map((b) => b.versionNumber)).toEqual([1, 2]);
    expect(await countCurrentSignatures(db(), id)).toBe(1);
    expect((await getSigningPage(ctxFor(part.admin), id)).orgs[0]).toMatchObject({ status: 'signed', signedVersion: 2 });
  });
});

describe('mail', () => {
  it('freezing tells the owners/admins of every organization that may sign and has not that signing is open (not members, not signers, not decliners)', async () => {
    const { init, part, id } = await setup();
    const third = await seedOrg();
    await addParticipant(id, third);
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    const admins = (o: SeededOrg) => [o.owner.email, o.admin.email].map((e) => e.toLowerCase());
    const open1 = await outboxOf('statement.signing_open', id);
    expect(open1.map((m) => m.toEmail).sort()).toEqual([...admins(init), ...admins(part), ...admins(third)].sort());
    expect(open1.every((m) => m.dedupeKey.startsWith(`signing-open:${id}:1:`) && m.data.version === 1)).toBe(true);

    await sign(part.owner, id, part);
    await declineToSign(ctxFor(third.owner), { statementId: id, orgId: third.org.id });
    await reopenStatement(ctxFor(init.owner), { statementId: id });
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    const open2 = (await outboxOf('statement.signing_open', id)).filter((m) => m.data.version === 2);
    expect(open2.map((m) => m.toEmail).sort()).toEqual(admins(init).sort());
    expect((await outboxOf('signature.reconfirm_needed', id)).map((m) => m.toEmail).sort()).toEqual(admins(part).sort());
  });

  it('the receipt goes to the signer: organization, version and hash, no e-mail address, no user id', async () => {
    const { part, id } = await setup({ freeze: true });
    const r = await sign(part.admin, id, part);
    const rows = await outboxOf('signature.receipt', id);
    expect(rows.map((m) => [m.toEmail, m.dedupeKey])).toEqual([[part.admin.email.toLowerCase(), `receipt:${r.bindingId}`]]);
    const sent = (await catcher.deliver()).filter((m) => m.to === part.admin.email.toLowerCase() && m.text.includes(r.contentSha256));
    expect(sent).toHaveLength(1);
    const mail = sent[0]!;
    for (const part_ of [mail.text, mail.html]) {
      expect(part_).toContain(part.org.name);
      expect(part_).toContain(r.contentSha256);
      expect(part_).toContain(`/statements/${id}/receipts/${r.bindingId}`);
      expect(part_).not.toContain('@');
      for (const u of [part.admin, part.owner, part.member]) expect(part_).not.toContain(u.userId);
    }
    expect(mail.text).toContain('Version signed: 1');
    expect(mail.subject).toContain(part.org.name);
  });
});

describe('declining to sign', () => {
  it('the reason is stored; initiators see it on the board, participants see neither the reason nor "declined"; a repeat changes nothing', async () => {
    const { init, part, id } = await setup({ freeze: true });
    const other = await seedOrg();
    await addParticipant(id, other);
    await refused(() => declineToSign(ctxFor(part.member), { statementId: id, orgId: part.org.id, reason: 'x' }), 'FORBIDDEN', 'errors.policyForbidsSigning');
    const reason = `Not our mandate ${crypto.randomBytes(3).toString('hex')}`;
    expect(await declineToSign(ctxFor(part.admin), { statementId: id, orgId: part.org.id, reason })).toEqual({ changed: true });
    const [d] = await db().select().from(signDeclines).where(eq(signDeclines.statementId, id));
    expect(d).toMatchObject({ orgId: part.org.id, reason, versionNumber: 1, declinedBy: part.admin.userId });

    const before = await digestDomain();
    expect(await declineToSign(ctxFor(part.owner), { statementId: id, orgId: part.org.id, reason: 'again' })).toEqual({ changed: false });
    expect(await digestDomain()).toBe(before);

    const initiatorView = await getSignatureBoard(ctxFor(init.member), id);
    expect(initiatorView.rows.find((r) => r.orgId === part.org.id)).toMatchObject({ status: 'declined', declineReason: reason });
    expect(initiatorView.counts.declined).toBe(1);
    const participantView = await getSignatureBoard(ctxFor(other.member), id);
    expect(participantView.rows.find((r) => r.orgId === part.org.id)).toMatchObject({ status: 'unsigned', declineReason: null });
    expect(participantView.counts.declined).toBe(0);
    expect(JSON.stringify(participantView)).not.toContain(reason);
    expect(JSON.stringify(participantView.rows)).not.toContain('declined');
    // The declining organization's own page says so.
    expect((await getSigningPage(ctxFor(part.admin), id)).orgs[0]!.status).toBe('declined');
  });

  it('an organization whose signature stands is told to withdraw instead (nothing written); once withdrawn it may decline', async () => {
    const { part, id } = await setup({ freeze: true });
    await sign(part.owner, id, part);
    await refused(() => declineToSign(ctxFor(part.owner), { statementId: id, orgId: part.org.id }), 'INVALID_STATE', 'errors.withdrawInstead');
    await withdrawSignature(ctxFor(part.owner), { statementId: id, orgId: part.org.id });
    expect(await declineToSign(ctxFor(part.owner), { statementId: id, orgId: part.org.id })).toEqual({ changed: true });
  });
});

describe('withdrawing and reinstating (S6)', () => {
  it('not signed → INVALID_STATE errors.notSigned; withdraw with a reason; a repeat changes nothing; signing again reinstates', async () => {
    const { init, part, id } = await setup({ freeze: true });
    await refused(() => withdrawSignature(ctxFor(part.owner), { statementId: id, orgId: part.org.id }), 'INVALID_STATE', 'errors.notSigned');
    const s = await sign(part.owner, id, part);
    await refused(() => withdrawSignature(ctxFor(part.member), { statementId: id, orgId: part.org.id }), 'FORBIDDEN', 'errors.policyForbidsSigning');
    expect(await withdrawSignature(ctxFor(part.admin), { statementId: id, orgId: part.org.id, reason: 'We changed our mind' })).toEqual({ changed: true });
    const before = await digestDomain();
    expect(await withdrawSignature(ctxFor(part.owner), { statementId: id, orgId: part.org.id, reason: 'twice' })).toEqual({ changed: false });
    expect(await digestDomain()).toBe(before);

    const page = await getSigningPage(ctxFor(part.owner), id);
    expect(page.orgs[0]).toMatchObject({ status: 'withdrawn', withdrawnReason: 'We changed our mind' });
    const board = await getSignatureBoard(ctxFor(init.member), id);
    expect(board.rows.find((r) => r.orgId === part.org.id)).toMatchObject({ status: 'withdrawn', withdrawnReason: 'We changed our mind' });
    expect(await countCurrentSignatures(db(), id)).toBe(0);

    const r = await sign(part.owner, id, part);
    expect(r).toMatchObject({ kind: 'reinstated', created: true, signatureId: s.signatureId });
    expect(r.bindingId).not.toBe(s.bindingId);
    const evs = await db().select().from(signatureEvents).where(eq(signatureEvents.signatureId, s.signatureId)).orderBy(asc(signatureEvents.seq));
    expect(evs.map((e) => [e.kind, e.reason])).toEqual([
      ['withdrawn', 'We changed our mind'],
      ['reinstated', null],
    ]);
    expect(await bindingsOf(id, part.org.id)).toHaveLength(2);
    expect(await countCurrentSignatures(db(), id)).toBe(1);
  });
});

describe('accept and sign (both or neither)', () => {
  async function invited() {
    const { init, id } = await setup({ freeze: true });
    const q = await seedOrg();
    const invitationId = await inviteOrg(id, q);
    const statusOf = async () => (await db().select({ s: statementInvitations.status }).from(statementInvitations).where(eq(statementInvitations.id, invitationId)))[0]!.s;
    return { init, id, q, invitationId, statusOf };
  }

  it('a stale version: nothing happens, the invitation stays pending; the current one: accepted and signed', async () => {
    const { q, invitationId, statusOf, id } = await invited();
    await refused(() => acceptAndSign(ctxFor(q.owner), { invitationId, orgId: q.org.id, version: 2 }), 'CONFLICT', 'errors.staleVersion');
    expect(await statusOf()).toBe('pending');
    const r = await acceptAndSign(ctxFor(q.owner), { invitationId, orgId: q.org.id, version: 1 });
    expect(r).toMatchObject({ statementId: id, kind: 'signed', created: true, version: 1 });
    expect(await statusOf()).toBe('accepted');
    expect(await bindingsOf(id, q.org.id)).toHaveLength(1);
  });

  it('signing closed (reopened): nothing happens, the invitation stays pending; open again: accepted and signed', async () => {
    const { init, q, invitationId, statusOf, id } = await invited();
    await reopenStatement(ctxFor(init.owner), { statementId: id });
    await refused(() => acceptAndSign(ctxFor(q.admin), { invitationId, orgId: q.org.id, version: 1 }), 'INVALID_STATE', 'errors.signingClosed');
    expect(await statusOf()).toBe('pending');
    await freezeVersion(ctxFor(init.owner), { statementId: id });
    const r = await acceptAndSign(ctxFor(q.admin), { invitationId, orgId: q.org.id, version: 2 });
    expect(r).toMatchObject({ kind: 'signed', version: 2 });
    expect(await statusOf()).toBe('accepted');
  });

  it('a plain member (even under policy "members"): neither accepted nor signed; the owner then does both', async () => {
    const { q, invitationId, statusOf, id } = await invited();
    await setSigningPolicy(ctxFor(q.owner), { orgId: q.org.id, policy: 'members' });
    await refused(() => acceptAndSign(ctxFor(q.member), { invitationId, orgId: q.org.id, version: 1 }), null);
    expect(await statusOf()).toBe('pending');
    expect(await bindingsOf(id, q.org.id)).toEqual([]);
    expect((await acceptAndSign(ctxFor(q.owner), { invitationId, orgId: q.org.id, version: 1 })).created).toBe(true);
    expect(await statusOf()).toBe('accepted');
  });
});

describe('audit: one event of the right type per action', () => {
  it('freeze, sign, reopen, re-confirm, withdraw, reinstate, decline to sign; repeats add none; the chain verifies', async () => {
    const { init, part, id } = await setup();
    const other = await seedOrg();
    await addParticipant(id, other);
    expect(await eventsAdded(id, () => freezeVersion(ctxFor(init.owner), { statementId: id }))).toEqual(['version.frozen']);
    expect(await eventsAdded(id, () => sign(part.owner, id, part))).toEqual(['signature.signed']);
    expect(await eventsAdded(id, () => sign(part.owner, id, part))).toEqual([]);
    expect(await eventsAdded(id, () => reopenStatement(ctxFor(init.owner), { statementId: id }))).toEqual(['statement.reopened']);
    expect(await eventsAdded(id, () => freezeVersion(ctxFor(init.owner), { statementId: id }))).toEqual(['version.frozen']);
    expect(await eventsAdded(id, () => sign(part.owner, id, part, { version: 2 }))).toEqual(['signature.reconfirmed']);
    expect(await eventsAdded(id, () => withdrawSignature(ctxFor(part.owner), { statementId: id, orgId: part.org.id }))).toEqual(['signature.withdrawn']);
    expect(await eventsAdded(id, () => withdrawSignature(ctxFor(part.owner), { statementId: id, orgId: part.org.id }))).toEqual([]);
    expect(await eventsAdded(id, () => sign(part.owner, id, part, { version: 2 }))).toEqual(['signature.reinstated']);
    expect(await eventsAdded(id, () => declineToSign(ctxFor(other.owner), { statementId: id, orgId: other.org.id, reason: 'no' }))).toEqual(['signature.declined_to_sign']);
    expect(await eventsAdded(id, () => declineToSign(ctxFor(other.owner), { statementId: id, orgId: other.org.id }))).toEqual([]);
    const [signed] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chainId, id), eq(auditEvents.type, 'signature.signed')));
    expect(signed!.data).toMatchObject({ orgId: part.org.id, version: 1, role: 'owner', policy: 'admins' });
    expect(signed!.actorUserId).toBe(part.owner.userId);
    expect(await verifyChain(db(), { type: 'statement', id })).toEqual([]);
  });
});

describe('append-only at the database', () => {
  it('UPDATE and DELETE of versions, signatures, bindings and events are refused by the triggers; clearing who signed is allowed', async () => {
    const { part, id } = await setup({ freeze: true });
    const s = await sign(part.admin, id, part);
    await withdrawSignature(ctxFor(part.admin), { statementId: id, orgId: part.org.id, reason: 'r' });
    const q = getSql();
    const attempts: [string, () => Promise<unknown>][] = [
      ['statement_versions update', () => q`UPDATE statement_versions SET canonical = canonical || ' ' WHERE statement_id = ${id}`],
      ['statement_versions delete', () => q`DELETE FROM statement_versions WHERE statement_id = ${id}`],
      ['signatures update', () => q`UPDATE signatures SET method = 'imported' WHERE id = ${s.signatureId}`],
      ['signatures delete', () => q`DELETE FROM signatures WHERE id = ${s.signatureId}`],
      ['signature_bindings update', () => q`UPDATE signature_bindings SET version_number = 7 WHERE id = ${s.bindingId}`],
      ['signature_bindings snapshot', () => q`UPDATE signature_bindings SET snapshot = snapshot || '{"title":"Boss"}' WHERE id = ${s.bindingId}`],
      ['signature_bindings delete', () => q`DELETE FROM signature_bindings WHERE id = ${s.bindingId}`],
      ['signature_events update', () => q`UPDATE signature_events SET reason = 'edited' WHERE signature_id = ${s.signatureId}`],
      ['signature_events delete', () => q`DELETE FROM signature_events WHERE signature_id = ${s.signatureId}`],
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
    // The "who" columns may be cleared (ON DELETE SET NULL of an account).
    await q`UPDATE signature_bindings SET signed_by = NULL WHERE id = ${s.bindingId}`;
    const [b] = await db().select().from(signatureBindings).where(eq(signatureBindings.id, s.bindingId));
    expect(b).toMatchObject({ signedBy: null, versionNumber: 1 });
  });

  it('deleting the account of someone who signed keeps the signature, with signed_by cleared', async () => {
    const { part, id } = await setup({ freeze: true });
    const s = await sign(part.admin, id, part);
    await withdrawSignature(ctxFor(part.admin), { statementId: id, orgId: part.org.id });
    await getSql()`DELETE FROM users WHERE id = ${part.admin.userId}`;
    const [b] = await db().select().from(signatureBindings).where(eq(signatureBindings.id, s.bindingId));
    expect(b).toMatchObject({ signedBy: null, versionNumber: 1, signerRole: 'admin', policy: 'admins' });
    const [sig] = await db().select().from(signatures).where(eq(signatures.id, s.signatureId));
    expect(sig!.createdBy).toBeNull();
    const evs = await db().select().from(signatureEvents).where(eq(signatureEvents.signatureId, s.signatureId));
    expect(evs.map((e) => [e.kind, e.byUser])).toEqual([['withdrawn', null]]);
  });
});

describe('privacy of receipts', () => {
  it('getReceipt carries no e-mail address and no user id; the personal name only when opted in', async () => {
    const { init, part, id } = await setup({ freeze: true });
    await db().update(users).set({ name: 'Lilit Sargsyan' }).where(inArray(users.id, [part.admin.userId, init.owner.userId]));
    const plain = await sign(part.admin, id, part);
    const named = await sign(init.owner, id, init, { showName: true });
    const everyone = [init, part].flatMap((o) => [o.owner, o.admin, o.member]);
    for (const [bindingId, personName] of [
      [plain.bindingId, null],
      [named.bindingId, 'Lilit Sargsyan'],
    ] as const) {
      for (const reader of [init.member, part.member]) {
        const r = await getReceipt(ctxFor(reader), id, bindingId);
        expect(r.receipt.personName).toBe(personName);
        const json = JSON.stringify(r);
        expect(json).not.toContain('@');
        for (const u of everyone) expect(json).not.toContain(u.userId);
      }
    }
    const r = await getReceipt(ctxFor(init.member), id, plain.bindingId);
    expect(r.receipt).toMatchObject({ version: 1, organization: part.org.name, contentSha256: plain.contentSha256 });
    // Not a reader: NOT_FOUND; another statement's binding: NOT_FOUND.
    await refused(() => getReceipt(ctxFor(init.outsider), id, plain.bindingId), 'NOT_FOUND');
    const other = await setup({ freeze: true });
    await refused(() => getReceipt(ctxFor(other.init.member), other.id, plain.bindingId), 'NOT_FOUND');
  });
});

describe('invariants after this file', () => {
  it('the invariant checker finds nothing', async () => {
    const findings = await checkInvariants(db());
    expect(findings.filter((f) => f.count > 0)).toEqual([]);
    expect(totalFindings(findings)).toBe(0);
  });
});
