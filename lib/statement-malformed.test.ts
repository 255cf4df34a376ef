// Bad input to the autosave route (SECURITY.md "Bad input", I9): the PUT handler of
// app/api/statements/[id]/texts/[lang]/route.ts called directly with a real Request — only Auth.js's session
// reader and Next's request adapters replaced — so the body cap, strict UTF-8 decoding, the strict body schema
// and the editor-schema validator answer as they do in production. Invalid UTF-8, a 1 MB text node, 100,000
// nodes, a 5 MB body, wrong types, NUL escapes and lone surrogates: each a 4xx with a clear code and message
// key, never a 5xx, and the database unchanged; the same route then saves a valid body (the allowed twin).
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { statementTexts } from '@/db/schema';
import type { Actor } from './context';
import { createOrganization } from './orgs';
import { createStatement, saveText } from './statements';
import { createUser, ctxFor, digestDomain } from './testing/db';
import { recordFigure } from './testing/figures';

const h = vi.hoisted(() => ({ actor: null as { userId: string; email: string } | null }));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ host: 'localhost:3000', origin: 'http://localhost:3000' }),
  cookies: async () => ({ get: () => undefined, getAll: () => [] }),
}));
vi.mock('@/lib/auth', () => ({
  auth: async () =>
    h.actor
      ? {
          user: { id: h.actor.userId, email: h.actor.email },
          expires: new Date(Date.now() + 3600_000).toISOString(),
        }
      : null,
  signIn: async () => {},
  signOut: async () => {},
}));

const { PUT } = await import('@/app/api/statements/[id]/texts/[lang]/route');

const APP = 'http://localhost:3000'; // APP_URL in vitest.config.ts
const enc = new TextEncoder();
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(enc.encode(p)) : Buffer.from(p)))),
  );
const para = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const docOf = (...texts: string[]) => ({ type: 'doc', content: texts.map(para) });

let owner: Actor;
let statementId = '';
beforeAll(async () => {
  owner = await createUser();
  const c = ctxFor(owner);
  const org = await createOrganization(c, {
    name: `Malformed Drafts ${crypto.randomBytes(4).toString('hex')}`,
    confirmDistinct: true,
  });
  ({ id: statementId } = await createStatement(c, {
    orgId: org.id,
    title: 'Open letter',
    primaryLang: 'hy',
    summary: null,
    timeZone: 'Asia/Yerevan',
  }));
  await saveText(c, {
    statementId,
    lang: 'hy',
    baseVersion: 0,
    title: 'Open letter',
    doc: docOf('First draft'),
  });
});
beforeEach(() => {
  h.actor = owner;
});

type Answer = { status: number; code?: string; message?: string; problem?: { path: string; reason: string } };

let requests = 0;
let fiveXx = 0;
let changed = 0;

/** PUT a raw body as the signed-in initiator; the answer, and whether the database changed. */
async function put(
  body: string | Uint8Array<ArrayBuffer>,
  opts: { headers?: Record<string, string>; lang?: string } = {},
): Promise<Answer & { same: boolean }> {
  const lang = opts.lang ?? 'hy';
  const before = await digestDomain();
  const res = await PUT(
    new Request(`${APP}/api/statements/${statementId}/texts/${encodeURIComponent(lang)}`, {
      method: 'PUT',
      headers: { origin: APP, host: 'localhost:3000', 'content-type': 'application/json', ...opts.headers },
      body,
    }),
    { params: Promise.resolve({ id: statementId, lang }) },
  );
  requests++;
  if (res.status >= 500) fiveXx++;
  const json = (await res.json().catch(() => null)) as {
    error?: Answer & { problem?: Answer['problem'] };
  } | null;
  const same = (await digestDomain()) === before;
  if (!same) changed++;
  return {
    status: res.status,
    code: json?.error?.code,
    message: json?.error?.message,
    problem: json?.error?.problem,
    same,
  };
}

async function version(): Promise<number> {
  const [t] = await getDb()
    .select({ v: statementTexts.lockVersion })
    .from(statementTexts)
    .where(and(eq(statementTexts.statementId, statementId), eq(statementTexts.lang, 'hy')));
  return t!.v;
}

const valid = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ baseVersion: 1, title: 'Open letter', doc: docOf('Second draft'), ...over });

const MB = 1024 * 1024;
type Case = {
  name: string;
  body: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
  lang?: string;
  code: string;
  message?: RegExp;
  reason?: RegExp;
};

const CASES: Case[] = [
  // Not UTF-8: refused by the strict decoder, never replaced with U+FFFD and stored.
  {
    name: 'invalid UTF-8: lone continuation byte in the title',
    body: bytes('{"baseVersion":1,"title":"a', [0x80], '","doc":{"type":"doc"}}'),
    code: 'INVALID_INPUT',
    message: /^errors\.invalidUtf8$/,
  },
  {
    name: 'invalid UTF-8: overlong "/" in a text node',
    body: bytes(
      '{"baseVersion":1,"title":"t","doc":{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"',
      [0xc0, 0xaf],
      '"}]}]}}',
    ),
    code: 'INVALID_INPUT',
    message: /^errors\.invalidUtf8$/,
  },
  {
    name: 'invalid UTF-8: truncated 3-byte sequence at the end',
    body: bytes(valid().slice(0, -1), [0xe2, 0x82]),
    code: 'INVALID_INPUT',
    message: /^errors\.invalidUtf8$/,
  },
  {
    name: 'invalid UTF-8: a UTF-16 surrogate encoded in UTF-8 (CESU)',
    body: bytes('{"baseVersion":1,"title":"', [0xed, 0xa0, 0x80], '","doc":{"type":"doc"}}'),
    code: 'INVALID_INPUT',
    message: /^errors\.invalidUtf8$/,
  },
  {
    name: 'invalid UTF-8: Latin-1 bytes',
    body: bytes('{"baseVersion":1,"title":"caf', [0xe9], '","doc":{"type":"doc"}}'),
    code: 'INVALID_INPUT',
    message: /^errors\.invalidUtf8$/,
  },
  // Size and shape limits of the document (I9: ≤ 512 KB, ≤ 20,000 nodes, depth ≤ 12).
  {
    name: 'a 1 MB text node',
    body: valid({ doc: docOf('x'.repeat(MB)) }),
    code: 'INVALID_INPUT',
    reason: /^tooLarge$/,
  },
  {
    name: 'a 1 MB text node of 2-byte letters (counted in UTF-8 bytes)',
    body: valid({ doc: docOf('Հ'.repeat(300_000)) }),
    code: 'INVALID_INPUT',
    reason: /^tooLarge$/,
  },
  {
    name: '100,000 paragraphs',
    body: valid({
      doc: { type: 'doc', content: Array.from({ length: 100_000 }, () => ({ type: 'paragraph' })) },
    }),
    code: 'INVALID_INPUT',
    reason: /^(tooLarge|tooManyNodes)$/,
  },
  {
    name: '24,000 paragraphs under 512 KB (over the node limit)',
    body: valid({
      doc: { type: 'doc', content: Array.from({ length: 24_000 }, () => ({ type: 'paragraph' })) },
    }),
    code: 'INVALID_INPUT',
    reason: /^tooManyNodes$/,
  },
  {
    name: '100,000 text nodes in one paragraph',
    body: valid({
      doc: {
        type: 'doc',
        content: [
          {
            type: 'paragraph',
            content: Array.from({ length: 100_000 }, () => ({ type: 'text', text: 'a' })),
          },
        ],
      },
    }),
    code: 'INVALID_INPUT',
    reason: /^(tooLarge|tooManyNodes)$/,
  },
  {
    name: 'blockquotes nested 13 deep',
    body: valid({
      doc: {
        type: 'doc',
        content: [
          Array.from({ length: 12 }).reduce<object>(
            (inner) => ({ type: 'blockquote', content: [inner] }),
            para('deep'),
          ),
        ],
      },
    }),
    code: 'INVALID_INPUT',
    reason: /^tooDeep$/,
  },
  // The body cap (4 MB): our validator answers, not a generic 413 or a 500.
  {
    name: 'a 5 MB body (streamed, no Content-Length)',
    body: valid({ doc: docOf('x'.repeat(5 * MB)) }),
    code: 'INVALID_INPUT',
    message: /^errors\.bodyTooLarge$/,
  },
  {
    name: 'a 5 MB body announced by Content-Length',
    body: valid({ doc: docOf('x'.repeat(5 * MB)) }),
    headers: { 'content-length': String(5 * MB + 100) },
    code: 'INVALID_INPUT',
    message: /^errors\.bodyTooLarge$/,
  },
  // Wrong types.
  { name: 'baseVersion "x"', body: valid({ baseVersion: 'x' }), code: 'INVALID_INPUT' },
  { name: 'baseVersion -1', body: valid({ baseVersion: -1 }), code: 'INVALID_INPUT' },
  { name: 'baseVersion 1.5', body: valid({ baseVersion: 1.5 }), code: 'INVALID_INPUT' },
  { name: 'baseVersion 2^31', body: valid({ baseVersion: 2 ** 31 }), code: 'INVALID_INPUT' },
  { name: 'baseVersion an object', body: valid({ baseVersion: { $gt: 0 } }), code: 'INVALID_INPUT' },
  {
    name: 'baseVersion missing',
    body: JSON.stringify({ title: 'Open letter', doc: docOf('x') }),
    code: 'INVALID_INPUT',
  },
  {
    name: 'doc as a string (JSON inside JSON)',
    body: valid({ doc: JSON.stringify(docOf('Second draft')) }),
    code: 'INVALID_INPUT',
    reason: /^notAnObject$/,
  },
  { name: 'doc null', body: valid({ doc: null }), code: 'INVALID_INPUT', reason: /^notAnObject$/ },
  {
    name: 'doc missing',
    body: JSON.stringify({ baseVersion: 1, title: 'Open letter' }),
    code: 'INVALID_INPUT',
  },
  {
    name: 'doc an array',
    body: valid({ doc: [docOf('x')] }),
    code: 'INVALID_INPUT',
    reason: /^notAnObject$/,
  },
  {
    name: 'content a string',
    body: valid({ doc: { type: 'doc', content: 'Second draft' } }),
    code: 'INVALID_INPUT',
    reason: /^notAnObject$/,
  },
  {
    name: 'text a number',
    body: valid({
      doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 42 }] }] },
    }),
    code: 'INVALID_INPUT',
    reason: /^badText$/,
  },
  { name: 'title a number', body: valid({ title: 42 }), code: 'INVALID_INPUT' },
  { name: 'title an array', body: valid({ title: ['Open letter'] }), code: 'INVALID_INPUT' },
  {
    name: 'title over 300 characters',
    body: valid({ title: 't'.repeat(301) }),
    code: 'INVALID_INPUT',
    message: /^errors\./,
  },
  {
    name: 'resolution other than keep_mine',
    body: valid({ resolution: 'take_theirs' }),
    code: 'INVALID_INPUT',
  },
  { name: 'body an array', body: JSON.stringify([valid()]), code: 'INVALID_INPUT' },
  { name: 'body null', body: 'null', code: 'INVALID_INPUT' },
  { name: 'body a string', body: JSON.stringify(valid()), code: 'INVALID_INPUT' },
  { name: 'body a number', body: '42', code: 'INVALID_INPUT' },
  // Not JSON.
  { name: 'empty body', body: '', code: 'INVALID_INPUT', message: /^errors\.invalidJson$/ },
  {
    name: 'not JSON',
    body: 'baseVersion=1&title=x',
    code: 'INVALID_INPUT',
    message: /^errors\.invalidJson$/,
  },
  {
    name: 'truncated JSON',
    body: valid().slice(0, 40),
    code: 'INVALID_INPUT',
    message: /^errors\.invalidJson$/,
  },
  // NUL and lone surrogates, as JSON escapes (they decode fine as UTF-8): refused wherever they are.
  {
    name: 'NUL escaped in the title',
    body: valid({ title: 'Open\u0000letter' }),
    code: 'INVALID_INPUT',
    message: /^errors\.nulCharacter$/,
  },
  {
    name: 'NUL escaped in a text node',
    body: valid({ doc: docOf('a\u0000b') }),
    code: 'INVALID_INPUT',
    message: /^errors\.nulCharacter$/,
  },
  {
    name: 'NUL escaped in a key',
    body: '{"baseVersion":1,"title":"t","doc":{"type":"doc","\\u0000":1}}',
    code: 'INVALID_INPUT',
    message: /^errors\.nulCharacter$/,
  },
  {
    name: 'NUL in a footnote attribute',
    body: valid({
      doc: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'footnote', attrs: { text: 'x\u0000' } }] }],
      },
    }),
    code: 'INVALID_INPUT',
    message: /^errors\.nulCharacter$/,
  },
  {
    name: 'lone high surrogate in a text node',
    body: '{"baseVersion":1,"title":"t","doc":{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"\\ud800"}]}]}}',
    code: 'INVALID_INPUT',
    message: /^errors\.loneSurrogate$/,
  },
  {
    name: 'lone low surrogate in the title',
    body: '{"baseVersion":1,"title":"\\udc00","doc":{"type":"doc"}}',
    code: 'INVALID_INPUT',
    message: /^errors\.loneSurrogate$/,
  },
  // Documents the editor would not keep (I9): 400 with the JSON path.
  {
    name: 'an unknown node type',
    body: valid({
      doc: { type: 'doc', content: [{ type: 'iframe', attrs: { src: 'https://evil.example' } }] },
    }),
    code: 'INVALID_INPUT',
    reason: /^unknownNode$/,
  },
  {
    name: 'a javascript: link',
    body: valid({
      doc: {
        type: 'doc',
        content: [
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
            ],
          },
        ],
      },
    }),
    code: 'INVALID_INPUT',
    reason: /^badLink$/,
  },
  {
    name: 'an unknown key on a node',
    body: valid({ doc: { type: 'doc', content: [{ type: 'paragraph', onclick: 'x' }] } }),
    code: 'INVALID_INPUT',
    reason: /^unknownKey$/,
  },
  {
    name: 'a heading level 1',
    body: valid({
      doc: {
        type: 'doc',
        content: [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'x' }] }],
      },
    }),
    code: 'INVALID_INPUT',
    reason: /^badHeadingLevel$/,
  },
  {
    name: 'text directly in the doc',
    body: valid({ doc: { type: 'doc', content: [{ type: 'text', text: 'x' }] } }),
    code: 'INVALID_INPUT',
    reason: /^invalidStructure$/,
  },
  // The URL's language segment.
  { name: 'a language segment that is not a language', body: valid(), lang: '../hy', code: 'NOT_FOUND' },
  { name: 'a language segment with NUL', body: valid(), lang: 'hy\u0000', code: 'NOT_FOUND' },
];

describe('PUT /api/statements/[id]/texts/[lang]: malformed requests', () => {
  for (const c of CASES) {
    it(`${c.name} → 4xx ${c.code}${c.reason ? ` (${c.reason.source})` : ''}, nothing changed`, async () => {
      const a = await put(c.body, { headers: c.headers, lang: c.lang });
      expect(a.status, JSON.stringify(a)).toBeGreaterThanOrEqual(400);
      expect(a.status, JSON.stringify(a)).toBeLessThan(500);
      expect(a.code).toBe(c.code);
      expect(a.message, 'a message key the UI can show').toMatch(c.message ?? /^errors\./);
      if (c.reason) {
        expect(a.problem?.reason).toMatch(c.reason);
        expect(a.problem?.path).toMatch(/^\$/);
      }
      expect(a.same, 'nothing changed').toBe(true);
    });
  }

  it('the allowed twin: a valid body saves (200) and bumps the version; the same body again changes nothing', async () => {
    const v = await version();
    const body = valid({ baseVersion: v, doc: docOf(`Saved at ${v}`) });
    const first = await put(body);
    expect(first).toMatchObject({ status: 200, same: false });
    changed--; // the one change this file means to make
    expect(await version()).toBe(v + 1);
    const again = await put(valid({ baseVersion: v + 1, doc: docOf(`Saved at ${v}`) }));
    expect(again).toMatchObject({ status: 200, same: true });
  });

  // ---- problems this file found in the first version of the route, now fixed; kept as regressions ----

  it('JSON nested 100,000 deep → 400, not 500 (deepTextProblem walks iteratively)', async () => {
    const depth = 100_000;
    const a = await put(`{"baseVersion":1,"title":"t","doc":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect(a.same).toBe(true);
    expect(a.status).toBeLessThan(500);
  });

  it("a language segment '%' (the URL /texts/%25, which Next.js decodes once) → 404, not 500", async () => {
    const a = await put(valid(), { lang: '%' });
    expect(a.same).toBe(true);
    expect(a.status).toBe(404);
  });

  it('a wrong-typed baseVersion (true, null, "", [], "0x1", " 1 ") → 400 (a JSON number is required, never coerced)', async () => {
    const v = await version();
    const seen: number[] = [];
    for (const wrong of [true, null, '', [], '0x1', ` ${v} `]) {
      const a = await put(
        JSON.stringify({
          baseVersion: wrong,
          title: 'Open letter',
          doc: docOf(`typed ${JSON.stringify(wrong)}`),
        }),
      );
      seen.push(a.status);
    }
    expect(
      seen.every((s) => s === 400),
      `statuses: ${seen.join(', ')}`,
    ).toBe(true);
  });
});

afterAll(() => {
  const line = `Malformed (autosave route): ${requests} requests, ${fiveXx} 5xx, ${changed} changed the database`;
  console.log(line);
  recordFigure('malformed-autosave', line);
});
