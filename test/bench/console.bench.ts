import '../../libs/platform/src/preamble';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { Client } from 'pg';
import { migrate, openDatabase } from '../../libs/persistence/src/database';
import { startInfrastructure, stopInfrastructure } from '../support/infrastructure';
import { startService } from '../support/services';
import { TestUsers } from '../support/users';
import { seedOpenMessages } from './seed-queue';

/**
 * `npm run bench`: the console's first view. (1) What a browser downloads before it can draw the
 * first view: the entry script and the chunks it imports statically (Vite's modulepreload links)
 * and the CSS, gzipped as the api sends them; the views loaded on demand are listed apart. (2) Time
 * to interactive on a queue of N open messages (default 10,000) on real PostgreSQL, through the api
 * service: a signed-in operator opens /queue in a fresh tab (no HTTP cache); the clock is the
 * page's own (performance.now, from navigation start) up to the mark the list sets when its first
 * page is on screen. Prints p50/p95; asserts nothing. The last line is one JSON object.
 */
const N = Number(process.env.BENCH_OPEN_MESSAGES ?? 10_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 15);
const BUILD = join(__dirname, '../../libs/console/src/app');

function bundle() {
  const html = readFileSync(join(BUILD, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  // A page that names no script of its own is a build this bench does not understand: say so, never print 0 KB.
  if (!initial.some((f) => f.endsWith('.js'))) throw new Error(`no script under /assets/ in ${join(BUILD, 'index.html')}`);
  const size = (file: string) => {
    const body = readFileSync(join(BUILD, 'assets', file));
    return { file, bytes: body.length, gzipped: gzipSync(body, { level: 9 }).length };
  };
  const all = readdirSync(join(BUILD, 'assets')).filter((f) => /\.(js|css)$/.test(f));
  const first = initial.map(size);
  const lazy = all.filter((f) => !initial.includes(f) && f.endsWith('.js')).map(size);
  const kb = (n: number) => Math.round(n / 102.4) / 10;
  const firstJs = first.filter((f) => f.file.endsWith('.js')).reduce((s, f) => s + f.gzipped, 0);
  const firstCss = first.filter((f) => f.file.endsWith('.css')).reduce((s, f) => s + f.gzipped, 0);
  for (const f of first) console.log(`first view  ${f.file.padEnd(40)} ${String(kb(f.bytes)).padStart(7)} KB   gzip ${String(kb(f.gzipped)).padStart(6)} KB`);
  for (const f of lazy) console.log(`on demand   ${f.file.padEnd(40)} ${String(kb(f.bytes)).padStart(7)} KB   gzip ${String(kb(f.gzipped)).padStart(6)} KB`);
  console.log(`first view JS, gzipped: ${kb(firstJs)} KB (+ CSS ${kb(firstCss)} KB)`);
  return { firstViewJsGzipKB: kb(firstJs), firstViewCssGzipKB: kb(firstCss), onDemandChunks: lazy.length };
}

async function main(): Promise<void> {
  const sizes = bundle();
  const infra = await startInfrastructure('bench_console');
  try {
    const database = await openDatabase({ databaseUrl: infra.databaseUrl, dataDir: '' });
    await migrate(database.options, false);
    const db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    await seedOpenMessages(db, N);
    console.log(`seeded ${N} open messages`);
    const api = await startService('api', infra, { KAFKA_GROUP_PREFIX: `bench-console-${Date.now()}`, CUR_LOG_FORMAT: 'json', CUR_LOGIN_RATE_LIMIT: '1000' });
    const users = await TestUsers.connect(infra.databaseUrl);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const login = await users.ensure('operator', 'cur-rostov');
      // Each measured tab is a fresh browser context (empty cache) with a session of its own: signed in
      // through the API, which sets the refresh cookie the console starts from (a copied cookie
      // would be a spent refresh token the second time, which ends the session by design).
      const times: number[] = [];
      for (let i = 0; i < REPEAT + 2; i++) {
        const context = await browser.newContext({ baseURL: api.url, viewport: { width: 1440, height: 900 } });
        const signedIn = await context.request.post('/api/v1/auth/login', { data: { login: login.login, password: login.password } });
        if (signedIn.status() !== 200) throw new Error(`sign-in: ${signedIn.status()}`);
        const tab = await context.newPage();
        await tab.goto('/queue?sort=due');
        await tab.locator('tr[data-id]').first().waitFor();
        const at = await tab.evaluate(() => performance.getEntriesByName('cur:first-list')[0]?.startTime ?? Number.NaN);
        await context.close();
        if (Number.isNaN(at)) throw new Error('the list did not set its mark');
        if (i >= 2) times.push(at); // two warm-ups: the api's first queries, the browser's first start
      }
      times.sort((a, b) => a - b);
      const tti = { p50: round(times[Math.floor(times.length / 2)]), p95: round(times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]) };
      console.log(`time to interactive, /queue on ${N} open messages: p50 ${tti.p50} ms   p95 ${tti.p95} ms   (${REPEAT} fresh tabs)`);
      console.log(JSON.stringify({ openMessages: N, repeat: REPEAT, ...sizes, timeToInteractiveMs: tti }));
    } finally {
      await browser.close();
      await users.close();
      await api.stop();
      await db.end();
    }
  } finally {
    await stopInfrastructure(infra);
  }
}

const round = (x: number) => Math.round(x);

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
