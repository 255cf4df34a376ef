// The Ed25519 keys that sign public records (PRODUCT.md, Public record; R6). The current private key comes from
// RECORD_SIGNING_KEY (PKCS#8 PEM, or its base64 DER); retired public keys from RECORD_RETIRED_KEYS (comma-separated
// base64 SPKI DER or raw 32-byte keys), so records signed before a rotation still verify. Outside production a
// missing key is generated once and kept in .data/record-signing-key.pem (git-ignored). Node's own crypto does
// Ed25519 (RFC 8032); no extra library is needed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type PublicKeyInfo = { keyId: string; publicKey: crypto.KeyObject; raw: Buffer; status: 'current' | 'retired' };
type Keyring = { current: { keyId: string; privateKey: crypto.KeyObject; raw: Buffer }; retired: PublicKeyInfo[] };

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The raw 32-byte public key of an Ed25519 key object. */
export function rawPublicKey(key: crypto.KeyObject): Buffer {
  // createPublicKey refuses a key that is already public ("expected private"): retired keys arrive public.
  const der = (key.type === 'public' ? key : crypto.createPublicKey(key)).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

/** `ed25519:` + the first 16 hex digits of SHA-256 of the raw public key: stable, short, derived (never chosen). */
export const keyIdOf = (raw: Buffer): string => `ed25519:${crypto.createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;

export function publicKeyFromBase64(b64: string): crypto.KeyObject {
  const bytes = Buffer.from(b64.trim(), 'base64');
  const der = bytes.length === 32 ? Buffer.concat([SPKI_ED25519_PREFIX, bytes]) : bytes;
  const key = crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key;
}

export function privateKeyFrom(value: string): crypto.KeyObject {
  const v = value.trim().replace(/\\n/g, '\n');
  const key = v.startsWith('-----')
    ? crypto.createPrivateKey(v)
    : crypto.createPrivateKey({ key: Buffer.from(v, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('RECORD_SIGNING_KEY is not an Ed25519 private key');
  return key;
}

function devKeyFile(): string {
  return path.resolve(process.env.RECORD_KEY_FILE ?? path.join(process.cwd(), '.data', 'record-signing-key.pem'));
}

function loadDevKey(): crypto.KeyObject {
  const file = devKeyFile();
  try {
    return privateKeyFrom(fs.readFileSync(file, 'utf8'));
  } catch {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch {
      // Another process wrote it first: use theirs.
      return privateKeyFrom(fs.readFileSync(file, 'utf8'));
    }
    return privateKey;
  }
}

let cached: { env: string; ring: Keyring } | null = null;

export function keyring(): Keyring {
  const envKey = process.env.RECORD_SIGNING_KEY ?? '';
  const retiredEnv = process.env.RECORD_RETIRED_KEYS ?? '';
  const cacheKey = `${envKey}|${retiredEnv}`;
  if (cached?.env === cacheKey) return cached.ring;
  if (!envKey && process.env.NODE_ENV === 'production') throw new Error('RECORD_SIGNING_KEY is not set');
  const privateKey = envKey ? privateKeyFrom(envKey) : loadDevKey();
  const raw = rawPublicKey(privateKey);
  const retired = retiredEnv
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((b64) => {
      const publicKey = publicKeyFromBase64(b64);
      const r = rawPublicKey(publicKey);
      return { keyId: keyIdOf(r), publicKey, raw: r, status: 'retired' as const };
    });
  const ring = { current: { keyId: keyIdOf(raw), privateKey, raw }, retired };
  cached = { env: cacheKey, ring };
  return ring;
}

/** Every key a record of this instance may be signed with: the current one first. */
export function publicKeys(): PublicKeyInfo[] {
  const ring = keyring();
  return [{ keyId: ring.current.keyId, publicKey: crypto.createPublicKey(ring.current.privateKey), raw: ring.current.raw, status: 'current' }, ...ring.retired];
}

export function signBytes(data: string): { keyId: string; signature: string } {
  const ring = keyring();
  return { keyId: ring.current.keyId, signature: crypto.sign(null, Buffer.from(data, 'utf8'), ring.current.privateKey).toString('base64') };
}

/** The document served at /.well-known/undersigned-keys.json. */
export function keysDocument() {
  return {
    algorithm: 'Ed25519',
    format: 'raw 32-byte public keys, base64',
    keys: publicKeys().map((k) => ({ key_id: k.keyId, status: k.status, public_key: k.raw.toString('base64') })),
  };
}
