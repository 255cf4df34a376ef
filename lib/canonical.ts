import canonicalize from 'canonicalize';
import crypto from 'node:crypto';

/** RFC 8785 (JCS) canonical JSON, via the reference implementation's npm package. */
export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new Error('value cannot be canonicalized');
  return out;
}

export const sha256Hex = (data: string | Buffer): string => crypto.createHash('sha256').update(data).digest('hex');
