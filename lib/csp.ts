// Content-Security-Policy builders. Public pages get a static policy (so they stay cacheable);
// signed-in pages get a per-request nonce policy. Only the embed route (/embed/…) may be framed by other sites.
const common = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

export function staticCsp(dev: boolean): string {
  return [...common, `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`, "style-src 'self' 'unsafe-inline'", "frame-src 'self'"].join('; ');
}

/**
 * The embed page (R5): the static policy, except that any site may frame it. It is served without X-Frame-Options
 * (see next.config.ts), which would otherwise forbid what frame-ancestors allows.
 */
export function embedCsp(dev: boolean): string {
  return staticCsp(dev).replace("frame-ancestors 'none'", 'frame-ancestors *');
}

export function nonceCsp(nonce: string, dev: boolean): string {
  return [
    ...common,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    // The dev mailbox shows messages in a sandboxed srcdoc frame.
    "frame-src 'self'",
  ].join('; ');
}

export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};
