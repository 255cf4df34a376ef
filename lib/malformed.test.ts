// Bad input gets a clear error and changes nothing (SECURITY.md "Bad input"): a corpus of malformed bodies
// through the strict JSON reader every route handler uses, and malformed payloads through every action
// schema of lib/validation. Each must end in a typed INVALID_INPUT with a message key — never an uncaught
// error (which would be a 5xx) — and the database must not change.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from './errors';
import { readJson } from './http';
import { digestDomain } from './testing/db';
import { recordFigure } from './testing/figures';
import * as orgSchemas from './validation/orgs';

const enc = new TextEncoder();
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(enc.encode(p)) : Buffer.from(p))));

const bodies: [string, Buffer | string][] = [
  ['empty body', ''],
  ['whitespace', '   '],
  ['not JSON', 'hello'],
  ['truncated JSON', '{"token":'],
  ['invalid UTF-8 (lone continuation byte)', bytes('{"a":"', [0x80], '"}')],
  ['invalid UTF-8 (overlong encoding)', bytes('{"a":"', [0xc0, 0xaf], '"}')],
  ['invalid UTF-8 (truncated sequence)', bytes('{"a":"', [0xe2, 0x82], '"}')],
  ['NUL escaped in a string', '{"a":"x\\u0000y"}'],
  ['lone high surrogate', '{"a":"\\ud800"}'],
  ['lone low surrogate in a key', '{"\\udc00":1}'],
  ['NUL deep in an array', '{"a":[1,{"b":["ok","\\u0000"]}]}'],
  ['1 MB string over a 64 KB cap', JSON.stringify({ a: 'x'.repeat(1024 * 1024) })],
  ['100,000 nested nodes over the cap', JSON.stringify({ content: Array.from({ length: 100_000 }, () => ({ type: 'paragraph' })) })],
];

async function outcome(fn: () => Promise<unknown>): Promise<'ok' | 'invalid' | 'crash'> {
  try {
    await fn();
    return 'ok';
  } catch (e) {
    if (e instanceof AppError && e.code === 'INVALID_INPUT' && /^errors\./.test(e.message)) return 'invalid';
    return 'crash';
  }
}

const schemaPayloads: [string, unknown][] = [
  ['null', null],
  ['a number', 42],
  ['an array', []],
  ['a string', 'orgId'],
  ['wrong types', { orgId: 12, name: { $gt: '' }, email: ['a'], role: true }],
  ['empty strings', { orgId: '', name: '', email: '', role: '', token: '' }],
  ['NUL bytes', { orgId: '00000000-0000-0000-0000-000000000000', name: 'a\u0000b', email: 'a\u0000@x.org', title: '\u0000', token: '\u0000' }],
  ['lone surrogates', { orgId: '00000000-0000-0000-0000-000000000000', name: '\ud800abc', description: 'x\udc00', token: '\ud83d' }],
  ['over-long', { orgId: '00000000-0000-0000-0000-000000000000', name: 'n'.repeat(100_000), description: 'd'.repeat(1_000_000) }],
  ['extra fields', { orgId: '00000000-0000-0000-0000-000000000000', name: 'Valid name', role: 'owner', status: 'accepted', ownerId: 'x', __proto__x: 1 }],
];

describe('malformed input', () => {
  it('every malformed body gets INVALID_INPUT from the strict reader; nothing changes', async () => {
    const before = await digestDomain();
    let n = 0;
    for (const [name, body] of bodies) {
      const req = new Request('http://localhost/api/x', { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': 'application/json' } });
      const r = await outcome(() => readJson(req, 64 * 1024));
      expect(r, name).toBe('invalid');
      n++;
    }
    // A valid body still passes (the allowed twin).
    expect(await readJson(new Request('http://localhost/', { method: 'POST', body: '{"a":"Հայերեն, русский"}' }), 1024)).toEqual({ a: 'Հայերեն, русский' });
    expect(await digestDomain()).toBe(before);
    bodyCount = n;
  });

  it('every action schema refuses malformed payloads with field errors, never throws', () => {
    const schemas = Object.entries(orgSchemas).filter(([, v]) => v instanceof z.ZodType) as [string, z.ZodType][];
    expect(schemas.length).toBeGreaterThan(8);
    let n = 0;
    for (const [schemaName, schema] of schemas) {
      for (const [payloadName, payload] of schemaPayloads) {
        let parsed: ReturnType<z.ZodType['safeParse']> | undefined;
        expect(() => (parsed = schema.safeParse(payload)), `${schemaName} / ${payloadName}`).not.toThrow();
        expect(parsed!.success, `${schemaName} accepted ${payloadName}`).toBe(false);
        n++;
      }
    }
    schemaCount = n;
  });

  it('records the figure', () => {
    recordFigure('malformed', `Malformed: ${bodyCount + schemaCount} requests (${bodyCount} raw bodies, ${schemaCount} payloads × action schemas), 0 accepted, 0 crashes (no 5xx)`);
    expect(bodyCount + schemaCount).toBeGreaterThan(100);
  });
});

let bodyCount = 0;
let schemaCount = 0;
