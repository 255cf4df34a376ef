// Crash tests: a child process runs a real operation with one fault point armed and kills itself there
// (SIGKILL, mid-transaction). Afterwards nothing is half-written (the domain digest is unchanged), the
// invariant checker finds nothing, and the same operation, run normally, does change the database.
import crypto from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import {
  auditEvents,
  joinRequests,
  memberships,
  outbox,
  publicRecords,
  publications,
  sessions,
  signatureBindings,
  signatureEvents,
  signatures,
  statementComments,
  statementInvitations,
  statementParticipants,
  statementRevisions,
  statements,
  statementTexts,
  statementVersions,
} from '@/db/schema';
import { FAULT_POINT_NAMES, type FaultPointName } from './fault';
import { checkInvariants } from './invariants';
import { createOrganization } from './orgs';
import { relayOnce } from './outbox';
import { runTs } from './testing/child';
import { createUser, digestDomain } from './testing/db';
import { runFaultOp, type FaultOpName } from './testing/fault-ops';
import { recordFigure } from './testing/figures';
import { mailCatcher, tokenIn } from './testing/invitations';
import { enqueueTestNotice } from './testing/seed';
import { startSmtpCapture, type SmtpCapture } from './testing/smtp-capture';
import { mintToken } from './tokens';

const CHILD = 'lib/testing/children/fault-op.ts';
const db = () => getDb();

type Case = {
  point: FaultPointName;
  op: FaultOpName;
  /** Which variant of the operation, when one op has several cases at one point. */
  note?: string;
  setup: () => Promise<Record<string, unknown>>;
  /** Beyond the digest: what must hold after the kill (nothing of it written) and after the twin (all of it). */
  check?: (params: Record<string, unknown>, phase: 'killed' | 'committed') => Promise<void>;
};

const userParams = async () => {
  const u = await createUser();
  return { userId: u.userId, email: u.email };
};
const withSessions = async () => {
  const p = await userParams();
  const expires = new Date(Date.now() + 86_400_000);
  await db()
    .insert(sessions)
    .values(
      [1, 2].map(() => ({ sessionToken: crypto.randomBytes(16).toString('hex'), userId: p.userId, expires })),
    );
  return p;
};
const setups = {
  locale: async () => ({ ...(await userParams()), locale: 'hy' }),
  signOut: withSessions,
  token: async () => {
    const email = `t${crypto.randomBytes(3).toString('hex')}@example.org`;
    const token = await mintToken(db(), {
      purpose: 'test',
      subjectId: crypto.randomUUID(),
      email,
      expiresAt: new Date(Date.now() + 3600_000),
    });
    return { token, email };
  },
  org: async () => ({
    ...(await userParams()),
    name: `Crash Test Org ${crypto.randomBytes(4).toString('hex')}`,
  }),
  member: async () => {
    const owner = await userParams();
    const org = await createOrganization(
      { db: db(), actor: owner },
      { name: `Crash Members ${crypto.randomBytes(4).toString('hex')}`, confirmDistinct: true },
    );
    const member = await createUser();
    const [m] = await db()
      .insert(memberships)
      .values({ orgId: org.id, userId: member.userId, role: 'member' })
      .returning();
    return { ...owner, orgId: org.id, membershipId: m!.id, role: 'admin' };
  },
  /** A statement whose primary text was saved twice (version 2), and the next save on top of it. */
  statementSave: async () => {
    const owner = await userParams();
    const { createStatement, saveText } = await import('./statements');
    const c = { db: db(), actor: owner };
    const org = await createOrganization(c, {
      name: `Crash Drafts ${crypto.randomBytes(4).toString('hex')}`,
      confirmDistinct: true,
    });
    const { id } = await createStatement(c, {
      orgId: org.id,
      title: 'Open letter',
      primaryLang: 'hy',
      summary: null,
      timeZone: 'Asia/Yerevan',
    });
    for (const [v, text] of ['First draft', 'Second draft'].entries())
      await saveText(c, {
        statementId: id,
        lang: 'hy',
        baseVersion: v,
        title: 'Open letter',
        doc: paragraphs(text),
      });
    return {
      ...owner,
      statementId: id,
      lang: 'hy',
      baseVersion: 2,
      version: 1,
      title: 'Open letter, killed mid-save',
      doc: paragraphs('Third draft'),
    };
  },
};
/** A statement under review whose initiators include someone other than the commenter (so a digest row is written). */
async function commentSetup() {
  const owner = await userParams();
  const c = { db: db(), actor: owner };
  const org = await createOrganization(c, {
    name: `Crash Review ${crypto.randomBytes(4).toString('hex')}`,
    confirmDistinct: true,
  });
  const member = await createUser();
  await db().insert(memberships).values({ orgId: org.id, userId: member.userId, role: 'member' });
  const { createStatement } = await import('./statements');
  const { id } = await createStatement(c, {
    orgId: org.id,
    title: 'Open letter',
    primaryLang: 'hy',
    summary: null,
    timeZone: 'Asia/Yerevan',
  });
  return { userId: member.userId, email: member.email, statementId: id, body: 'Killed mid-comment' };
}
/** The comment, its audit event and its digest rows: all of them, or none. */
async function commentAllOrNothing(p: Record<string, unknown>, phase: 'killed' | 'committed') {
  const id = String(p.statementId);
  const comments = await db().select().from(statementComments).where(eq(statementComments.statementId, id));
  const events = await db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, id), eq(auditEvents.type, 'comment.added')));
  const mail = await db()
    .select()
    .from(outbox)
    .where(sql`${outbox.dedupeKey} LIKE ${`comments:${id}:%`}`);
  const n = phase === 'killed' ? 0 : 1;
  expect([comments.length, events.length, mail.length]).toEqual([n, n, n]);
  if (n) expect(events[0]!.data.commentId).toBe(comments[0]!.id);
}

/** An initiator's statement and an organization (and a contact) to invite, with a sign-by instant. */
async function inviteSetup() {
  const owner = await userParams();
  const c = { db: db(), actor: owner };
  const org = await createOrganization(c, { name: `Crash Inviters ${crypto.randomBytes(4).toString('hex')}`, confirmDistinct: true });
  const other = await createUser();
  const target = await createOrganization(
    { db: db(), actor: other },
    { name: `Crash Invited ${crypto.randomBytes(4).toString('hex')}`, confirmDistinct: true },
  );
  const { createStatement } = await import('./statements');
  const { id } = await createStatement(c, { orgId: org.id, title: 'Open letter', primaryLang: 'en', summary: null, timeZone: 'Asia/Yerevan' });
  return {
    ...owner,
    statementId: id,
    orgId: target.id,
    contact: `crash-contact-${crypto.randomBytes(3).toString('hex')}@example.org`,
    signBy: new Date(Date.now() + 10 * 86_400_000).toISOString(),
  };
}
/** The invitations, their invitation.sent events and their mail (invitation + 2 reminders each): all, or none. */
async function inviteAllOrNothing(p: Record<string, unknown>, phase: 'killed' | 'committed') {
  const id = String(p.statementId);
  const invs = await db().select().from(statementInvitations).where(eq(statementInvitations.statementId, id));
  const events = await db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, id), eq(auditEvents.type, 'invitation.sent')));
  const mail = invs.length
    ? await db().select().from(outbox).where(inArray(sql`${outbox.data}->>'invitationId'`, invs.map((i) => i.id)))
    : [];
  expect([invs.length, events.length, mail.length]).toEqual(phase === 'killed' ? [0, 0, 0] : [2, 2, 6]);
}
/** An organization invited to a statement, and its owner about to accept (by the mailed link, or from the dashboard). */
async function acceptSetup(by: 'token' | 'id') {
  const initiator = await userParams();
  const c = { db: db(), actor: initiator };
  const org = await createOrganization(c, { name: `Crash Accept ${crypto.randomBytes(4).toString('hex')}`, confirmDistinct: true });
  const { createStatement } = await import('./statements');
  const { inviteOrganizations } = await import('./invitations');
  const { id } = await createStatement(c, { orgId: org.id, title: `Letter ${crypto.randomBytes(4).toString('hex')}`, primaryLang: 'en', summary: null, timeZone: 'Asia/Yerevan' });
  const owner = await userParams();
  const target = await createOrganization({ db: db(), actor: owner }, { name: `Crash Accepting ${crypto.randomBytes(4).toString('hex')}`, confirmDistinct: true });
  const r = await inviteOrganizations(c, { statementId: id, kind: 'participant', targets: [{ orgId: target.id }], locale: 'en' });
  const invitationId = r.created[0]!.invitationId;
  const catcher = mailCatcher();
  const token = tokenIn(await catcher.deliver(), owner.email);
  return { ...owner, orgId: target.id, statementId: id, ...(by === 'token' ? { token } : { invitationId }), _invitationId: invitationId };
}
/** Accepted, the participant row, the invitation.accepted event, the links ended: all of it, or none. */
async function acceptAllOrNothing(p: Record<string, unknown>, phase: 'killed' | 'committed') {
  const id = String(p._invitationId);
  const [inv] = await db().select().from(statementInvitations).where(eq(statementInvitations.id, id));
  const parts = await db().select().from(statementParticipants).where(eq(statementParticipants.statementId, String(p.statementId)));
  const events = await db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainId, String(p.statementId)), eq(auditEvents.type, 'invitation.accepted')));
  const { liveTokenCount } = await import('./invitations');
  const live = await liveTokenCount(db(), id);
  if (phase === 'killed') expect([inv!.status, parts.length, events.length, live]).toEqual(['pending', 0, 0, 1]);
  else expect([inv!.status, parts.length, events.length, live]).toEqual(['accepted', 1, 1, 0]);
}

/**
 * Signing: an organization's owner with a statement of it (a saved primary text), frozen at `stage` ≥ open, signed
 * at `stage` = signed, signed and withdrawn at `stage` = withdrawn. The owner signs for the organization (policy
 * admins).
 */
async function signingSetup(stage: 'draft' | 'open' | 'signed' | 'withdrawn') {
  const owner = await userParams();
  const c = { db: db(), actor: owner };
  const org = await createOrganization(c, { name: `Crash Signers ${crypto.randomBytes(4).toString('hex')}`, confirmDistinct: true });
  const { createStatement, saveText } = await import('./statements');
  const { freezeVersion, signForOrganization, withdrawSignature } = await import('./signing');
  const { id } = await createStatement(c, { orgId: org.id, title: 'Open letter', primaryLang: 'hy', summary: null, timeZone: 'Asia/Yerevan' });
  await saveText(c, { statementId: id, lang: 'hy', baseVersion: 0, title: 'Open letter', doc: paragraphs('We call for an open budget.') });
  const p = { ...owner, statementId: id, orgId: org.id, version: 1, reason: 'Killed mid-withdrawal' };
  if (stage === 'draft') return p;
  await freezeVersion(c, { statementId: id });
  if (stage === 'open') return p;
  await signForOrganization(c, { statementId: id, orgId: org.id, version: 1 });
  if (stage === 'withdrawn') await withdrawSignature(c, { statementId: id, orgId: org.id, reason: 'For now' });
  return p;
}
const statementEvents = (id: string, type: string) =>
  db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, id), sql`${auditEvents.type} = ${type}`));
/** The version row, the statement's state and current version, and the version.frozen event: all, or none. */
async function freezeAllOrNothing(p: Record<string, unknown>, phase: 'killed' | 'committed') {
  const id = String(p.statementId);
  const [st] = await db().select().from(statements).where(eq(statements.id, id));
  const versions = await db().select().from(statementVersions).where(eq(statementVersions.statementId, id));
  const events = await statementEvents(id, 'version.frozen');
  if (phase === 'killed') expect([st!.state, st!.currentVersion, versions.length, events.length]).toEqual(['draft', null, 0, 0]);
  else {
    expect([st!.state, st!.currentVersion, versions.length, events.length]).toEqual(['open', 1, 1, 1]);
    expect(events[0]!.data.contentSha256).toBe(versions[0]!.contentSha256);
  }
}
/**
 * Signing (first time, or reinstating a withdrawn signature): the signature row, its binding, the reinstated event,
 * the signature.* audit event naming the binding and the receipt: never a binding without its event, never a
 * signature without a binding.
 */
const signAllOrNothing = (variant: 'first' | 'reinstate') => async (p: Record<string, unknown>, phase: 'killed' | 'committed') => {
  const id = String(p.statementId);
  const sigs = await db().select().from(signatures).where(eq(signatures.statementId, id));
  const bindings = await db().select().from(signatureBindings).where(eq(signatureBindings.statementId, id));
  const sigEvents = sigs.length ? await db().select().from(signatureEvents).where(eq(signatureEvents.signatureId, sigs[0]!.id)) : [];
  const type = variant === 'first' ? 'signature.signed' : 'signature.reinstated';
  const events = await statementEvents(id, type);
  const receipts = await db().select().from(outbox).where(sql`${outbox.kind} = 'signature.receipt' AND ${outbox.data}->>'statementId' = ${id}`);
  const done = phase === 'committed' ? 1 : 0;
  if (variant === 'first') expect([sigs.length, bindings.length, events.length, receipts.length]).toEqual([done, done, done, done]);
  else {
    // Before: one signature, its first binding and receipt, withdrawn (one event); after: reinstated on top.
    expect([sigs.length, bindings.length, sigEvents.map((e) => e.kind), events.length, receipts.length]).toEqual(
      done ? [1, 2, ['withdrawn', 'reinstated'], 1, 2] : [1, 1, ['withdrawn'], 0, 1],
    );
  }
  // Every binding has exactly one event naming it.
  const bound = [...(await statementEvents(id, 'signature.signed')), ...(await statementEvents(id, 'signature.reinstated'))];
  for (const b of bindings) expect(bound.filter((e) => e.data.bindingId === b.id)).toHaveLength(1);
};
/** The withdrawn signature event and its signature.withdrawn audit event: both, or neither. */
async function withdrawAllOrNothing(p: Record<string, unknown>, phase: 'killed' | 'committed') {
  const id = String(p.statementId);
  const [sig] = await db().select().from(signatures).where(eq(signatures.statementId, id));
  const evs = await db().select().from(signatureEvents).where(eq(signatureEvents.signatureId, sig!.id));
  const audits = await statementEvents(id, 'signature.withdrawn');
  const n = phase === 'committed' ? 1 : 0;
  expect([evs.filter((e) => e.kind === 'withdrawn').length, audits.length]).toEqual([n, n]);
}

/** A published statement open for joining, and an individual's confirmed (pending) request its owner is about to approve. */
async function joinSetup() {
  const owner = await userParams();
  const org = await createOrganization({ db: db(), actor: owner }, { name: `Crash Joiners ${crypto.randomBytes(4).toString('hex')}`, confirmDistinct: true });
  const { publishForJoining, askAndConfirm } = await import('./testing/joining');
  const { statementId, slug } = await publishForJoining(owner, org.id);
  const { requestId } = await askAndConfirm(mailCatcher(), {
    slug,
    kind: 'individual',
    name: 'Anahit Petrosyan',
    title: 'human rights defender',
    email: `crash-joiner-${crypto.randomBytes(3).toString('hex')}@example.org`,
  });
  return { ...owner, statementId, requestId };
}
/** Approved, the join_request signature and its binding, the join.approved event, the new record and the mail: all, or none. */
async function approveAllOrNothing(p: Record<string, unknown>, phase: 'killed' | 'committed') {
  const id = String(p.statementId);
  const [req] = await db().select().from(joinRequests).where(eq(joinRequests.id, String(p.requestId)));
  const sigs = await db().select().from(signatures).where(and(eq(signatures.statementId, id), eq(signatures.method, 'join_request')));
  const bindings = sigs.length ? await db().select().from(signatureBindings).where(eq(signatureBindings.signatureId, sigs[0]!.id)) : [];
  const events = await statementEvents(id, 'join.approved');
  const [pub] = await db().select({ recordSeq: publications.recordSeq }).from(publications).where(eq(publications.statementId, id));
  const mail = await db().select().from(outbox).where(eq(outbox.dedupeKey, `join-approved:${String(p.requestId)}`));
  const n = phase === 'committed' ? 1 : 0;
  expect([req!.status, sigs.length, bindings.length, events.length, mail.length]).toEqual([n ? 'approved' : 'pending', n, n, n, n]);
  // Published with record 1; the approval issues record 2 with it.
  expect(pub!.recordSeq).toBe(1 + n);
}

/** A statement frozen and signed by its initiator (its owner), and the slug it is about to be published at. */
async function publishSetup() {
  return { ...(await signingSetup('signed')), slug: `crash-${crypto.randomBytes(4).toString('hex')}`, displayDate: '2024-05-01' };
}
/** The state change, the publication row, the statement.published event, record 1 and the mail to the signers: all, or none. */
async function publishAllOrNothing(p: Record<string, unknown>, phase: 'killed' | 'committed') {
  const id = String(p.statementId);
  const [st] = await db().select({ state: statements.state }).from(statements).where(eq(statements.id, id));
  const pubs = await db().select().from(publications).where(eq(publications.statementId, id));
  const records = await db().select().from(publicRecords).where(eq(publicRecords.statementId, id));
  const events = await statementEvents(id, 'statement.published');
  const mail = await db().select().from(outbox).where(sql`${outbox.kind} = 'statement.published' AND ${outbox.data}->>'statementId' = ${id}`);
  if (phase === 'killed') expect([st!.state, pubs.length, records.length, events.length, mail.length]).toEqual(['open', 0, 0, 0, 0]);
  else {
    expect([st!.state, pubs.length, records.map((r) => r.seq), events.length, mail.length]).toEqual(['published', 1, [1], 1, 1]);
    expect(pubs[0]).toMatchObject({ slug: p.slug, recordSeq: 1 });
    expect(mail[0]!.auditEventId).toBe(events[0]!.id);
  }
}

const paragraphs = (text: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

/** lock_version, the revision row and its audit event: all three at version 3, or none of them. */
async function draftAllOrNothing(p: Record<string, unknown>, phase: 'killed' | 'committed') {
  const id = String(p.statementId);
  const [text] = await db()
    .select()
    .from(statementTexts)
    .where(and(eq(statementTexts.statementId, id), eq(statementTexts.lang, 'hy')));
  const revs = await db().select().from(statementRevisions).where(eq(statementRevisions.statementId, id));
  const events = await db()
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.chainType, 'statement'),
        eq(auditEvents.chainId, id),
        sql`${auditEvents.type} IN ('draft.saved', 'draft.restored')`,
      ),
    );
  const [st] = await db().select().from(statements).where(eq(statements.id, id));
  if (phase === 'killed') {
    expect(text!.lockVersion).toBe(2);
    expect(revs.map((r) => r.version).sort()).toEqual([1, 2]);
    expect(events).toHaveLength(2);
    expect(st!.lastEditedAt.getTime()).toBe(text!.updatedAt.getTime());
  } else {
    expect(text!.lockVersion).toBe(3);
    const rev = revs.find((r) => r.version === 3)!;
    expect(rev).toBeDefined();
    expect(text!.doc).toEqual(rev.doc);
    expect(events.filter((e) => e.data.revisionId === rev.id)).toHaveLength(1);
  }
}

// Every transactional fault point, with each operation that passes it.
const TX_CASES: Case[] = [
  { point: 'audit.before_event_insert', op: 'users.setInterfaceLocale', setup: setups.locale },
  { point: 'audit.before_event_insert', op: 'users.signOutEverywhere', setup: setups.signOut },
  { point: 'audit.after_event_insert', op: 'users.setInterfaceLocale', setup: setups.locale },
  { point: 'audit.after_event_insert', op: 'users.signOutEverywhere', setup: setups.signOut },
  { point: 'users.after_state_change', op: 'users.setInterfaceLocale', setup: setups.locale },
  { point: 'users.after_state_change', op: 'users.signOutEverywhere', setup: setups.signOut },
  { point: 'outbox.after_enqueue', op: 'users.signOutEverywhere', setup: setups.signOut },
  { point: 'tokens.after_consume', op: 'tokens.consume', setup: setups.token },
  { point: 'orgs.after_create', op: 'orgs.create', setup: setups.org },
  { point: 'members.after_membership_change', op: 'members.changeRole', setup: setups.member },
  {
    point: 'statements.after_text_update',
    op: 'statements.saveText',
    setup: setups.statementSave,
    check: draftAllOrNothing,
  },
  {
    point: 'statements.after_text_update',
    op: 'statements.restoreRevision',
    setup: setups.statementSave,
    check: draftAllOrNothing,
  },
  {
    point: 'comments.after_insert',
    op: 'comments.add',
    setup: commentSetup,
    check: commentAllOrNothing,
  },
  // Invitations: inviting (invitation rows, events, mail and reminders) and accepting (status, participant, event, links).
  { point: 'invitations.after_insert', op: 'invitations.invite', setup: inviteSetup, check: inviteAllOrNothing },
  { point: 'outbox.after_enqueue', op: 'invitations.invite', setup: inviteSetup, check: inviteAllOrNothing },
  { point: 'invitations.after_accept', op: 'invitations.accept', note: 'by the link', setup: () => acceptSetup('token'), check: acceptAllOrNothing },
  { point: 'invitations.after_accept', op: 'invitations.accept', note: 'from the dashboard', setup: () => acceptSetup('id'), check: acceptAllOrNothing },
  { point: 'tokens.after_consume', op: 'invitations.accept', note: 'by the link', setup: () => acceptSetup('token'), check: acceptAllOrNothing },
  { point: 'audit.after_event_insert', op: 'invitations.accept', note: 'by the link', setup: () => acceptSetup('token'), check: acceptAllOrNothing },
  // Signing: freezing (version row, state, event, mail), signing and reinstating (signature, binding, event, receipt),
  // withdrawing (signature event and its audit event).
  { point: 'signing.after_freeze', op: 'signing.freeze', setup: () => signingSetup('draft'), check: freezeAllOrNothing },
  { point: 'signing.after_binding', op: 'signing.sign', note: 'first signature', setup: () => signingSetup('open'), check: signAllOrNothing('first') },
  { point: 'signing.after_binding', op: 'signing.sign', note: 'reinstating a withdrawn signature', setup: () => signingSetup('withdrawn'), check: signAllOrNothing('reinstate') },
  { point: 'audit.after_event_insert', op: 'signing.sign', note: 'first signature', setup: () => signingSetup('open'), check: signAllOrNothing('first') },
  { point: 'outbox.after_enqueue', op: 'signing.sign', note: 'the receipt', setup: () => signingSetup('open'), check: signAllOrNothing('first') },
  { point: 'signing.after_withdraw', op: 'signing.withdraw', setup: () => signingSetup('signed'), check: withdrawAllOrNothing },
  // Publishing: the state change, the publication row, its event, record 1 and the mail to the signers.
  { point: 'publishing.after_publish', op: 'publishing.publish', setup: publishSetup, check: publishAllOrNothing },
  { point: 'audit.after_event_insert', op: 'publishing.publish', setup: publishSetup, check: publishAllOrNothing },
  { point: 'outbox.after_enqueue', op: 'publishing.publish', note: 'the mail to the signers', setup: publishSetup, check: publishAllOrNothing },
  // Open joining: approving a confirmed request (signature, binding, decision, event, record revision, mail).
  { point: 'joining.after_approve', op: 'joining.approve', setup: joinSetup, check: approveAllOrNothing },
  { point: 'audit.after_event_insert', op: 'joining.approve', setup: joinSetup, check: approveAllOrNothing },
  { point: 'outbox.after_enqueue', op: 'joining.approve', note: "the requester's notice", setup: joinSetup, check: approveAllOrNothing },
  // The audit points, passed by a save too (its event is written last in the same transaction).
  {
    point: 'audit.before_event_insert',
    op: 'statements.saveText',
    setup: setups.statementSave,
    check: draftAllOrNothing,
  },
  {
    point: 'audit.after_event_insert',
    op: 'statements.saveText',
    setup: setups.statementSave,
    check: draftAllOrNothing,
  },
];
// Points outside a transaction, tested for recovery instead of atomicity.
const RELAY_POINTS: FaultPointName[] = ['outbox.relay_after_send'];

let capture: SmtpCapture;
let killed = 0;
const killedPoints = new Set<string>();

function runWithFault(
  point: FaultPointName,
  op: FaultOpName,
  params: unknown,
  env: Record<string, string> = {},
) {
  return runTs(CHILD, [JSON.stringify({ op, params })], { ...env, FAULT_POINTS: '1', FAULT_POINT: point });
}

async function expectNoFindings() {
  const findings = (await checkInvariants(db())).filter((f) => f.count > 0);
  expect(findings).toEqual([]);
}

beforeAll(async () => {
  capture = await startSmtpCapture();
});
afterAll(async () => {
  await capture.close();
  if (killed > 0)
    recordFigure(
      'crash-kill-points',
      `Crash: ${killed} kill points (${killedPoints.size} fault points), 0 half-written`,
    );
});

describe('crash at every fault point', () => {
  it('every fault point has a crash case', () => {
    const covered = new Set<string>([...TX_CASES.map((c) => c.point), ...RELAY_POINTS]);
    expect(
      FAULT_POINT_NAMES.filter((p) => !covered.has(p)),
      'fault points without a case in lib/faults.test.ts',
    ).toEqual([]);
  });

  for (const c of TX_CASES) {
    it(`${c.point} during ${c.op}${c.note ? ` (${c.note})` : ''}: killed mid-transaction, nothing half-written; the same operation then commits`, async () => {
      const params = await c.setup();
      const before = await digestDomain();
      const r = await runWithFault(c.point, c.op, params);
      // Dying by SIGKILL proves the point was reached (a run that misses it exits 0).
      expect({ signal: r.signal, code: r.code }, r.stderr).toEqual({ signal: 'SIGKILL', code: null });
      killed++;
      killedPoints.add(c.point);
      expect(await digestDomain()).toBe(before);
      await c.check?.(params, 'killed');
      await expectNoFindings();

      // The allowed twin: unarmed, the same operation writes.
      await runFaultOp(c.op, params);
      expect(await digestDomain()).not.toBe(before);
      await c.check?.(params, 'committed');
      await expectNoFindings();
    });
  }

  it('outbox.relay_after_send: killed after the SMTP send; the row stays leased, then is claimable after lease expiry', async () => {
    // Only this test's row is due.
    await db().update(outbox).set({ status: 'cancelled' }).where(eq(outbox.status, 'pending'));
    const { dedupeKey } = await enqueueTestNotice({ to: 'crash-relay@example.org', n: 7 });
    const row = async () => (await db().select().from(outbox).where(eq(outbox.dedupeKey, dedupeKey)))[0]!;

    const r = await runWithFault(
      'outbox.relay_after_send',
      'outbox.relayOnce',
      {},
      { SMTP_URL: capture.url },
    );
    expect({ signal: r.signal, code: r.code }, r.stderr).toEqual({ signal: 'SIGKILL', code: null });
    killed++;
    killedPoints.add('outbox.relay_after_send');
    expect(capture.perRecipient().get('crash-relay@example.org')).toBe(1);
    const leased = await row();
    expect(leased).toMatchObject({ status: 'sending', attempts: 1, sentAt: null });
    expect(leased.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    await expectNoFindings();

    // While the dead relay's lease runs, no other relay takes the row.
    const fail = { send: async () => expect.fail('a leased row was sent again') };
    expect(await relayOnce(db(), { transport: fail })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
      cancelled: 0,
    });

    // Left alone far past its lease, the checker reports it as stuck…
    await db()
      .update(outbox)
      .set({ lockedUntil: sql`now() - interval '11 minutes'` })
      .where(eq(outbox.dedupeKey, dedupeKey));
    const stuck = (await checkInvariants(db())).find((f) => f.name === 'outbox.stuck_sending')!;
    expect(stuck.count).toBe(1);

    // …and any relay picks it up again: delivered at least once (here, twice), then marked sent.
    const prev = process.env.SMTP_URL;
    process.env.SMTP_URL = capture.url;
    try {
      expect(await relayOnce(db())).toMatchObject({ sent: 1 });
    } finally {
      if (prev === undefined) delete process.env.SMTP_URL;
      else process.env.SMTP_URL = prev;
    }
    expect(await row()).toMatchObject({ status: 'sent', attempts: 2, lockedUntil: null });
    expect(capture.perRecipient().get('crash-relay@example.org')).toBe(2);
    await expectNoFindings();
  });
});
