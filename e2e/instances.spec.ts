// Caching across instances (issue 7 item 10; README "Several instances"): two more `next start` instances, each with
// its own copy of the production build (and so its own ISR cache), on the e2e server's PostgreSQL. Repeated requests
// to a public statement page are cache hits; a signature made through instance A appears on instance B's public page
// within the documented bound (the page's revalidation window, 30 s, plus one background render).
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { BASE_URL } from '../playwright.config';
import { uniqueEmail } from './helpers/auth';
import { newSession } from './helpers/invitations';
import { callAction, encodeReplyValue, expectAccepted, postSign, SAME_ORIGIN, seedFrozenStatement, serverAction } from './helpers/registry';

test.describe.configure({ timeout: 300_000 });

/** The documented staleness bound for other instances (README): revalidate = 30 s, plus one render. */
const BOUND_MS = 45_000;
const root = process.cwd();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function databaseUrl(): string {
  const dir = path.resolve(process.env.E2E_PG_DIR ?? '.data/e2e-pg');
  const port = fs.readFileSync(path.join(path.dirname(dir), `${path.basename(dir)}.undersigned-port`), 'utf8').trim();
  return `postgres://postgres:postgres@127.0.0.1:${port}/undersigned`;
}

type Instance = { url: string; proc: ChildProcess; dir: string; log: string[] };

/** A directory with its own copy of .next (without the build's cache) and links to everything else. */
async function startInstance(name: string): Promise<Instance> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `undersigned-${name}-`));
  for (const entry of fs.readdirSync(root)) {
    if (entry === '.next' || entry === '.data' || entry === 'test-results') continue;
    fs.symlinkSync(path.join(root, entry), path.join(dir, entry));
  }
  fs.cpSync(path.join(root, '.next'), path.join(dir, '.next'), { recursive: true, filter: (src) => !src.startsWith(path.join(root, '.next', 'cache')) });
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const log: string[] = [];
  const proc = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl(),
      AUTH_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e',
      APP_URL: url,
      DEV_MAILBOX_UNSAFE_IN_PRODUCTION: '1',
      RATE_LIMIT_TOKEN_PER_IP: '10000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => log.push(String(d)));
  proc.stderr!.on('data', (d) => log.push(String(d)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`instance ${name} did not start:\n${log.join('')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url, proc, dir, log };
}

function stopInstance(i: Instance | undefined) {
  if (!i) return;
  i.proc.kill('SIGTERM');
  fs.rmSync(i.dir, { recursive: true, force: true });
}

let a: Instance | undefined;
let b: Instance | undefined;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  [a, b] = await Promise.all([startInstance('a'), startInstance('b')]);
});
test.afterAll(() => {
  stopInstance(a);
  stopInstance(b);
});

test('two instances: public pages are cache hits, and a signature through one reaches the other within the bound', async ({ browser }) => {
  const tag = crypto.randomBytes(4).toString('hex');
  const initiator = await newSession(browser, uniqueEmail('inst'));
  const request = initiator.ctx.request;
  const { orgId, statementId } = await seedFrozenStatement(request, BASE_URL, tag);
  expect((await postSign(request, BASE_URL, statementId, { orgId, version: 1 }, SAME_ORIGIN)).res.status()).toBe(201);
  const slug = `instances-${tag}`;
  expectAccepted(
    await callAction(
      request,
      BASE_URL,
      'app/_actions/publishing.ts#publishStatementAction',
      { json: [{ statementId, slug, displayDate: '2026-11-01', listOrder: 'joined', joinUntil: new Date(Date.now() + 86_400_000).toISOString() }] },
      SAME_ORIGIN,
    ),
  );

  // Each instance renders the page once, then serves it from its cache.
  for (const inst of [a!, b!]) {
    const first = await fetch(`${inst.url}/en/s/${slug}`);
    expect(first.status).toBe(200);
    const second = await fetch(`${inst.url}/en/s/${slug}`);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-nextjs-cache'), `${inst.url} second request`).toBe('HIT');
    const third = await fetch(`${inst.url}/en/s/${slug}`);
    expect(third.headers.get('x-nextjs-cache')).toBe('HIT');
  }

  // Through instance A (absolute URLs: the request context's base is the e2e server): withdraw, then sign again
  // (a new binding on the published list).
  const { id: withdrawId, page: withdrawPage } = serverAction('app/_actions/signing.ts#withdrawSignatureAction');
  const withdrawn = await request.post(`${a!.url}${withdrawPage}`, {
    headers: { accept: 'text/x-component', 'next-action': withdrawId, origin: a!.url, 'sec-fetch-site': 'same-origin', 'content-type': 'text/plain;charset=UTF-8' },
    data: JSON.stringify(encodeReplyValue([{ statementId, orgId, reason: 'Checking the record' }])),
    maxRedirects: 0,
  });
  expectAccepted({ res: withdrawn, text: await withdrawn.text() });
  const signed = await request.post(`${a!.url}/api/statements/${statementId}/sign`, {
    headers: { origin: a!.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
    data: JSON.stringify({ orgId, version: 1 }),
  });
  expect(signed.status(), await signed.text()).toBe(201);
  const signedAt = Date.now();

  // The record now has a newer revision; A refreshed its own cache at once.
  const rec = (await (await fetch(`${a!.url}/data/${slug}/record.json`)).json()) as { record: { record_seq: number } };
  const seq = rec.record.record_seq;
  expect(seq).toBeGreaterThanOrEqual(3);
  const marker = `/data/${slug}/records/${seq}`;
  expect(await (await fetch(`${a!.url}/en/s/${slug}`)).text()).toContain(marker);

  // Instance B shows it within the bound.
  let seenAfter = -1;
  while (Date.now() - signedAt < BOUND_MS + 15_000) {
    const html = await (await fetch(`${b!.url}/en/s/${slug}`)).text();
    if (html.includes(marker)) {
      seenAfter = Date.now() - signedAt;
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect(seenAfter, 'instance B never showed the new signature').toBeGreaterThanOrEqual(0);
  expect(seenAfter).toBeLessThanOrEqual(BOUND_MS);
  await initiator.ctx.close();
});
