// Verifying signed public records (R6; issue 7 "Verify" and "Verify page" tests): a genuine record verifies; a
// changed title fails the hash and the differences name its path; a record signed by another key is an unknown
// key; a flipped signature byte fails the signature while the hash holds; a record under a retired key verifies
// as retired; the keys document lists current and retired public keys and nothing private. URLs: only this
// instance's own record and page URLs are accepted, resolved from the database; every other address is refused
// and nothing connects to it (a listening TCP server sees zero connections; fetch is never called). The route
// handlers are called as functions with a Request.
import crypto from 'node:crypto';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as keysRoute } from '@/app/.well-known/undersigned-keys.json/route';
import { POST as verifyRoute } from '@/app/api/verify/route';
import { getDb } from '@/db';
import { addCorrection, getPublicStatement, getRecordRevision } from './publishing';
import { hashRecord, type SignedRecord } from './record';
import { keyIdOf, keysDocument, rawPublicKey } from './record-keys';
import { ctxFor, digestDomain } from './testing/db';
import { publishedStatement, type Published } from './testing/publish';
import { resolveOwnUrl, verifySubmission, type VerifyReport } from './verify';

const db = () => getDb();
const APP = 'http://localhost:3000';

function newKey() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return { privateKey, pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), raw, rawB64: raw.toString('base64'), keyId: keyIdOf(raw) };
}

const saved = { key: process.env.RECORD_SIGNING_KEY, retired: process.env.RECORD_RETIRED_KEYS, app: process.env.APP_URL, rl: process.env.RATE_LIMIT_VERIFY_PER_IP };
const KEY_A = newKey();
let S: Published;

beforeAll(async () => {
  process.env.RECORD_SIGNING_KEY = KEY_A.pem;
  delete process.env.RECORD_RETIRED_KEYS;
  S = await publishedStatement({ title: 'Բաց նամակ', translations: { en: { title: 'Open letter', body: ['We call for the draft law.'] } } });
});

afterEach(() => {
  process.env.RECORD_SIGNING_KEY = KEY_A.pem;
  delete process.env.RECORD_RETIRED_KEYS;
  process.env.APP_URL = saved.app ?? APP;
  if (saved.rl === undefined) delete process.env.RATE_LIMIT_VERIFY_PER_IP;
  else process.env.RATE_LIMIT_VERIFY_PER_IP = saved.rl;
  vi.restoreAllMocks();
});

afterAll(() => {
  for (const [k, v] of [
    ['RECORD_SIGNING_KEY', saved.key],
    ['RECORD_RETIRED_KEYS', saved.retired],
  ] as const)
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

async function liveEnvelope(slug = S.slug): Promise<SignedRecord> {
  const p = await getPublicStatement(db(), slug);
  return structuredClone(p!.envelope);
}

let ipN = 0;
/** POST /api/verify through the route handler, from a fresh client address unless one is given. */
async function post(body: unknown, ip = `198.51.100.${(ipN++ % 250) + 1}`): Promise<{ status: number; json: Record<string, unknown> }> {
  const req = new Request(`${APP}/api/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-client-ip': ip },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const res = await verifyRoute(req);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const verifyText = async (envelope: unknown) => {
  const r = await post({ record: typeof envelope === 'string' ? envelope : JSON.stringify(envelope, null, 2) });
  expect(r.status).toBe(200);
  return r.json as unknown as VerifyReport;
};

describe('verifying a pasted record', () => {
  it('a genuine record verifies: hash, signature, current key, identical to the live record', async () => {
    const env = await liveEnvelope();
    expect(env.key_id).toBe(KEY_A.keyId);
    const r = await verifyText(env);
    expect(r).toMatchObject({ ok: true, hashOk: true, signatureOk: true, key: { id: KEY_A.keyId, status: 'current' } });
    expect(r.computedSha256).toBe(env.sha256);
    expect(r.claimedSha256).toBe(env.sha256);
    expect(r.error).toBeUndefined();
    expect(r.live).toEqual({ slug: S.slug, seq: env.record.record_seq, state: 'published', sameAsLive: true, differences: [], revision: null });
    // Whitespace and key order do not matter: the body is re-canonicalized (RFC 8785).
    const reordered = `{"signature":${JSON.stringify(env.signature)},"key_id":${JSON.stringify(env.key_id)},"sha256":${JSON.stringify(env.sha256)},\n"record":${JSON.stringify(env.record)}}`;
    expect((await verifyText(reordered)).ok).toBe(true);
  });

  it('one character changed in a title: the hash fails, and the differences name texts.en.title', async () => {
    const env = await liveEnvelope();
    expect(env.record.texts.en!.title).toBe('Open letter');
    env.record.texts.en!.title = 'Open lettex';
    const r = await verifyText(env);
    expect(r.ok).toBe(false);
    expect(r.hashOk).toBe(false);
    expect(r.computedSha256).toBe(hashRecord(env.record).sha256);
    expect(r.computedSha256).not.toBe(r.claimedSha256);
    // The signature covers the canonical bytes, so it fails too; the key is still ours.
    expect(r.signatureOk).toBe(false);
    expect(r.key.status).toBe('current');
    expect(r.live?.sameAsLive).toBe(false);
    expect(r.live?.differences).toEqual(['texts.en.title']);
    // The allowed twin: the untouched record is identical to the live one.
    expect((await verifyText(await liveEnvelope())).live?.differences).toEqual([]);
  });

  it('a record signed by another key (its own key id): unknown key, signature not ok, hash ok', async () => {
    const other = newKey();
    const env = await liveEnvelope();
    const { canonical } = hashRecord(env.record);
    const forged = { ...env, key_id: other.keyId, signature: crypto.sign(null, Buffer.from(canonical, 'utf8'), other.privateKey).toString('base64') };
    // The forgery is a real Ed25519 signature of the same bytes under the other key...
    expect(crypto.verify(null, Buffer.from(canonical, 'utf8'), crypto.createPublicKey(other.privateKey), Buffer.from(forged.signature, 'base64'))).toBe(true);
    const r = await verifyText(forged);
    // ...but that key is not one of ours.
    expect(r).toMatchObject({ ok: false, hashOk: true, signatureOk: false, key: { id: other.keyId, status: 'unknown' } });
    // Claiming our key id with the other key's signature: our key, and the signature does not verify under it.
    const claimed = await verifyText({ ...forged, key_id: KEY_A.keyId });
    expect(claimed).toMatchObject({ ok: false, hashOk: true, signatureOk: false, key: { id: KEY_A.keyId, status: 'current' } });
  });

  it('a flipped signature byte: the signature fails while the hash is ok', async () => {
    const env = await liveEnvelope();
    const sig = Buffer.from(env.signature, 'base64');
    expect(sig.length).toBe(64);
    sig[17] = sig[17]! ^ 0x01;
    const r = await verifyText({ ...env, signature: sig.toString('base64') });
    expect(r).toMatchObject({ ok: false, hashOk: true, signatureOk: false, key: { id: KEY_A.keyId, status: 'current' } });
    expect(r.live?.sameAsLive).toBe(true); // the body is the live one; only the signature is wrong
  });

  it('a record under a retired key verifies, with key status "retired" (and "unknown" once the key is not listed)', async () => {
    const keyA = newKey();
    const keyB = newKey();
    process.env.RECORD_SIGNING_KEY = keyA.pem;
    const P = await publishedStatement({ translations: { en: { title: 'Rotated' } } });
    const env = await liveEnvelope(P.slug);
    expect(env.key_id).toBe(keyA.keyId);
    expect(await verifyText(env)).toMatchObject({ ok: true, key: { id: keyA.keyId, status: 'current' } });
    // Rotation: B signs from now on; A is retired.
    process.env.RECORD_SIGNING_KEY = keyB.pem;
    process.env.RECORD_RETIRED_KEYS = keyA.rawB64;
    const r = await verifyText(env);
    expect(r).toMatchObject({ ok: true, hashOk: true, signatureOk: true, key: { id: keyA.keyId, status: 'retired' } });
    // A record revised after the rotation is signed by B, the current key.
    await addCorrection(ctxFor(P.init.owner), { statementId: P.statementId, lang: 'hy', body: 'Ուղղում' });
    const after = await liveEnvelope(P.slug);
    expect(after.key_id).toBe(keyB.keyId);
    expect(await verifyText(after)).toMatchObject({ ok: true, key: { id: keyB.keyId, status: 'current' } });
    // The blocked twin: a key that is neither current nor listed as retired is unknown, and nothing verifies under it.
    delete process.env.RECORD_RETIRED_KEYS;
    expect(await verifyText(env)).toMatchObject({ ok: false, hashOk: true, signatureOk: false, key: { id: keyA.keyId, status: 'unknown' } });
  });

  it('an older revision is reported as such when it matches the stored revision', async () => {
    const P = await publishedStatement();
    const first = await liveEnvelope(P.slug);
    expect(first.record.record_seq).toBe(1);
    await addCorrection(ctxFor(P.init.owner), { statementId: P.statementId, lang: 'hy', body: 'Ամսաթիվը ճշգրտված է։' });
    const r = await verifyText(first);
    expect(r.ok).toBe(true);
    expect(r.live).toMatchObject({ slug: P.slug, seq: 2, sameAsLive: false, revision: { seq: 1, matchesStored: true, differences: [] } });
    expect(r.live!.differences).toEqual(expect.arrayContaining(['corrections[0]', 'record_seq']));
    // A changed copy of revision 1 is not that revision.
    first.record.texts.hy!.title = `${first.record.texts.hy!.title}!`;
    const changed = await verifyText(first);
    expect(changed.ok).toBe(false);
    expect(changed.live?.revision).toEqual({ seq: 1, matchesStored: false, differences: ['texts.hy.title'] });
    // The stored revision itself is still there at its stable number.
    expect((await getRecordRevision(db(), P.slug, 1))?.record.record_seq).toBe(1);
  });

  it('text that is not JSON, or JSON that is not a signed record, is a failed verification (200), not a crash', async () => {
    expect(await verifyText('{"record": {')).toMatchObject({ ok: false, error: 'unparseable', hashOk: false, signatureOk: false, live: null });
    expect(await verifyText('[1,2,3]')).toMatchObject({ ok: false, error: 'shape' });
    const env = await liveEnvelope();
    const { signature: _s, ...noSignature } = env;
    void _s;
    const r = await verifyText(noSignature);
    expect(r).toMatchObject({ ok: false, error: 'shape', subject: { slug: S.slug } });
    // Still compared with the live record it names.
    expect(r.live?.sameAsLive).toBe(true);
    // Absurd nesting is refused as not a record, without comparing it.
    const deep = { ...env, record: { ...env.record, texts: JSON.parse('['.repeat(200) + ']'.repeat(200)) } };
    expect(await verifyText(deep)).toMatchObject({ ok: false, error: 'shape', live: null });
    // A record naming a statement that does not exist here: verified on its own, no live comparison.
    const ghost = { ...env, record: { ...env.record, slug: 'no-such-statement' } };
    expect(await verifyText(ghost)).toMatchObject({ ok: false, hashOk: false, live: null, subject: { slug: 'no-such-statement' } });
  });

  it('refuses an oversized record and a malformed body with 400; accepts one just under the cap', async () => {
    const big = await post({ record: 'x'.repeat(5 * 1024 * 1024 + 1) });
    expect(big.status).toBe(400);
    expect(big.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: 'verify.tooLarge' } });
    const under = await post({ record: ' '.repeat(5 * 1024 * 1024 - 2) + '{}' });
    expect(under.status).toBe(200);
    expect(under.json).toMatchObject({ ok: false, error: 'shape' });
    for (const body of [{ record: 1 }, { record: 'x', url: 'y' }, { other: 'x' }, {}, 'not json at all']) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.json.error as { code: string }).code).toBe('INVALID_INPUT');
    }
  });

  it('the answer carries no e-mail address or user id (I13)', async () => {
    const r = await post({ record: JSON.stringify(await liveEnvelope()) });
    const text = JSON.stringify(r.json);
    expect(text).not.toMatch(/@example\.org/);
    for (const u of [S.init.owner, S.init.admin]) {
      expect(text).not.toContain(u.userId);
      expect(text).not.toContain(u.email);
    }
  });
});

describe('the keys document (/.well-known/undersigned-keys.json)', () => {
  it('lists the current and retired public keys, cacheable, and no private material', async () => {
    const keyB = newKey();
    const old1 = newKey();
    const old2 = newKey();
    process.env.RECORD_SIGNING_KEY = keyB.pem;
    process.env.RECORD_RETIRED_KEYS = `${old1.rawB64}, ${crypto.createPublicKey(old2.privateKey).export({ format: 'der', type: 'spki' }).toString('base64')}`;
    const res = keysRoute();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const doc = (await res.json()) as ReturnType<typeof keysDocument>;
    expect(doc).toEqual(keysDocument());
    expect(doc.algorithm).toBe('Ed25519');
    expect(doc.keys).toEqual([
      { key_id: keyB.keyId, status: 'current', public_key: keyB.rawB64 },
      { key_id: old1.keyId, status: 'retired', public_key: old1.rawB64 },
      { key_id: old2.keyId, status: 'retired', public_key: old2.rawB64 },
    ]);
    for (const k of doc.keys) expect(Object.keys(k).sort()).toEqual(['key_id', 'public_key', 'status']);
    const text = JSON.stringify(doc);
    const privateDer = keyB.privateKey.export({ format: 'der', type: 'pkcs8' });
    expect(text).not.toContain(privateDer.toString('base64'));
    expect(text).not.toContain(privateDer.subarray(privateDer.length - 32).toString('base64')); // the seed
    expect(text).not.toMatch(/PRIVATE|BEGIN/);
    // Without retired keys: the current one only.
    delete process.env.RECORD_RETIRED_KEYS;
    expect(((await keysRoute().json()) as typeof doc).keys).toEqual([{ key_id: keyB.keyId, status: 'current', public_key: keyB.rawB64 }]);
  });
});

// ---- URLs: only this instance's own, resolved locally; nothing connects anywhere ----

/** A TCP server on a free port that counts the connections it receives. */
async function trap(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = net.createServer((s) => {
    n++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, connections: () => n, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('verifying by URL', () => {
  it('refuses other hosts, ports, schemes and user-info tricks with 400, connecting to nothing', async () => {
    const t = await trap();
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const before = await digestDomain();
    try {
      const cases: [string, string][] = [
        [`http://127.0.0.1:${t.port}/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        [`http://127.0.0.1:${t.port}/`, 'verify.urlNotThisSite'],
        ['http://127.0.0.1:5432/', 'verify.urlNotThisSite'],
        [`http://127.0.0.1:5432/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        ['http://169.254.169.254/latest/meta-data', 'verify.urlNotThisSite'],
        ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', 'verify.urlNotThisSite'],
        [`http://localhost:3000@127.0.0.1:${t.port}/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        [`http://localhost:3000@169.254.169.254/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        [`http://user:pw@localhost:3000/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        [`http://localhost:3001/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        [`https://localhost:3000/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        [`http://localhost.:3000/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        [`http://0x7f.0.0.1:${t.port}/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        [`http://[::1]:3000/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        [`http://evil.example/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        ['file:///etc/passwd', 'verify.urlNotThisSite'],
        [`gopher://localhost:3000/data/${S.slug}/record.json`, 'verify.urlNotThisSite'],
        ['javascript:alert(1)', 'verify.urlNotThisSite'],
        ['http://localhost:3000/api/health', 'verify.urlNotARecord'],
        ['http://localhost:3000/data/x/../../api/health', 'verify.urlNotARecord'],
        [`http://localhost:3000/data/${S.slug}/record.json/../../../api/health`, 'verify.urlNotARecord'],
        [`//127.0.0.1:${t.port}/data/${S.slug}/record.json`, 'verify.urlInvalid'],
        ['not a url', 'verify.urlInvalid'],
      ];
      for (const [url, message] of cases) {
        const r = await post({ url });
        expect(r.status, url).toBe(400);
        expect(r.json, url).toEqual({ error: { code: 'INVALID_INPUT', message, fieldErrors: { url: [message] } } });
      }
      expect(t.connections()).toBe(0);
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(await digestDomain()).toBe(before);
    } finally {
      await t.close();
    }
  });

  it("accepts this instance's own record and page URLs, resolved from the database (still no connection)", async () => {
    const t = await trap();
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    // This instance is the one "listening" on the trap's port: its own URLs are looked up, never requested.
    process.env.APP_URL = `http://127.0.0.1:${t.port}`;
    try {
      const env = await liveEnvelope();
      for (const path of [`/data/${S.slug}/record.json`, `/data/${S.slug}/records/1`, `/en/s/${S.slug}`, `/hy/s/${S.slug}?x=1#top`]) {
        const r = await post({ url: `http://127.0.0.1:${t.port}${path}` });
        expect(r.status, path).toBe(200);
        expect(r.json, path).toMatchObject({ ok: true, hashOk: true, signatureOk: true, claimedSha256: env.sha256, live: { slug: S.slug, sameAsLive: true } });
      }
      // Our origin but no such statement or revision: not found (looked up, not fetched).
      for (const path of ['/data/no-such-statement/record.json', `/data/${S.slug}/records/999`]) {
        const r = await post({ url: `http://127.0.0.1:${t.port}${path}` });
        expect(r.status, path).toBe(404);
        expect(r.json).toMatchObject({ error: { code: 'NOT_FOUND', message: 'verify.notFound' } });
      }
      expect(t.connections()).toBe(0);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      await t.close();
    }
  });

  it('resolveOwnUrl: the paths it accepts and the reasons it refuses', () => {
    expect(resolveOwnUrl(`${APP}/data/my-slug/record.json`, APP)).toEqual({ ok: true, target: { slug: 'my-slug', seq: null } });
    expect(resolveOwnUrl(`${APP}/data/my-slug/records/12`, APP)).toEqual({ ok: true, target: { slug: 'my-slug', seq: 12 } });
    expect(resolveOwnUrl(`${APP}/data/my-slug/records/12.json`, APP)).toEqual({ ok: true, target: { slug: 'my-slug', seq: 12 } });
    expect(resolveOwnUrl(`${APP}/ru/s/my-slug/`, APP)).toEqual({ ok: true, target: { slug: 'my-slug', seq: null } });
    expect(resolveOwnUrl('HTTP://LOCALHOST:3000/en/s/my-slug', APP)).toEqual({ ok: true, target: { slug: 'my-slug', seq: null } });
    expect(resolveOwnUrl(`${APP}/fr/s/my-slug`, APP)).toEqual({ ok: false, reason: 'urlNotARecord' });
    expect(resolveOwnUrl(`${APP}/data/my-slug/records/0`, APP)).toEqual({ ok: false, reason: 'urlNotARecord' });
    expect(resolveOwnUrl(`${APP}/data/My-Slug/record.json`, APP)).toEqual({ ok: false, reason: 'urlNotARecord' });
    expect(resolveOwnUrl(`${APP}/data/my%2Fslug/record.json`, APP)).toEqual({ ok: false, reason: 'urlNotARecord' });
    expect(resolveOwnUrl('https://undersigned.example/en/s/x-y', 'https://undersigned.example')).toEqual({ ok: true, target: { slug: 'x-y', seq: null } });
    expect(resolveOwnUrl('https://undersigned.example:443/en/s/x-y', 'https://undersigned.example')).toMatchObject({ ok: true });
    expect(resolveOwnUrl('https://undersigned.example:8443/en/s/x-y', 'https://undersigned.example')).toEqual({ ok: false, reason: 'urlNotThisSite' });
    expect(resolveOwnUrl('https://undersigned.example.evil.example/en/s/x-y', 'https://undersigned.example')).toEqual({ ok: false, reason: 'urlNotThisSite' });
  });

  it('verifySubmission (the lib function) resolves a URL the same way as the route', async () => {
    const r = await verifySubmission({ db: db() }, { url: `${APP}/data/${S.slug}/record.json` });
    expect(r).toMatchObject({ ok: true, live: { slug: S.slug, sameAsLive: true } });
    await expect(verifySubmission({ db: db() }, { url: 'http://169.254.169.254/latest/meta-data' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'verify.urlNotThisSite' });
  });
});

describe('rate limit per client address', () => {
  it('blocks an address over RATE_LIMIT_VERIFY_PER_IP with 429 and Retry-After; another address is still served', async () => {
    process.env.RATE_LIMIT_VERIFY_PER_IP = '3';
    const body = { record: JSON.stringify(await liveEnvelope()) };
    for (let i = 0; i < 3; i++) expect((await post(body, '203.0.113.77')).status).toBe(200);
    const req = new Request(`${APP}/api/verify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-client-ip': '203.0.113.77' }, body: JSON.stringify(body) });
    const blocked = await verifyRoute(req);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect((await post(body, '203.0.113.78')).status).toBe(200);
  });
});
