import { keysDocument } from '@/lib/record-keys';

export const dynamic = 'force-dynamic';

/**
 * The public keys that sign this instance's records (R6): the current one and every retired one, raw Ed25519
 * public keys in base64 with their key ids. Public keys only. Read from the environment on each request (never
 * baked into the build), and cacheable for five minutes.
 */
export function GET() {
  return Response.json(keysDocument(), {
    headers: { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' },
  });
}
