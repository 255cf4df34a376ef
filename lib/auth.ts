// Auth.js configuration (a thin adapter: allowed to import next-auth). Magic links by e-mail, 15 minutes,
// single-use, database sessions. The e-mailed link carries the token in the URL fragment of our own
// confirmation page, which POSTs it to /api/auth/confirm; GET on the Auth.js callback answers 405.
import { DrizzleAdapter } from '@auth/drizzle-adapter';
import NextAuth from 'next-auth';
import { getDb } from '@/db';
import { accounts, sessions, users, verificationTokens } from '@/db/schema';
import { env } from './env';
import { isLocale, type Locale } from './i18n';
import { renderSignInMail } from './mail/render';
import { defaultTransport, sendWithRetries } from './mail/transport';
import { auditAuthEvent } from './users';

export const MAGIC_LINK_MAX_AGE = 15 * 60;

/** Turn Auth.js's callback URL into our fragment link on the configured APP_URL (never the request's Host). */
export function confirmLinkFromCallback(callbackUrl: string): string {
  const u = new URL(callbackUrl);
  const token = u.searchParams.get('token') ?? '';
  const email = u.searchParams.get('email') ?? '';
  const next = u.searchParams.get('callbackUrl') ?? '';
  const frag = new URLSearchParams({ t: token, e: email });
  if (next) {
    try {
      const n = new URL(next, env().APP_URL);
      frag.set('next', n.pathname + n.search);
    } catch {
      /* ignore a malformed callback */
    }
  }
  return `${env().APP_URL}/sign-in/confirm#${frag.toString()}`;
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const e = env();
  return {
    secret: e.AUTH_SECRET,
    trustHost: true,
    adapter: DrizzleAdapter(getDb(), {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    session: { strategy: 'database', maxAge: 30 * 24 * 3600, updateAge: 24 * 3600 },
    useSecureCookies: e.NODE_ENV === 'production' && e.APP_URL.startsWith('https://'),
    pages: { signIn: '/sign-in', verifyRequest: '/sign-in/sent', error: '/sign-in/error' },
    providers: [
      {
        id: 'email',
        type: 'email',
        name: 'Email',
        from: e.MAIL_FROM,
        maxAge: MAGIC_LINK_MAX_AGE,
        options: {},
        async sendVerificationRequest({ identifier, url, request }) {
          const cookieLocale = /(?:^|;\s*)NEXT_LOCALE=([a-z]{2})/.exec(request.headers.get('cookie') ?? '')?.[1];
          const locale: Locale = isLocale(cookieLocale) ? cookieLocale : 'en';
          // Sent now, not stored: the only copy at rest is in the dev mailbox when there is no SMTP.
          await sendWithRetries(defaultTransport(), { ...renderSignInMail(locale, confirmLinkFromCallback(url)), to: identifier });
        },
      },
    ],
    callbacks: {
      session({ session, user }) {
        return { ...session, user: { ...session.user, id: user.id, email: user.email } };
      },
    },
    events: {
      async signIn({ user, isNewUser }) {
        if (user.id) await auditAuthEvent({ db: getDb(), actor: null }, { userId: user.id, type: 'user.signed_in', isNewUser });
      },
      async signOut(message) {
        const userId = 'session' in message ? message.session?.userId : undefined;
        if (userId) await auditAuthEvent({ db: getDb(), actor: null }, { userId, type: 'user.signed_out' });
      },
    },
  };
});
