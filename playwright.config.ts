import crypto from 'node:crypto';
import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium when present (these machines cannot download Playwright's); else Playwright's own.
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const PORT = Number(process.env.E2E_PORT ?? 3100);
// Auth.js derives cookies from the host: use localhost, not 127.0.0.1.
export const BASE_URL = `http://localhost:${PORT}`;
// One record-signing key for the whole run, set before workers start (they inherit it): the e2e server and any
// extra instance a spec starts (e2e/instances.spec.ts) sign with the same key, as several instances of one
// deployment do.
process.env.RECORD_SIGNING_KEY ??= crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');

export default defineConfig({
  testDir: 'e2e',
  // Playwright empties its output directory at start: keep it apart from the other reports in test-results/.
  outputDir: 'test-results/e2e-artifacts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/e2e.json' }]] : [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: systemChromium
      ? {
          executablePath: systemChromium,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-quic',
            '--no-first-run',
          ],
        }
      : {},
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], channel: undefined } },
  ],
  // The production build, through the launcher, on its own embedded PostgreSQL (fresh each run).
  webServer: {
    command: 'bash scripts/e2e-server.sh',
    url: `${BASE_URL}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { E2E_PORT: String(PORT), RECORD_SIGNING_KEY: process.env.RECORD_SIGNING_KEY },
  },
});
