import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { env, productionProblems, type Env } from './env';
import { checkOrigin } from './origin';
import { clientIp } from './rate-limit';
import { deepTextProblem, email, httpsUrl, safeText, textProblem } from './validation/strings';

/** Run `fn` with some environment variables set (or removed), then restore them. */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) delete process.env[k];
      else process.env[k] = val;
    }
  };
  apply(vars);
  try {
    return fn();
  } finally {
    apply(saved);
  }
}

describe('production guard: productionProblems', () => {
  const complete = (): Env => ({
    ...env(),
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://app:secret@db.internal:5432/undersigned',
    AUTH_SECRET: 'a-production-secret-of-enough-length',
    SMTP_URL: 'smtp://mail.internal:587',
    DEV_MAILBOX_UNSAFE_IN_PRODUCTION: false,
    RECORD_SIGNING_KEY: 'MC4CAQAwBQYDK2VwBCIEIA==',
  });

  it('is empty with everything set', () => {
    expect(productionProblems(complete())).toEqual([]);
  });

  it('names each missing setting, one problem each', () => {
    const missingDb = productionProblems({ ...complete(), DATABASE_URL: undefined });
    expect(missingDb).toHaveLength(1);
    expect(missingDb[0]).toMatch(/DATABASE_URL/);
    const missingSecret = productionProblems({ ...complete(), AUTH_SECRET: undefined });
    expect(missingSecret).toHaveLength(1);
    expect(missingSecret[0]).toMatch(/AUTH_SECRET/);
    const missingSmtp = productionProblems({ ...complete(), SMTP_URL: undefined });
    expect(missingSmtp).toHaveLength(1);
    expect(missingSmtp[0]).toMatch(/SMTP_URL/);
    const missingKey = productionProblems({ ...complete(), RECORD_SIGNING_KEY: undefined });
    expect(missingKey).toHaveLength(1);
    expect(missingKey[0]).toMatch(/RECORD_SIGNING_KEY/);
    const none = productionProblems({
      ...complete(),
      DATABASE_URL: undefined,
      AUTH_SECRET: undefined,
      SMTP_URL: undefined,
      RECORD_SIGNING_KEY: undefined,
    });
    expect(none).toHaveLength(4);
  });

  it('accepts the development mailbox in production only with the explicit unsafe flag', () => {
    expect(
      productionProblems({ ...complete(), SMTP_URL: undefined, DEV_MAILBOX_UNSAFE_IN_PRODUCTION: true }),
    ).toEqual([]);
    expect(
      productionProblems({ ...complete(), SMTP_URL: '', DEV_MAILBOX_UNSAFE_IN_PRODUCTION: false }),
    ).toHaveLength(1);
  });

  it('applies to production only', () => {
    const bare = {
      ...complete(),
      DATABASE_URL: undefined,
      AUTH_SECRET: undefined,
      SMTP_URL: undefined,
      RECORD_SIGNING_KEY: undefined,
    };
    expect(productionProblems({ ...bare, NODE_ENV: 'development' })).toEqual([]);
    expect(productionProblems({ ...bare, NODE_ENV: 'test' })).toEqual([]);
  });

  it('reads the process environment by default', () => {
    const bare = {
      NODE_ENV: 'production',
      DATABASE_URL: undefined,
      AUTH_SECRET: undefined,
      SMTP_URL: undefined,
      DEV_MAILBOX_UNSAFE_IN_PRODUCTION: undefined,
      RECORD_SIGNING_KEY: undefined,
    };
    const problems = withEnv(bare, () => productionProblems());
    expect(problems.join('\n')).toMatch(/DATABASE_URL[\s\S]*AUTH_SECRET[\s\S]*SMTP_URL/);
    const ok = withEnv(
      {
        ...bare,
        DATABASE_URL: 'postgres://a:b@h:5432/d',
        AUTH_SECRET: 'a-production-secret-of-enough-length',
        SMTP_URL: 'smtp://m:25',
        RECORD_SIGNING_KEY: 'k',
      },
      () => productionProblems(),
    );
    expect(ok).toEqual([]);
  });
});

describe('rate limits of open joining and verification', () => {
  const keys = {
    RATE_LIMIT_JOIN_PER_IP: undefined,
    RATE_LIMIT_JOIN_PER_EMAIL: undefined,
    RATE_LIMIT_VERIFY_PER_IP: undefined,
  };

  it('default to 10 join requests per address, 3 per e-mail, 120 verifications per address', () => {
    expect(withEnv(keys, () => env())).toMatchObject({
      RATE_LIMIT_JOIN_PER_IP: 10,
      RATE_LIMIT_JOIN_PER_EMAIL: 3,
      RATE_LIMIT_VERIFY_PER_IP: 120,
    });
  });

  it('take configured values', () => {
    const e = withEnv(
      { RATE_LIMIT_JOIN_PER_IP: '25', RATE_LIMIT_JOIN_PER_EMAIL: '0', RATE_LIMIT_VERIFY_PER_IP: '7' },
      () => env(),
    );
    expect(e).toMatchObject({
      RATE_LIMIT_JOIN_PER_IP: 25,
      RATE_LIMIT_JOIN_PER_EMAIL: 0,
      RATE_LIMIT_VERIFY_PER_IP: 7,
    });
  });

  it('refuse a value that is not a count, naming the variable', () => {
    for (const [name, value] of [
      ['RATE_LIMIT_JOIN_PER_IP', 'ten'],
      ['RATE_LIMIT_JOIN_PER_EMAIL', '-1'],
      ['RATE_LIMIT_VERIFY_PER_IP', '0'],
      ['RATE_LIMIT_VERIFY_PER_IP', '1.5'],
    ] as const)
      expect(() => withEnv({ ...keys, [name]: value }, () => env()), `${name}=${value}`).toThrow(name);
  });
});

describe('production guard: the launcher', () => {
  it('`launch.ts start` with NODE_ENV=production and no DATABASE_URL exits non-zero at once, naming DATABASE_URL', async () => {
    // An empty working directory: had the launcher gone on, its embedded PostgreSQL would appear in ./.data.
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'undersigned-guard-'));
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: '1' }; // PORT 1: no real port, were a server to start
    for (const k of ['DATABASE_URL', 'EMBEDDED_PG', 'EMBEDDED_PG_DIR', 'EMBEDDED_PG_PORT', 'AUTH_SECRET'])
      delete childEnv[k];
    const started = Date.now();
    try {
      const r = await new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => {
        const child = spawn(
          path.join(process.cwd(), 'node_modules', '.bin', 'tsx'),
          [path.join(process.cwd(), 'scripts', 'launch.ts'), 'start'],
          {
            cwd,
            env: childEnv,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.on('close', (code, signal) => (clearTimeout(timer), resolve({ code, signal, out })));
      });
      expect(r.signal, r.out).toBeNull();
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(/DATABASE_URL/);
      expect(r.out).toMatch(/Refusing to start in production/);
      expect(r.out).not.toMatch(/embedded PostgreSQL (started|reused)|\[server\] ready|\[postgres\]/);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(fs.readdirSync(cwd)).toEqual([]);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('clientIp', () => {
  it('with 0 trusted hops ignores X-Forwarded-For entirely', () => {
    expect(clientIp('203.0.113.9', '10.0.0.5', 0)).toBe('10.0.0.5');
    expect(clientIp('203.0.113.9, 198.51.100.7', '::ffff:10.0.0.5', 0)).toBe('10.0.0.5');
  });

  it('with 1 hop takes the rightmost entry (the one our proxy appended)', () => {
    expect(clientIp('203.0.113.9', '10.0.0.1', 1)).toBe('203.0.113.9');
    expect(clientIp('198.51.100.7, 203.0.113.9', '10.0.0.1', 1)).toBe('203.0.113.9');
  });

  it('ignores entries a client spoofed on the left', () => {
    expect(clientIp('1.1.1.1, 6.6.6.6, 203.0.113.9', '10.0.0.1', 1)).toBe('203.0.113.9');
    expect(clientIp('1.1.1.1,6.6.6.6 , 203.0.113.9 ,198.51.100.7', '10.0.0.1', 2)).toBe('203.0.113.9');
  });

  it('falls back to the socket address without a usable header', () => {
    expect(clientIp(null, '10.0.0.1', 1)).toBe('10.0.0.1');
    expect(clientIp('', '::ffff:192.0.2.4', 1)).toBe('192.0.2.4');
    expect(clientIp(' , ', '10.0.0.1', 1)).toBe('10.0.0.1');
    expect(clientIp(undefined, undefined, 0)).toBe('unknown');
  });

  it('reads the hop count from TRUSTED_PROXY_HOPS by default', () => {
    expect(withEnv({ TRUSTED_PROXY_HOPS: undefined }, () => clientIp('203.0.113.9', '10.0.0.1'))).toBe(
      '10.0.0.1',
    );
    expect(withEnv({ TRUSTED_PROXY_HOPS: '1' }, () => clientIp('6.6.6.6, 203.0.113.9', '10.0.0.1'))).toBe(
      '203.0.113.9',
    );
  });
});

describe('checkOrigin', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  // APP_URL is http://localhost:3000 in the test environment.

  it('accepts the app origin and the request host', () => {
    expect(checkOrigin(h({ origin: 'http://localhost:3000', host: 'localhost:3000' }))).toEqual({ ok: true });
    expect(checkOrigin(h({ origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }))).toEqual({
      ok: true,
    });
    expect(checkOrigin(h({ origin: 'http://127.0.0.1:4000', host: '127.0.0.1:4000' }))).toEqual({ ok: true });
  });

  it('refuses a foreign origin, beside the same request from our origin', () => {
    expect(checkOrigin(h({ origin: 'https://evil.example', host: 'localhost:3000' }))).toEqual({
      ok: false,
      reason: 'foreign_origin',
    });
    expect(checkOrigin(h({ origin: 'http://localhost:3000.evil.example', host: 'localhost:3000' }))).toEqual({
      ok: false,
      reason: 'foreign_origin',
    });
    expect(checkOrigin(h({ origin: 'http://localhost:3001', host: 'localhost:3000' }))).toEqual({
      ok: false,
      reason: 'foreign_origin',
    });
  });

  it("refuses a missing or 'null' Origin", () => {
    expect(checkOrigin(h({ host: 'localhost:3000' }))).toEqual({ ok: false, reason: 'missing_origin' });
    expect(checkOrigin(h({ origin: 'null', host: 'localhost:3000' }))).toEqual({
      ok: false,
      reason: 'missing_origin',
    });
    expect(checkOrigin(h({ origin: '', host: 'localhost:3000' }))).toEqual({
      ok: false,
      reason: 'missing_origin',
    });
  });

  it('refuses Sec-Fetch-Site: cross-site even with a matching Origin', () => {
    expect(
      checkOrigin(
        h({ origin: 'http://localhost:3000', host: 'localhost:3000', 'sec-fetch-site': 'cross-site' }),
      ),
    ).toEqual({ ok: false, reason: 'cross_site' });
    expect(
      checkOrigin(
        h({ origin: 'http://localhost:3000', host: 'localhost:3000', 'sec-fetch-site': 'same-site' }),
      ),
    ).toEqual({ ok: true });
  });
});

describe('string refinements', () => {
  const valid = [
    'Հայաստանի Հանրապետություն',
    'Российская Федерация',
    'Ёжик ёлка',
    '👩🏽‍💻 🇦🇲 ✊🏿',
    'mixed: Երևան / Ереван / Yerevan 🏔️',
    '𝔘𝔫𝔡𝔢𝔯𝔰𝔦𝔤𝔫𝔢𝔡',
  ];
  const invalid: [string, string][] = [
    ['a\u0000b', 'errors.nulCharacter'],
    ['\u0000', 'errors.nulCharacter'],
    ['lone high \uD800 here', 'errors.loneSurrogate'],
    ['lone low \uDC00 here', 'errors.loneSurrogate'],
    ['trailing high \uD83D', 'errors.loneSurrogate'],
    ['reversed pair \uDE00\uD83D', 'errors.loneSurrogate'],
    ['Հայ\uD800', 'errors.loneSurrogate'],
  ];

  it('accepts Armenian, Russian, emoji and astral-plane text', () => {
    for (const s of valid) {
      expect(textProblem(s), s).toBeNull();
      expect(safeText().safeParse(s)).toEqual({ success: true, data: s });
    }
  });

  it('refuses NUL and lone surrogates with a clear error', () => {
    for (const [s, problem] of invalid) {
      expect(textProblem(s)).toBe(problem);
      const r = safeText().safeParse(s);
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.message)).toContain(problem);
    }
  });

  it('trims and bounds plain fields', () => {
    expect(safeText(10).parse('  Երևան  ')).toBe('Երևան');
    expect(safeText(5).safeParse('x'.repeat(6)).error!.issues[0]!.message).toBe('errors.tooLong');
  });

  it('checks every string of a JSON value, keys included', () => {
    expect(deepTextProblem({ a: ['ok', { b: 'Հայ 🇦🇲' }] })).toBeNull();
    expect(deepTextProblem({ a: ['ok', { b: 'x\u0000' }] })).toEqual({
      path: '$.a[1].b',
      problem: 'errors.nulCharacter',
    });
    expect(deepTextProblem({ ['k\uD800']: 1 })).toEqual({ path: '$.<key>', problem: 'errors.loneSurrogate' });
  });

  it('e-mail and https URL fields reuse the refinements', () => {
    expect(email().parse(' Person@Example.org ')).toBe('person@example.org');
    expect(email().safeParse('a\u0000@example.org').success).toBe(false);
    expect(httpsUrl().parse('https://example.org/Հայ')).toBe('https://example.org/Հայ');
    expect(httpsUrl().safeParse('http://example.org').error!.issues[0]!.message).toBe('errors.httpsOnly');
    expect(httpsUrl().safeParse('javascript:alert(1)').success).toBe(false);
  });
});
