import type { NextRequest } from 'next/server';
import { handlers } from '@/lib/auth';

// GET on the e-mail callback would consume a magic link (mail scanners open links): refused.
// Links are confirmed by POST /api/auth/confirm from the confirmation page.
export async function GET(req: NextRequest) {
  if (req.nextUrl.pathname.startsWith('/api/auth/callback/')) {
    return Response.json({ error: { code: 'METHOD_NOT_ALLOWED', message: 'Use the confirmation page.' } }, { status: 405, headers: { Allow: 'POST' } });
  }
  return handlers.GET(req);
}

export async function POST(req: NextRequest) {
  if (req.nextUrl.pathname.startsWith('/api/auth/callback/')) {
    return Response.json({ error: { code: 'METHOD_NOT_ALLOWED', message: 'Use the confirmation page.' } }, { status: 405, headers: { Allow: 'POST' } });
  }
  // Links are requested only through requestSignInAction (origin check, rate limits per IP and per e-mail).
  // Auth.js's own endpoint would mail one to any address with neither, given a CSRF token anyone can fetch.
  if (req.nextUrl.pathname.startsWith('/api/auth/signin')) {
    return Response.json({ error: { code: 'METHOD_NOT_ALLOWED', message: 'Use the sign-in page.' } }, { status: 405, headers: { Allow: 'GET' } });
  }
  return handlers.POST(req);
}
