import { defineConfig } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Browser tests: the product on the embedded default (what `npm start` runs, with its demo users),
 * driven in the system Chromium. Never `npx playwright install`: no downloads here.
 */
const port = Number(process.env.CUR_BROWSER_TEST_PORT ?? 3917);
// Set once in the runner; its workers inherit it, so everyone means the same folder.
const dataDir = (process.env.CUR_BROWSER_DATA_DIR ??= join(tmpdir(), `cur-browser-${process.pid}-${Date.now()}`));
export const BASE_URL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.pw.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  // One folder per port: runs side by side (two worktrees) never clear each other's traces.
  outputDir: join(tmpdir(), `cur-playwright-results-${port}`),
  globalTeardown: './global-teardown.ts',
  webServer: {
    command: `node dist/apps/standalone/src/main.js`,
    cwd: join(__dirname, '..', '..'),
    url: `${BASE_URL}/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      CUR_DATA_DIR: dataDir,
      CUR_DEMO_STREAM: 'false',
      CUR_LOGIN_RATE_LIMIT: '60',
      CUR_LOG_FORMAT: 'json',
      TZ: 'UTC',
    },
  },
});
