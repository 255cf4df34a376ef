// Operations the crash tests run in a child process with a fault point armed (FAULT_POINTS=1 FAULT_POINT=…).
// Each takes plain JSON parameters, so the same operation can run in the child (to be killed) and in the
// test process (its "allowed" twin). Add one here when a new fault point needs a new operation.
import { getDb } from '@/db';
import type { Locale } from '../i18n';
import { relayOnce } from '../outbox';
import { consumeToken } from '../tokens';
import { setInterfaceLocale, signOutEverywhere } from '../users';
import type { OrgRole } from '@/db/schema';

type ActorParams = { userId: string; email: string };
const ctx = (p: ActorParams) => ({ db: getDb(), actor: { userId: p.userId, email: p.email } });

export const FAULT_OPS = {
  'users.setInterfaceLocale': (p: ActorParams & { locale: Locale | null }) =>
    setInterfaceLocale(ctx(p), { locale: p.locale }),
  'users.signOutEverywhere': (p: ActorParams) => signOutEverywhere(ctx(p)),
  'tokens.consume': (p: { token: string; email: string }) =>
    getDb().transaction((tx) => consumeToken(tx, { token: p.token, purpose: 'test', email: p.email })),
  'outbox.relayOnce': () => relayOnce(getDb()),
  // Imported on use: the organization modules load image libraries the other operations do not need.
  'orgs.create': async (p: ActorParams & { name: string }) =>
    (await import('../orgs')).createOrganization(ctx(p), { name: p.name, confirmDistinct: true }),
  'members.changeRole': async (p: ActorParams & { orgId: string; membershipId: string; role: OrgRole }) =>
    (await import('../members')).changeMemberRole(ctx(p), {
      orgId: p.orgId,
      membershipId: p.membershipId,
      role: p.role,
    }),
  // Imported on use: the statement module loads the editor schema (Tiptap) the other operations do not need.
  'statements.saveText': async (
    p: ActorParams & { statementId: string; lang: string; baseVersion: number; title: string; doc: unknown },
  ) =>
    (await import('../statements')).saveText(ctx(p), {
      statementId: p.statementId,
      lang: p.lang,
      baseVersion: p.baseVersion,
      title: p.title,
      doc: p.doc,
    }),
  'statements.restoreRevision': async (
    p: ActorParams & { statementId: string; lang: string; version: number; baseVersion: number },
  ) =>
    (await import('../statements')).restoreRevision(ctx(p), {
      statementId: p.statementId,
      lang: p.lang,
      version: p.version,
      baseVersion: p.baseVersion,
    }),
  'comments.add': async (p: ActorParams & { statementId: string; body: string }) =>
    (await import('../comments')).addComment(ctx(p), { statementId: p.statementId, body: p.body }),
  // An initiator admin invites an organization and a contact, with a sign-by instant (so reminders are written too).
  'invitations.invite': async (p: ActorParams & { statementId: string; orgId: string; contact: string; signBy: string }) =>
    (await import('../invitations')).inviteOrganizations(ctx(p), {
      statementId: p.statementId,
      kind: 'participant',
      targets: [{ orgId: p.orgId }, { email: p.contact }],
      signBy: new Date(p.signBy),
      locale: 'en',
    }),
  // An owner/admin accepts for their organization, by the link's token or from the dashboard (invitation id).
  'invitations.accept': async (p: ActorParams & { orgId: string; token?: string; invitationId?: string }) =>
    (await import('../invitations')).acceptInvitation(ctx(p), {
      ...(p.token ? { token: p.token } : { invitationId: p.invitationId! }),
      orgId: p.orgId,
    }),
  // Imported on use, as the statement module: freezing (draft → open), signing for one's organization, withdrawing.
  'signing.freeze': async (p: ActorParams & { statementId: string }) =>
    (await import('../signing')).freezeVersion(ctx(p), { statementId: p.statementId }),
  'signing.sign': async (p: ActorParams & { statementId: string; orgId: string; version: number }) =>
    (await import('../signing')).signForOrganization(ctx(p), { statementId: p.statementId, orgId: p.orgId, version: p.version }),
  'signing.withdraw': async (p: ActorParams & { statementId: string; orgId: string; reason: string }) =>
    (await import('../signing')).withdrawSignature(ctx(p), { statementId: p.statementId, orgId: p.orgId, reason: p.reason }),
  // An initiator admin approves a confirmed join request (signature, binding, request decided, event, record, mail).
  'joining.approve': async (p: ActorParams & { statementId: string; requestId: string }) =>
    (await import('../joining')).approveJoinRequest(ctx(p), { statementId: p.statementId, requestId: p.requestId }),
  // An initiator admin publishes the open version (state, publication row, event, record 1, mail to the signers).
  'publishing.publish': async (p: ActorParams & { statementId: string; slug: string; displayDate: string }) =>
    (await import('../publishing')).publishStatement(ctx(p), {
      statementId: p.statementId,
      slug: p.slug,
      displayDate: p.displayDate,
      listOrder: 'joined',
      joinUntil: null,
    }),
} satisfies Record<string, (p: never) => Promise<unknown>>;

export type FaultOpName = keyof typeof FAULT_OPS;

export function runFaultOp(op: FaultOpName, params: unknown): Promise<unknown> {
  const fn = FAULT_OPS[op] as (p: unknown) => Promise<unknown>;
  if (!fn) throw new Error(`unknown fault op ${op}`);
  return fn(params);
}
