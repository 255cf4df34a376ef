// Open joining (PRODUCT.md S7; SECURITY.md I8, I13, C2): while a published statement is open for joining, anyone
// may ask to join it — as an organization (name, city, country, the signer's title) or an individual (name, role)
// — with an e-mail address confirmed by a token link (the tokens module, purpose `join_confirmation`, minted by
// the relay, carried in the URL fragment, consumed only by POST). Initiator members see the queue; initiator
// owners/admins approve (a `join_request` signature bound to the published version, listed as joined after
// publication with its date) or reject. Anti-abuse: rate limits per IP and per e-mail, names with links refused,
// fields beginning with `= + - @` refused. The e-mail address stays private: it is never in the public record.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import { getDb, type DbOrTx, type Tx } from '@/db';
import {
  joinRequests,
  memberships,
  organizations,
  outbox,
  publications,
  rateLimits,
  signatureBindings,
  signatures,
  statementInitiators,
  statements,
  statementVersions,
  users,
  type BindingSnapshot,
  type JoinRequestKind,
  type JoinRequestStatus,
} from '@/db/schema';
import { appendAudit } from './audit';
import { nowOf, type Ctx } from './context';
import { env } from './env';
import { AppError } from './errors';
import { faultPoint } from './fault';
import { isLocale, type Locale } from './i18n';
import { normalizeOrgName, slugFor } from './org-names';
import { enqueue } from './outbox';
import { isOrgAdmin, requireActor } from './permissions';
import { getPublicStatement, joiningOpen, revalidatePublic, validSlug } from './publishing';
import { refreshRecord } from './record';
import { isUuid, loadStatementForInitiator } from './statements';
import { consumeToken, normalizeEmail, peekToken, revokeTokens } from './tokens';
import { email as emailSchema, textProblem } from './validation/strings';

export const JOIN_FIELD_MAX = 200;
export const JOIN_CONFIRM_HOURS = 48;
export const JOIN_CONFIRM_PATH = '/join/confirm';
const statementChain = (id: string) => ({ type: 'statement' as const, id });

// ---- anti-abuse: field rules ----

// Schemes, "www." and domain-like tokens (example.com, ngo.am, пример.рф): a signatory's name is not an advert.
const URL_SCHEME = /\b(?:https?|ftp):\/\//i;
const WWW = /(?:^|[^\p{L}\p{N}])www\./iu;
const TLDS =
  '(?:[a-z]{2}|com|org|net|info|biz|edu|gov|int|mil|io|ngo|ong|xyz|online|site|website|app|dev|top|club|shop|store|news|live|link|click|blog|tech|space|world|life|today|pro|name|mobi|asia|рф|հայ|укр|бел|срб|қаз)';
const DOMAIN = new RegExp(
  `(?:^|[^\\p{L}\\p{N}_-])(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+${TLDS}(?![\\p{L}\\p{N}_-])`,
  'iu',
);
/** Spreadsheet formula starters (CSV injection), ASCII and full-width. */
const FORMULA_START = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
/** Control characters, line and paragraph separators, and bidirectional overrides (name spoofing). */
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

/** Whether a text contains a link: a scheme, "www." or a domain-like token. */
export function containsLink(s: string): boolean {
  return URL_SCHEME.test(s) || WWW.test(s) || DOMAIN.test(s);
}

export type JoinRequestInput = {
  slug: string;
  kind: JoinRequestKind;
  name: string;
  city?: string | null;
  country?: string | null;
  /** An organization's signer title, or an individual's role. */
  title?: string | null;
  email: string;
  /** The client's address (rate limit); from ctx.ip when absent. */
  ip?: string | null;
  /** The language the request was made in: its e-mails use it. */
  locale?: string | null;
};

export type CleanJoinRequest = {
  kind: JoinRequestKind;
  name: string;
  city: string | null;
  country: string | null;
  title: string | null;
  email: string;
};

function checkPublicField(
  value: string,
  required: boolean,
  field: string,
  errors: Record<string, string[]>,
): string | null {
  const v = value.trim();
  const add = (key: string) => (errors[field] ??= []).push(key);
  if (!v) {
    if (required) add('joining.errors.nameRequired');
    return null;
  }
  const p = textProblem(v);
  if (p) add(p);
  else if (v.length > JOIN_FIELD_MAX) add('errors.tooLong');
  else if (CONTROL.test(v)) add('joining.errors.controlCharacters');
  else if (containsLink(v))
    add(field === 'name' ? 'joining.errors.nameHasLink' : 'joining.errors.fieldHasLink');
  else if (FORMULA_START.test(v))
    add(field === 'name' ? 'joining.errors.nameFormulaStart' : 'joining.errors.fieldFormulaStart');
  return v;
}

/** Validate a request (every problem at once, by field); throws INVALID_INPUT with fieldErrors. Pure. */
export function validateJoinRequest(
  input: Omit<JoinRequestInput, 'slug' | 'ip' | 'locale'>,
): CleanJoinRequest {
  const errors: Record<string, string[]> = {};
  const kind = input.kind;
  if (kind !== 'organization' && kind !== 'individual') errors.kind = ['joining.errors.kindRequired'];
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const name = checkPublicField(str(input.name), true, 'name', errors);
  const title = checkPublicField(str(input.title), false, 'title', errors);
  // Individuals give a name and a role (PRODUCT.md S7); a place is an organization's.
  const city = kind === 'organization' ? checkPublicField(str(input.city), false, 'city', errors) : null;
  const country =
    kind === 'organization' ? checkPublicField(str(input.country), false, 'country', errors) : null;
  const e = emailSchema().safeParse(str(input.email));
  if (!str(input.email).trim()) errors.email = ['joining.errors.emailRequired'];
  else if (!e.success) errors.email = ['errors.invalidEmail'];
  if (Object.keys(errors).length > 0) throw new AppError('INVALID_INPUT', 'errors.invalidInput', errors);
  return { kind, name: name!, city, country, title, email: normalizeEmail(e.data!) };
}

// ---- anti-abuse: rate limits (PostgreSQL-backed, shared by every instance; configurable by environment) ----

type JoinBucket = 'join_ip' | 'join_email';
// Requests from one address per hour, and per e-mail address per statement per day (lib/env.ts).
const WINDOW_SECONDS: Record<JoinBucket, number> = { join_ip: 3600, join_email: 86_400 };
const limiters = new Map<string, RateLimiterDrizzle>();

export function joinRateLimits(): Record<JoinBucket, number> {
  const e = env();
  return { join_ip: e.RATE_LIMIT_JOIN_PER_IP, join_email: e.RATE_LIMIT_JOIN_PER_EMAIL };
}

async function hitJoin(bucket: JoinBucket, key: string): Promise<void> {
  const points = joinRateLimits()[bucket];
  const id = `${bucket}:${points}:${process.env.DATABASE_URL}`;
  let l = limiters.get(id);
  if (!l) {
    l = new RateLimiterDrizzle({
      storeClient: getDb(),
      schema: rateLimits,
      keyPrefix: bucket,
      points,
      duration: WINDOW_SECONDS[bucket],
      clearExpiredByTimeout: false,
    });
    limiters.set(id, l);
  }
  try {
    await l.consume(key.toLowerCase());
  } catch (e) {
    if (e instanceof RateLimiterRes)
      throw new AppError('RATE_LIMITED', 'errors.rateLimited', undefined, Math.ceil(e.msBeforeNext / 1000));
    throw e;
  }
}

// ---- helpers ----

/** The published version's title in `lang` (else its first language's). */
async function titleOf(db: DbOrTx, versionId: string, lang: string): Promise<string> {
  const [v] = await db
    .select({ canonical: statementVersions.canonical })
    .from(statementVersions)
    .where(eq(statementVersions.id, versionId));
  if (!v) return '';
  const texts = (JSON.parse(v.canonical) as { texts: Record<string, { title: string }> }).texts;
  return texts[lang]?.title ?? Object.values(texts)[0]?.title ?? '';
}

/** Owners and admins of every initiating organization: who hears of a confirmed request. */
async function initiatorAdmins(db: DbOrTx, statementId: string) {
  const rows = await db
    .selectDistinct({ email: users.email, locale: users.locale })
    .from(statementInitiators)
    .innerJoin(memberships, eq(memberships.orgId, statementInitiators.orgId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(eq(statementInitiators.statementId, statementId), inArray(memberships.role, ['owner', 'admin'])),
    )
    .orderBy(asc(users.email));
  return rows.map((r) => ({
    email: normalizeEmail(r.email),
    locale: (r.locale && isLocale(r.locale) ? r.locale : 'en') as Locale,
  }));
}

/** The language the requester asked in (their confirmation e-mail's), for the e-mails that follow. */
async function requesterLocale(db: DbOrTx, requestId: string): Promise<Locale> {
  const [row] = await db
    .select({ locale: outbox.locale })
    .from(outbox)
    .where(and(eq(outbox.kind, 'join.confirm'), sql`${outbox.data}->>'requestId' = ${requestId}`))
    .orderBy(desc(outbox.createdAt))
    .limit(1);
  return row && isLocale(row.locale) ? row.locale : 'en';
}

// ---- asking to join (public) ----

/**
 * Anyone, signed in or not, while the statement is published and inside its joining window. One live request per
 * e-mail per statement: a repeat updates the unconfirmed request and re-sends the confirmation (the same answer
 * whether or not a request existed, so the form tells nobody which addresses asked).
 */
export async function requestToJoin(ctx: Ctx, input: JoinRequestInput): Promise<{ sent: true }> {
  const now = nowOf(ctx);
  const v = validateJoinRequest(input);
  const slug = typeof input.slug === 'string' ? input.slug.trim().toLowerCase() : '';
  if (!validSlug(slug)) throw new AppError('NOT_FOUND', 'errors.notFound');
  await hitJoin('join_ip', input.ip ?? ctx.ip ?? 'unknown');
  const [pub] = await ctx.db
    .select({
      statementId: publications.statementId,
      joinUntil: publications.joinUntil,
      state: statements.state,
    })
    .from(publications)
    .innerJoin(statements, eq(statements.id, publications.statementId))
    .where(eq(publications.slug, slug));
  if (!pub) throw new AppError('NOT_FOUND', 'errors.notFound');
  if (!joiningOpen(pub.state, pub.joinUntil, now))
    throw new AppError('INVALID_STATE', 'joining.errors.closed');
  await hitJoin('join_email', `${pub.statementId}:${v.email}`);
  const locale: Locale = isLocale(input.locale) ? input.locale : 'en';
  await ctx.db.transaction(async (tx) => {
    // Closing, withdrawing or ending the window (FOR NO KEY UPDATE on the statement) waits for this, or came first.
    const [st] = await tx
      .select({ state: statements.state, primaryLang: statements.primaryLang })
      .from(statements)
      .where(eq(statements.id, pub.statementId))
      .for('share');
    const [p] = await tx.select().from(publications).where(eq(publications.statementId, pub.statementId));
    if (!st || !p || !joiningOpen(st.state, p.joinUntil, now))
      throw new AppError('INVALID_STATE', 'joining.errors.closed');
    const details = { kind: v.kind, name: v.name, city: v.city, country: v.country, title: v.title };
    const [inserted] = await tx
      .insert(joinRequests)
      .values({
        statementId: p.statementId,
        ...details,
        email: v.email,
        status: 'unconfirmed',
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: joinRequests.id });
    let requestId: string;
    let repeat = false;
    if (inserted) requestId = inserted.id;
    else {
      const [live] = await tx
        .select()
        .from(joinRequests)
        .where(
          and(
            eq(joinRequests.statementId, p.statementId),
            eq(joinRequests.email, v.email),
            inArray(joinRequests.status, ['unconfirmed', 'pending']),
          ),
        )
        .for('update');
      if (!live) throw new AppError('CONFLICT', 'errors.unexpected');
      // Already confirmed and waiting for the initiators: nothing to confirm again.
      if (live.status === 'pending') return;
      requestId = live.id;
      repeat = true;
      // The newest details are the ones confirmed; older links end (the new message carries a fresh one).
      await tx.update(joinRequests).set(details).where(eq(joinRequests.id, live.id));
      await revokeTokens(tx, { purpose: 'join_confirmation', subjectId: live.id, now });
    }
    const event = await appendAudit(tx, {
      chain: statementChain(p.statementId),
      type: 'join.requested',
      actorUserId: ctx.actor?.userId ?? null,
      data: { requestId, kind: v.kind, ...(repeat ? { repeat: true } : {}) },
      now,
    });
    await enqueue(tx, {
      auditEventId: event.id,
      kind: 'join.confirm',
      to: v.email,
      locale,
      data: { requestId, title: await titleOf(tx, p.versionId, st.primaryLang), name: v.name, kind: v.kind },
      dedupeKey: `join-confirm:${requestId}:${event.id}`,
      tokenRef: {
        purpose: 'join_confirmation',
        subjectId: requestId,
        expiresAt: new Date(now.getTime() + JOIN_CONFIRM_HOURS * 3_600_000).toISOString(),
        path: JOIN_CONFIRM_PATH,
      },
    });
  });
  return { sent: true };
}

/**
 * The confirmation link (POST only): the token proves the mailbox. unconfirmed → pending; the initiators' owners
 * and admins are told. Unknown, expired, used and forwarded tokens, and requests no longer waiting, get one answer.
 */
export async function confirmJoin(ctx: Ctx, input: { token: string }) {
  const now = nowOf(ctx);
  const invalid = () => new AppError('NOT_FOUND', 'joining.errors.linkInvalid');
  const token = typeof input.token === 'string' ? input.token : '';
  const peek = await peekToken(ctx.db, { token, purpose: 'join_confirmation', now });
  if (!peek.ok) throw invalid();
  return ctx.db.transaction(async (tx) => {
    const [head] = await tx
      .select({ statementId: joinRequests.statementId })
      .from(joinRequests)
      .where(eq(joinRequests.id, peek.subjectId));
    if (!head) throw invalid();
    // Lock order everywhere: the statement, the request, then its tokens.
    const [st] = await tx
      .select({ state: statements.state, primaryLang: statements.primaryLang })
      .from(statements)
      .where(eq(statements.id, head.statementId))
      .for('share');
    const [req] = await tx
      .select()
      .from(joinRequests)
      .where(eq(joinRequests.id, peek.subjectId))
      .for('update');
    const check = await consumeToken(tx, { token, purpose: 'join_confirmation', email: peek.email, now });
    if (!check.ok || !req || req.status !== 'unconfirmed' || req.email !== check.email) throw invalid();
    // Once the statement is closed or withdrawn nobody can be added: the link is not used up.
    if (st?.state !== 'published') throw new AppError('INVALID_STATE', 'joining.errors.closed');
    const [pub] = await tx
      .select({ slug: publications.slug, versionId: publications.versionId })
      .from(publications)
      .where(eq(publications.statementId, req.statementId));
    await tx
      .update(joinRequests)
      .set({ status: 'pending', confirmedAt: now })
      .where(eq(joinRequests.id, req.id));
    const event = await appendAudit(tx, {
      chain: statementChain(req.statementId),
      type: 'join.confirmed',
      actorUserId: ctx.actor?.userId ?? null,
      data: { requestId: req.id, kind: req.kind },
      now,
    });
    const title = await titleOf(tx, pub!.versionId, st.primaryLang);
    for (const to of await initiatorAdmins(tx, req.statementId)) {
      await enqueue(tx, {
        auditEventId: event.id,
        kind: 'join.pending',
        to: to.email,
        locale: to.locale,
        data: { statementId: req.statementId, requestId: req.id, title, name: req.name, kind: req.kind },
        dedupeKey: `join-pending:${req.id}:${to.email}`,
      });
    }
    return { requestId: req.id, slug: pub!.slug, title, name: req.name, kind: req.kind };
  });
}

// ---- the initiators' queue ----

export type JoinRequestRow = {
  id: string;
  kind: JoinRequestKind;
  name: string;
  city: string | null;
  country: string | null;
  title: string | null;
  /** Private: shown to initiator members only, never in public outputs (I13). */
  email: string;
  status: JoinRequestStatus;
  createdAt: Date;
  confirmedAt: Date | null;
  decidedAt: Date | null;
};

/** Initiator members (any role) read the queue; owners/admins may decide. Others: NOT_FOUND (participants: FORBIDDEN). */
export async function listJoinRequests(ctx: Ctx, statementId: string) {
  const { statement, role } = await loadStatementForInitiator(ctx.db, ctx, statementId);
  const [pub] = await ctx.db.select().from(publications).where(eq(publications.statementId, statement.id));
  const rows = pub
    ? await ctx.db
        .select({
          id: joinRequests.id,
          kind: joinRequests.kind,
          name: joinRequests.name,
          city: joinRequests.city,
          country: joinRequests.country,
          title: joinRequests.title,
          email: joinRequests.email,
          status: joinRequests.status,
          createdAt: joinRequests.createdAt,
          confirmedAt: joinRequests.confirmedAt,
          decidedAt: joinRequests.decidedAt,
        })
        .from(joinRequests)
        .where(eq(joinRequests.statementId, statement.id))
        .orderBy(asc(joinRequests.confirmedAt), asc(joinRequests.createdAt))
    : [];
  const initiators = await ctx.db
    .select({ name: organizations.name, role: statementInitiators.role })
    .from(statementInitiators)
    .innerJoin(organizations, eq(organizations.id, statementInitiators.orgId))
    .where(eq(statementInitiators.statementId, statement.id))
    .orderBy(asc(statementInitiators.joinedAt));
  const now = nowOf(ctx);
  return {
    statement: {
      id: statement.id,
      state: statement.state,
      primaryLang: statement.primaryLang,
      timeZone: statement.timeZone,
      currentVersion: statement.currentVersion,
      title: pub ? await titleOf(ctx.db, pub.versionId, statement.primaryLang) : '',
    },
    initiators,
    publication: pub
      ? {
          slug: pub.slug,
          joinUntil: pub.joinUntil,
          joiningOpen: joiningOpen(statement.state, pub.joinUntil, now),
        }
      : null,
    canDecide: isOrgAdmin(role),
    /** Approval adds a signature to the public list: only while published. */
    canApprove: isOrgAdmin(role) && statement.state === 'published',
    pending: rows.filter((r) => r.status === 'pending') as JoinRequestRow[],
    decided: (
      rows.filter((r) => r.status === 'approved' || r.status === 'rejected') as JoinRequestRow[]
    ).sort((a, b) => (b.decidedAt?.getTime() ?? 0) - (a.decidedAt?.getTime() ?? 0)),
    /** Requests whose e-mail is not confirmed yet: counted, not shown (nothing to decide). */
    unconfirmed: rows.filter((r) => r.status === 'unconfirmed').length,
  };
}

/** Initiator owners/admins only: the pending request named by id on the statement named by id (else NOT_FOUND, IDOR). */
async function loadForDecision(tx: Tx, ctx: Ctx, input: { statementId: string; requestId: string }) {
  const { statement, role } = await loadStatementForInitiator(tx, ctx, input.statementId, { lock: true });
  if (!isOrgAdmin(role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
  if (typeof input.requestId !== 'string' || !isUuid(input.requestId))
    throw new AppError('NOT_FOUND', 'joining.errors.requestNotFound');
  const [req] = await tx
    .select()
    .from(joinRequests)
    .where(and(eq(joinRequests.id, input.requestId), eq(joinRequests.statementId, statement.id)))
    .for('update');
  if (!req) throw new AppError('NOT_FOUND', 'joining.errors.requestNotFound');
  if (req.status !== 'pending') throw new AppError('INVALID_STATE', 'joining.errors.notPending');
  return { statement, req };
}

const sameText = (a: string | null) => sql`coalesce(lower(btrim(${a ?? ''})), '')`;

/** The organization a request names: same normalized name and same city and country, else a new unverified one. */
async function organizationFor(
  tx: Tx,
  req: typeof joinRequests.$inferSelect,
  actorUserId: string,
  now: Date,
): Promise<string> {
  const normalized = normalizeOrgName(req.name);
  // Two approvals naming one new organization (on different statements) create it once.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`join-org:${normalized}`}))`);
  const [match] = await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(
      and(
        eq(organizations.normalizedName, normalized),
        sql`coalesce(lower(btrim(${organizations.city})), '') = ${sameText(req.city)}`,
        sql`coalesce(lower(btrim(${organizations.country})), '') = ${sameText(req.country)}`,
      ),
    )
    .orderBy(asc(organizations.createdAt))
    .limit(1);
  if (match) return match.id;
  const base = slugFor(req.name);
  let slug = base;
  for (let i = 2; ; i++) {
    const [taken] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.slug, slug));
    if (!taken) break;
    slug = `${base}-${i}`;
  }
  const [org] = await tx
    .insert(organizations)
    .values({
      slug,
      name: req.name,
      names: {},
      normalizedName: normalized,
      searchText: normalized,
      city: req.city,
      country: req.country,
      createdBy: null,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: organizations.id });
  // Unverified and unclaimed (no members): a directory entry named by a join request.
  await appendAudit(tx, {
    chain: { type: 'organization', id: org!.id },
    type: 'org.created',
    actorUserId,
    data: { slug, name: req.name, via: 'join_request', statementId: req.statementId, requestId: req.id },
    now,
  });
  return org!.id;
}

/**
 * Initiator owners/admins, while the statement is published (not closed or withdrawn): the pending request becomes
 * a `join_request` signature bound to the published version, signed now (listed as joined after publication).
 * Individuals: one signature per e-mail per statement; organizations: one per (statement, organization).
 */
export async function approveJoinRequest(ctx: Ctx, input: { statementId: string; requestId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const out = await ctx.db.transaction(async (tx) => {
    const { statement, req } = await loadForDecision(tx, ctx, input);
    if (statement.state !== 'published') throw new AppError('INVALID_STATE', 'joining.errors.notPublished');
    const [pub] = await tx.select().from(publications).where(eq(publications.statementId, statement.id));
    if (!pub) throw new AppError('INVALID_STATE', 'joining.errors.notPublished');
    const [version] = await tx
      .select()
      .from(statementVersions)
      .where(eq(statementVersions.id, pub.versionId));
    const individual = req.kind === 'individual';
    let orgId: string | null = null;
    if (individual) {
      const [dup] = await tx
        .select({ id: signatures.id })
        .from(signatures)
        .where(and(eq(signatures.statementId, statement.id), eq(signatures.individualEmail, req.email)));
      if (dup) throw new AppError('CONFLICT', 'joining.errors.emailAlreadySigned');
    } else {
      orgId = await organizationFor(tx, req, actor.userId, now);
      const [dup] = await tx
        .select({ id: signatures.id })
        .from(signatures)
        .where(and(eq(signatures.statementId, statement.id), eq(signatures.orgId, orgId)));
      if (dup) throw new AppError('CONFLICT', 'joining.errors.organizationAlreadySigned');
    }
    const [sig] = await tx
      .insert(signatures)
      .values({
        statementId: statement.id,
        orgId,
        individualEmail: individual ? req.email : null,
        method: 'join_request',
        createdBy: actor.userId,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: signatures.id });
    if (!sig)
      throw new AppError(
        'CONFLICT',
        individual ? 'joining.errors.emailAlreadySigned' : 'joining.errors.organizationAlreadySigned',
      );
    const snapshot: BindingSnapshot = {
      names: { default: req.name },
      city: req.city,
      country: req.country,
      verified: false,
      title: req.title,
      personName: null,
      individual,
    };
    const [binding] = await tx
      .insert(signatureBindings)
      .values({
        signatureId: sig.id,
        statementId: statement.id,
        versionId: pub.versionId,
        versionNumber: pub.versionNumber,
        contentSha256: version!.contentSha256,
        signedBy: null,
        signerRole: null,
        policy: null,
        snapshot,
        signedAt: now,
      })
      .returning({ id: signatureBindings.id });
    await tx
      .update(joinRequests)
      .set({ status: 'approved', decidedBy: actor.userId, decidedAt: now, signatureId: sig.id })
      .where(eq(joinRequests.id, req.id));
    faultPoint('joining.after_approve');
    // C2: the event names the request (its confirmed e-mail) and the approving initiator (the actor).
    const event = await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: 'join.approved',
      actorUserId: actor.userId,
      data: {
        requestId: req.id,
        kind: req.kind,
        signatureId: sig.id,
        bindingId: binding!.id,
        orgId,
        version: pub.versionNumber,
        contentSha256: version!.contentSha256,
      },
      now,
    });
    await refreshRecord(tx, statement.id, now);
    const title = await titleOf(tx, pub.versionId, statement.primaryLang);
    await enqueue(tx, {
      auditEventId: event.id,
      kind: 'join.approved',
      to: req.email,
      locale: await requesterLocale(tx, req.id),
      data: { requestId: req.id, title, name: req.name, slug: pub.slug, lang: statement.primaryLang },
      dedupeKey: `join-approved:${req.id}`,
    });
    return { slug: pub.slug, signatureId: sig.id, bindingId: binding!.id, signedAt: now.toISOString() };
  });
  await revalidatePublic(out.slug);
  return out;
}

/** Initiator owners/admins: a pending request is declined (in any public state); the requester is told. */
export async function rejectJoinRequest(ctx: Ctx, input: { statementId: string; requestId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { statement, req } = await loadForDecision(tx, ctx, input);
    await tx
      .update(joinRequests)
      .set({ status: 'rejected', decidedBy: actor.userId, decidedAt: now })
      .where(eq(joinRequests.id, req.id));
    const event = await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: 'join.rejected',
      actorUserId: actor.userId,
      data: { requestId: req.id, kind: req.kind },
      now,
    });
    const [pub] = await tx
      .select({ versionId: publications.versionId })
      .from(publications)
      .where(eq(publications.statementId, statement.id));
    await enqueue(tx, {
      auditEventId: event.id,
      kind: 'join.rejected',
      to: req.email,
      locale: await requesterLocale(tx, req.id),
      data: {
        requestId: req.id,
        title: pub ? await titleOf(tx, pub.versionId, statement.primaryLang) : '',
        name: req.name,
      },
      dedupeKey: `join-rejected:${req.id}`,
    });
    return { status: 'rejected' as const };
  });
}

// ---- the public join page ----

/** Public (no session): what the join page shows — the title in a language, and whether joining is open. */
export async function getJoinPage(db: DbOrTx, slug: string, lang: string, now = new Date()) {
  const p = await getPublicStatement(db, slug, now);
  if (!p) return null;
  const texts = p.record.texts;
  const title = texts[lang]?.title ?? texts[p.record.primary_lang]?.title ?? '';
  return { slug: p.slug, title, state: p.state, joiningOpen: p.joiningOpen, joinUntil: p.joinUntil };
}
