// The HTTP server: Next.js's request handler behind a thin Node server, so the client address comes from
// the socket (and trusted proxies only), never from a header the client chose. Started by the launcher.
import http from 'node:http';
import next from 'next';
import { clientIp } from '../lib/rate-limit';
import { responseCacheFromEnv } from '../lib/response-cache';

export async function startServer(opts: { dev: boolean; port: number; hostname: string }): Promise<http.Server> {
  const app = next({ dev: opts.dev, hostname: opts.hostname, port: opts.port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Production only: a short-lived copy of what Next serves from its own cache (lib/response-cache.ts).
  const cache = opts.dev ? null : responseCacheFromEnv();
  const server = http.createServer((req, res) => {
    const xff = req.headers['x-forwarded-for'];
    req.headers['x-client-ip'] = clientIp(Array.isArray(xff) ? xff.join(',') : xff, req.socket.remoteAddress);
    if (cache) cache.handle(req, res, () => void handle(req, res));
    else void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.hostname, resolve));
  console.log(`[server] ready on http://${opts.hostname === '0.0.0.0' ? 'localhost' : opts.hostname}:${opts.port} (${opts.dev ? 'development' : 'production'})`);
  return server;
}
