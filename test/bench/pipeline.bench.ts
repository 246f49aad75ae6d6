import '../../libs/platform/src/preamble';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, get, request } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client, Pool, PoolClient } from 'pg';
import { timeOrderedId } from '../../libs/domain/src/ids/time-ordered-id';
import { migrate, openDatabase } from '../../libs/persistence/src/database';
import { API_KEY, portalMessage } from '../support/http';
import { Infrastructure, startInfrastructure, stopInfrastructure } from '../support/infrastructure';
import { ServiceProcess, startService } from '../support/services';
import { ROOT } from '../support/root';
import { cpuSeconds, machineCpu, machineTicks } from './measure';

/**
 * `npm run bench:pipeline` (issue 15): messages POST → routed on real Kafka + PostgreSQL, intake and
 * triage as separate processes (as deployed). Phase 1 saturates intake with keep-alive clients;
 * phase 2 offers a fixed rate, open loop. Then, with the services stopped, the raw ceilings of this
 * machine: kafkajs produce→consume and PostgreSQL inserting the rows intake writes, one message per
 * transaction and 500 per transaction. Prints figures; asserts nothing. The last line is one JSON object.
 *
 * Every instant is read from one clock, the bench's `performance.now()`. The services run with a
 * shifted clock (CUR_CLOCK_FROM), so the instants they store are never compared with it.
 */
const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
/** Messages per request in the batched phases (POST /api/v1/messages:batch); the single phase sends one per request. */
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const BATCH_CONCURRENCY = Number(process.env.BENCH_BATCH_CONCURRENCY ?? 8);
const N_SINGLE = Number(process.env.BENCH_SINGLE_MESSAGES ?? 5_000);
/** Messages per request at the fixed rate: one request every FIXED_BATCH / RATE seconds. */
const FIXED_BATCH = Number(process.env.BENCH_FIXED_BATCH ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const FIXED_SECONDS = Number(process.env.BENCH_FIXED_SECONDS ?? 20);
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 10_000);
/** Seconds at the fixed rate after the saturated warm-up: its small batches run other code (see below). */
const WARM_UP_FIXED_SECONDS = Number(process.env.BENCH_WARM_UP_FIXED_SECONDS ?? 30);
const KAFKA_RAW_MESSAGES = Number(process.env.BENCH_KAFKA_MESSAGES ?? 100_000);
const PG_RAW_ROWS = Number(process.env.BENCH_PG_ROWS ?? 20_000);
/** Item 5 of issue 15: intake decides in its own transaction (CUR_TRIAGE_IN_INTAKE); triage runs too and skips those. */
const TRIAGE_IN_INTAKE = process.env.BENCH_TRIAGE_IN_INTAKE === '1';
/** Node options for the services, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where their time goes. */
const SERVICE_NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
/**
 * Intake and triage processes to run. Several intakes share the load as behind a load balancer: the
 * client sends each request to the next in turn. Several triages share the topic's partitions in
 * their consumer group.
 */
const INTAKES = Number(process.env.BENCH_INTAKES ?? 1);
const TRIAGES = Number(process.env.BENCH_TRIAGES ?? 1);

/** How often the watch reads the history for decisions: the resolution of every latency below. */
const POLL_MS = 10;
/** A message of the fixed-rate phase put on the wire later than this after its time counts as late. */
const LATE_MS = 5;
/** An id range of the history missing for this long is taken as rolled back (no pipeline transaction runs a minute). */
const GAP_MS = 60_000;
/** Without a single new decision seen for this long, the pipeline is taken as stuck. */
const STALL_MS = 120_000;

async function main(): Promise<void> {
  const infra = await startInfrastructure('bench');
  const services: ServiceProcess[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const db = new Client({ connectionString: infra.databaseUrl });
  let watch: RoutedWatch | undefined;
  try {
    const database = await openDatabase({ databaseUrl: infra.databaseUrl, dataDir: '' });
    await migrate(database.options, false);
    // The services' settings (`CUR_…`) given to the bench go to them: a setting is measured without
    // editing the bench. Not those the bench decides itself (triage in intake: `BENCH_TRIAGE_IN_INTAKE`,
    // which also decides which service starts first) or the test harness does (migrations, the clock).
    const own = new Set(['CUR_TRIAGE_IN_INTAKE', 'CUR_RUN_MIGRATIONS', 'CUR_CLOCK_FROM']);
    const settings = Object.entries(process.env).filter(
      (e): e is [string, string] => e[0].startsWith('CUR_') && !e[0].startsWith('CUR_TEST_') && !own.has(e[0]) && e[1] !== undefined,
    );
    const env = { KAFKA_GROUP_PREFIX: `bench-${Date.now()}`, CUR_LOG_FORMAT: 'json', ...Object.fromEntries(settings) };
    // The outbox relay runs in the process that starts first (it takes the relay lock; the other
    // stands by). In the split, intake: triage's one event loop then decides instead of publishing
    // (measured: saturation p50 1.5–2.1 s against 3.5–3.9 s with the relay in triage). With triage
    // in intake, triage first: it trains the bootstrap models that intake reads, and intake, the
    // busier process there, is left without the relay.
    const startIntake = () => startService('intake', infra, { ...env, ...(TRIAGE_IN_INTAKE ? { CUR_TRIAGE_IN_INTAKE: 'true' } : {}) }, SERVICE_NODE_ARGS);
    const startTriage = () => startService('triage', infra, env, SERVICE_NODE_ARGS);
    const started = async (count: number, start: () => Promise<ServiceProcess>) => {
      const out: ServiceProcess[] = [];
      for (let i = 0; i < count; i++) out.push(await start());
      return out;
    };
    let intakes: ServiceProcess[];
    let triages: ServiceProcess[];
    if (TRIAGE_IN_INTAKE) {
      triages = await started(TRIAGES, startTriage);
      intakes = await started(INTAKES, startIntake);
    } else {
      intakes = await started(INTAKES, startIntake);
      triages = await started(TRIAGES, startTriage);
    }
    services.push(...intakes, ...triages);
    await db.connect();
    const watcher = new RoutedWatch(db);
    watch = watcher;
    const client = new MessageClient(
      agent,
      intakes.map((s) => s.url),
    );
    const series = new Series(watcher, client, services);

    const warm = await saturation(client, watcher, WARM_UP, source('warm-up'), BATCH, BATCH_CONCURRENCY);
    console.log(`warm-up: ${warm.accepted} messages, ${round(warm.perSec)} msg/s`);
    // Then the fixed rate's traffic, whose small produce requests and fetches are code the saturated
    // warm-up left cold: after it alone, the Kafka broker's C2 compiler threads took 0.24 cores in
    // 8 s from the fixed rate's third second, 0.12 in the next 8 and 0.06 in the 8 after (its
    // threads' CPU), more than the broker's request handling. A broker that has run for a day has
    // compiled it.
    if (WARM_UP_FIXED_SECONDS > 0) {
      const warmFixed = await fixedRate(client, watcher, source('warm-up-fixed'), WARM_UP_FIXED_SECONDS);
      console.log(`warm-up at ${RATE} msg/s: ${warmFixed.accepted} messages in ${WARM_UP_FIXED_SECONDS} s, p99 ${round(warmFixed.p99)} ms`);
    }
    // The statistics a running database has: autovacuum analyzes a table within a minute of its
    // first rows, but this one is minutes old. Without them PostgreSQL takes any value as 0.5% of a
    // table, and reading the clocks of a batch's 30–500 messages by message id became a scan of the
    // whole clock table, on every batch (seen: 322 scans, 6.3 million rows read in one run).
    await db.query('ANALYZE');
    watcher.resetCounters();

    // Figures from a machine shared with other work are not the machine's: the load tells which they are.
    const loadBefore = loadavg()[0];
    const broker = kafkaBrokerPid(infra);
    const processes = async () => ({
      intake: intakes.map((s) => s.process.pid!),
      triage: triages.map((s) => s.process.pid!),
      bench: [process.pid],
      ...(await watcher.backends()),
      ...(broker ? { 'the Kafka broker': [broker] } : {}),
    });
    const published0 = await series.publishedWhenDrained();
    const cpu = await CpuMeter.start(processes);
    const saturated = await series.during('saturation', () => saturation(client, watcher, N, source('saturation'), BATCH, BATCH_CONCURRENCY));
    const cpuShare = await cpu.shares(saturated.accepted);
    // Kafka records a message makes: the events the relay published for the saturation's messages.
    const recordsPerMessage = ((await series.publishedWhenDrained()) - published0) / saturated.accepted;
    const polling = watcher.report();
    watcher.resetCounters();
    const single = await series.during('one per request', () => saturation(client, watcher, N_SINGLE, source('single'), 1, CONCURRENCY));
    watcher.resetCounters();
    const fixedCpu = await CpuMeter.start(processes);
    const fixed = await series.during(`at ${RATE} msg/s`, () => fixedRate(client, watcher, source('fixed')));
    const fixedCpuShare = await fixedCpu.shares(fixed.accepted);
    const loadAfter = loadavg()[0];
    // The ceilings below run on a quiet machine: no services, no polling.
    await watcher.stop();
    await Promise.all(services.map((s) => s.stop()));

    const kafkaRaw = await kafkaCeiling(infra, KAFKA_RAW_MESSAGES);
    const pgRaw = await postgresSingleRows(infra.databaseUrl, PG_RAW_ROWS);
    const { result: pgBatched, cpuSeconds: pgBatchedCpu } = await machineCpu(() => postgresBatched(infra.databaseUrl, PG_RAW_ROWS));
    const budget = aimBudget({
      recordsPerMessage,
      kafka: kafkaRaw,
      postgresMicros: (pgBatchedCpu * 1e6) / PG_RAW_ROWS,
      measuringMicros: (cpuShare.groupMicros.bench ?? 0) + (cpuShare.groupMicros["the watch's backend"] ?? 0),
      servicesMicros: (cpuShare.groupMicros.intake ?? 0) + (cpuShare.groupMicros.triage ?? 0),
    });

    const summary = {
      pipelineMsgsPerSec: round(saturated.perSec),
      p50Ms: round(saturated.p50),
      p99Ms: round(saturated.p99),
      at1000: { p50Ms: round(fixed.p50), p99Ms: round(fixed.p99), sent: fixed.sent, late: fixed.late },
      intakeMsgsPerSec: round(saturated.intakePerSec),
      onePerRequest: {
        pipelineMsgsPerSec: round(single.perSec),
        intakeMsgsPerSec: round(single.intakePerSec),
        p50Ms: round(single.p50),
        p99Ms: round(single.p99),
      },
      kafkaRawMsgsPerSec: round(kafkaRaw.perSec),
      pgRawInsertsPerSec: round(pgRaw),
      pgRawBatchedInsertsPerSec: round(pgBatched),
      cpuMicrosPerMessage: { saturation: cpuShare.microsPerMessage, at1000: fixedCpuShare.microsPerMessage },
      machineBusyPercent: { saturation: cpuShare.machineBusy, at1000: fixedCpuShare.machineBusy },
      loadAverage1m: [round(loadBefore), round(loadAfter)],
      triageInIntake: TRIAGE_IN_INTAKE,
      aimBudget: budget.figures,
    };
    console.log(
      `saturation: ${saturated.accepted} of ${N} messages accepted (request statuses ${saturated.statuses}) in POST /api/v1/messages:batch requests of ${BATCH} from ${BATCH_CONCURRENCY} keep-alive connections → intake ${summary.intakeMsgsPerSec} msg/s (until the last 201), pipeline ${summary.pipelineMsgsPerSec} msg/s (until the last seen routed); latency POST start → seen routed p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, max ${round(saturated.max)} ms`,
    );
    console.log(`  CPU during saturation, in cores of ${availableParallelism()}: ${cpuShare.text}`);
    console.log(
      `one message per request: ${single.accepted} of ${N_SINGLE} accepted (statuses ${single.statuses}) from ${CONCURRENCY} keep-alive connections → intake ${summary.onePerRequest.intakeMsgsPerSec} msg/s, pipeline ${summary.onePerRequest.pipelineMsgsPerSec} msg/s; latency p50 ${summary.onePerRequest.p50Ms} ms, p99 ${summary.onePerRequest.p99Ms} ms`,
    );
    console.log(
      `at ${RATE} msg/s for ${FIXED_SECONDS} s in requests of ${FIXED_BATCH}, open loop (each request sent when its last message is due, whatever is outstanding, at most ${CONCURRENCY} outstanding; latency from each message's own due instant, so it includes the wait for its request): ${fixed.sent} sent, ${fixed.late} late by more than ${LATE_MS} ms (at most ${round(fixed.maxLag)} ms), ${fixed.accepted} accepted (statuses ${fixed.statuses}); latency scheduled send → seen routed p50 ${summary.at1000.p50Ms} ms, p99 ${summary.at1000.p99Ms} ms, max ${round(fixed.max)} ms; of it, due → stored (201) p50 ${round(fixed.stages.stored.p50)} / p99 ${round(fixed.stages.stored.p99)} ms`,
    );
    console.log(`  CPU at ${RATE} msg/s, in cores of ${availableParallelism()}: ${fixedCpuShare.text}`);
    console.log(
      `routed seen by ${RoutedWatch.HOW}; during saturation: ${polling}. Not a kafkajs consumer of the routed and needs-triage topics: it sees the outbox relay's publish, not the decision, and adds the relay's delay and backlog to every latency.`,
    );
    console.log(`load average (1 min) before saturation and after the fixed rate: ${summary.loadAverage1m.join(' and ')} on ${availableParallelism()} cores`);
    console.log(
      `raw kafkajs produce→consume: ${summary.kafkaRawMsgsPerSec} msg/s (${KAFKA_RAW_MESSAGES} messages); raw PostgreSQL, the rows intake writes for a message (message, history, 2 outbox events, report fact), ${PG_RAW_ROWS} messages: one per transaction on 10 connections ${summary.pgRawInsertsPerSec}/s, ${BATCH_ROWS} per transaction (one INSERT per table) on ${BATCH_CONNECTIONS} connections ${summary.pgRawBatchedInsertsPerSec}/s`,
    );
    console.log(budget.text);
    console.log(JSON.stringify(summary));
  } finally {
    await watch?.stop();
    agent.destroy();
    await db.end().catch(() => undefined);
    await Promise.all(services.map((s) => s.stop()));
    await stopInfrastructure(infra);
  }
}

function source(label: string): string {
  return `bench-${label}-${randomUUID().slice(0, 8)}`;
}

interface Answer {
  status: number;
  /** The stored message's id, from a 201. */
  id?: string;
}

/** Messages POSTed to intake on kept-alive connections; counts what it answers. */
class MessageClient {
  /** Each intake's single and batch URLs; requests go to each in turn. */
  private readonly urls: { one: URL; batch: URL }[];
  private next = 0;
  /** Answers by status, or by error code when the connection failed, for the phase running now. */
  private statuses = new Map<string, number>();
  /** 201s of the phase running now. */
  accepted = 0;

  constructor(
    private readonly agent: Agent,
    intakeUrls: string[],
  ) {
    this.urls = intakeUrls.map((url) => ({ one: new URL('/api/v1/messages', url), batch: new URL('/api/v1/messages:batch', url) }));
  }

  private intake(): { one: URL; batch: URL } {
    return this.urls[this.next++ % this.urls.length];
  }

  /** One message alone, or several as one batch request: the ids of those stored, in order (undefined for one refused). */
  async send(bodies: string[]): Promise<(string | undefined)[]> {
    if (bodies.length === 1) return [(await this.post(bodies[0])).id];
    const { status, text } = await this.request(this.intake().batch, `{"messages":[${bodies.join(',')}]}`);
    if (status !== 200) return bodies.map(() => undefined);
    const ids = [...text.matchAll(/"index":(\d+),"status":201,"id":"([^"]+)"/g)];
    const byIndex = new Map(ids.map((m) => [Number(m[1]), m[2]]));
    this.accepted += byIndex.size;
    return bodies.map((_, i) => byIndex.get(i));
  }

  private request(url: URL, body: string, retry = true): Promise<{ status: number; text: string }> {
    return new Promise((resolve) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Api-Key': API_KEY },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            this.count(String(res.statusCode ?? 0));
            resolve({ status: res.statusCode ?? 0, text });
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed as idle just as this request took it: the
        // request never reached intake, so it is sent again (Node's documented remedy), once.
        // Both counted, the retry and a failure with the connection it was on, so that a reset is told apart
        // (a request sent again is counted twice: the retry, then its answer).
        if (retry && req.reusedSocket && error.code === 'ECONNRESET') {
          this.count('sent again after ECONNRESET on a kept-alive connection');
          return resolve(this.request(url, body, false));
        }
        this.count(`${error.code ?? error.message} on a ${req.reusedSocket ? 'kept-alive' : 'new'} connection${retry ? '' : ', sent again'}`);
        resolve({ status: 0, text: '' });
      });
      req.end(body);
    });
  }

  /** One message: its status, and its id when stored (the id is all the bench reads of the answer). */
  async post(body: string): Promise<Answer> {
    const { status, text } = await this.request(this.intake().one, body);
    const id = status === 201 ? /"id":"([^"]+)"/.exec(text)?.[1] : undefined;
    if (id) this.accepted++;
    return { status, id };
  }

  private count(outcome: string): void {
    this.statuses.set(outcome, (this.statuses.get(outcome) ?? 0) + 1);
  }

  /** Starts a phase's counts. */
  reset(): void {
    this.statuses = new Map();
    this.accepted = 0;
  }

  /** The phase's answers by status, as text. */
  answered(): string {
    return JSON.stringify(Object.fromEntries(this.statuses));
  }
}

function body(source: string, n: number): string {
  return JSON.stringify(portalMessage({ source, externalId: `b-${n}`, text: SAMPLE_TEXTS[n % SAMPLE_TEXTS.length] }));
}

/**
 * Phase 1: `count` messages posted by CONCURRENCY connections, each sending its next as soon as
 * the last is answered. Throughput runs from the start to the last message seen routed; latency
 * from a POST's start to its message seen routed.
 */
async function saturation(client: MessageClient, watch: RoutedWatch, count: number, source: string, perRequest: number, connections: number) {
  client.reset();
  const began = new Map<string, number>();
  let next = 0;
  let lastAccepted = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < count) {
        const from = next;
        next = Math.min(count, next + perRequest);
        const bodies = Array.from({ length: next - from }, (_, i) => body(source, from + i));
        const start = performance.now();
        const ids = await client.send(bodies);
        for (const id of ids) if (id) began.set(id, start);
        if (ids.some(Boolean)) lastAccepted = performance.now();
      }
    }),
  );
  const statuses = client.answered();
  const latencies = await watch.routed(began, source);
  return {
    ...stats(latencies, began, watch, t0),
    statuses,
    intakePerSec: (began.size * 1000) / (lastAccepted - t0),
  };
}

/**
 * Phase 2: RATE × FIXED_SECONDS messages, message i scheduled at start + i/RATE and sent when due
 * whether or not earlier ones are answered (an open loop: a slow answer does not slow the offer),
 * unless CONCURRENCY are outstanding. Latency runs from the scheduled instant, so a message sent
 * late carries its lateness.
 */
async function fixedRate(client: MessageClient, watch: RoutedWatch, source: string, seconds = FIXED_SECONDS) {
  client.reset();
  const total = Math.round(RATE * seconds);
  const scheduled = new Map<string, number>();
  /** Message id → from its due instant to its request's 201. */
  const stored = new Map<string, number>();
  const answers: Promise<void>[] = [];
  let sent = 0;
  let outstanding = 0;
  let late = 0;
  let maxLag = 0;
  const t0 = performance.now();
  const due = (i: number) => t0 + (i * 1000) / RATE;
  while (sent < total) {
    // A request goes when its last message is due; each message's latency counts from its own due instant.
    for (let last = Math.min(total, sent + FIXED_BATCH) - 1; sent < total && outstanding < CONCURRENCY && due(last) <= performance.now();) {
      const from = sent;
      const bodies = Array.from({ length: last - from + 1 }, (_, i) => body(source, from + i));
      const lag = performance.now() - due(last);
      if (lag > LATE_MS) late += bodies.length;
      maxLag = Math.max(maxLag, lag);
      outstanding++;
      sent = last + 1;
      last = Math.min(total, sent + FIXED_BATCH) - 1;
      answers.push(
        client.send(bodies).then((ids) => {
          outstanding--;
          const answered = performance.now();
          ids.forEach((id, i) => {
            if (!id) return;
            scheduled.set(id, due(from + i));
            stored.set(id, answered - due(from + i));
          });
        }),
      );
    }
    await sleep(1);
  }
  await Promise.all(answers);
  const statuses = client.answered();
  const latencies = await watch.routed(scheduled, source);
  const toStored = [...stored.values()].sort((a, b) => a - b);
  const storedAt = (p: number) => toStored[Math.min(toStored.length - 1, Math.floor(toStored.length * p))];
  return {
    ...stats(latencies, scheduled, watch, t0),
    statuses,
    sent,
    late,
    maxLag,
    stages: { stored: { p50: storedAt(0.5), p99: storedAt(0.99) } },
  };
}

function stats(latencies: number[], started: Map<string, number>, watch: RoutedWatch, t0: number) {
  const lastRouted = [...started.keys()].reduce((last, id) => Math.max(last, watch.seenAt.get(id)!), 0);
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return {
    accepted: started.size,
    perSec: (started.size * 1000) / (lastRouted - t0),
    p50: at(0.5),
    p99: at(0.99),
    max: latencies[latencies.length - 1],
  };
}

/**
 * Sees triage's decisions: every POLL_MS one query reads the history rows (message_event) written
 * since the last poll, by id; a row moving a message out of 'new' is the decision, written in the
 * transaction that changes the message's status, so it becomes visible with it. A message is seen
 * routed at the start of the first poll whose snapshot holds its decision: at most one poll interval
 * plus one round trip after its commit.
 *
 * Ids are handed out when rows are inserted, not when they commit, so an id below the highest read
 * can still appear (a transaction in flight) or never (rolled back). Those ids are kept as gaps and
 * looked up again by range on each poll; a poll then costs one index descent per gap and the rows
 * new since the last one, however many messages are waiting. (The message table has no index by
 * source and status_changed_at: a poll there would read every message of the run each time.)
 */
class RoutedWatch {
  static readonly HOW = `polling the history (message_event rows past the last id read, plus id ranges still in flight) every ${POLL_MS} ms on one connection`;
  /** Message id → bench clock at the start of the poll that first showed it routed. */
  readonly seenAt = new Map<string, number>();
  private maxId = 0;
  /** Id ranges below maxId not read yet: [first, last, bench clock when the range was found missing]. */
  private gaps: [number, number, number][] = [];
  private running = true;
  private readonly loop: Promise<void>;
  /** Why the polling stopped, if it failed: the phase waiting on it fails with it. */
  private failure: Error | undefined;
  private roundTrips: number[] = [];
  private intervals: number[] = [];
  private rowsRead = 0;
  private since = performance.now();

  constructor(private readonly db: Client) {
    this.loop = this.run().catch((error: unknown) => {
      this.failure = error instanceof Error ? error : new Error(String(error));
    });
  }

  private async run(): Promise<void> {
    // The history's statistics lag its growth (before the first autoanalyze `id > $1` is estimated
    // at a third of the table), and the planner then reads the whole table on every poll; this
    // session's queries all want the primary key (or the (source, external_id) key).
    await this.db.query('SET enable_seqscan = off');
    let previous: number | undefined;
    while (this.running) {
      const asOf = performance.now();
      // Prepared once (named): a poll then costs no parsing and planning on the server.
      const { rows } = await this.db.query<{ id: string; routed: string | null }>({
        name: 'bench-routed-since',
        text: `SELECT id, CASE WHEN to_status <> 'new' THEN message_id END AS routed FROM message_event WHERE id > $1
               UNION ALL
               SELECT e.id, CASE WHEN e.to_status <> 'new' THEN e.message_id END FROM unnest($2::bigint[], $3::bigint[]) AS g(lo, hi)
               JOIN message_event e ON e.id BETWEEN g.lo AND g.hi`,
        values: [this.maxId, this.gaps.map((g) => g[0]), this.gaps.map((g) => g[1])],
      });
      const roundTrip = performance.now() - asOf;
      this.roundTrips.push(roundTrip);
      if (previous !== undefined) this.intervals.push(asOf - previous);
      previous = asOf;
      this.rowsRead += rows.length;
      for (const { routed } of rows) if (routed && !this.seenAt.has(routed)) this.seenAt.set(routed, asOf);
      this.account(
        rows.map((r) => Number(r.id)).sort((a, b) => a - b),
        asOf,
      );
      await sleep(Math.max(0, POLL_MS - roundTrip));
    }
  }

  /**
   * The gaps left after reading `found` (sorted): the old gaps less what was found in them, and the
   * holes in the new tail. A gap older than GAP_MS is taken as rolled back and no longer looked up;
   * were it a transaction that slow after all, its messages would go unseen and the phase would
   * fail as stuck rather than report a wrong figure.
   */
  private account(found: number[], asOf: number): void {
    const gaps: [number, number, number][] = [];
    let k = 0;
    for (const [lo, hi, since] of [...this.gaps, [this.maxId + 1, Infinity, asOf] as const]) {
      let from = lo;
      for (; k < found.length && found[k] <= hi; k++) {
        if (found[k] > from) gaps.push([from, found[k] - 1, since]);
        from = found[k] + 1;
      }
      if (hi === Infinity) this.maxId = from - 1;
      else if (from <= hi) gaps.push([from, hi, since]);
    }
    this.gaps = gaps.filter(([, , since]) => asOf - since < GAP_MS);
  }

  /** Routed seen so far. */
  get count(): number {
    return this.seenAt.size;
  }

  /**
   * Waits until every message of `started` is seen routed; returns each one's latency from its
   * start. Then checks the count against the message table, the authority the watch stands in for.
   */
  async routed(started: Map<string, number>, source: string): Promise<number[]> {
    let waiting = [...started.keys()];
    let lastProgress = performance.now();
    for (;;) {
      if (this.failure) throw this.failure;
      const left = waiting.filter((id) => !this.seenAt.has(id));
      if (left.length < waiting.length) lastProgress = performance.now();
      waiting = left;
      if (!waiting.length) break;
      if (performance.now() - lastProgress > STALL_MS) {
        const table = await this.tableCount(source);
        throw new Error(
          `${waiting.length} of ${started.size} messages not seen routed for ${STALL_MS / 1000} s; the message table has ${JSON.stringify(table)}`,
        );
      }
      await sleep(100);
    }
    const table = await this.tableCount(source);
    if (table.routed !== started.size) console.log(`  note: the message table has ${JSON.stringify(table)} for ${started.size} accepted`);
    return [...started].map(([id, start]) => this.seenAt.get(id)! - start);
  }

  private async tableCount(source: string): Promise<{ stored: number; routed: number }> {
    const { rows } = await this.db.query<{ stored: number; routed: number }>(
      `SELECT count(*)::int AS stored, (count(*) FILTER (WHERE status <> 'new'))::int AS routed FROM message WHERE source = $1`,
      [source],
    );
    return rows[0];
  }

  /** The PostgreSQL backends of this database: the watch's own, and the others (the services'). */
  async backends(): Promise<{ postgres: number[]; "the watch's backend": number[] }> {
    const { rows } = await this.db.query<{ pid: number; own: boolean }>(
      `SELECT pid, pid = pg_backend_pid() AS own FROM pg_stat_activity WHERE datname = current_database()`,
    );
    return { postgres: rows.filter((r) => !r.own).map((r) => r.pid), "the watch's backend": rows.filter((r) => r.own).map((r) => r.pid) };
  }

  resetCounters(): void {
    this.roundTrips = [];
    this.intervals = [];
    this.rowsRead = 0;
    this.since = performance.now();
  }

  /** The watch's resolution (time between polls) and cost since the last reset. */
  report(): string {
    const seconds = (performance.now() - this.since) / 1000;
    const busy = this.roundTrips.reduce((a, b) => a + b, 0) / 1000;
    return (
      `${this.roundTrips.length} polls in ${round(seconds)} s, ${this.rowsRead} rows read, ${this.gaps.length} gaps open now; ` +
      `between polls p50 ${pct(this.intervals, 0.5)} ms, p99 ${pct(this.intervals, 0.99)} ms, max ${pct(this.intervals, 1)} ms; ` +
      `round trip p50 ${pct(this.roundTrips, 0.5)} ms, p99 ${pct(this.roundTrips, 0.99)} ms, busy ${round((busy / seconds) * 100)}% of the time`
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/**
 * Lines during a phase: posted (201s), routed, and from the services' /metrics (when they have it)
 * the outbox backlog and the summed consumer lag, so backlog and lag are seen moving.
 */
class Series {
  /** Services that answered /metrics with 404 are not asked again. */
  private readonly without = new Set<string>();

  constructor(
    private readonly watch: RoutedWatch,
    private readonly client: MessageClient,
    private readonly services: ServiceProcess[],
  ) {}

  async during<T>(label: string, work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    const routed0 = this.watch.count;
    let done = false;
    const printing = (async () => {
      // A line a second for the first half minute, then one every ten: a slow run stays readable.
      for (let tick = 1; !done; tick += tick < 30 ? 1 : 10) {
        await sleep(Math.max(0, t0 + tick * 1000 - performance.now()));
        if (done) break;
        const metrics = await this.scrape(['cur_outbox_pending', 'cur_kafka_consumer_lag']);
        const parts = [`${label} ${tick} s: posted ${this.client.accepted}, routed ${this.watch.count - routed0}`];
        if (metrics.has('cur_outbox_pending')) parts.push(`outbox pending ${metrics.get('cur_outbox_pending')}`);
        if (metrics.has('cur_kafka_consumer_lag')) parts.push(`consumer lag ${metrics.get('cur_kafka_consumer_lag')}`);
        console.log(`  ${parts.join(', ')}`);
      }
    })();
    try {
      return await work();
    } finally {
      done = true;
      await printing;
    }
  }

  /**
   * Events the outbox relay has published so far, once the outbox is empty (waits for it, up to a
   * minute): counted by the relay's own counter in whichever service holds the relay.
   */
  async publishedWhenDrained(): Promise<number> {
    const until = performance.now() + 60_000;
    for (;;) {
      const metrics = await this.scrape(['cur_outbox_pending', 'cur_relay_published_total']);
      const drained = metrics.get('cur_outbox_pending') === 0;
      if (!drained && performance.now() > until) console.log('  the outbox did not empty within a minute: the records a message makes are counted short');
      if (drained || performance.now() > until) return metrics.get('cur_relay_published_total') ?? NaN;
      await sleep(100);
    }
  }

  /** The metrics named, summed per name over their series; a series both services export (a database gauge) is counted once. */
  private async scrape(names: readonly string[]): Promise<Map<string, number>> {
    const series = new Map<string, number>();
    const texts = await Promise.all(this.services.filter((s) => !this.without.has(s.name)).map(async (s) => ({ s, text: await this.metricsOf(s) })));
    for (const { s, text } of texts)
      for (const m of (text ?? '').matchAll(/^(cur_[a-z_]+)(\{[^}]*\})? (\S+)$/gm)) {
        if (!names.includes(m[1])) continue;
        // A counter is each process's own; a gauge of the database or the broker is the same seen from both.
        const own = m[1].endsWith('_total') ? `@${s.process.pid}` : '';
        series.set(m[1] + (m[2] ?? '') + own, Number(m[3]));
      }
    const sums = new Map<string, number>();
    for (const [key, value] of series) {
      const name = key.replace(/[{@].*/, '');
      sums.set(name, (sums.get(name) ?? 0) + value);
    }
    return sums;
  }

  private metricsOf(service: ServiceProcess): Promise<string | undefined> {
    return new Promise((resolve) => {
      get(`${service.url}/metrics`, (res) => {
        if (res.statusCode === 404) this.without.add(service.name);
        if (res.statusCode !== 200) {
          res.resume();
          return resolve(undefined);
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
      }).on('error', () => resolve(undefined));
    });
  }
}

/**
 * CPU used from now on by groups of processes, in cores (1: one core busy all the time). The groups
 * are asked again at the end, so a process started since counts whole; one gone since is missed.
 */
class CpuMeter {
  private readonly t0 = performance.now();
  private readonly machine = machineTicks();

  private constructor(
    private readonly groups: () => Promise<Record<string, number[]>>,
    private readonly start: Map<number, number>,
  ) {}

  static async start(groups: () => Promise<Record<string, number[]>>): Promise<CpuMeter> {
    return new CpuMeter(groups, CpuMeter.used(Object.values(await groups()).flat()));
  }

  private static used(pids: number[]): Map<number, number> {
    const used = new Map<number, number>();
    for (const pid of pids) {
      try {
        used.set(pid, cpuSeconds(pid));
      } catch {
        // gone
      }
    }
    return used;
  }

  /**
   * Cores each group used since the start, then CPU time per message for `messages` messages:
   * each group's and all of them together, and how busy the whole machine was (whatever ran on it).
   */
  async shares(messages: number): Promise<{ text: string; microsPerMessage: number; machineBusy: number; groupMicros: Record<string, number> }> {
    const seconds = (performance.now() - this.t0) / 1000;
    const groups = await this.groups();
    const now = CpuMeter.used(Object.values(groups).flat());
    const machine = machineTicks();
    const used = Object.entries(groups).map(([name, pids]) => ({
      name,
      seconds: pids.reduce((sum, pid) => sum + (now.get(pid) ?? 0) - (this.start.get(pid) ?? 0), 0),
    }));
    const all = used.reduce((sum, g) => sum + g.seconds, 0);
    const micros = (cpu: number) => Math.round((cpu * 1e6) / messages);
    const machineBusy = Math.round((100 * (machine.busy - this.machine.busy)) / (machine.total - this.machine.total));
    return {
      text: `${used.map((g) => `${g.name} ${(g.seconds / seconds).toFixed(2)} (${micros(g.seconds)} µs/msg)`).join(', ')}; all of them ${(all / seconds).toFixed(2)} cores, ${micros(all)} µs a message; the machine ${machineBusy}% busy`,
      microsPerMessage: micros(all),
      machineBusy,
      groupMicros: Object.fromEntries(used.map((g) => [g.name, micros(g.seconds)])),
    };
  }
}

/** The throughput issue 15 aims at on this machine. */
const AIM_MSGS_PER_SEC = 5000;

/**
 * What the aim leaves for the services' own work: at AIM_MSGS_PER_SEC the machine's cores give
 * each message so much CPU, of which Kafka (the records a message makes, produced, and the one
 * triage consumes) and PostgreSQL's write of its rows take at least their raw runs' cost, and the
 * bench's own client and watch what they took in the saturation. Lower bounds: the raw records
 * are smaller than the pipeline's events and carry no headers, and the raw rows are fewer than a
 * message's (no clocks, one history entry, two events).
 */
function aimBudget(m: {
  recordsPerMessage: number;
  kafka: { produceMicros: number; consumeMicros: number };
  postgresMicros: number;
  measuringMicros: number;
  servicesMicros: number;
}) {
  const cores = availableParallelism();
  const perMessage = (cores * 1e6) / AIM_MSGS_PER_SEC;
  const kafka = m.recordsPerMessage * m.kafka.produceMicros + m.kafka.consumeMicros;
  const fixed = kafka + m.postgresMicros + m.measuringMicros;
  const left = perMessage - fixed;
  const figures = {
    msgsPerSec: AIM_MSGS_PER_SEC,
    microsPerMessage: Math.round(perMessage),
    recordsPerMessage: round(m.recordsPerMessage),
    kafkaProduceMicrosPerRecord: round(m.kafka.produceMicros),
    kafkaConsumeMicrosPerRecord: round(m.kafka.consumeMicros),
    kafkaMicros: Math.round(kafka),
    postgresMicros: Math.round(m.postgresMicros),
    measuringMicros: Math.round(m.measuringMicros),
    leftMicros: Math.round(left),
    servicesMicrosNow: Math.round(m.servicesMicros),
  };
  const text =
    `the aim's budget: ${AIM_MSGS_PER_SEC} msg/s on ${cores} cores gives everything on the machine ${figures.microsPerMessage} µs of CPU a message. ` +
    `At the raw runs' cost (lower bounds: smaller records without headers, fewer rows), Kafka takes ${figures.kafkaMicros} µs of it ` +
    `(${figures.recordsPerMessage} records a message produced at ${figures.kafkaProduceMicrosPerRecord} µs, client and broker, and the one triage consumes at ${figures.kafkaConsumeMicrosPerRecord} µs), ` +
    `PostgreSQL writing a message's rows ${figures.postgresMicros} µs (the machine's CPU in the batched run, client included), the bench's client and watch ${figures.measuringMicros} µs: ` +
    `${Math.round(fixed)} µs, ${Math.round((100 * fixed) / perMessage)}% of the budget. ` +
    `Left for intake's and triage's own work (HTTP, validation, classification, the decision, rows and events, the relay): ${figures.leftMicros} µs a message; ` +
    `in the saturation above they spent ${figures.servicesMicrosNow} µs (with the relay's kafkajs encoding, which Kafka's share counts too).`;
  return { figures, text };
}

/** The broker's process when the bench started it (deploy/kafka/start.sh keeps its pid), to measure its CPU too. */
function kafkaBrokerPid(infra: Infrastructure): number | undefined {
  if (!infra.startedKafkaPort) return undefined;
  const file = join(ROOT, 'deploy/kafka/run', String(infra.startedKafkaPort), 'kafka.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
}

/** The record the raw Kafka runs send: a received event as the pipeline writes it, without headers. */
function rawRecordValue(): string {
  return JSON.stringify({
    eventId: randomUUID(),
    type: 'message.received',
    version: 1,
    occurredAt: new Date().toISOString(),
    region: '61',
    messageId: randomUUID(),
    channel: 'pos',
  });
}

async function rawTopic(kafka: Kafka): Promise<string> {
  const topic = `bench.raw.${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  await admin.disconnect();
  return topic;
}

/** `count` records to `topic` in sends of 500, as the relay's batches, acks from all replicas. */
async function produceRaw(kafka: Kafka, topic: string, count: number): Promise<void> {
  const value = rawRecordValue();
  const producer = kafka.producer();
  await producer.connect();
  for (let sent = 0; sent < count; sent += 500) {
    const batch = Array.from({ length: Math.min(500, count - sent) }, (_, i) => ({ key: String(sent + i), value }));
    await producer.send({ topic, acks: -1, messages: batch });
  }
  await producer.disconnect();
}

/** One consumer reads `topic` from the beginning until `count` records came, while `whileRunning` works (e.g. produces them). */
async function consumeRaw(kafka: Kafka, topic: string, count: number, whileRunning: () => Promise<void> = () => Promise.resolve()): Promise<void> {
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let received = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: 6,
      eachMessage: () => {
        if (++received === count) resolve();
        return Promise.resolve();
      },
    });
  });
  await whileRunning();
  await done;
  await consumer.disconnect();
}

/**
 * kafkajs producing batches to a fresh topic and one consumer reading them back: records a second.
 * Then what a record costs the machine (all its processes: the client, the broker), produced
 * alone and then consumed alone, on a topic of their own: CPU µs a record.
 */
async function kafkaCeiling(infra: Infrastructure, count: number): Promise<{ perSec: number; produceMicros: number; consumeMicros: number }> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const both = await rawTopic(kafka);
  let t0 = 0;
  await consumeRaw(kafka, both, count, async () => {
    t0 = performance.now();
    await produceRaw(kafka, both, count);
  });
  const perSec = (count * 1000) / (performance.now() - t0);
  const alone = await rawTopic(kafka);
  const produced = await machineCpu(() => produceRaw(kafka, alone, count));
  const consumed = await machineCpu(() => consumeRaw(kafka, alone, count));
  return { perSec, produceMicros: (produced.cpuSeconds * 1e6) / count, consumeMicros: (consumed.cpuSeconds * 1e6) / count };
}

/**
 * What intake writes for one message at the least: its row, the history entry, two outbox events
 * (received, status changed) with the request's correlation id in their Kafka headers, a report
 * fact. Its ids are time-ordered, as the pipeline's.
 */
interface RawMessage {
  id: string;
  externalId: string;
  text: string;
  headers: string;
  events: { eventId: string; topic: string; payload: string }[];
}

function rawMessage(run: string, n: number): RawMessage {
  const id = timeOrderedId();
  const occurredAt = new Date().toISOString();
  const envelope = { version: 1, occurredAt, region: '61', messageId: id };
  return {
    id,
    externalId: `raw-${run}-${n}`,
    text: SAMPLE_TEXTS[n % SAMPLE_TEXTS.length],
    headers: JSON.stringify({ 'x-correlation-id': randomUUID() }),
    events: [
      { topic: 'cur.message.received', fields: { type: 'message.received', channel: 'pos' } },
      {
        topic: 'cur.message.events',
        fields: { type: 'message.status-changed', fromStatus: null, toStatus: 'new', actor: 'intake:bench-raw', reason: 'received' },
      },
    ].map(({ topic, fields }) => {
      const eventId = timeOrderedId();
      return { eventId, topic, payload: JSON.stringify({ eventId, ...envelope, ...fields }) };
    }),
  };
}

/** The outbox's text of messages' events: a line each, `[topic, key, headers]`, a tab, the payload (see OutboxRepository). */
function outboxLines(messages: readonly RawMessage[]): string {
  return messages.flatMap((m) => m.events.map((e) => `[${JSON.stringify(e.topic)},${JSON.stringify(m.id)},${m.headers}]\t${e.payload}`)).join('\n');
}

/** `write` run on `connections` pooled connections until `count` messages are written; messages per second. */
async function rawInserts(
  databaseUrl: string,
  connections: number,
  count: number,
  perTransaction: number,
  write: (c: PoolClient, messages: RawMessage[]) => Promise<void>,
) {
  const pool = new Pool({ connectionString: databaseUrl, max: connections });
  // An idle client's connection ended by the server (the bench database dropped at the end) must not end the bench; a query's error still fails it.
  pool.on('error', () => undefined);
  const run = randomUUID().slice(0, 8);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = await pool.connect();
      try {
        while (next < count) {
          const from = next;
          next = Math.min(count, next + perTransaction);
          const messages = Array.from({ length: next - from }, (_, i) => rawMessage(run, from + i));
          await client.query('BEGIN');
          await write(client, messages);
          await client.query('COMMIT');
        }
      } finally {
        client.release();
      }
    }),
  );
  const perSec = (count * 1000) / (performance.now() - t0);
  await pool.end();
  return perSec;
}

/** One message per transaction, a statement per table (as intake wrote before group commit), 10 connections. */
function postgresSingleRows(databaseUrl: string, count: number): Promise<number> {
  return rawInserts(databaseUrl, 10, count, 1, async (client, [m]) => {
    await client.query(
      `INSERT INTO message (id, region, channel, source, external_id, text, territory_raw, importance, status, status_changed_at, created_at, received_at)
       VALUES ($1, '61', 'pos', 'bench-raw', $2, $3, 'Таганрог', 'normal', 'new', now(), now(), now())`,
      [m.id, m.externalId, m.text],
    );
    await client.query(
      `INSERT INTO message_event (message_id, type, to_status, actor, data, at) VALUES ($1, 'received', 'new', 'intake:bench-raw', '{"channel":"pos"}', now())`,
      [m.id],
    );
    await client.query(`INSERT INTO outbox (events, event_count, created_at) VALUES ($1, $2, now())`, [outboxLines([m]), m.events.length]);
    await client.query(`INSERT INTO report_fact (message_id, kind, at, channel, open) VALUES ($1, 'received', now(), 'pos', true)`, [m.id]);
  });
}

const BATCH_ROWS = 500;
const BATCH_CONNECTIONS = 4;

/** BATCH_ROWS messages per transaction, one multi-row INSERT per table, on BATCH_CONNECTIONS connections. */
function postgresBatched(databaseUrl: string, count: number): Promise<number> {
  return rawInserts(databaseUrl, BATCH_CONNECTIONS, count, BATCH_ROWS, async (client, messages) => {
    const ids = messages.map((m) => m.id);
    await client.query(
      `INSERT INTO message (id, region, channel, source, external_id, text, territory_raw, importance, status, status_changed_at, created_at, received_at)
       SELECT id, '61', 'pos', 'bench-raw', external_id, text, 'Таганрог', 'normal', 'new', now(), now(), now()
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS r(id, external_id, text)`,
      [ids, messages.map((m) => m.externalId), messages.map((m) => m.text)],
    );
    await client.query(
      `INSERT INTO message_event (message_id, type, to_status, actor, data, at)
       SELECT id, 'received', 'new', 'intake:bench-raw', '{"channel":"pos"}', now() FROM unnest($1::uuid[]) AS r(id)`,
      [ids],
    );
    // One outbox row per 1,000 events, as OutboxRepository writes them (500 messages, two events each).
    for (let i = 0; i < messages.length; i += 500) {
      const chunk = messages.slice(i, i + 500);
      await client.query(`INSERT INTO outbox (events, event_count, created_at) VALUES ($1, $2, now())`, [
        outboxLines(chunk),
        chunk.reduce((n, m) => n + m.events.length, 0),
      ]);
    }
    await client.query(
      `INSERT INTO report_fact (message_id, kind, at, channel, open) SELECT id, 'received', now(), 'pos', true FROM unnest($1::uuid[]) AS r(id)`,
      [ids],
    );
  });
}

const SAMPLE_TEXTS = [
  'На улице Петровской огромная яма на проезжей части, машины пробивают колёса.',
  'Третий день нет горячей воды в доме, управляющая компания не отвечает на звонки.',
  'Мусор во дворе не вывозят уже неделю, контейнеры переполнены.',
  'Не работает уличное освещение на всей улице, вечером темно и опасно.',
  'Автобус по маршруту 5 не ходит по расписанию, люди опаздывают на работу.',
  'В поликлинике невозможно записаться к терапевту, запись закрыта на месяц вперёд.',
];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
