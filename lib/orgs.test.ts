// Organizations: bad input and extra fields (through the real server actions and the logo route, with only
// Next's request adapters and Auth.js's session reader replaced), logo re-encoding, verification by e-mail
// domain and by the operator (also the CLI as a child process), the similar-name warning, the directory
// search, and — last — the organization invariants checked directly in SQL.
import crypto from 'node:crypto';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { auditEvents, files, organizations, users } from '@/db/schema';
import type { Actor } from './context';
import { isAppError } from './errors';
import { acceptMemberInvitation, changeMemberRole, inviteMember, removeMember } from './members';
import { createOrganization, listDirectory, setOrganizationLogo, similarOrganizations, updateOrganizationProfile, verifyOrganizationByOperator, LOGO_MAX_BYTES } from './orgs';
import { createUser, ctxFor, digestDomain, runChild } from './testing/db';
import { membershipIdOf, orgInvariantProblems, seedOrg, tinyPng, uniqueOrgName, type SeededOrg } from './testing/orgs';
import {
  changeRoleSchema,
  createOrgSchema,
  invitationIdSchema,
  inviteMemberSchema,
  membershipSchema,
  orgIdSchema,
  setTitleSchema,
  signingPolicySchema,
  tokenSchema,
  updateOrgSchema,
} from './validation/orgs';

// ---- test doubles for the Next.js / Auth.js adapters (never for our database) ----

const h = vi.hoisted(() => ({ actor: null as { userId: string; email: string } | null }));
class Redirect extends Error {
  constructor(public url: string) {
    super(`redirect ${url}`);
  }
}
const APP = 'http://localhost:3000'; // APP_URL in vitest.config.ts
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ host: 'localhost:3000', origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin', 'x-client-ip': '127.0.0.1' }),
  cookies: async () => ({ get: () => undefined, getAll: () => [] }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('next/navigation', () => ({
  redirect: (url: string) => {
    throw new Redirect(url);
  },
}));
vi.mock('@/lib/auth', () => ({
  auth: async () => (h.actor ? { user: { id: h.actor.userId, email: h.actor.email }, expires: new Date(Date.now() + 3600_000).toISOString() } : null),
  signIn: async () => {},
  signOut: async () => {},
}));

const actions = await import('@/app/_actions/orgs');
const logoRoute = await import('@/app/api/orgs/[id]/logo/route');

beforeEach(() => {
  h.actor = null;
});

const db = () => getDb();
type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string; fieldErrors?: Record<string, string[]> };
async function outcomeOf(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (isAppError(e)) return { ok: false, code: e.code, message: e.message, fieldErrors: e.fieldErrors };
    throw e;
  }
}
async function orgRow(id: string) {
  const [o] = await db().select().from(organizations).where(eq(organizations.id, id));
  return o!;
}
const orgEvents = (orgId: string, type: string) =>
  db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, 'organization'), eq(auditEvents.chainId, orgId), sql`${auditEvents.type} = ${type}`));
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};
const rnd = () => crypto.randomBytes(4).toString('hex');

// =====================================================================================================
describe('extra fields: the strict schemas refuse them', () => {
  const valid: [string, z.ZodTypeAny, Record<string, unknown>][] = [
    ['createOrgSchema', createOrgSchema, { name: 'Valid organization' }],
    ['updateOrgSchema', updateOrgSchema, { orgId: crypto.randomUUID(), name: 'Valid organization' }],
    ['inviteMemberSchema', inviteMemberSchema, { orgId: crypto.randomUUID(), email: 'a@example.org', role: 'member' }],
    ['changeRoleSchema', changeRoleSchema, { orgId: crypto.randomUUID(), membershipId: crypto.randomUUID(), role: 'admin' }],
    ['setTitleSchema', setTitleSchema, { orgId: crypto.randomUUID(), membershipId: crypto.randomUUID(), title: 'Chair' }],
    ['signingPolicySchema', signingPolicySchema, { orgId: crypto.randomUUID(), policy: 'members' }],
    ['membershipSchema', membershipSchema, { orgId: crypto.randomUUID(), membershipId: crypto.randomUUID() }],
    ['orgIdSchema', orgIdSchema, { orgId: crypto.randomUUID() }],
    ['invitationIdSchema', invitationIdSchema, { invitationId: crypto.randomUUID() }],
    ['tokenSchema', tokenSchema, { token: 'x'.repeat(43) }],
  ];
  for (const [name, schema, payload] of valid) {
    it(`${name}: valid passes; role, ownerId, status, __proto__, constructor are refused`, () => {
      expect(schema.safeParse(payload).success, 'the valid payload').toBe(true);
      for (const key of ['role', 'ownerId', 'status', '__proto__', 'constructor', 'createdBy', 'verifiedAt']) {
        if (key in payload) continue; // a real field of this schema (e.g. role when inviting)
        // JSON.parse makes `__proto__` an own key, as a request body would.
        const tampered = JSON.parse(JSON.stringify(payload).replace(/^\{/, `{${JSON.stringify(key)}:"owner",`));
        expect(Object.keys(tampered)).toContain(key);
        const r = schema.safeParse(tampered);
        expect(r.success, `${name} with ${key}`).toBe(false);
      }
    });
  }
});

// =====================================================================================================
describe('bad input through the server actions → INVALID_INPUT with a field error, nothing written', () => {
  let s: SeededOrg;
  beforeAll(async () => {
    s = await seedOrg();
  });

  const NUL = 'Bad\u0000value';
  const LONE = 'Bad\uD800value';
  const textFields = ['name', 'name_en', 'name_hy', 'name_ru', 'city', 'country', 'website', 'description'] as const;

  type Case = { name: string; input: Record<string, unknown> | FormData; field: string; message?: string };
  const createCases: Case[] = [
    { name: 'empty name', input: { name: '' }, field: 'name', message: 'errors.nameRequired' },
    { name: 'blank name', input: { name: '    ' }, field: 'name', message: 'errors.nameRequired' },
    { name: 'one-letter name', input: { name: 'A' }, field: 'name', message: 'errors.nameRequired' },
    { name: 'missing name', input: { city: 'Yerevan' }, field: 'name' },
    { name: 'over-long name', input: { name: 'Ա'.repeat(201) }, field: 'name', message: 'errors.tooLong' },
    ...['=', '+', '-', '@'].map((c) => ({ name: `name starting with ${c}`, input: { name: `${c}HYPERLINK("https://evil.example")` }, field: 'name', message: 'errors.nameFormula' })),
    ...['=', '+', '-', '@'].flatMap((c) =>
      (['name_en', 'name_hy', 'name_ru'] as const).map((f) => ({ name: `${f} starting with ${c}`, input: { name: 'Fine name', [f]: `${c}cmd|' /C calc'!A0` }, field: f, message: 'errors.nameFormula' })),
    ),
    { name: 'name with a URL', input: { name: 'Visit https://evil.example now' }, field: 'name', message: 'errors.nameUrl' },
    { name: 'name with www.', input: { name: 'Best NGO www.evil.example' }, field: 'name', message: 'errors.nameUrl' },
    { name: 'name_ru with a URL', input: { name: 'Fine name', name_ru: 'Союз http://evil.example' }, field: 'name_ru', message: 'errors.nameUrl' },
    { name: 'javascript: website', input: { name: 'Fine name', website: 'javascript:alert(1)' }, field: 'website' },
    { name: 'http: website', input: { name: 'Fine name', website: 'http://ngo.am' }, field: 'website', message: 'errors.httpsOnly' },
    { name: 'data: website', input: { name: 'Fine name', website: 'data:text/html,<script>alert(1)</script>' }, field: 'website' },
    { name: 'ftp: website', input: { name: 'Fine name', website: 'ftp://ngo.am' }, field: 'website' },
    { name: 'website that is not a URL', input: { name: 'Fine name', website: 'ngo am' }, field: 'website' },
    { name: 'over-long city', input: { name: 'Fine name', city: 'x'.repeat(121) }, field: 'city', message: 'errors.tooLong' },
    { name: 'over-long country', input: { name: 'Fine name', country: 'x'.repeat(121) }, field: 'country', message: 'errors.tooLong' },
    { name: 'over-long description', input: { name: 'Fine name', description: 'x'.repeat(2001) }, field: 'description', message: 'errors.tooLong' },
    { name: 'a number as the name', input: { name: 42 }, field: 'name' },
    ...textFields.map((f) => ({ name: `NUL in ${f}`, input: { name: 'Fine name', [f]: f === 'website' ? `https://ngo.am/${NUL}` : NUL }, field: f, message: 'errors.nulCharacter' })),
    ...textFields.map((f) => ({ name: `lone surrogate in ${f}`, input: { name: 'Fine name', [f]: f === 'website' ? `https://ngo.am/${LONE}` : LONE }, field: f, message: 'errors.loneSurrogate' })),
    // As a browser form posts them (FormData): NUL survives the encoding; a `__proto__` field becomes an own key.
    { name: 'NUL in a posted form', input: form({ name: NUL }), field: 'name', message: 'errors.nulCharacter' },
    ...['role', 'ownerId', 'status', '__proto__', 'constructor'].map((k) => ({ name: `extra field ${k} (form)`, input: form({ name: `Extra ${k} ${rnd()}`, [k]: 'owner' }), field: '_' })),
    ...['role', 'ownerId', 'status', 'createdBy', 'verifiedAt'].map((k) => ({ name: `extra field ${k} (object)`, input: { name: `Extra ${k} ${rnd()}`, [k]: 'owner' }, field: '_' })),
    { name: 'extra field __proto__ (JSON)', input: JSON.parse('{"name":"Proto org","__proto__":{"role":"owner"}}'), field: '_' },
  ];

  async function expectInvalid(call: () => Promise<unknown>, field: string, message?: string) {
    const before = await digestDomain();
    const r = (await call()) as { ok: boolean; code?: string; fieldErrors?: Record<string, string[]> };
    expect(r.ok, 'refused').toBe(false);
    expect(r.code).toBe('INVALID_INPUT');
    expect(Object.keys(r.fieldErrors ?? {}), 'a field error').toContain(field);
    if (message) expect(r.fieldErrors![field]).toContain(message);
    expect(await digestDomain(), 'nothing written').toBe(before);
  }

  for (const c of createCases) {
    it(`create: ${c.name}`, async () => {
      h.actor = s.outsider;
      await expectInvalid(() => actions.createOrganizationAction(c.input), c.field, c.message);
    });
  }

  for (const c of createCases.filter((x) => !(x.input instanceof FormData) && x.field !== '_')) {
    it(`update: ${c.name}`, async () => {
      h.actor = s.admin;
      await expectInvalid(() => actions.updateOrganizationProfileAction({ orgId: s.org.id, ...(c.input as Record<string, unknown>) }), c.field, c.message);
    });
  }

  it('update: extra fields never reach the row (ownerId, status, signingPolicy, verifiedAt)', async () => {
    h.actor = s.admin;
    for (const k of ['ownerId', 'status', 'signingPolicy', 'verifiedAt', 'verificationMethod', 'role']) {
      await expectInvalid(() => actions.updateOrganizationProfileAction({ orgId: s.org.id, name: s.org.name, [k]: k === 'verifiedAt' ? new Date().toISOString() : 'members' }), '_');
    }
    expect(await orgRow(s.org.id)).toMatchObject({ signingPolicy: 'admins', verifiedAt: null });
  });

  const memberCases: { name: string; call: () => Promise<unknown>; field: string; message?: string }[] = [
    { name: 'invite: bad e-mail', call: () => actions.inviteMemberAction({ orgId: s.org.id, email: 'not-an-address', role: 'member' }), field: 'email', message: 'errors.invalidEmail' },
    { name: 'invite: NUL in the e-mail', call: () => actions.inviteMemberAction({ orgId: s.org.id, email: `a${'\u0000'}@example.org`, role: 'member' }), field: 'email', message: 'errors.nulCharacter' },
    { name: 'invite: an unknown role', call: () => actions.inviteMemberAction({ orgId: s.org.id, email: 'a@example.org', role: 'superadmin' }), field: 'role' },
    { name: 'invite: NUL in the title', call: () => actions.inviteMemberAction({ orgId: s.org.id, email: 'a@example.org', role: 'member', title: NUL }), field: 'title', message: 'errors.nulCharacter' },
    { name: 'invite: lone surrogate in the title', call: () => actions.inviteMemberAction({ orgId: s.org.id, email: 'a@example.org', role: 'member', title: LONE }), field: 'title', message: 'errors.loneSurrogate' },
    { name: 'invite: extra field status', call: () => actions.inviteMemberAction({ orgId: s.org.id, email: 'a@example.org', role: 'member', status: 'accepted' }), field: '_' },
    { name: 'invite: not a uuid', call: () => actions.inviteMemberAction({ orgId: "1' OR '1'='1", email: 'a@example.org', role: 'member' }), field: 'orgId' },
    { name: 'title: NUL', call: () => actions.setMemberTitleAction({ orgId: s.org.id, membershipId: s.m.member, title: NUL }), field: 'title', message: 'errors.nulCharacter' },
    { name: 'title: lone surrogate', call: () => actions.setMemberTitleAction({ orgId: s.org.id, membershipId: s.m.member, title: LONE }), field: 'title', message: 'errors.loneSurrogate' },
    { name: 'title: over-long', call: () => actions.setMemberTitleAction({ orgId: s.org.id, membershipId: s.m.member, title: 'x'.repeat(121) }), field: 'title', message: 'errors.tooLong' },
    { name: 'title: extra field role', call: () => actions.setMemberTitleAction({ orgId: s.org.id, membershipId: s.m.member, title: 'Chair', role: 'owner' }), field: '_' },
    { name: 'role: an unknown role', call: () => actions.changeMemberRoleAction({ orgId: s.org.id, membershipId: s.m.member, role: 'root' }), field: 'role' },
    { name: 'policy: an unknown policy', call: () => actions.setSigningPolicyAction({ orgId: s.org.id, policy: 'anyone' }), field: 'policy' },
    { name: 'accept: extra field with a token', call: () => actions.acceptMemberInvitationAction({ token: 'x'.repeat(43), role: 'owner' }), field: '_' },
  ];
  for (const c of memberCases) {
    it(c.name, async () => {
      h.actor = s.owner;
      await expectInvalid(c.call, c.field, c.message);
    });
  }

  it('the allowed twin: a clean payload through the same action creates the organization', async () => {
    h.actor = s.outsider;
    const before = await digestDomain();
    const name = uniqueOrgName('Clean NGO');
    const r = await actions.createOrganizationAction({ name, name_hy: 'Մաքուր ՀԿ', website: 'https://clean.example', city: 'Vanadzor' }).catch((e: unknown) => e);
    expect(r).toBeInstanceOf(Redirect);
    const [o] = await db().select().from(organizations).where(eq(organizations.name, name));
    expect(o).toMatchObject({ website: 'https://clean.example', city: 'Vanadzor', names: { hy: 'Մաքուր ՀԿ' } });
    expect((r as Redirect).url).toBe(`/manage/orgs/${o!.slug}`);
    expect(await digestDomain()).not.toBe(before);
  });
});

// =====================================================================================================
describe('logos', () => {
  let s: SeededOrg;
  beforeAll(async () => {
    s = await seedOrg();
  });

  async function refusedLogo(bytes: Buffer, message: string) {
    const before = await digestDomain();
    const got = await outcomeOf(() => setOrganizationLogo(ctxFor(s.admin), { orgId: s.org.id, bytes }));
    expect(got).toMatchObject({ ok: false, code: 'INVALID_INPUT', message, fieldErrors: { logo: [message] } });
    expect(await digestDomain(), 'nothing written').toBe(before);
  }

  it('oversized (> 2 MB, a real PNG) → errors.logoTooLarge', async () => {
    const big = await sharp(crypto.randomBytes(1000 * 1000 * 3), { raw: { width: 1000, height: 1000, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    expect(big.length).toBeGreaterThan(LOGO_MAX_BYTES);
    await refusedLogo(big, 'errors.logoTooLarge');
    await refusedLogo(Buffer.alloc(LOGO_MAX_BYTES + 1, 0x89), 'errors.logoTooLarge');
  });

  it('not an image → errors.logoNotImage (text, HTML, SVG with a script, a truncated PNG, a PDF)', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
    for (const bytes of [
      Buffer.from('just some text, not an image'),
      Buffer.from('<html><body><script>alert(1)</script></body></html>'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'),
      png.subarray(0, Math.floor(png.length / 2)),
      Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF'),
    ]) {
      await refusedLogo(bytes, 'errors.logoNotImage');
    }
    await refusedLogo(Buffer.alloc(0), 'errors.logoEmpty');
  });

  for (const kind of ['jpeg', 'png', 'webp'] as const) {
    it(`a ${kind} is re-encoded to PNG ≤ 512×512 without metadata`, async () => {
      const base = sharp({ create: { width: 1024, height: 768, channels: 3, background: { r: 10, g: 120, b: 200 } } });
      const input = await base[kind]().withExif({ IFD0: { Copyright: 'SECRET-EXIF-MARKER', Artist: 'Someone Private' } }).toBuffer();
      expect((await sharp(input).metadata()).exif, 'the upload carries EXIF').toBeDefined();
      const { fileId } = await setOrganizationLogo(ctxFor(s.admin), { orgId: s.org.id, bytes: input });
      const [f] = await db().select().from(files).where(eq(files.id, fileId));
      expect(f).toMatchObject({ kind: 'logo', mime: 'image/png', width: 512, height: 384, size: f!.bytes.length });
      expect(f!.sha256).toBe(crypto.createHash('sha256').update(f!.bytes).digest('hex'));
      const meta = await sharp(f!.bytes).metadata();
      expect(meta).toMatchObject({ format: 'png', width: 512, height: 384 });
      expect(meta.exif).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(f!.bytes.includes('SECRET-EXIF-MARKER')).toBe(false);
      expect((await orgRow(s.org.id)).logoFileId).toBe(fileId);
      expect((await orgEvents(s.org.id, 'org.logo_updated')).length).toBeGreaterThan(0);
    });
  }

  it('a small image is not enlarged', async () => {
    const { fileId } = await setOrganizationLogo(ctxFor(s.owner), { orgId: s.org.id, bytes: await tinyPng(8, 8) });
    const [f] = await db().select().from(files).where(eq(files.id, fileId));
    expect([f!.width, f!.height]).toEqual([8, 8]);
  });

  describe('through the route handler (POST /api/orgs/:id/logo)', () => {
    const post = (orgId: string, body: FormData | string, headers: Record<string, string> = {}) =>
      logoRoute.POST(new Request(`${APP}/api/orgs/${orgId}/logo`, { method: 'POST', body, headers: { origin: APP, host: 'localhost:3000', ...headers } }), {
        params: Promise.resolve({ id: orgId }),
      });
    const upload = (bytes: Buffer, type = 'image/png') => {
      const f = new FormData();
      f.append('logo', new Blob([new Uint8Array(bytes)], { type }), 'logo.png');
      return f;
    };

    it('a text file → 400 errors.logoNotImage; oversized → 400 errors.logoTooLarge; nothing written', async () => {
      h.actor = s.admin;
      const before = await digestDomain();
      let res = await post(s.org.id, upload(Buffer.from('not an image at all'), 'text/plain'));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'INVALID_INPUT', message: 'errors.logoNotImage' } });
      res = await post(s.org.id, upload(Buffer.alloc(LOGO_MAX_BYTES + 10, 1)));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'INVALID_INPUT', message: 'errors.logoTooLarge' } });
      expect(await digestDomain()).toBe(before);
    });

    it('a member → 403; a non-member → 404; signed out → 401; a foreign origin → 403; nothing written', async () => {
      const png = await tinyPng();
      const before = await digestDomain();
      h.actor = s.member;
      expect((await post(s.org.id, upload(png))).status).toBe(403);
      h.actor = s.outsider;
      expect((await post(s.org.id, upload(png))).status).toBe(404);
      expect((await post(crypto.randomUUID(), upload(png))).status).toBe(404);
      h.actor = null;
      expect((await post(s.org.id, upload(png))).status).toBe(401);
      h.actor = s.admin;
      expect((await post(s.org.id, upload(png), { origin: 'https://evil.example' })).status).toBe(403);
      expect(await digestDomain()).toBe(before);
    });

    it('the allowed twin: an admin uploads a PNG → 200 and the logo is set', async () => {
      h.actor = s.admin;
      const res = await post(s.org.id, upload(await tinyPng(16, 16)));
      expect(res.status).toBe(200);
      const { fileId } = (await res.json()) as { fileId: string };
      expect((await orgRow(s.org.id)).logoFileId).toBe(fileId);
    });
  });
});

// =====================================================================================================
describe('verification by e-mail domain', () => {
  const tag = () => rnd();

  it('an admin with a confirmed x@ngo.am and website https://ngo.am → verified (email_domain) with an org.verified event', async () => {
    const owner = await createUser(`owner-${tag()}@example.org`);
    const { id } = await createOrganization(ctxFor(owner), { name: uniqueOrgName('Ngo Am'), website: 'https://ngo.am', confirmDistinct: true });
    expect((await orgRow(id)).verifiedAt).toBeNull();

    // A member (not an admin) with a matching address does not verify.
    const x = await createUser(`x-${tag()}@ngo.am`);
    const { invitationId } = await inviteMember(ctxFor(owner), { orgId: id, email: x.email, role: 'member' });
    await acceptMemberInvitation(ctxFor(x), { invitationId });
    expect((await orgRow(id)).verifiedAt, 'a plain member does not verify').toBeNull();
    expect(await orgEvents(id, 'org.verified')).toHaveLength(0);

    // Made admin → verified.
    await changeMemberRole(ctxFor(owner), { orgId: id, membershipId: (await membershipIdOf(id, x.userId))!, role: 'admin' });
    const o = await orgRow(id);
    expect(o.verifiedAt).not.toBeNull();
    expect(o.verificationMethod).toBe('email_domain');
    const ev = await orgEvents(id, 'org.verified');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.data).toMatchObject({ method: 'email_domain', domain: 'ngo.am' });
  });

  it('https://www.ngo.am matches too (the creator is the owner)', async () => {
    const x = await createUser(`x-${tag()}@ngo.am`);
    const { id } = await createOrganization(ctxFor(x), { name: uniqueOrgName('Www Ngo'), website: 'https://www.ngo.am/about', confirmDistinct: true });
    expect(await orgRow(id)).toMatchObject({ verificationMethod: 'email_domain' });
  });

  it('look-alike websites and addresses do not verify', async () => {
    const x = await createUser(`x-${tag()}@ngo.am`);
    for (const website of ['https://ngo.am.evil.com', 'https://ngo-am.com', 'https://evilngo.am', 'https://sub.ngo.am', 'https://ngo.am..', 'https://ngо.am', 'https://am']) {
      const { id } = await createOrganization(ctxFor(x), { name: uniqueOrgName('Lookalike'), website, confirmDistinct: true });
      const o = await orgRow(id);
      expect(o.verifiedAt, website).toBeNull();
      expect(await orgEvents(id, 'org.verified'), website).toHaveLength(0);
    }
    for (const email of [`x-${tag()}@ngo.am.evil.com`, `x-${tag()}@evilngo.am`, `x-${tag()}@sub.ngo.am`, `x-${tag()}@ngo-am.com`]) {
      const u = await createUser(email);
      const { id } = await createOrganization(ctxFor(u), { name: uniqueOrgName('Lookalike'), website: 'https://ngo.am', confirmDistinct: true });
      expect((await orgRow(id)).verifiedAt, email).toBeNull();
    }
  });

  it('an unconfirmed address (users.emailVerified unset) does not verify', async () => {
    const x = await createUser(`x-${tag()}@ngo.am`);
    await db().update(users).set({ emailVerified: null }).where(eq(users.id, x.userId));
    const { id } = await createOrganization(ctxFor(x), { name: uniqueOrgName('Unconfirmed'), website: 'https://ngo.am', confirmDistinct: true });
    expect((await orgRow(id)).verifiedAt).toBeNull();
  });

  it('changing the website away drops an email_domain verification; removing the matching admin does too', async () => {
    const x = await createUser(`x-${tag()}@ngo.am`);
    const name = uniqueOrgName('Drops');
    const { id } = await createOrganization(ctxFor(x), { name, website: 'https://ngo.am', confirmDistinct: true });
    expect((await orgRow(id)).verificationMethod).toBe('email_domain');
    await updateOrganizationProfile(ctxFor(x), { orgId: id, name, website: 'https://other.am' });
    expect(await orgRow(id)).toMatchObject({ verifiedAt: null, verificationMethod: null });
    const dropped = await orgEvents(id, 'org.profile_updated');
    expect(dropped.some((e) => String((e.data as { verification?: string }).verification ?? '').startsWith('dropped'))).toBe(true);
    // Back to the domain → verified again (a second org.verified event).
    await updateOrganizationProfile(ctxFor(x), { orgId: id, name, website: 'https://ngo.am' });
    expect((await orgRow(id)).verificationMethod).toBe('email_domain');
    expect(await orgEvents(id, 'org.verified')).toHaveLength(2);

    // An organization verified through its admin loses it when that admin is removed.
    const owner = await createUser(`owner-${tag()}@example.org`);
    const { id: id2 } = await createOrganization(ctxFor(owner), { name: uniqueOrgName('Admin leaves'), website: 'https://ngo.am', confirmDistinct: true });
    const y = await createUser(`y-${tag()}@ngo.am`);
    const { invitationId } = await inviteMember(ctxFor(owner), { orgId: id2, email: y.email, role: 'admin' });
    await acceptMemberInvitation(ctxFor(y), { invitationId });
    expect((await orgRow(id2)).verificationMethod).toBe('email_domain');
    await removeMember(ctxFor(owner), { orgId: id2, membershipId: (await membershipIdOf(id2, y.userId))! });
    expect((await orgRow(id2)).verifiedAt).toBeNull();
  });
});

describe('verification by the operator', () => {
  it('verifyOrganizationByOperator verifies (audited); it survives a website change; unknown slug → NOT_FOUND', async () => {
    const s = await seedOrg({ profile: { website: 'https://operator-verified.example' } });
    const r = await verifyOrganizationByOperator({ db: db(), actor: null }, { slug: s.org.slug, note: 'checked the registry' });
    expect(r).toEqual({ id: s.org.id, changed: true });
    expect(await orgRow(s.org.id)).toMatchObject({ verificationMethod: 'operator' });
    const ev = await orgEvents(s.org.id, 'org.verified');
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ actorUserId: null, data: { method: 'operator', note: 'checked the registry' } });
    expect(await verifyOrganizationByOperator({ db: db(), actor: null }, { slug: s.org.slug })).toEqual({ id: s.org.id, changed: false });
    await updateOrganizationProfile(ctxFor(s.owner), { orgId: s.org.id, name: s.org.name, website: 'https://elsewhere.example' });
    expect((await orgRow(s.org.id)).verificationMethod).toBe('operator');
    const before = await digestDomain();
    expect(await outcomeOf(() => verifyOrganizationByOperator({ db: db(), actor: null }, { slug: 'no-such-organization' }))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await digestDomain()).toBe(before);
  });

  it('the CLI (tsx scripts/org-verify.ts <slug>, as npm run org:verify runs it) verifies', async () => {
    const s = await seedOrg();
    const script = path.join(process.cwd(), 'scripts', 'org-verify.ts');
    const ok = await runChild(script, [s.org.slug, 'by', 'phone']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`${s.org.slug} is now verified by the operator`);
    expect(await orgRow(s.org.id)).toMatchObject({ verificationMethod: 'operator' });
    expect((await orgEvents(s.org.id, 'org.verified'))[0]!.data).toMatchObject({ method: 'operator', note: 'by phone' });
    const missing = await runChild(script, ['no-such-organization']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no organization with slug "no-such-organization"');
  });
});

// =====================================================================================================
describe('similar names and the directory', () => {
  const HY = '«Իրազեկ քաղաքացիների միավորում»';
  let owner: Actor;
  let first: { id: string; slug: string };
  beforeAll(async () => {
    owner = await createUser();
    first = await createOrganization(ctxFor(owner), {
      name: HY,
      names: { hy: 'Իրազեկ քաղաքացիների միավորում', en: 'Union of Informed Citizens', ru: 'Союз информированных граждан' },
      city: 'Yerevan',
    });
  });

  it('similarOrganizations finds «…» for the plain name and for differing case, spacing and quotes', async () => {
    for (const q of [
      'Իրազեկ քաղաքացիների միավորում',
      'ԻՐԱԶԵԿ ՔԱՂԱՔԱՑԻՆԵՐԻ ՄԻԱՎՈՐՈՒՄ',
      '  Իրազեկ   քաղաքացիների  միավորում ',
      '"Իրազեկ քաղաքացիների միավորում"',
      '“Իրազեկ քաղաքացիների միավորում”',
      'Իրազեկ քաղաքացիների միավորումը', // one letter more
    ]) {
      const found = await similarOrganizations(db(), q);
      expect(found.map((f) => f.id), q).toContain(first.id);
      expect(found[0]).not.toHaveProperty('normalizedName');
    }
    expect((await similarOrganizations(db(), 'Հայաստանի կանաչների միություն')).map((f) => f.id)).not.toContain(first.id);
    expect(await similarOrganizations(db(), 'ab')).toEqual([]);
  });

  it('createOrganization refuses a similar name without confirmDistinct (CONFLICT, nothing written), accepts it with', async () => {
    const other = await createUser();
    const before = await digestDomain();
    const got = await outcomeOf(() => createOrganization(ctxFor(other), { name: 'ԻՐԱԶԵԿ   քաղաքացիների միավորում' }));
    expect(got).toMatchObject({ ok: false, code: 'CONFLICT', message: 'errors.similarName', fieldErrors: { name: ['errors.similarName'] } });
    expect(await digestDomain()).toBe(before);
    const second = await createOrganization(ctxFor(other), { name: 'ԻՐԱԶԵԿ   քաղաքացիների միավորում', confirmDistinct: true });
    expect(second.slug).not.toBe(first.slug);
    expect(second.slug).toMatch(/^irazek-qaghaqatsineri-miavorum(-\d+)?$/);
    expect(first.slug).toBe('union-of-informed-citizens'); // from the English name when there is one
  });

  it('listDirectory finds an organization by a word of its Armenian, Russian or English name', async () => {
    for (const q of ['քաղաքացիների', 'ՔԱՂԱՔԱՑԻՆԵՐԻ', 'информированных', 'ГРАЖДАН', 'Informed', 'union of informed', '«Իրազեկ']) {
      const { items } = await listDirectory(db(), { q });
      expect(items.map((i) => i.id), q).toContain(first.id);
    }
    const none = await listDirectory(db(), { q: 'Zzyzx-nonexistent-word' });
    expect(none.items.map((i) => i.id)).not.toContain(first.id);
    // LIKE wildcards are literal.
    expect((await listDirectory(db(), { q: '%%' })).items).toHaveLength(0);
    expect((await listDirectory(db(), { q: '__' })).items).toHaveLength(0);
    // Public rows: no e-mail addresses or member ids.
    const { items } = await listDirectory(db(), { q: 'Informed' });
    expect(JSON.stringify(items)).not.toContain(owner.email);
    expect(JSON.stringify(items)).not.toContain(owner.userId);
  });
});

// =====================================================================================================
// Last: the invariants over everything this file created.
describe('invariants (checked directly in SQL)', () => {
  it('every organization has at least one owner, an org.created event, and a verifying audit chain', async () => {
    const p = await orgInvariantProblems();
    expect(p.organizations).toBeGreaterThan(10);
    expect(p.ownerless).toEqual([]);
    expect(p.uncreated).toEqual([]);
    expect(p.chains).toEqual([]);
  });
});

afterAll(() => {
  h.actor = null;
});
