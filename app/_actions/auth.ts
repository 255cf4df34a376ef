'use server';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action } from '@/lib/action';
import { signIn, signOut } from '@/lib/auth';
import { AppError } from '@/lib/errors';
import { hit } from '@/lib/rate-limit';
import { signOutEverywhere } from '@/lib/users';
import { email } from '@/lib/validation/strings';

const requestSignIn = action(
  z.object({ email: email(), next: z.string().max(500).optional() }).strict(),
  async (ctx, input) => {
    await hit('signin_ip', ctx.ip ?? 'unknown');
    await hit('signin_email', input.email);
    const next = input.next && input.next.startsWith('/') && !input.next.startsWith('//') ? input.next : '/dashboard';
    // Same answer whether or not an account exists: Auth.js creates the account when the link is used.
    try {
      await signIn('email', { email: input.email, redirect: false, redirectTo: next });
    } catch (e) {
      console.error('[sign-in] could not send the link:', e instanceof Error ? e.message : e);
      throw new AppError('INVALID_STATE', 'errors.unexpected');
    }
    return { sent: true };
  },
  { public: true },
);

/** Public: ask for a magic link (rate-limited per IP and per e-mail). */
export async function requestSignInAction(prev: unknown, form: FormData) {
  const result = await requestSignIn(prev, form);
  if (result.ok) redirect('/sign-in/sent');
  return result;
}

// `next`: where to go afterwards, a same-site path only (the shared-mailbox handoff goes on to sign in again).
const doSignOut = action(z.object({ next: z.string().max(500).optional() }).strict(), async (_ctx, v) => ({
  next: v.next && v.next.startsWith('/') && !v.next.startsWith('//') && !v.next.includes('\\') ? v.next : '/',
}));

/** Signed in: end this session (Auth.js deletes it and reports the event, which we audit). */
export async function signOutAction(prev: unknown, form: FormData) {
  const result = await doSignOut(prev, form);
  if (!result.ok) return result;
  await signOut({ redirectTo: result.data.next });
  return result;
}

const everywhere = action(z.object({}).strict(), (ctx) => signOutEverywhere(ctx));

/** Signed in: end every session of the account (audited, with a notice by e-mail). */
export async function signOutEverywhereAction(prev: unknown, form: FormData) {
  const result = await everywhere(prev, form);
  if (result.ok) redirect('/sign-in');
  return result;
}
