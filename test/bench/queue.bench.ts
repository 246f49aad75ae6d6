import '../../libs/platform/src/preamble';
import { Client } from 'pg';
import { migrate, openDatabase } from '../../libs/persistence/src/database';
import { getJson } from '../support/http';
import { startInfrastructure, stopInfrastructure } from '../support/infrastructure';
import { startService } from '../support/services';
import { TestUsers } from '../support/users';
import { seedOpenMessages as seed } from './seed-queue';

/**
 * `npm run bench`: the console's lists on a queue of N open messages (default 10,000) on real
 * PostgreSQL, through the api service as deployed: the operator's queue by time left, filtered
 * lists, deep pages, an agency's inbox (scoped), one message, the counters and the supervisor
 * summary. Prints p50/p95 per request; asserts nothing. The last line is one JSON object.
 */
const N = Number(process.env.BENCH_OPEN_MESSAGES ?? 10_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 40);

async function main(): Promise<void> {
  const infra = await startInfrastructure('bench_queue');
  try {
    const database = await openDatabase({ databaseUrl: infra.databaseUrl, dataDir: '' });
    await migrate(database.options, false);
    const db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    const t0 = Date.now();
    await seed(db, N);
    console.log(`seeded ${N} open messages with applicants and clocks in ${Date.now() - t0} ms`);
    const api = await startService('api', infra, { KAFKA_GROUP_PREFIX: `bench-queue-${Date.now()}`, CUR_LOG_FORMAT: 'json' });
    const users = await TestUsers.connect(infra.databaseUrl);
    try {
      const operator = await users.headers(api.url, 'operator', 'cur-rostov');
      const executor = await users.headers(api.url, 'executor', 'adm-rostov-na-donu');
      const supervisor = await users.headers(api.url, 'supervisor', 'cur-rostov');
      const url = (path: string) => `${api.url}${path}`;
      const first = (await getJson(url('/api/v1/messages?status=needs_triage,moderation&sort=due&limit=50'), operator)).body;
      let deep = first.nextCursor as string;
      for (let i = 0; i < 4; i++)
        deep = (await getJson(url(`/api/v1/messages?status=needs_triage,moderation&sort=due&limit=50&cursor=${deep}`), operator)).body.nextCursor;
      const one = first.items[0].id as string;
      const cases: [string, string, Record<string, string>][] = [
        ['operator queue, by time left, first page', '/api/v1/messages?status=needs_triage,moderation&sort=due&limit=50', operator],
        ['operator queue, 6th page (keyset cursor)', `/api/v1/messages?status=needs_triage,moderation&sort=due&limit=50&cursor=${deep}`, operator],
        ['all messages, newest first', '/api/v1/messages?limit=50', operator],
        ['filtered: territory + channel + overdue', '/api/v1/messages?territoryId=rostov-na-donu&channel=pos&overdue=true&sort=due&limit=50', operator],
        ['agency inbox (scoped), by time left', `/api/v1/messages?status=assigned,in_progress&sort=due&limit=50`, executor],
        ['one message with history', `/api/v1/messages/${one}`, operator],
        ['counters by status', '/api/v1/stats', operator],
        ['supervisor summary', '/api/v1/sla/summary', supervisor],
        ['console page', '/', {}],
      ];
      const results: Record<string, { p50: number; p95: number }> = {};
      for (const [label, path, headers] of cases) {
        for (let i = 0; i < 3; i++) await fetch(url(path), { headers }); // warm-up
        const times: number[] = [];
        for (let i = 0; i < REPEAT; i++) {
          const begin = performance.now();
          const res = await fetch(url(path), { headers });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`${label}: ${res.status}`);
          times.push(performance.now() - begin);
        }
        times.sort((a, b) => a - b);
        results[label] = { p50: round(times[Math.floor(times.length / 2)]), p95: round(times[Math.floor(times.length * 0.95)]) };
        console.log(`${label.padEnd(44)} p50 ${String(results[label].p50).padStart(6)} ms   p95 ${String(results[label].p95).padStart(6)} ms`);
      }
      console.log(JSON.stringify({ openMessages: N, repeat: REPEAT, results }));
    } finally {
      await users.close();
      await api.stop();
      await db.end();
    }
  } finally {
    await stopInfrastructure(infra);
  }
}

const round = (x: number) => Math.round(x * 10) / 10;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
