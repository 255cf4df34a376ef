// The access-matrix registry over HTTP: server-action ids from the production build's manifest, and requests
// encoded the way React's client encodes them (encodeReply), so a spec can call any action with any headers.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type APIResponse } from '@playwright/test';
import { splitId, type EntryId, type MatrixEntry } from '../../lib/access-matrix';
import { mailboxUrl } from './auth';

type Manifest = {
  node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
};

let manifest: Manifest | null = null;
function readManifest(): Manifest {
  if (!manifest) {
    const p = path.join(process.cwd(), '.next', 'server', 'server-reference-manifest.json');
    if (!fs.existsSync(p)) throw new Error(`${p} is missing: run \`npx next build\` first`);
    manifest = JSON.parse(fs.readFileSync(p, 'utf8')) as Manifest;
  }
  return manifest;
}

/** "app/(app)/settings/page" → "/settings"; "[lang]" segments get "en", other dynamic segments a placeholder. */
export function pathOfWorker(worker: string): string {
  const segs = worker
    .replace(/^app\//, '')
    .replace(/\/?page$/, '')
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => (s === '[lang]' ? 'en' : /^\[.*\]$/.test(s) ? 'x' : s));
  return `/${segs.join('/')}`;
}

/**
 * A URL for a route handler: "app/api/orgs/[id]/logo/route.ts#POST" → "/api/orgs/<random uuid>/logo"; a
 * "[lang]" segment gets "en" (a valid language, so the request reaches the checks after it).
 */
export function routePath(entryId: string): string {
  const { file } = splitId(entryId);
  return (
    '/' +
    file
      .replace(/^app\//, '')
      .replace(/\/route\.ts$/, '')
      .split('/')
      .filter((s) => !/^\(.*\)$/.test(s))
      .map((s) => (s === '[lang]' ? 'en' : /^\[.*\]$/.test(s) ? crypto.randomUUID() : s))
      .join('/')
  );
}

/** The HTTP method of a route-handler entry: "app/api/statements/[id]/texts/[lang]/route.ts#PUT" → "PUT". */
export function routeMethod(entryId: string): string {
  return splitId(entryId).name;
}

/** The id Next.js gave an exported server action, and a page that can run it (one whose bundle includes it). */
export function serverAction(entry: MatrixEntry | string): { id: string; page: string } {
  const { file, name } = splitId(typeof entry === 'string' ? entry : entry.id);
  const found = Object.entries(readManifest().node).filter(
    ([, v]) => v.filename === file && v.exportedName === name,
  );
  if (found.length !== 1)
    throw new Error(`${file}#${name}: ${found.length} entries in the server-reference manifest (rebuild?)`);
  const [id, v] = found[0]!;
  // Any page whose bundle includes the action can run it; prefer one without dynamic segments (then short).
  const dyn = (w: string) => (w.replace('[lang]', '').includes('[') ? 1 : 0);
  const workers = Object.keys(v.workers).sort((x, y) => dyn(x) - dyn(y) || x.length - y.length);
  if (workers.length === 0) throw new Error(`${file}#${name}: no page runs it`);
  return { id, page: pathOfWorker(workers[0]!) };
}

/**
 * A form action called through useActionState: args (prevState = null, FormData), as React's encodeReply sends
 * them — the form's fields first (prefixed `_1_`), then the argument list under "0", which refers to them. The
 * server reads the fields in that order, so this must be a FormData (an object would put "0" first).
 */
export function formActionBody(fields: Record<string, string>): FormData {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(`_1_${k}`, v);
  body.append('0', '[null,"$K1"]');
  return body;
}

export type Variant = { name: string; headers: (base: string) => Record<string, string> };

/** The three ways a cross-site request shows itself (SECURITY.md I10), plus the same-origin twin. */
export const CROSS_SITE_VARIANTS: Variant[] = [
  {
    name: 'foreign Origin',
    headers: () => ({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }),
  },
  { name: 'no Origin', headers: () => ({}) },
  {
    name: 'Sec-Fetch-Site: cross-site',
    headers: (base) => ({ origin: base, 'sec-fetch-site': 'cross-site' }),
  },
];
export const SAME_ORIGIN: Variant = {
  name: 'same origin',
  headers: (base) => ({ origin: base, 'sec-fetch-site': 'same-origin' }),
};

/** React's reply encoding of plain values: a string that starts with "$" is escaped as "$$…" (else it is a reference). */
export function encodeReplyValue(v: unknown): unknown {
  if (typeof v === 'string') return v.startsWith('$') ? `$${v}` : v;
  if (Array.isArray(v)) return v.map(encodeReplyValue);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeReplyValue(x)]));
  return v;
}

/** POST a server action over HTTP, as the browser would, with the variant's headers. */
export async function callAction(
  request: APIRequestContext,
  base: string,
  entryId: string,
  args: { form: Record<string, string> } | { json: unknown[] },
  variant: Variant,
): Promise<{ res: APIResponse; text: string }> {
  const { id, page } = serverAction(entryId);
  const headers: Record<string, string> = {
    accept: 'text/x-component',
    'next-action': id,
    ...variant.headers(base),
  };
  const res =
    'form' in args
      ? await request.post(page, { headers, multipart: formActionBody(args.form), maxRedirects: 0 })
      : await request.post(page, {
          headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' },
          data: JSON.stringify(encodeReplyValue(args.json)),
          maxRedirects: 0,
        });
  return { res, text: await res.text() };
}

/** Refused: Next.js's own origin check (5xx before the action runs) or ours (a FORBIDDEN result). */
export function refusedBy(r: { res: APIResponse; text: string }): 'next' | 'action' | null {
  if (r.text.includes('"code":"FORBIDDEN"')) return 'action';
  if (r.res.status() >= 400 && !r.text.includes('"ok":true')) return 'next';
  return null;
}

export function expectAccepted(r: { res: APIResponse; text: string }) {
  const redirect = r.res.headers()['x-action-redirect'];
  expect(r.res.status(), r.text.slice(0, 500)).toBeLessThan(400);
  expect(redirect || r.text.includes('"ok":true'), `accepted: ${r.text.slice(0, 500)}`).toBeTruthy();
}

/**
 * Call a route handler with its own method (POST, PUT…) and the variant's headers; `json` is sent as an
 * application/json body. Without `path`, a URL with random ids (routePath).
 */
export async function callRoute(
  request: APIRequestContext,
  base: string,
  entryId: string,
  variant: Variant,
  opts: { path?: string; json?: unknown } = {},
): Promise<{ res: APIResponse; text: string }> {
  const headers: Record<string, string> = {
    ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}),
    ...variant.headers(base),
  };
  const res = await request.fetch(opts.path ?? routePath(entryId), {
    method: routeMethod(entryId),
    headers,
    ...(opts.json !== undefined ? { data: JSON.stringify(opts.json) } : {}),
    maxRedirects: 0,
  });
  return { res, text: await res.text() };
}

// ---- statements over HTTP: what the statement recipes of e2e/csrf.spec.ts build on ----

export const TEXT_ROUTE: EntryId = 'app/api/statements/[id]/texts/[lang]/route.ts#PUT';

/** An editor document of plain paragraphs, as the editor sends it. */
export const docOf = (...texts: string[]) => ({
  type: 'doc',
  content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
});

/** The statement id in a redirect to its overview or editor ("/statements/<id>…"). */
export function statementIdOf(r: { res: APIResponse }): string {
  const id = /^\/statements\/([0-9a-f-]{36})/.exec(r.res.headers()['x-action-redirect'] ?? '')?.[1];
  if (!id) throw new Error(`no statement in the redirect: ${r.res.headers()['x-action-redirect']}`);
  return id;
}

/**
 * As the signed-in user of `request` (who belongs to no organization yet): create an organization from our
 * origin and return its id, as the new-statement form offers it.
 */
export async function seedOrganization(
  request: APIRequestContext,
  base: string,
  tag: string,
): Promise<string> {
  expectAccepted(
    await callAction(
      request,
      base,
      'app/_actions/orgs.ts#createOrganizationAction',
      { form: { name: `Drafting Group ${tag}`, confirmDistinct: 'on' } },
      SAME_ORIGIN,
    ),
  );
  const html = await (await request.get('/statements/new')).text();
  const orgId = /<option[^>]*\svalue="([0-9a-f-]{36})"/.exec(html)?.[1];
  if (!orgId) throw new Error('the new-statement form offers no organization');
  return orgId;
}

/** An organization and a statement of it (primary language hy, never saved: version 0), from our origin. */
export async function seedStatement(
  request: APIRequestContext,
  base: string,
  tag: string,
): Promise<{ orgId: string; statementId: string; title: string }> {
  const orgId = await seedOrganization(request, base, tag);
  const title = `Open letter ${tag}`;
  const r = await callAction(
    request,
    base,
    'app/_actions/statements.ts#createStatementAction',
    { form: { orgId, title, primaryLang: 'hy', timeZone: 'Asia/Yerevan' } },
    SAME_ORIGIN,
  );
  expectAccepted(r);
  return { orgId, statementId: statementIdOf(r), title };
}

/** PUT one language's text (the autosave request) with the variant's headers. */
export function putText(
  request: APIRequestContext,
  base: string,
  statementId: string,
  lang: string,
  body: { baseVersion: number; title: string; doc: unknown; resolution?: 'keep_mine' },
  variant: Variant,
): Promise<{ res: APIResponse; text: string }> {
  return callRoute(request, base, TEXT_ROUTE, variant, {
    path: `/api/statements/${statementId}/texts/${lang}`,
    json: body,
  });
}

/**
 * The current version of one language's text, read without changing it: a save based on a version that cannot
 * exist is refused with the current text (409, I6) and never applied (or, identical to the text, changes nothing).
 */
export async function textVersion(
  request: APIRequestContext,
  base: string,
  statementId: string,
  lang: string,
): Promise<number> {
  const probe = '\u2063';
  const r = await putText(
    request,
    base,
    statementId,
    lang,
    { baseVersion: 2_147_483_647, title: probe, doc: docOf(probe) },
    SAME_ORIGIN,
  );
  const body = JSON.parse(r.text) as {
    version?: number;
    error?: { code: string; current?: { version: number } };
  };
  if (r.res.status() === 409 && body.error?.current) return body.error.current.version;
  if (r.res.status() === 200 && body.version !== undefined) return body.version;
  throw new Error(`reading the version of ${statementId}/${lang}: ${r.res.status()} ${r.text.slice(0, 300)}`);
}

// ---- invitations over HTTP: what the invitation recipes of e2e/csrf.spec.ts build on ----

const INVITE_LINK = /href="(https?:\/\/[^"]*\/invite\/statement#t=([A-Za-z0-9_-]{43}))"/g;

/** Invitation tokens mailed to `email`, newest first, read from the development mailbox as an invitee would. */
export async function invitationTokens(request: APIRequestContext, email: string): Promise<string[]> {
  const html = await (await request.get(mailboxUrl(email))).text();
  return html
    .split('data-testid="mail-to">')
    .slice(1)
    .filter((segment) => segment.startsWith(`${email}<`))
    .flatMap((segment) => [...segment.matchAll(INVITE_LINK)].map((m) => m[2]!));
}

/** The newest invitation token for `email` not in `exclude`, once the relay has delivered it (bounded wait). */
export async function invitationTokenFor(
  request: APIRequestContext,
  email: string,
  opts: { exclude?: string[]; timeout?: number } = {},
): Promise<string> {
  let token = '';
  await expect(async () => {
    const fresh = (await invitationTokens(request, email)).filter((t) => !(opts.exclude ?? []).includes(t));
    expect(fresh.length, `an invitation link for ${email} in the development mailbox`).toBeGreaterThan(0);
    token = fresh[0]!;
  }).toPass({ timeout: opts.timeout ?? 15_000 });
  return token;
}

/** The invitation ids an accepted inviteOrganizationsAction reports (`created`), from its response. */
export function createdInvitationIds(r: { text: string }): string[] {
  return [...r.text.matchAll(/"invitationId":"([0-9a-f-]{36})"/g)].map((m) => m[1]!);
}

/**
 * As the signed-in user of `request` (who belongs to no organization yet): an organization, a statement of it,
 * and an invitation of the contact `email` to it, from our origin. Returns the ids; the relay mails the link.
 */
export async function seedInvitation(
  request: APIRequestContext,
  base: string,
  tag: string,
  email: string,
): Promise<{ orgId: string; statementId: string; title: string; invitationId: string }> {
  const s = await seedStatement(request, base, tag);
  const r = await callAction(
    request,
    base,
    'app/_actions/invitations.ts#inviteOrganizationsAction',
    { form: { statementId: s.statementId, kind: 'participant', emails: email, locale: 'en' } },
    SAME_ORIGIN,
  );
  expectAccepted(r);
  const [invitationId] = createdInvitationIds(r);
  if (!invitationId) throw new Error(`the invitation was not created: ${r.text.slice(0, 300)}`);
  return { ...s, invitationId };
}

/** Whether a link still opens its public landing (an unused, unrevoked, unexpired link); reads only. */
export async function linkIsLive(request: APIRequestContext, base: string, token: string): Promise<boolean> {
  const r = await callAction(
    request,
    base,
    'app/_actions/invitations.ts#previewInvitationPublicAction',
    { form: { token } },
    SAME_ORIGIN,
  );
  if (r.text.includes('"ok":true')) return true;
  if (r.text.includes('"code":"NOT_FOUND"')) return false;
  throw new Error(`previewing a link: ${r.res.status()} ${r.text.slice(0, 300)}`);
}

// ---- signing over HTTP: what the signing recipes of e2e/csrf.spec.ts build on ----

export const SIGN_ROUTE: EntryId = 'app/api/statements/[id]/sign/route.ts#POST';

/**
 * As the signed-in user of `request` (who belongs to no organization yet): an organization they own (signing policy
 * `admins`, so they may sign for it), a statement of it with a saved primary text, and — unless `freeze` is false —
 * that text frozen as version 1 (draft → open), all from our origin.
 */
export async function seedFrozenStatement(
  request: APIRequestContext,
  base: string,
  tag: string,
  opts: { freeze?: boolean } = {},
): Promise<{ orgId: string; statementId: string; title: string }> {
  const s = await seedStatement(request, base, tag);
  const saved = await putText(
    request,
    base,
    s.statementId,
    'hy',
    { baseVersion: 0, title: s.title, doc: docOf(`We call for an open budget ${tag}.`) },
    SAME_ORIGIN,
  );
  if (saved.res.status() !== 200) throw new Error(`saving the text: ${saved.res.status()} ${saved.text.slice(0, 300)}`);
  if (opts.freeze !== false)
    expectAccepted(
      await callAction(
        request,
        base,
        'app/_actions/signing.ts#freezeVersionAction',
        { json: [{ statementId: s.statementId }] },
        SAME_ORIGIN,
      ),
    );
  return s;
}

/** The HTTP status of GET /api/statements/{id}/versions/{n} for the signed-in reader (200 once frozen, else 404); reads only. */
export async function versionStatus(request: APIRequestContext, statementId: string, n = 1): Promise<number> {
  return (await request.get(`/api/statements/${statementId}/versions/${n}`, { maxRedirects: 0 })).status();
}

/** POST the sign route (JSON body `{ orgId, version }`) with the variant's headers. */
export function postSign(
  request: APIRequestContext,
  base: string,
  statementId: string,
  body: { orgId: string; version: number },
  variant: Variant,
): Promise<{ res: APIResponse; text: string }> {
  return callRoute(request, base, SIGN_ROUTE, variant, { path: `/api/statements/${statementId}/sign`, json: body });
}

// ---- publishing over HTTP: what the publishing recipes of e2e/csrf.spec.ts build on ----

export const PUBLISH_ACTION: EntryId = 'app/_actions/publishing.ts#publishStatementAction';

/**
 * As the signed-in user of `request` (who belongs to no organization yet): seedFrozenStatement, then signed for the
 * organization by its owner over the sign route, so every initiating organization is bound to version 1 and the
 * statement can be published. All from our origin.
 */
export async function seedSignedStatement(
  request: APIRequestContext,
  base: string,
  tag: string,
): Promise<{ orgId: string; statementId: string; title: string }> {
  const s = await seedFrozenStatement(request, base, tag);
  const signed = await postSign(request, base, s.statementId, { orgId: s.orgId, version: 1 }, SAME_ORIGIN);
  if (signed.res.status() !== 201) throw new Error(`signing: ${signed.res.status()} ${signed.text.slice(0, 300)}`);
  return s;
}

/** The arguments the publish dialog sends (an object, as the client calls the action), not open for joining. */
export const publishArgs = (statementId: string, slug: string) => ({
  statementId,
  slug,
  displayDate: '2024-05-01',
  listOrder: 'joined',
  joinUntil: null,
});

/** seedSignedStatement, then published at /{lang}/s/csrf-<tag> (not open for joining), from our origin. */
export async function seedPublishedStatement(
  request: APIRequestContext,
  base: string,
  tag: string,
): Promise<{ orgId: string; statementId: string; title: string; slug: string }> {
  const s = await seedSignedStatement(request, base, tag);
  const slug = `csrf-${tag}`;
  expectAccepted(await callAction(request, base, PUBLISH_ACTION, { json: [publishArgs(s.statementId, slug)] }, SAME_ORIGIN));
  return { ...s, slug };
}
