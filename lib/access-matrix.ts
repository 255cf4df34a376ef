// The access matrix as data (SECURITY.md "Access matrix", "Tests that prove it"). One entry per exported
// server action and per exported route-handler method; lib/registry.test.ts fails when the source tree and
// this list disagree, lib/access.test.ts runs every cell against the domain functions, and e2e/csrf.spec.ts
// sends every origin-checked mutation over HTTP with a foreign Origin, none, and Sec-Fetch-Site: cross-site.
//
// Growing it: a new action or route method gets an entry here (the registry test tells you which), its cells
// get a scenario in lib/access.test.ts, and — when it mutates and is origin-checked — an HTTP recipe in
// e2e/helpers/registry.ts. Later issues add the statement and organization roles below to `cells`; a role of
// an entry's role set that does not exist in the product yet (participants, before invitations) is listed in
// the entry's `pending` with the reason, and the registry test prints it until it gets its cells.
import type { ErrorCode } from './errors';

/** Foundation roles: signed out; signed in acting on one's own account; signed in aiming at someone else's. */
export const FOUNDATION_ROLES = ['ANON', 'USER', 'OTHER'] as const;
/** Statement roles (SECURITY.md): arrive with statements. */
export const STATEMENT_ROLES = ['ANON', 'OTHER', 'INV-P', 'INV-M', 'INIT-M', 'INIT-A'] as const;
/** Roles within an organization X (SECURITY.md "Organization actions"), plus signed out. */
export const ORG_ROLES = ['ANON', 'NON-MEMBER', 'MEMBER', 'ADMIN', 'OWNER'] as const;
/** For an invitation: signed out; signed in with the invited address; signed in with another (a forwarded link). */
export const INVITATION_ROLES = ['ANON', 'INVITED', 'OTHER'] as const;

export const ROLE_SETS = {
  foundation: FOUNDATION_ROLES,
  organization: ORG_ROLES,
  invitation: INVITATION_ROLES,
  statement: STATEMENT_ROLES,
} as const;
export type RoleSet = keyof typeof ROLE_SETS;
export type Role = (typeof ROLE_SETS)[RoleSet][number];

export type Expect =
  /** The call succeeds and changes what it should (the "allowed" twin of every denial). */
  | { outcome: 'allow' }
  /** Refused with this code and nothing in the domain tables changes. One code per cell, whether or not the object exists (I2). */
  | { outcome: 'deny'; code: ErrorCode }
  /**
   * The action takes no target id: it acts on `ctx.actor` only, so aiming it at someone else's account is
   * impossible by construction (IDOR cannot be expressed). Tested as: the other account is left unchanged.
   */
  | { outcome: 'own-only'; reason: string }
  /** A fixed HTTP answer that is not a domain decision (e.g. 405 on a GET that would consume a token). */
  | { outcome: 'status'; status: number; reason: string }
  /** Refused by a library we delegate to (Auth.js), in its own way; nothing changes. */
  | { outcome: 'refused'; by: string; how: string };

export type Cell = {
  role: Role;
  /** The object's state or the request's shape when it matters (later: 'draft', 'frozen', 'published'…). */
  state?: string;
  expect: Expect;
};

export type CsrfRule =
  | { rule: 'origin-checked' }
  /** Not protected by the Origin check; `reason` says what protects it instead. */
  | { rule: 'exempt'; reason: string };

/** Where the cells are proved below HTTP. */
export type LibTarget =
  | { fn: `lib/${string}.ts#${string}` }
  /** No domain function of ours (e.g. delegated to Auth.js): the cells are proved over HTTP only. */
  | { none: string };

export type EntryId = `app/${string}.ts#${string}`;

export type MatrixEntry = {
  id: EntryId;
  kind: 'action' | 'route';
  /** What it does, for people reading the report. */
  summary: string;
  /** Whether it can change server-side state (domain tables, sessions, mail sent). */
  mutates: boolean;
  /** Whether it runs without a session. */
  public: boolean;
  csrf: CsrfRule;
  lib: LibTarget;
  /** The roles its cells are written for; every one of them has at least one cell (or is listed in `pending`). */
  roles: RoleSet;
  /**
   * Roles of the role set that cannot be written yet because they do not exist in the product yet (e.g.
   * participants, who arrive with invitations), each group with why. The registry test prints them in its
   * report; a pending role has no cells, and it stops being pending by getting them.
   */
  pending?: { roles: Role[]; reason: string }[];
  /**
   * Test files (besides lib/access.test.ts) that run these cells against the lib function, each denial with an
   * unchanged digest and an allowed twin. lib/access.test.ts still runs the wiring every action shares (signed
   * out, extra fields, origin) for every action.
   */
  provedBy?: `lib/${string}.test.ts`[];
  /**
   * Server actions: form fields its schema accepts (ids random). The wiring tests send it signed out, with
   * extra fields, and cross-site (lib/access.test.ts, e2e/csrf.spec.ts), so what refuses is what is tested.
   */
  sample?: () => Record<string, string>;
  cells: Cell[];
};

const uuid = () => crypto.randomUUID();
const rnd = () => uuid().slice(0, 8);

const OWN_ONLY =
  'no target id in its input: it acts on the signed-in account only, so IDOR is impossible by construction';
const AUTHJS_CSRF =
  "Auth.js's own POST endpoints (signout, session update) check Auth.js's double-submit CSRF token; its cookie is SameSite=Lax, so a cross-site page cannot send it. The app's own UI never posts here (sign-in and sign-out go through server actions); signin and the e-mail callback answer 405 before Auth.js sees them.";

// ---- organizations (SECURITY.md "Organization actions"; lib/org-access.test.ts runs these cells) ----

type OrgCells = Record<'ANON' | 'NON-MEMBER' | 'MEMBER' | 'ADMIN' | 'OWNER', Expect>;
const allow: Expect = { outcome: 'allow' };
const deny = (code: ErrorCode): Expect => ({ outcome: 'deny', code });
/** Signed out → sign in first; non-members → the same NOT_FOUND as a missing organization (I2). */
const ADMINS: OrgCells = {
  ANON: deny('UNAUTHENTICATED'),
  'NON-MEMBER': deny('NOT_FOUND'),
  MEMBER: deny('FORBIDDEN'),
  ADMIN: allow,
  OWNER: allow,
};
const OWNERS: OrgCells = {
  ANON: deny('UNAUTHENTICATED'),
  'NON-MEMBER': deny('NOT_FOUND'),
  MEMBER: deny('FORBIDDEN'),
  ADMIN: deny('FORBIDDEN'),
  OWNER: allow,
};
const MEMBERS: OrgCells = {
  ANON: deny('UNAUTHENTICATED'),
  'NON-MEMBER': deny('NOT_FOUND'),
  MEMBER: allow,
  ADMIN: allow,
  OWNER: allow,
};
const cellsOf = (c: Partial<OrgCells>, state?: string): Cell[] =>
  (Object.entries(c) as [Role, Expect][]).map(([role, expect]) =>
    state ? { role, state, expect } : { role, expect },
  );
/** An id of another organization's membership or invitation, by an admin or owner of this one. */
const IDOR = (role: Role, what: string): Cell => ({
  role,
  state: `${what} of another organization (id substituted)`,
  expect: deny('NOT_FOUND'),
});
/** Invitations: the invited address (token or dashboard), a forwarded link / another address, signed out. */
const INVITEE = (allowed: Expect): Cell[] => [
  { role: 'ANON', expect: deny('UNAUTHENTICATED') },
  { role: 'INVITED', expect: allowed },
  {
    role: 'OTHER',
    state: 'forwarded link, or another address with the invitation id',
    expect: deny('NOT_FOUND'),
  },
  { role: 'INVITED', state: 'unknown, expired, used or revoked token', expect: deny('NOT_FOUND') },
];
const ORG_TESTS: `lib/${string}.test.ts`[] = ['lib/org-access.test.ts'];

const ORGANIZATION_ENTRIES: MatrixEntry[] = [
  {
    id: 'app/_actions/orgs.ts#createOrganizationAction',
    kind: 'action',
    summary: 'Create an organization; the creator becomes its owner (a similar name needs confirmDistinct)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ name: `Civic Group ${rnd()}`, confirmDistinct: 'on' }),
    lib: { fn: 'lib/orgs.ts#createOrganization' },
    roles: 'foundation',
    cells: [
      { role: 'ANON', expect: deny('UNAUTHENTICATED') },
      { role: 'USER', expect: allow },
      {
        role: 'OTHER',
        expect: {
          outcome: 'own-only',
          reason: 'no owner id in its input: the creator is always the signed-in account',
        },
      },
    ],
  },
  {
    id: 'app/_actions/orgs.ts#findSimilarOrganizationsAction',
    kind: 'action',
    summary: 'Organizations with a name close to this one (a warning before creating); reads only',
    mutates: false,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ name: 'Civic Group' }),
    lib: {
      none: 'similarOrganizations(db, name) reads public names only (the directory shows them); the action requires a session',
    },
    roles: 'foundation',
    cells: [
      { role: 'ANON', expect: deny('UNAUTHENTICATED') },
      { role: 'USER', expect: allow },
      {
        role: 'OTHER',
        expect: { outcome: 'own-only', reason: 'a read of public names; nothing of anyone changes' },
      },
    ],
  },
  {
    id: 'app/_actions/orgs.ts#updateOrganizationProfileAction',
    kind: 'action',
    summary: 'Edit the profile',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ orgId: uuid(), name: 'Civic Group' }),
    lib: { fn: 'lib/orgs.ts#updateOrganizationProfile' },
    roles: 'organization',
    provedBy: ORG_TESTS,
    cells: [
      ...cellsOf(ADMINS),
      { role: 'OWNER', state: "another organization's id", expect: deny('NOT_FOUND') },
    ],
  },
  {
    id: 'app/_actions/orgs.ts#setSigningPolicyAction',
    kind: 'action',
    summary: 'Change who may sign on the organization’s behalf',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ orgId: uuid(), policy: 'members' }),
    lib: { fn: 'lib/orgs.ts#setSigningPolicy' },
    roles: 'organization',
    provedBy: ORG_TESTS,
    cells: cellsOf(OWNERS),
  },
  {
    id: 'app/_actions/orgs.ts#inviteMemberAction',
    kind: 'action',
    summary: 'Invite someone by e-mail (admins: members; owners: any role)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ orgId: uuid(), email: `x-${rnd()}@example.org`, role: 'member' }),
    lib: { fn: 'lib/members.ts#inviteMember' },
    roles: 'organization',
    provedBy: ORG_TESTS,
    cells: [...cellsOf(ADMINS, 'as a member'), ...cellsOf(OWNERS, 'as an admin or owner')],
  },
  {
    id: 'app/_actions/orgs.ts#resendMemberInvitationAction',
    kind: 'action',
    summary: 'Send an invitation again with a fresh link',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ invitationId: uuid() }),
    lib: { fn: 'lib/members.ts#resendMemberInvitation' },
    roles: 'organization',
    provedBy: ORG_TESTS,
    cells: [
      ...cellsOf(ADMINS, 'a member invitation'),
      ...cellsOf(OWNERS, 'an admin invitation'),
      IDOR('OWNER', 'an invitation'),
    ],
  },
  {
    id: 'app/_actions/orgs.ts#revokeMemberInvitationAction',
    kind: 'action',
    summary: 'Revoke an invitation; its links stop working at once',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ invitationId: uuid() }),
    lib: { fn: 'lib/members.ts#revokeMemberInvitation' },
    roles: 'organization',
    provedBy: ORG_TESTS,
    cells: [
      ...cellsOf(ADMINS, 'a member invitation'),
      ...cellsOf(OWNERS, 'an admin invitation'),
      IDOR('OWNER', 'an invitation'),
    ],
  },
  {
    id: 'app/_actions/orgs.ts#previewMemberInvitationAction',
    kind: 'action',
    summary: 'What an invitation is for (by POST, never GET); reads only',
    mutates: false,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ token: `${rnd()}${rnd()}${rnd()}${rnd()}${rnd()}xyz` }),
    lib: { fn: 'lib/members.ts#previewMemberInvitation' },
    roles: 'invitation',
    provedBy: ['lib/member-invitations.test.ts'],
    cells: INVITEE(allow),
  },
  {
    id: 'app/_actions/orgs.ts#acceptMemberInvitationAction',
    kind: 'action',
    summary: 'Join the organization (token from the e-mail, or the invitation id from the dashboard)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ token: `${rnd()}${rnd()}${rnd()}${rnd()}${rnd()}xyz` }),
    lib: { fn: 'lib/members.ts#acceptMemberInvitation' },
    roles: 'invitation',
    provedBy: ['lib/member-invitations.test.ts'],
    cells: INVITEE(allow),
  },
  {
    id: 'app/_actions/orgs.ts#declineMemberInvitationAction',
    kind: 'action',
    summary: 'Decline an invitation; its links stop working',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ token: `${rnd()}${rnd()}${rnd()}${rnd()}${rnd()}xyz` }),
    lib: { fn: 'lib/members.ts#declineMemberInvitation' },
    roles: 'invitation',
    provedBy: ['lib/member-invitations.test.ts'],
    cells: INVITEE(allow),
  },
  {
    id: 'app/_actions/orgs.ts#removeMemberAction',
    kind: 'action',
    summary: 'Remove a member (admins: not owners; never the last owner)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ orgId: uuid(), membershipId: uuid() }),
    lib: { fn: 'lib/members.ts#removeMember' },
    roles: 'organization',
    provedBy: ORG_TESTS,
    cells: [
      ...cellsOf(ADMINS, 'a member or an admin'),
      ...cellsOf(OWNERS, 'an owner (another owner exists)'),
      ...cellsOf({ ADMIN: deny('INVALID_STATE'), OWNER: deny('INVALID_STATE') }, 'oneself (leave instead)'),
      IDOR('ADMIN', 'a membership'),
    ],
  },
  {
    id: 'app/_actions/orgs.ts#leaveOrganizationAction',
    kind: 'action',
    summary: 'Leave (never the last owner)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ orgId: uuid() }),
    lib: { fn: 'lib/members.ts#leaveOrganization' },
    roles: 'organization',
    provedBy: ORG_TESTS,
    cells: [
      ...cellsOf({ ...MEMBERS, OWNER: deny('INVALID_STATE') }, 'the last owner stays'),
      { role: 'OWNER', state: 'another owner exists', expect: allow },
    ],
  },
  {
    id: 'app/_actions/orgs.ts#changeMemberRoleAction',
    kind: 'action',
    summary: 'Make admin, demote, make owner (owners only; never zero owners)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ orgId: uuid(), membershipId: uuid(), role: 'admin' }),
    lib: { fn: 'lib/members.ts#changeMemberRole' },
    roles: 'organization',
    provedBy: ORG_TESTS,
    cells: [
      ...cellsOf(OWNERS, "another member's role"),
      ...cellsOf({ MEMBER: deny('FORBIDDEN'), ADMIN: deny('FORBIDDEN') }, 'promote oneself to owner'),
      { role: 'OWNER', state: 'demote oneself as the last owner', expect: deny('INVALID_STATE') },
      IDOR('OWNER', 'a membership'),
    ],
  },
  {
    id: 'app/_actions/orgs.ts#setMemberTitleAction',
    kind: 'action',
    summary: "Set a member's title (admins: non-owners; owners: anyone; everyone: their own)",
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ orgId: uuid(), membershipId: uuid(), title: 'Treasurer' }),
    lib: { fn: 'lib/members.ts#setMemberTitle' },
    roles: 'organization',
    provedBy: ORG_TESTS,
    cells: [
      ...cellsOf(ADMINS, "a member's or an admin's"),
      ...cellsOf(OWNERS, "an owner's"),
      ...cellsOf(MEMBERS, "one's own"),
      IDOR('ADMIN', 'a membership'),
    ],
  },
  {
    id: 'app/_actions/orgs.ts#transferOwnershipAction',
    kind: 'action',
    summary: 'Make another member an owner; the actor stays on as admin',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ orgId: uuid(), membershipId: uuid() }),
    lib: { fn: 'lib/members.ts#transferOwnership' },
    roles: 'organization',
    provedBy: ORG_TESTS,
    cells: [...cellsOf(OWNERS), IDOR('OWNER', 'a membership')],
  },
];

const ORGANIZATION_ROUTES: MatrixEntry[] = [
  {
    id: 'app/api/orgs/[id]/logo/route.ts#POST',
    kind: 'route',
    summary: 'Upload a logo (multipart); decoded, resized and re-encoded as PNG',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    lib: { fn: 'lib/orgs.ts#setOrganizationLogo' },
    roles: 'organization',
    provedBy: ['lib/org-access.test.ts', 'lib/orgs.test.ts'],
    cells: cellsOf(ADMINS),
  },
  {
    id: 'app/api/files/[id]/route.ts#GET',
    kind: 'route',
    summary: 'Public images (organization logos), immutable',
    mutates: false,
    public: true,
    csrf: { rule: 'exempt', reason: 'read-only' },
    lib: { none: 'getPublicFile(db, id): public by design (logos are on public pages)' },
    roles: 'foundation',
    cells: [
      { role: 'ANON', expect: allow },
      {
        role: 'ANON',
        state: 'unknown or malformed id',
        expect: { outcome: 'status', status: 404, reason: 'the same answer for both' },
      },
    ],
  },
];

// ---- statements (SECURITY.md "Access matrix (policy)"; lib/statement-access.test.ts runs these cells) ----

const STATEMENT_TESTS: `lib/${string}.test.ts`[] = ['lib/statement-access.test.ts'];
/**
 * "edit draft" / "edit translation / restore revision": signed out → sign in first (the same answer for every
 * id, so I2 holds); an outsider, an invited organization that has not accepted and a missing statement → the
 * same NOT_FOUND; participants' members read the draft but are refused (FORBIDDEN); initiator members and admins
 * while the draft is editable (draft, reopened), INVALID_STATE otherwise; another organization's statement id
 * from an initiator admin → NOT_FOUND.
 */
const EDIT_DRAFT: Cell[] = [
  { role: 'ANON', expect: deny('UNAUTHENTICATED') },
  { role: 'OTHER', state: 'member of an unrelated organization', expect: deny('NOT_FOUND') },
  // Invited, not yet accepted: the statement does not exist for them (I2). Participants read it but only comment.
  { role: 'INV-P', state: 'admin of an organization invited, not yet accepted', expect: deny('NOT_FOUND') },
  ...(['draft', 'reopened', 'open'] as const).map(
    (state): Cell => ({ role: 'INV-M', state: `${state}, member of a participant organization`, expect: deny('FORBIDDEN') }),
  ),
  ...(['INIT-M', 'INIT-A'] as const).flatMap((role): Cell[] => [
    { role, state: 'draft', expect: allow },
    { role, state: 'reopened', expect: allow },
    { role, state: 'open', expect: deny('INVALID_STATE') },
  ]),
  {
    role: 'INIT-A',
    state: "another organization's statement (id substituted)",
    expect: deny('NOT_FOUND'),
  },
  {
    role: 'INIT-A',
    state: 'a statement id that does not exist (the same answer as OTHER, I2)',
    expect: deny('NOT_FOUND'),
  },
];
const STALE: Cell = { role: 'INIT-M', state: 'draft, stale baseVersion (I6)', expect: deny('CONFLICT') };

const STATEMENT_ENTRIES: MatrixEntry[] = [
  {
    id: 'app/_actions/statements.ts#createStatementAction',
    kind: 'action',
    summary: 'Create a statement with organization X as its initiator (members of X); opens its editor',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ orgId: uuid(), title: 'Open letter', primaryLang: 'hy', timeZone: 'Asia/Yerevan' }),
    lib: { fn: 'lib/statements.ts#createStatement' },
    roles: 'statement',
    provedBy: STATEMENT_TESTS,
    cells: [
      { role: 'ANON', expect: deny('UNAUTHENTICATED') },
      { role: 'OTHER', state: 'not a member of X', expect: deny('NOT_FOUND') },
      // '—' in SECURITY.md for a new statement; what is testable: taking part in X's statement is no membership of X.
      {
        role: 'INV-P',
        state: "admin of an organization invited to X's statement, for X",
        expect: deny('NOT_FOUND'),
      },
      {
        role: 'INV-M',
        state: "member of a participant organization of X's statement, for X",
        expect: deny('NOT_FOUND'),
      },
      {
        role: 'OTHER',
        state: 'an organization id that does not exist (the same answer, I2)',
        expect: deny('NOT_FOUND'),
      },
      { role: 'INIT-M', state: 'member of X', expect: allow },
      { role: 'INIT-A', state: 'admin or owner of X', expect: allow },
    ],
  },
  {
    id: 'app/_actions/statements.ts#updateStatementDetailsAction',
    kind: 'action',
    summary: 'Edit the summary and time zone of a draft',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), summary: 'About this letter', timeZone: 'Asia/Yerevan' }),
    lib: { fn: 'lib/statements.ts#updateStatementDetails' },
    roles: 'statement',
    provedBy: STATEMENT_TESTS,
    cells: EDIT_DRAFT,
  },
  {
    id: 'app/_actions/statements.ts#addTranslationAction',
    kind: 'action',
    summary: 'Add a language (an empty text aligned with the primary as it is now)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), lang: 'ru', title: 'Открытое письмо' }),
    lib: { fn: 'lib/statements.ts#addTranslation' },
    roles: 'statement',
    provedBy: STATEMENT_TESTS,
    cells: [
      ...EDIT_DRAFT,
      { role: 'INIT-M', state: 'draft, a language it already has', expect: deny('CONFLICT') },
    ],
  },
  {
    id: 'app/_actions/statements.ts#markTranslationUpToDateAction',
    kind: 'action',
    summary: "Mark a translation up to date with the primary text's current version",
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), lang: 'en', primaryVersion: '1' }),
    lib: { fn: 'lib/statements.ts#markTranslationUpToDate' },
    roles: 'statement',
    provedBy: STATEMENT_TESTS,
    cells: [
      ...EDIT_DRAFT,
      { role: 'INIT-M', state: 'draft, the primary changed meanwhile', expect: deny('CONFLICT') },
    ],
  },
  {
    id: 'app/_actions/statements.ts#restoreRevisionAction',
    kind: 'action',
    summary: 'Restore an earlier revision (a new revision on top; history is never rewritten)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), lang: 'hy', version: '1', baseVersion: '2' }),
    lib: { fn: 'lib/statements.ts#restoreRevision' },
    roles: 'statement',
    provedBy: STATEMENT_TESTS,
    cells: [...EDIT_DRAFT, STALE],
  },
];

// ---- review: comments (SECURITY.md "comment / reply", "resolve / reopen comment"; lib/comment-access.test.ts) ----

const COMMENT_TESTS: `lib/${string}.test.ts`[] = ['lib/comment-access.test.ts'];
/** States in which the draft is under review (lib/statements.ts REVIEW_STATES). */
const REVIEW = ['draft', 'open', 'reopened'] as const;
/** Whoever cannot read the draft: signed out → sign in first; an outsider or an invited org that has not accepted → NOT_FOUND (I2). */
const NON_READERS: Cell[] = [
  { role: 'ANON', expect: deny('UNAUTHENTICATED') },
  { role: 'OTHER', state: 'member of an unrelated organization', expect: deny('NOT_FOUND') },
  { role: 'INV-P', state: 'admin of an organization invited, not yet accepted', expect: deny('NOT_FOUND') },
];
const inReview = (role: Role, e: Expect): Cell[] => REVIEW.map((state) => ({ role, state, expect: e }));
/** Resolve / reopen: initiator members and admins; participant members read the thread but are refused. */
const RESOLVE_CELLS: Cell[] = [
  ...NON_READERS,
  ...inReview('INV-M', deny('FORBIDDEN')),
  ...inReview('INIT-M', allow),
  ...inReview('INIT-A', allow),
  { role: 'INIT-M', state: 'published (review is over)', expect: deny('INVALID_STATE') },
  { role: 'INIT-M', state: 'a reply instead of a thread', expect: deny('INVALID_INPUT') },
  {
    role: 'INIT-A',
    state: "another statement's comment (id substituted)",
    expect: deny('NOT_FOUND'),
  },
  {
    role: 'INIT-A',
    state: 'a comment id that does not exist (the same answer, I2)',
    expect: deny('NOT_FOUND'),
  },
];

const COMMENT_ENTRIES: MatrixEntry[] = [
  {
    id: 'app/_actions/comments.ts#addCommentAction',
    kind: 'action',
    summary: 'Comment on the draft (a passage, by a text-quote anchor, or the whole statement), or reply to a thread',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), body: 'I suggest a shorter first paragraph.' }),
    lib: { fn: 'lib/comments.ts#addComment' },
    roles: 'statement',
    provedBy: COMMENT_TESTS,
    cells: [
      ...NON_READERS,
      ...inReview('INV-M', allow),
      ...inReview('INIT-M', allow),
      ...inReview('INIT-A', allow),
      { role: 'INV-M', state: 'published (review is over)', expect: deny('INVALID_STATE') },
      {
        role: 'INV-M',
        state: "a reply to another statement's comment (id substituted)",
        expect: deny('NOT_FOUND'),
      },
      {
        role: 'INIT-A',
        state: "another organization's statement (id substituted)",
        expect: deny('NOT_FOUND'),
      },
      {
        role: 'INIT-A',
        state: 'a statement id that does not exist (the same answer as OTHER, I2)',
        expect: deny('NOT_FOUND'),
      },
    ],
  },
  {
    id: 'app/_actions/comments.ts#resolveCommentAction',
    kind: 'action',
    summary: 'Mark a comment thread resolved (resolving a resolved thread changes nothing)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), commentId: uuid() }),
    lib: { fn: 'lib/comments.ts#resolveComment' },
    roles: 'statement',
    provedBy: COMMENT_TESTS,
    cells: RESOLVE_CELLS,
  },
  {
    id: 'app/_actions/comments.ts#reopenCommentAction',
    kind: 'action',
    summary: 'Reopen a resolved comment thread (reopening an open thread changes nothing)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), commentId: uuid() }),
    lib: { fn: 'lib/comments.ts#reopenComment' },
    roles: 'statement',
    provedBy: COMMENT_TESTS,
    cells: RESOLVE_CELLS,
  },
];

// ---- invitations (SECURITY.md "invite / revoke / resend", "invite a co-initiator", "see declines, reasons,
// pending invitations", "accept / decline invitation or co-initiation for org X"; lib/invitation-access.test.ts) ----

const INVITATION_TESTS: `lib/${string}.test.ts`[] = ['lib/invitation-access.test.ts'];
/** The states an invitation can be sent and answered in (lib/statements.ts REVIEW_STATES); published comes later. */
const UNPUBLISHED = ['draft', 'open', 'reopened'] as const;
const eachUnpublished = (role: Role, e: Expect, what = ''): Cell[] =>
  UNPUBLISHED.map((state) => ({ role, state: what ? `${state}, ${what}` : state, expect: e }));
/**
 * Initiator admins (INIT-A) only, in every unpublished state: initiator members and participants' members read
 * the statement, so they are told no (FORBIDDEN); an invited organization that has not accepted and outsiders
 * get NOT_FOUND, as for a statement that does not exist (I2).
 */
const INITIATOR_ADMINS: Cell[] = [
  { role: 'ANON', expect: deny('UNAUTHENTICATED') },
  { role: 'OTHER', state: 'member of an unrelated organization', expect: deny('NOT_FOUND') },
  { role: 'INV-P', state: 'admin of an organization invited, not yet accepted', expect: deny('NOT_FOUND') },
  ...eachUnpublished('INV-M', deny('FORBIDDEN'), 'member of a participant organization'),
  ...eachUnpublished('INIT-M', deny('FORBIDDEN'), 'plain member of the initiating organization'),
  ...eachUnpublished('INIT-A', allow),
];
/** Actions on one invitation of the statement (resend, remind, revoke): IDOR and state on top of INITIATOR_ADMINS. */
const ON_AN_INVITATION: Cell[] = [
  ...INITIATOR_ADMINS,
  {
    role: 'INIT-A',
    state: "another statement's invitation with this statement's id (id substituted)",
    expect: deny('NOT_FOUND'),
  },
  { role: 'INIT-A', state: 'an invitation id that does not exist (the same answer, I2)', expect: deny('NOT_FOUND') },
  { role: 'INIT-A', state: 'an invitation already answered (accepted)', expect: deny('INVALID_STATE') },
];
const TOKEN_SAMPLE = () => `${rnd()}${rnd()}${rnd()}${rnd()}${rnd()}xyz`;
/** Bad links: one answer for all (I8), the same as for a link that never existed. */
const BAD_LINK = 'an unknown, expired, used or revoked link';

const INVITATION_ENTRIES: MatrixEntry[] = [
  {
    id: 'app/_actions/invitations.ts#inviteOrganizationsAction',
    kind: 'action',
    summary:
      'Invite organizations (directory: their owners/admins are e-mailed) and contacts (e-mail, one per line) as participants or co-initiators, with a message and a sign-by instant',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), kind: 'participant', emails: `x-${rnd()}@example.org`, locale: 'en' }),
    lib: { fn: 'lib/invitations.ts#inviteOrganizations' },
    roles: 'statement',
    provedBy: INVITATION_TESTS,
    cells: [
      ...INITIATOR_ADMINS,
      { role: 'INIT-A', state: 'draft, a co-initiator', expect: allow },
      {
        role: 'INIT-A',
        state: "another organization's statement (id substituted)",
        expect: deny('NOT_FOUND'),
      },
      {
        role: 'INIT-A',
        state: 'a statement id that does not exist (the same answer as OTHER, I2)',
        expect: deny('NOT_FOUND'),
      },
    ],
  },
  {
    id: 'app/_actions/invitations.ts#resendInvitationAction',
    kind: 'action',
    summary: 'Send a pending invitation again (the relay mints a fresh link; older links work until one is used)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), invitationId: uuid() }),
    lib: { fn: 'lib/invitations.ts#resendInvitation' },
    roles: 'statement',
    provedBy: INVITATION_TESTS,
    cells: ON_AN_INVITATION,
  },
  {
    id: 'app/_actions/invitations.ts#remindInvitationAction',
    kind: 'action',
    summary: '“Remind now”: at most once per INVITATION_REMIND_INTERVAL_HOURS per invitation',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), invitationId: uuid() }),
    lib: { fn: 'lib/invitations.ts#remindInvitation' },
    roles: 'statement',
    provedBy: INVITATION_TESTS,
    cells: [
      ...ON_AN_INVITATION,
      { role: 'INIT-A', state: 'draft, sent or reminded less than the interval ago', expect: deny('RATE_LIMITED') },
    ],
  },
  {
    id: 'app/_actions/invitations.ts#revokeInvitationAction',
    kind: 'action',
    summary: 'Revoke a pending invitation: its links stop working, its unsent mail and reminders are cancelled',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), invitationId: uuid() }),
    lib: { fn: 'lib/invitations.ts#revokeInvitation' },
    roles: 'statement',
    provedBy: INVITATION_TESTS,
    cells: ON_AN_INVITATION,
  },
  {
    id: 'app/_actions/invitations.ts#searchOrganizationsToInviteAction',
    kind: 'action',
    summary: 'Directory typeahead of the invite form, each result marked initiator / participant / invited; reads only',
    mutates: false,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), q: 'Civic' }),
    lib: { fn: 'lib/invitations.ts#searchOrganizationsToInvite' },
    roles: 'statement',
    provedBy: INVITATION_TESTS,
    cells: INITIATOR_ADMINS,
  },
  {
    id: 'app/_actions/invitations.ts#previewInvitationPublicAction',
    kind: 'action',
    summary:
      'The landing of a link before sign-in: the inviting organizations and a masked address (j…@example.org), nothing else; reads only, consumes nothing, does not mark viewed',
    mutates: false,
    public: true,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ token: TOKEN_SAMPLE() }),
    lib: { fn: 'lib/invitations.ts#previewInvitationPublic' },
    roles: 'invitation',
    provedBy: INVITATION_TESTS,
    cells: [
      { role: 'ANON', state: 'a live link', expect: allow },
      { role: 'ANON', state: BAD_LINK, expect: deny('NOT_FOUND') },
      { role: 'INVITED', expect: allow },
      {
        role: 'OTHER',
        state: 'a forwarded live link: the same public landing, no title, no message',
        expect: allow,
      },
    ],
  },
  {
    id: 'app/_actions/invitations.ts#openInvitationAction',
    kind: 'action',
    summary: 'Signed in with the invited address: the invitation (title, message, organizations to answer for); marks it viewed once',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ token: TOKEN_SAMPLE() }),
    lib: { fn: 'lib/invitations.ts#openInvitation' },
    roles: 'invitation',
    provedBy: INVITATION_TESTS,
    cells: [
      { role: 'ANON', expect: deny('UNAUTHENTICATED') },
      { role: 'INVITED', expect: allow },
      { role: 'INVITED', state: 'an unknown, used or revoked link', expect: deny('NOT_FOUND') },
      {
        role: 'INVITED',
        state: 'their own link, expired (told so: errors.invitationLinkExpired)',
        expect: deny('NOT_FOUND'),
      },
      { role: 'OTHER', state: 'a forwarded link (live or expired)', expect: deny('NOT_FOUND') },
    ],
  },
  {
    id: 'app/_actions/invitations.ts#openInvitationByHandoffAction',
    kind: 'action',
    summary: 'A personal account continuing from a proven shared mailbox in the same browser (handoff cookie); reads only',
    mutates: false,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({}),
    lib: { fn: 'lib/invitations.ts#openInvitationByHandoff' },
    roles: 'invitation',
    provedBy: INVITATION_TESTS,
    cells: [
      { role: 'ANON', expect: deny('UNAUTHENTICATED') },
      {
        role: 'INVITED',
        state: 'a personal account, in the browser where the shared mailbox confirmed, within 15 minutes',
        expect: allow,
      },
      { role: 'INVITED', state: 'the same handoff after 15 minutes', expect: deny('NOT_FOUND') },
      { role: 'OTHER', state: 'no handoff in this browser', expect: deny('NOT_FOUND') },
    ],
  },
  {
    id: 'app/_actions/invitations.ts#confirmSharedMailboxAction',
    kind: 'action',
    summary:
      'A shared mailbox (info@…) signed in with the invited address hands the invitation to a personal account in this browser for 15 minutes (its links are used up)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ token: TOKEN_SAMPLE() }),
    lib: { fn: 'lib/invitations.ts#confirmSharedMailbox' },
    roles: 'invitation',
    provedBy: INVITATION_TESTS,
    cells: [
      { role: 'ANON', expect: deny('UNAUTHENTICATED') },
      { role: 'INVITED', state: 'signed in as the invited shared address', expect: allow },
      { role: 'INVITED', state: BAD_LINK, expect: deny('NOT_FOUND') },
      { role: 'OTHER', state: 'a forwarded link', expect: deny('NOT_FOUND') },
    ],
  },
  {
    id: 'app/_actions/invitations.ts#acceptInvitationAction',
    kind: 'action',
    summary:
      'Accept for organization X (its owner/admin only, SECURITY.md I11), proven by the link, the shared-mailbox handoff or, from the dashboard, by the invitation id; once',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ token: TOKEN_SAMPLE(), orgId: uuid() }),
    lib: { fn: 'lib/invitations.ts#acceptInvitation' },
    roles: 'invitation',
    provedBy: INVITATION_TESTS,
    cells: [
      { role: 'ANON', expect: deny('UNAUTHENTICATED') },
      ...UNPUBLISHED.map(
        (state): Cell => ({
          role: 'INVITED',
          state: `${state}, owner/admin of the invited organization, by the link`,
          expect: allow,
        }),
      ),
      { role: 'INVITED', state: 'admin of the invited organization, from the dashboard (invitation id)', expect: allow },
      { role: 'INVITED', state: 'a co-initiator invitation', expect: allow },
      {
        role: 'INVITED',
        state: "a personal account with the shared mailbox's handoff, within 15 minutes",
        expect: allow,
      },
      { role: 'INVITED', state: 'the handoff after 15 minutes', expect: deny('NOT_FOUND') },
      { role: 'INVITED', state: 'a plain member of the organization named', expect: deny('FORBIDDEN') },
      { role: 'INVITED', state: 'for an organization other than the invited one', expect: deny('FORBIDDEN') },
      {
        role: 'INVITED',
        state: 'for an organization that already initiates the statement',
        expect: deny('INVALID_STATE'),
      },
      { role: 'INVITED', state: BAD_LINK, expect: deny('NOT_FOUND') },
      { role: 'OTHER', state: 'a forwarded link, as admin of their own organization', expect: deny('NOT_FOUND') },
      {
        role: 'OTHER',
        state: 'from the dashboard, an invitation id addressed to someone else (id substituted)',
        expect: deny('NOT_FOUND'),
      },
    ],
  },
  {
    id: 'app/_actions/invitations.ts#declineInvitationAction',
    kind: 'action',
    summary: 'Decline with an optional reason the initiators see (an invited organization: its owner/admin only)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ token: TOKEN_SAMPLE(), reason: 'Not our topic' }),
    lib: { fn: 'lib/invitations.ts#declineInvitation' },
    roles: 'invitation',
    provedBy: INVITATION_TESTS,
    cells: [
      { role: 'ANON', expect: deny('UNAUTHENTICATED') },
      { role: 'INVITED', state: 'owner/admin of the invited organization, with a reason', expect: allow },
      { role: 'INVITED', state: 'a contact invitation, by the invited address', expect: allow },
      {
        role: 'INVITED',
        state: "the link's address is no longer an owner/admin of the invited organization",
        expect: deny('FORBIDDEN'),
      },
      { role: 'INVITED', state: BAD_LINK, expect: deny('NOT_FOUND') },
      { role: 'OTHER', state: 'a forwarded link', expect: deny('NOT_FOUND') },
    ],
  },
];

// ---- signing (SECURITY.md "freeze version / reopen / publish", "sign for own org", "sign for another org (id
// tampered)", "withdraw own org's signature"; lib/signing-access.test.ts runs these cells) ----

const SIGNING_TESTS: `lib/${string}.test.ts`[] = ['lib/signing-access.test.ts'];
/**
 * Freeze and reopen: initiator admins only. Signed out → sign in first; outsiders and an invited organization that
 * has not accepted → NOT_FOUND (I2); participants' and initiator members read the statement but are FORBIDDEN.
 */
const FREEZERS = (ok: string[], wrong: string): Cell[] => [
  { role: 'ANON', expect: deny('UNAUTHENTICATED') },
  { role: 'OTHER', state: 'member of an unrelated organization', expect: deny('NOT_FOUND') },
  { role: 'INV-P', state: 'admin of an organization invited, not yet accepted', expect: deny('NOT_FOUND') },
  { role: 'INV-M', state: `${ok[0]}, admin of a participant organization`, expect: deny('FORBIDDEN') },
  { role: 'INIT-M', state: `${ok[0]}, plain member of the initiating organization`, expect: deny('FORBIDDEN') },
  ...ok.map((state): Cell => ({ role: 'INIT-A', state, expect: allow })),
  { role: 'INIT-A', state: wrong, expect: deny('INVALID_STATE') },
  { role: 'INIT-A', state: "another organization's statement (id substituted)", expect: deny('NOT_FOUND') },
  { role: 'INIT-A', state: 'a statement id that does not exist (the same answer as OTHER, I2)', expect: deny('NOT_FOUND') },
];
/**
 * Acting for one's own organization on a statement it initiates or takes part in: readers only (others get
 * NOT_FOUND, I2), then the organization's signing policy (I11): `admins` lets owners/admins, `members` every
 * member. An organization id of someone else's (id tampered) is refused for every role.
 */
const FOR_OWN_ORG = (state: string): Cell[] => [
  { role: 'ANON', expect: deny('UNAUTHENTICATED') },
  { role: 'OTHER', state: `${state}, for their own unrelated organization`, expect: deny('NOT_FOUND') },
  { role: 'INV-P', state: `${state}, admin of an organization invited, not yet accepted, for it`, expect: deny('NOT_FOUND') },
  { role: 'INV-M', state: `${state}, policy:admins, role member`, expect: deny('FORBIDDEN') },
  { role: 'INV-M', state: `${state}, policy:admins, role admin`, expect: allow },
  { role: 'INV-M', state: `${state}, policy:members, role member`, expect: allow },
  { role: 'INIT-M', state: `${state}, policy:admins, role member`, expect: deny('FORBIDDEN') },
  { role: 'INIT-M', state: `${state}, policy:members, role member`, expect: allow },
  { role: 'INIT-A', state: `${state}, policy:admins, role admin`, expect: allow },
];
const TAMPERED = (state: string): Cell[] => [
  { role: 'ANON', state: `${state}, another organization's id (id tampered)`, expect: deny('UNAUTHENTICATED') },
  { role: 'OTHER', state: `${state}, a participant organization's id (id tampered)`, expect: deny('NOT_FOUND') },
  { role: 'INV-P', state: `${state}, a participant organization's id (id tampered)`, expect: deny('NOT_FOUND') },
  { role: 'INV-M', state: `${state}, the initiating organization's id (id tampered)`, expect: deny('FORBIDDEN') },
  { role: 'INIT-M', state: `${state}, a participant organization's id (id tampered), policy:members`, expect: deny('FORBIDDEN') },
  { role: 'INIT-A', state: `${state}, a participant organization's id (id tampered)`, expect: deny('FORBIDDEN') },
  { role: 'INIT-A', state: `${state}, an organization of theirs that takes no part`, expect: deny('FORBIDDEN') },
];

const SIGNING_ENTRIES: MatrixEntry[] = [
  {
    id: 'app/_actions/signing.ts#freezeVersionAction',
    kind: 'action',
    summary: 'Freeze the draft as the next version (canonical bytes + SHA-256): draft|reopened → open',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid() }),
    lib: { fn: 'lib/signing.ts#freezeVersion' },
    roles: 'statement',
    provedBy: SIGNING_TESTS,
    cells: FREEZERS(['draft', 'reopened'], 'open (already frozen)'),
  },
  {
    id: 'app/_actions/signing.ts#reopenStatementAction',
    kind: 'action',
    summary: 'Reopen: open → reopened (signing stops, the draft is editable; bindings stay on their version)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid() }),
    lib: { fn: 'lib/signing.ts#reopenStatement' },
    roles: 'statement',
    provedBy: SIGNING_TESTS,
    cells: FREEZERS(['open'], 'draft (nothing frozen to reopen)'),
  },
  {
    id: 'app/_actions/signing.ts#signStatementAction',
    kind: 'action',
    summary: 'Sign for an organization, re-confirm the current version or reinstate (one re-checking transaction; a repeat returns the binding)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), orgId: uuid(), version: '1' }),
    lib: { fn: 'lib/signing.ts#signForOrganization' },
    roles: 'statement',
    provedBy: SIGNING_TESTS,
    cells: [
      ...FOR_OWN_ORG('open, current version'),
      ...TAMPERED('open, current version'),
      { role: 'INIT-A', state: 'reopened (signing stops)', expect: deny('INVALID_STATE') },
      { role: 'INIT-A', state: 'draft (never frozen)', expect: deny('INVALID_STATE') },
      { role: 'INIT-A', state: 'open, a stale version number (version 2 is current)', expect: deny('CONFLICT') },
      { role: 'INIT-A', state: 'open, current version, another hash than its own', expect: deny('CONFLICT') },
      { role: 'INV-M', state: 'open, version 2 is current, signed version 1: re-confirm', expect: allow },
      { role: 'INV-M', state: 'open, withdrawn: reinstate', expect: allow },
      { role: 'INIT-A', state: 'a statement id that does not exist (the same answer as OTHER, I2)', expect: deny('NOT_FOUND') },
    ],
  },
  {
    id: 'app/_actions/signing.ts#acceptAndSignAction',
    kind: 'action',
    summary: 'Accept an invitation for organization X (its owner/admin) and sign the open statement in one step: both or neither',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ token: TOKEN_SAMPLE(), orgId: uuid(), version: '1' }),
    lib: { fn: 'lib/signing.ts#acceptAndSign' },
    roles: 'invitation',
    provedBy: SIGNING_TESTS,
    cells: [
      { role: 'ANON', expect: deny('UNAUTHENTICATED') },
      { role: 'INVITED', state: 'open, owner/admin of the invited organization, by the link', expect: allow },
      { role: 'INVITED', state: 'open, admin of the invited organization, from the dashboard (invitation id)', expect: allow },
      { role: 'INVITED', state: 'open, a contact invitation, for an organization the invitee owns', expect: allow },
      { role: 'INVITED', state: 'open, a plain member of the organization named', expect: deny('FORBIDDEN') },
      { role: 'INVITED', state: 'open, for an organization other than the invited one', expect: deny('FORBIDDEN') },
      { role: 'INVITED', state: 'reopened: nothing is accepted either', expect: deny('INVALID_STATE') },
      { role: 'INVITED', state: 'open, a stale version number: nothing is accepted either', expect: deny('CONFLICT') },
      { role: 'INVITED', state: BAD_LINK, expect: deny('NOT_FOUND') },
      { role: 'OTHER', state: 'a forwarded link, as admin of their own organization', expect: deny('NOT_FOUND') },
      {
        role: 'OTHER',
        state: 'from the dashboard, an invitation id addressed to someone else (id substituted)',
        expect: deny('NOT_FOUND'),
      },
    ],
  },
  {
    id: 'app/_actions/signing.ts#declineToSignAction',
    kind: 'action',
    summary: 'Decline to sign for an organization, with an optional reason the initiators see (not declining the invitation)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), orgId: uuid(), reason: 'Not our topic' }),
    lib: { fn: 'lib/signing.ts#declineToSign' },
    roles: 'statement',
    provedBy: SIGNING_TESTS,
    cells: [
      ...FOR_OWN_ORG('open, not signed'),
      ...TAMPERED('open, not signed'),
      { role: 'INV-M', state: 'open, signed and standing (withdraw instead)', expect: deny('INVALID_STATE') },
      { role: 'INIT-A', state: 'a statement id that does not exist (the same answer as OTHER, I2)', expect: deny('NOT_FOUND') },
    ],
  },
  {
    id: 'app/_actions/signing.ts#withdrawSignatureAction',
    kind: 'action',
    summary: "Withdraw one's organization's signature, with an optional public reason (a repeat changes nothing)",
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), orgId: uuid(), reason: '' }),
    lib: { fn: 'lib/signing.ts#withdrawSignature' },
    roles: 'statement',
    provedBy: SIGNING_TESTS,
    cells: [
      ...FOR_OWN_ORG('open, signed'),
      ...TAMPERED('open, signed'),
      { role: 'INV-M', state: 'reopened, signed (a signature can be withdrawn while the text is reworked)', expect: allow },
      { role: 'INIT-A', state: 'open, not signed', expect: deny('INVALID_STATE') },
      { role: 'INIT-A', state: 'a statement id that does not exist (the same answer as OTHER, I2)', expect: deny('NOT_FOUND') },
    ],
  },
];

// ---- publishing (SECURITY.md "freeze version / reopen / publish", "add correction, close, withdraw statement";
// lib/publishing-access.test.ts runs these cells) ----

const PUBLISHING_TESTS: `lib/${string}.test.ts`[] = ['lib/publishing-access.test.ts'];
/**
 * Initiator owners and admins only — of the primary initiator or of a co-initiator. Signed out → sign in first;
 * outsiders and an invited organization that has not accepted → NOT_FOUND (I2); the owner, an admin and a member of
 * a participant organization and a plain initiator member read the statement but are FORBIDDEN. `state` is the
 * statement's state the allowed cells act in; `ok` more allowed states; `wrong` states refused as INVALID_STATE.
 */
const PUBLISHERS = (state: string, ok: string[], wrong: string[]): Cell[] => [
  { role: 'ANON', expect: deny('UNAUTHENTICATED') },
  { role: 'OTHER', state: `${state}, member of an unrelated organization`, expect: deny('NOT_FOUND') },
  { role: 'INV-P', state: `${state}, owner of an organization invited, not yet accepted`, expect: deny('NOT_FOUND') },
  ...(['owner', 'admin', 'member'] as const).map(
    (r): Cell => ({ role: 'INV-M', state: `${state}, ${r} of a participant organization`, expect: deny('FORBIDDEN') }),
  ),
  { role: 'INIT-M', state: `${state}, plain member of the initiating organization`, expect: deny('FORBIDDEN') },
  { role: 'INIT-A', state: `${state}, owner of the initiating organization`, expect: allow },
  { role: 'INIT-A', state: `${state}, admin of the initiating organization`, expect: allow },
  { role: 'INIT-A', state: `${state}, admin of a co-initiating organization`, expect: allow },
  ...ok.map((s): Cell => ({ role: 'INIT-A', state: `${s}, admin of the initiating organization`, expect: allow })),
  ...wrong.map((s): Cell => ({ role: 'INIT-A', state: s, expect: deny('INVALID_STATE') })),
  { role: 'INIT-A', state: "another organization's statement (id substituted)", expect: deny('NOT_FOUND') },
  { role: 'INIT-A', state: 'a statement id that does not exist (the same answer as OTHER, I2)', expect: deny('NOT_FOUND') },
];

const PUBLISHING_ENTRIES: MatrixEntry[] = [
  {
    id: 'app/_actions/publishing.ts#publishStatementAction',
    kind: 'action',
    summary:
      'Publish the open version once every initiating organization is bound to it: slug, display date, list order, joining window (signed record 1, mail to signers)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), slug: `letter-${rnd()}`, displayDate: '2024-05-01', listOrder: 'joined' }),
    lib: { fn: 'lib/publishing.ts#publishStatement' },
    roles: 'statement',
    provedBy: PUBLISHING_TESTS,
    cells: [
      ...PUBLISHERS(
        'open, every initiating organization bound',
        [],
        ['draft (never frozen)', 'reopened', 'open, an initiating organization not bound to the current version', 'published (already)'],
      ),
      { role: 'INIT-A', state: 'open, a slug another statement already has', expect: deny('CONFLICT') },
      { role: 'INIT-A', state: 'open, an impossible display date (2021-02-30)', expect: deny('INVALID_INPUT') },
    ],
  },
  {
    id: 'app/_actions/publishing.ts#closeStatementAction',
    kind: 'action',
    summary: 'Close: published → closed (the page stays; no more signatures or join requests)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid() }),
    lib: { fn: 'lib/publishing.ts#closeStatement' },
    roles: 'statement',
    provedBy: PUBLISHING_TESTS,
    cells: PUBLISHERS('published', [], ['open (not published)', 'closed (already)', 'withdrawn']),
  },
  {
    id: 'app/_actions/publishing.ts#withdrawStatementAction',
    kind: 'action',
    summary: 'Withdraw with a public reason: published|closed → withdrawn (the page stays, marked withdrawn; never deleted)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), reason: 'Superseded by a joint statement' }),
    lib: { fn: 'lib/publishing.ts#withdrawStatement' },
    roles: 'statement',
    provedBy: PUBLISHING_TESTS,
    cells: [
      ...PUBLISHERS('published', ['closed'], ['open (not published)', 'withdrawn (already)']),
      { role: 'INIT-A', state: 'published, no reason', expect: deny('INVALID_INPUT') },
    ],
  },
  {
    id: 'app/_actions/publishing.ts#addCorrectionAction',
    kind: 'action',
    summary: 'Append a dated correction under the published text (the text itself is never edited)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), lang: 'hy', body: 'A dated correction.' }),
    lib: { fn: 'lib/publishing.ts#addCorrection' },
    roles: 'statement',
    provedBy: PUBLISHING_TESTS,
    cells: PUBLISHERS('published', ['closed', 'withdrawn'], ['open (not published)']),
  },
  {
    id: 'app/_actions/publishing.ts#setJoiningAction',
    kind: 'action',
    summary: 'Open joining until an instant, or end it (while published)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), joinUntil: new Date(Date.now() + 7 * 86_400_000).toISOString() }),
    lib: { fn: 'lib/publishing.ts#setJoining' },
    roles: 'statement',
    provedBy: PUBLISHING_TESTS,
    cells: [
      ...PUBLISHERS('published', [], ['open (not published)', 'closed', 'withdrawn']),
      { role: 'INIT-A', state: 'published, an instant in the past', expect: deny('INVALID_INPUT') },
    ],
  },
];

const SIGNING_ROUTES: MatrixEntry[] = [
  {
    id: 'app/api/statements/[id]/sign/route.ts#POST',
    kind: 'route',
    summary: 'Sign over HTTP (JSON body): the same lib function as signStatementAction; 201 with the new binding, 200 on a repeat',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    lib: { fn: 'lib/signing.ts#signForOrganization' },
    roles: 'statement',
    provedBy: SIGNING_TESTS,
    cells: [
      ...FOR_OWN_ORG('open, current version'),
      ...TAMPERED('open, current version'),
      { role: 'INIT-A', state: 'reopened (signing stops)', expect: deny('INVALID_STATE') },
      { role: 'INIT-A', state: 'open, a stale version number (version 2 is current)', expect: deny('CONFLICT') },
    ],
  },
  {
    id: 'app/api/statements/[id]/versions/[number]/route.ts#GET',
    kind: 'route',
    summary: "A frozen version's canonical bytes (what content_sha256 is computed over), for readers of the statement",
    mutates: false,
    public: false,
    csrf: { rule: 'exempt', reason: 'read-only: a GET that changes nothing' },
    lib: { fn: 'lib/signing.ts#getVersion' },
    roles: 'statement',
    provedBy: SIGNING_TESTS,
    cells: [
      { role: 'ANON', expect: deny('NOT_FOUND') },
      { role: 'OTHER', state: 'member of an unrelated organization', expect: deny('NOT_FOUND') },
      { role: 'INV-P', state: 'admin of an organization invited, not yet accepted', expect: deny('NOT_FOUND') },
      { role: 'INV-M', state: 'member of a participant organization', expect: allow },
      { role: 'INIT-M', state: 'plain member of the initiating organization', expect: allow },
      { role: 'INIT-A', expect: allow },
      { role: 'INIT-A', state: 'a version number that does not exist', expect: deny('NOT_FOUND') },
      { role: 'INIT-A', state: "another organization's statement (id substituted)", expect: deny('NOT_FOUND') },
    ],
  },
];

const STATEMENT_ROUTES: MatrixEntry[] = [
  {
    id: 'app/api/statements/[id]/texts/[lang]/route.ts#PUT',
    kind: 'route',
    summary:
      "Autosave one language's text: 409 with the current text on a stale baseVersion, 400 with the JSON path for a refused document",
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    lib: { fn: 'lib/statements.ts#saveText' },
    roles: 'statement',
    provedBy: STATEMENT_TESTS,
    cells: [...EDIT_DRAFT, STALE],
  },
];

// ---- open joining (S7; lib/joining-access.test.ts and lib/joining.test.ts run these cells) ----
const JOINING_TESTS: `lib/${string}.test.ts`[] = ['lib/joining-access.test.ts'];
const JOIN_DECIDERS = (what: 'approve' | 'reject'): Cell[] => [
  { role: 'ANON', expect: deny('UNAUTHENTICATED') },
  { role: 'OTHER', state: 'member of an unrelated organization', expect: deny('NOT_FOUND') },
  { role: 'INV-P', state: 'owner of an organization invited, not yet accepted', expect: deny('NOT_FOUND') },
  { role: 'INV-M', state: 'admin or member of a participant organization', expect: deny('FORBIDDEN') },
  { role: 'INIT-M', state: 'plain member of the initiating organization', expect: deny('FORBIDDEN') },
  { role: 'INIT-A', state: 'owner or admin, a pending (confirmed) request, published', expect: allow },
  { role: 'INIT-A', state: 'an unconfirmed request (not pending)', expect: deny('INVALID_STATE') },
  ...(what === 'approve'
    ? [{ role: 'INIT-A', state: 'the statement is closed (approval refused; rejecting still works)', expect: deny('INVALID_STATE') } as Cell]
    : []),
  { role: 'INIT-A', state: "another statement's request under its own statement id (IDOR)", expect: deny('NOT_FOUND') },
  { role: 'INIT-A', state: 'a statement id that does not exist (the same answer as OTHER, I2)', expect: deny('NOT_FOUND') },
];
const JOINING_ENTRIES: MatrixEntry[] = [
  {
    id: 'app/_actions/joining.ts#requestToJoinAction',
    kind: 'action',
    summary:
      'Public: ask to join a published statement open for joining, as an organization or an individual; a confirmation link is e-mailed (rate-limited per IP and per e-mail; names with links or beginning with = + - @ refused)',
    mutates: true,
    public: true,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ slug: `no-such-statement-${rnd()}`, kind: 'individual', name: 'Sample Person', email: `joiner-${rnd()}@example.org` }),
    lib: { fn: 'lib/joining.ts#requestToJoin' },
    roles: 'foundation',
    provedBy: ['lib/joining.test.ts'],
    cells: [
      { role: 'ANON', state: 'published, open for joining', expect: allow },
      { role: 'ANON', state: 'not open for joining (never, ended, past its instant, closed)', expect: deny('INVALID_STATE') },
      { role: 'ANON', state: 'a name with a link or beginning with = + - @', expect: deny('INVALID_INPUT') },
      { role: 'ANON', state: 'over the per-IP or per-e-mail rate limit', expect: deny('RATE_LIMITED') },
      { role: 'USER', state: 'published, open for joining', expect: allow },
      {
        role: 'OTHER',
        expect: {
          outcome: 'own-only',
          reason: 'no account is involved: the link goes only to the address typed, and only that mailbox can confirm the request',
        },
      },
    ],
  },
  {
    id: 'app/_actions/joining.ts#confirmJoinAction',
    kind: 'action',
    summary: 'Public, POST only: the holder of a join-confirmation link confirms the address (unconfirmed → pending); the initiators are told',
    mutates: true,
    public: true,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ token: TOKEN_SAMPLE() }),
    lib: { fn: 'lib/joining.ts#confirmJoin' },
    roles: 'invitation',
    provedBy: ['lib/joining.test.ts'],
    cells: [
      { role: 'ANON', state: 'a live link', expect: allow },
      { role: 'ANON', state: BAD_LINK, expect: deny('NOT_FOUND') },
      { role: 'ANON', state: 'a live link, the statement closed since (the link is not used up)', expect: deny('INVALID_STATE') },
      { role: 'INVITED', state: 'a live link, signed in (the session plays no part)', expect: allow },
      {
        role: 'OTHER',
        expect: { outcome: 'own-only', reason: 'the link itself proves the mailbox (no account is bound to a join request); a used link gets the one invalid answer' },
      },
    ],
  },
  {
    id: 'app/_actions/joining.ts#approveJoinRequestAction',
    kind: 'action',
    summary: "Initiator owners/admins: approve a confirmed join request — a join_request signature bound to the published version, listed as joined after publication",
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), requestId: uuid() }),
    lib: { fn: 'lib/joining.ts#approveJoinRequest' },
    roles: 'statement',
    provedBy: [...JOINING_TESTS, 'lib/joining.test.ts'],
    cells: JOIN_DECIDERS('approve'),
  },
  {
    id: 'app/_actions/joining.ts#rejectJoinRequestAction',
    kind: 'action',
    summary: 'Initiator owners/admins: reject a confirmed join request (the requester is told)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ statementId: uuid(), requestId: uuid() }),
    lib: { fn: 'lib/joining.ts#rejectJoinRequest' },
    roles: 'statement',
    provedBy: JOINING_TESTS,
    cells: JOIN_DECIDERS('reject'),
  },
];

export const ACCESS_MATRIX: MatrixEntry[] = [
  // ---- server actions ----
  {
    id: 'app/_actions/account.ts#setLocaleAction',
    kind: 'action',
    summary: "Choose the interface language of one's own account",
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ locale: 'hy' }),
    lib: { fn: 'lib/users.ts#setInterfaceLocale' },
    roles: 'foundation',
    cells: [
      { role: 'ANON', expect: { outcome: 'deny', code: 'UNAUTHENTICATED' } },
      { role: 'USER', expect: { outcome: 'allow' } },
      { role: 'OTHER', expect: { outcome: 'own-only', reason: OWN_ONLY } },
    ],
  },
  {
    id: 'app/_actions/auth.ts#requestSignInAction',
    kind: 'action',
    summary:
      'Ask for a magic link (same answer whether or not an account exists; rate-limited per IP and e-mail)',
    mutates: true,
    public: true,
    csrf: { rule: 'origin-checked' },
    sample: () => ({ email: `someone-${rnd()}@example.org` }),
    lib: { none: "delegates to Auth.js signIn('email'); the rate limit is lib/rate-limit.ts#hit" },
    roles: 'foundation',
    cells: [
      { role: 'ANON', expect: { outcome: 'allow' } },
      { role: 'USER', expect: { outcome: 'allow' } },
      {
        role: 'OTHER',
        expect: {
          outcome: 'own-only',
          reason: 'a link is only ever sent to the address typed; it signs in whoever controls that mailbox',
        },
      },
    ],
  },
  {
    id: 'app/_actions/auth.ts#signOutAction',
    kind: 'action',
    summary: 'End this session',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({}),
    lib: {
      none: "Auth.js signOut() deletes the session named by the request's cookie (audited from its event)",
    },
    roles: 'foundation',
    cells: [
      { role: 'ANON', expect: { outcome: 'deny', code: 'UNAUTHENTICATED' } },
      { role: 'USER', expect: { outcome: 'allow' } },
      { role: 'OTHER', expect: { outcome: 'own-only', reason: OWN_ONLY } },
    ],
  },
  {
    id: 'app/_actions/auth.ts#signOutEverywhereAction',
    kind: 'action',
    summary: 'End every session of the account (audited, notice by e-mail)',
    mutates: true,
    public: false,
    csrf: { rule: 'origin-checked' },
    sample: () => ({}),
    lib: { fn: 'lib/users.ts#signOutEverywhere' },
    roles: 'foundation',
    cells: [
      { role: 'ANON', expect: { outcome: 'deny', code: 'UNAUTHENTICATED' } },
      { role: 'USER', expect: { outcome: 'allow' } },
      { role: 'OTHER', expect: { outcome: 'own-only', reason: OWN_ONLY } },
    ],
  },

  ...ORGANIZATION_ENTRIES,
  ...STATEMENT_ENTRIES,
  ...COMMENT_ENTRIES,
  ...INVITATION_ENTRIES,
  ...SIGNING_ENTRIES,
  ...PUBLISHING_ENTRIES,
  ...JOINING_ENTRIES,

  // ---- route handlers ----
  {
    id: 'app/api/auth/[...nextauth]/route.ts#GET',
    kind: 'route',
    summary: 'Auth.js reads (session, csrf, providers); GET on the e-mail callback answers 405',
    mutates: false,
    public: true,
    csrf: {
      rule: 'exempt',
      reason: 'a GET: changes no domain state (the callback, which would consume a link, answers 405)',
    },
    lib: { none: 'Auth.js' },
    roles: 'foundation',
    cells: [
      { role: 'ANON', expect: { outcome: 'allow' } },
      { role: 'USER', expect: { outcome: 'allow' } },
      {
        role: 'OTHER',
        expect: { outcome: 'own-only', reason: 'the session read is the caller’s own cookie' },
      },
      {
        role: 'ANON',
        state: 'GET /api/auth/callback/email',
        expect: {
          outcome: 'status',
          status: 405,
          reason: 'mail scanners open links: GET never consumes a token',
        },
      },
    ],
  },
  {
    id: 'app/api/auth/[...nextauth]/route.ts#POST',
    kind: 'route',
    summary: "Auth.js's own POST endpoints; the e-mail callback answers 405",
    mutates: true,
    public: true,
    csrf: { rule: 'exempt', reason: AUTHJS_CSRF },
    lib: { none: 'Auth.js' },
    roles: 'foundation',
    cells: [
      {
        role: 'ANON',
        state: 'POST /api/auth/signin/email, even with a valid Auth.js CSRF token',
        expect: {
          outcome: 'status',
          status: 405,
          reason:
            'links are requested only through requestSignInAction (origin check, rate limits per IP and e-mail)',
        },
      },
      {
        role: 'USER',
        state: 'signout without the Auth.js CSRF token',
        expect: {
          outcome: 'refused',
          by: 'Auth.js',
          how: 'MissingCSRF: redirect to the error page, the session stays',
        },
      },
      {
        role: 'ANON',
        state: 'POST /api/auth/callback/email',
        expect: {
          outcome: 'status',
          status: 405,
          reason: 'links are consumed only through /api/auth/confirm',
        },
      },
    ],
  },
  {
    id: 'app/api/auth/confirm/route.ts#POST',
    kind: 'route',
    summary: 'Consume a magic link posted from the confirmation page (token in the body, never in a URL)',
    mutates: true,
    public: true,
    csrf: { rule: 'origin-checked' },
    lib: {
      none: 'calls the Auth.js e-mail callback internally; proved over HTTP (e2e/csrf.spec.ts, e2e/tokens.spec.ts)',
    },
    roles: 'foundation',
    cells: [
      { role: 'ANON', state: 'valid link', expect: { outcome: 'allow' } },
      {
        role: 'ANON',
        state: 'unknown, expired or used link',
        expect: { outcome: 'deny', code: 'NOT_FOUND' },
      },
      {
        role: 'OTHER',
        state: "someone else's link with one's own address",
        expect: { outcome: 'deny', code: 'NOT_FOUND' },
      },
    ],
  },
  {
    id: 'app/api/auth/confirm/route.ts#GET',
    kind: 'route',
    summary: 'Refuses GET: links are consumed by POST only',
    mutates: false,
    public: true,
    csrf: { rule: 'exempt', reason: 'changes nothing (always 405)' },
    lib: { none: 'a fixed answer' },
    roles: 'foundation',
    cells: [
      {
        role: 'ANON',
        expect: { outcome: 'status', status: 405, reason: 'GET and HEAD never consume a token' },
      },
    ],
  },
  {
    id: 'app/api/health/route.ts#GET',
    kind: 'route',
    summary: 'Liveness and database reachability',
    mutates: false,
    public: true,
    csrf: { rule: 'exempt', reason: 'read-only' },
    lib: { none: 'SELECT 1' },
    roles: 'foundation',
    cells: [{ role: 'ANON', expect: { outcome: 'allow' } }],
  },
  {
    id: 'app/api/unsubscribe/route.ts#POST',
    kind: 'route',
    summary: 'One-click unsubscribe (RFC 8058)',
    mutates: true,
    public: true,
    csrf: {
      rule: 'exempt',
      reason:
        'RFC 8058 one-click: mail providers POST it without an Origin. The signed `u` parameter (an HMAC over the address and scope) is the capability; a forged or altered one changes nothing. Worst case of a cross-site POST: the holder of a valid link unsubscribes that address from that scope, which the link already allows.',
    },
    lib: { fn: 'lib/users.ts#unsubscribe' },
    roles: 'foundation',
    cells: [
      { role: 'ANON', state: 'valid link', expect: { outcome: 'allow' } },
      { role: 'USER', state: 'own valid link', expect: { outcome: 'allow' } },
      { role: 'ANON', state: 'forged MAC', expect: { outcome: 'deny', code: 'NOT_FOUND' } },
      {
        role: 'OTHER',
        state: "another's address swapped into one's own link",
        expect: { outcome: 'deny', code: 'NOT_FOUND' },
      },
      {
        role: 'OTHER',
        state: 'a non-existent address swapped in (same answer, I2)',
        expect: { outcome: 'deny', code: 'NOT_FOUND' },
      },
    ],
  },
  // ---- the verifiable record (R6; lib/verify.test.ts proves these) ----
  {
    id: 'app/api/verify/route.ts#POST',
    kind: 'route',
    summary: "Verify a signed record: pasted text, or one of this instance's record URLs resolved from the database (never fetched)",
    mutates: false,
    public: true,
    csrf: {
      rule: 'exempt',
      reason: 'read-only and sessionless: it computes a report over public data and changes nothing but its per-address rate-limit counter',
    },
    lib: { fn: 'lib/verify.ts#verifySubmission' },
    roles: 'foundation',
    provedBy: ['lib/verify.test.ts'],
    cells: [
      { role: 'ANON', state: 'a pasted record, or a URL of this instance', expect: allow },
      { role: 'ANON', state: 'a URL of another host, port or scheme (no connection is made)', expect: deny('INVALID_INPUT') },
    ],
  },
  {
    id: 'app/.well-known/undersigned-keys.json/route.ts#GET',
    kind: 'route',
    summary: 'The public keys that sign records: current and retired (no private material)',
    mutates: false,
    public: true,
    csrf: { rule: 'exempt', reason: 'read-only' },
    lib: { fn: 'lib/record-keys.ts#keysDocument' },
    roles: 'foundation',
    provedBy: ['lib/verify.test.ts'],
    cells: [{ role: 'ANON', expect: allow }],
  },
  // ---- public data (R3, R4, R6): sessionless GETs of the public record (lib/data-routes.test.ts proves them) ----
  ...(
    [
      ['app/feeds/[scope]/rss.xml/route.ts#GET', 'RSS feed of every published statement', 'feedResponse'],
      ['app/feeds/[scope]/atom.xml/route.ts#GET', 'Atom feed of every published statement', 'feedResponse'],
      ['app/feeds/lang/[lang]/rss.xml/route.ts#GET', 'RSS feed of the statements in a language', 'feedResponse'],
      ['app/feeds/lang/[lang]/atom.xml/route.ts#GET', 'Atom feed of the statements in a language', 'feedResponse'],
      ['app/feeds/org/[slug]/rss.xml/route.ts#GET', 'RSS feed of what an organization initiated or signed', 'feedResponse'],
      ['app/feeds/org/[slug]/atom.xml/route.ts#GET', 'Atom feed of what an organization initiated or signed', 'feedResponse'],
      ['app/data/[slug]/record.json/route.ts#GET', 'The latest signed record envelope, as stored', 'recordResponse'],
      ['app/data/[slug]/records/[seq]/route.ts#GET', 'One revision of the signed record', 'revisionResponse'],
      ['app/data/[slug]/[lang]/signatories.csv/route.ts#GET', 'The signatories as CSV (formula-safe)', 'signatoriesCsvResponse'],
      ['app/data/[slug]/[lang]/statement.pdf/route.ts#GET', 'The PDF of the statement, stored once per record revision and language', 'statementPdfResponse'],
    ] as const
  ).map(
    ([id, summary, fn]): MatrixEntry => ({
      id,
      kind: 'route',
      summary,
      mutates: fn === 'statementPdfResponse',
      public: true,
      csrf: {
        rule: 'exempt',
        reason:
          fn === 'statementPdfResponse'
            ? 'a GET of public data; its only write stores the PDF of the current public record once (idempotent)'
            : 'read-only',
      },
      lib: { fn: `lib/data-routes.ts#${fn}` },
      roles: 'foundation',
      provedBy: ['lib/data-routes.test.ts'],
      cells: [
        { role: 'ANON', expect: allow },
        {
          role: 'ANON',
          state: 'unknown statement, organization, language or revision',
          expect: { outcome: 'status', status: 404, reason: 'the same JSON answer for each' },
        },
      ],
    }),
  ),
  ...ORGANIZATION_ROUTES,
  ...STATEMENT_ROUTES,
  ...SIGNING_ROUTES,
];

export const entryById = (id: string): MatrixEntry | undefined => ACCESS_MATRIX.find((e) => e.id === id);

/** Split "app/_actions/auth.ts#signOutAction" into its file and export. */
export function splitId(id: string): { file: string; name: string } {
  const i = id.lastIndexOf('#');
  return { file: id.slice(0, i), name: id.slice(i + 1) };
}

/** Mutations the CSRF spec must send with a foreign Origin, no Origin, and Sec-Fetch-Site: cross-site. */
export const originCheckedMutations = (): MatrixEntry[] =>
  ACCESS_MATRIX.filter((e) => e.mutates && e.csrf.rule === 'origin-checked');

export const totalCells = (): number => ACCESS_MATRIX.reduce((n, e) => n + e.cells.length, 0);

/** Roles whose cells wait for a later issue, per entry, with the reason (printed by the registry test). */
export const pendingRoles = (): { id: EntryId; roles: Role[]; reason: string }[] =>
  ACCESS_MATRIX.flatMap((e) =>
    (e.pending ?? []).map((p) => ({ id: e.id, roles: p.roles, reason: p.reason })),
  );
