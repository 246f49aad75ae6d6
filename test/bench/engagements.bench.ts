import '../../libs/platform/src/preamble';
import 'reflect-metadata';
import { Agent, request } from 'node:http';
import { Client } from 'pg';
import { migrate, openDatabase } from '../../libs/persistence/src/database';
import { API_KEY, getJson, postJson } from '../support/http';
import { startInfrastructure, stopInfrastructure } from '../support/infrastructure';
import { ServiceProcess, startService, TEST_CLOCK_FROM } from '../support/services';
import { TestUsers } from '../support/users';
import { timed } from './measure';

/**
 * `npm run bench` (issue 14): ballots accepted per second through the API with 20 concurrent
 * clients (node:http with keep-alive, each ballot its own citizen), with the latency p50/p99; then
 * the results of an engagement of 1,000,000 ballots (written straight into the table) computed by
 * the api service: time and the service's peak RSS. Real PostgreSQL; asserts nothing. The last line
 * is one JSON object.
 */
const CLIENTS = Number(process.env.BENCH_BALLOT_CLIENTS ?? 20);
const BALLOTS = Number(process.env.BENCH_BALLOTS ?? 20_000);
const BIG = Number(process.env.BENCH_BIG_BALLOTS ?? 1_000_000);

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

/** One POST over a kept-alive connection; resolves with the status. */
function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Api-Key': API_KEY } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const percentile = (sorted: number[], p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] * 10) / 10;

async function vote(app: ServiceProcess, headers: Record<string, string>, title: string): Promise<{ id: string; options: string[] }> {
  // The service's clock starts at TEST_CLOCK_FROM (startService): the window is around it.
  const now = Date.parse(TEST_CLOCK_FROM);
  const created = await postJson(
    `${app.url}/api/v1/engagements`,
    {
      kind: 'vote',
      title,
      theme: 'budget',
      opensAt: new Date(now - 3_600_000).toISOString(),
      closesAt: new Date(now + 86_400_000).toISOString(),
      maxChoices: 2,
      options: ['Сквер', 'Площадка', 'Освещение', 'Тротуар', 'Парковка'].map((t) => ({ title: t })),
    },
    headers,
  );
  if (created.status !== 201) throw new Error(`create answered ${created.status} ${JSON.stringify(created.body)}`);
  const published = await postJson(`${app.url}/api/v1/engagements/${created.body.id}/publish`, {}, headers);
  if (published.status !== 200) throw new Error(`publish answered ${published.status} ${JSON.stringify(published.body)}`);
  return { id: created.body.id, options: created.body.options.map((o: { id: string }) => o.id) };
}

async function main(): Promise<void> {
  const infra = await startInfrastructure('bench_engagements');
  let app: ServiceProcess | undefined;
  const db = new Client({ connectionString: infra.databaseUrl });
  try {
    const database = await openDatabase({ databaseUrl: infra.databaseUrl, dataDir: '' });
    await migrate(database.options, false);
    await db.connect();
    app = await startService('api', { databaseUrl: infra.databaseUrl, kafkaBrokers: infra.kafkaBrokers }, { CUR_LOG_FORMAT: 'json', CUR_DEMO_STREAM: 'false' });
    const users = await TestUsers.connect(infra.databaseUrl);
    const organizer = await users.headers(app.url, 'organizer', 'cur-rostov');
    const supervisor = await users.headers(app.url, 'supervisor', 'cur-rostov');
    await users.close();

    // 1. Ballots through the API, CLIENTS at a time, each client sending its next as soon as the last is answered.
    const fast = await vote(app, organizer, 'Замер: приём голосов');
    const ballotsUrl = `${app.url}/api/v1/engagements/${fast.id}/ballots`;
    const first = await postJson(ballotsUrl, { citizenId: 'warm-first', optionIds: [fast.options[0]] }, { 'X-Api-Key': API_KEY });
    if (first.status !== 201) throw new Error(`a ballot answered ${first.status} ${JSON.stringify(first.body)}`);
    for (let i = 0; i < 200; i++) await post(ballotsUrl, JSON.stringify({ citizenId: `warm-${i}`, optionIds: [fast.options[i % 5]] })); // warm-up
    let next = 0;
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = next++; i < BALLOTS; i = next++) {
          const body = JSON.stringify({ citizenId: `citizen-${i}`, optionIds: [fast.options[i % 5], fast.options[(i + 1) % 5]] });
          const start = performance.now();
          const status = await post(ballotsUrl, body);
          latencies.push(performance.now() - start);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const accepted = statuses.get(201) ?? 0;
    const ballotsPerSec = Math.round(accepted / seconds);
    const latency = { p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
    console.log(
      `ballots through the API, ${CLIENTS} concurrent clients: ${accepted} of ${BALLOTS} accepted in ${Math.round(seconds * 10) / 10} s = ${ballotsPerSec}/s; latency p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );

    // 2. The results of an engagement of BIG ballots, written straight into the table.
    const big = await vote(app, organizer, 'Замер: миллион голосов');
    const w0 = performance.now();
    await db.query(
      `INSERT INTO engagement_ballot (id, engagement_id, voter_key, option_ids, cast_hour)
       SELECT gen_random_uuid(), $1, sha256(('bench-' || i)::bytea), ARRAY[($2::text[])[1 + i % 5], ($2::text[])[1 + (i + 1 + (i / 5) % 4) % 5]],
              date_trunc('hour', now()) - ((i % 72) || ' hours')::interval
       FROM generate_series(1, $3) i`,
      [big.id, big.options, BIG],
    );
    await db.query(`ANALYZE engagement_ballot`);
    console.log(`wrote ${BIG} ballots in ${Math.round(performance.now() - w0) / 1000} s`);
    const results = await timed(app, `results of ${BIG} ballots`, () => getJson(`${app!.url}/api/v1/engagements/${big.id}/results`, supervisor));
    if (results.result.status !== 200) throw new Error(`results answered ${results.result.status}`);
    console.log(`  totalBallots ${results.result.body.totalBallots}; votes ${results.result.body.options.map((o: { votes: number }) => o.votes).join(', ')}`);
    const again = await timed(app, `results of ${BIG} ballots, again`, () => getJson(`${app!.url}/api/v1/engagements/${big.id}/results`, supervisor));
    console.log(
      JSON.stringify({
        clients: CLIENTS,
        ballots: BALLOTS,
        ballotsPerSec,
        latency,
        bigBallots: BIG,
        results: {
          seconds: results.seconds,
          secondsAgain: again.seconds,
          peakRssMb: Math.max(results.peakRssMb, again.peakRssMb),
          rssBeforeMb: results.rssBeforeMb,
        },
      }),
    );
  } finally {
    agent.destroy();
    await db.end().catch(() => undefined);
    await app?.stop();
    await stopInfrastructure(infra);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
