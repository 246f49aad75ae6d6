import '../../libs/platform/src/preamble';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { Client, Pool } from 'pg';
import { migrate, openDatabase } from '../../libs/persistence/src/database';
import { startInfrastructure, stopInfrastructure, Infrastructure } from '../support/infrastructure';
import { portalMessage, postJson } from '../support/http';
import { startService, ServiceProcess } from '../support/services';

/**
 * `npm run bench`: N messages through POST → routed in the database on real Kafka + PostgreSQL
 * (intake and triage as separate processes, as deployed), then the raw ceilings of this machine.
 * Prints figures; asserts nothing. The last line is one JSON object.
 */
const N = Number(process.env.BENCH_MESSAGES ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

async function main(): Promise<void> {
  const infra = await startInfrastructure('bench');
  const services: ServiceProcess[] = [];
  try {
    const database = await openDatabase({ databaseUrl: infra.databaseUrl, dataDir: '' });
    await migrate(database.options, false);
    const env = { KAFKA_GROUP_PREFIX: `bench-${Date.now()}`, CUR_LOG_FORMAT: 'json' };
    services.push(...(await Promise.all([startService('intake', infra, env), startService('triage', infra, env)])));
    const [intake] = services;

    await pipeline(intake, infra, Math.min(200, N), 'warm-up');
    // Figures from a machine shared with other work are not the machine's: the load tells which they are.
    const loadBefore = loadavg()[0];
    const result = await pipeline(intake, infra, N, 'measured');
    const loadAfter = loadavg()[0];
    const kafkaRaw = await kafkaCeiling(infra, N * 2);
    const pgRaw = await postgresCeiling(infra, N);

    const summary = {
      pipelineMsgsPerSec: round(result.perSec),
      p50Ms: round(result.p50),
      p99Ms: round(result.p99),
      kafkaRawMsgsPerSec: round(kafkaRaw),
      pgRawInsertsPerSec: round(pgRaw),
      loadAverage1m: [round(loadBefore), round(loadAfter)],
    };
    console.log(
      `pipeline: ${N} messages, ${CONCURRENCY} concurrent clients → ${summary.pipelineMsgsPerSec} msg/s, latency POST→routed row seen in the database (bench clock, polled every ${POLL_MS} ms) p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms`,
    );
    console.log(`load average (1 min) before and after the measured run: ${summary.loadAverage1m.join(' and ')} on ${availableParallelism()} cores`);
    console.log(
      `raw kafkajs produce→consume: ${summary.kafkaRawMsgsPerSec} msg/s; raw PostgreSQL single-row insert transactions: ${summary.pgRawInsertsPerSec} rows/s`,
    );
    console.log(JSON.stringify(summary));
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await stopInfrastructure(infra);
  }
}

/** How often the bench looks for routed rows (as often as it always polled): the resolution of its latencies. */
const POLL_MS = 50;

/**
 * N messages POSTed by concurrent clients while the bench watches the database for their routed
 * rows. Every instant is read from the bench's own wall clock: the POST's start, and the start of
 * the first poll whose snapshot shows the row routed (committed and visible, as a reader of the
 * database sees it; at most POLL_MS plus one query late). The services run with CUR_CLOCK_FROM, so
 * the instants they store (status_changed_at) are on another clock and are not used here.
 */
async function pipeline(intake: ServiceProcess, infra: Infrastructure, count: number, label: string) {
  const source = `bench-${label}-${randomUUID().slice(0, 8)}`;
  /** Posted and not yet seen routed: id → bench clock before its POST. */
  const waiting = new Map<string, number>();
  const latencies: number[] = [];
  let lastSeen = 0;
  let next = 0;
  const db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
  try {
    const t0 = Date.now();
    const worker = async () => {
      while (next < count) {
        const n = next++;
        const begin = Date.now();
        const res = await postJson(
          `${intake.url}/api/v1/messages`,
          portalMessage({ source, externalId: `b-${n}`, text: SAMPLE_TEXTS[n % SAMPLE_TEXTS.length] }),
        );
        if (res.status !== 201) throw new Error(`POST → ${res.status} ${JSON.stringify(res.body)}`);
        waiting.set(res.body.id, begin);
      }
    };
    const watch = async () => {
      while (latencies.length < count) {
        if (waiting.size) {
          // The snapshot is taken when the query starts: a row it shows was routed before this instant.
          const asOf = Date.now();
          const { rows } = await db.query(`SELECT id FROM message WHERE id = ANY($1::uuid[]) AND status <> 'new'`, [[...waiting.keys()]]);
          for (const { id } of rows as { id: string }[]) {
            latencies.push(asOf - waiting.get(id)!);
            waiting.delete(id);
            lastSeen = asOf;
          }
        }
        if (Date.now() - t0 > 600_000) throw new Error(`only ${latencies.length}/${count} routed after 10 minutes`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    };
    await Promise.all([Promise.all(Array.from({ length: CONCURRENCY }, worker)), watch()]);
    latencies.sort((a, b) => a - b);
    return {
      perSec: (count * 1000) / (lastSeen - t0),
      p50: latencies[Math.floor(latencies.length * 0.5)],
      p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))],
    };
  } finally {
    await db.end();
  }
}

/** kafkajs producing batches to a fresh topic and one consumer reading them back. */
async function kafkaCeiling(infra: Infrastructure, count: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const topic = `bench.raw.${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  await admin.disconnect();
  const value = JSON.stringify({
    eventId: randomUUID(),
    type: 'message.received',
    version: 1,
    occurredAt: new Date().toISOString(),
    region: '61',
    messageId: randomUUID(),
    channel: 'pos',
  });
  const consumer = kafka.consumer({ groupId: `bench-raw-${Date.now()}` });
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
  const producer = kafka.producer();
  await producer.connect();
  const t0 = Date.now();
  for (let sent = 0; sent < count; sent += 500) {
    const batch = Array.from({ length: Math.min(500, count - sent) }, (_, i) => ({ key: String(sent + i), value }));
    await producer.send({ topic, acks: -1, messages: batch });
  }
  await done;
  const perSec = (count * 1000) / (Date.now() - t0);
  await producer.disconnect();
  await consumer.disconnect();
  return perSec;
}

/** The same rows as intake writes (message + history + outbox), one transaction each, 10 connections. */
async function postgresCeiling(infra: Infrastructure, count: number): Promise<number> {
  const pool = new Pool({ connectionString: infra.databaseUrl, max: 10 });
  let next = 0;
  const t0 = Date.now();
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (next < count) {
        const n = next++;
        const id = randomUUID();
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO message (id, region, channel, source, external_id, text, importance, status, status_changed_at, created_at, received_at)
           VALUES ($1, '61', 'pos', 'bench-raw', $2, $3, 'normal', 'new', now(), now(), now())`,
          [id, `raw-${t0}-${n}`, SAMPLE_TEXTS[n % SAMPLE_TEXTS.length]],
        );
        await client.query(`INSERT INTO message_event (message_id, type, to_status, actor, at) VALUES ($1, 'received', 'new', 'bench', now())`, [id]);
        await client.query(`INSERT INTO outbox (event_id, topic, key, payload, created_at, sent_at) VALUES ($1, 'bench', $2, '{}', now(), now())`, [
          randomUUID(),
          id,
        ]);
        await client.query('COMMIT');
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  const perSec = (count * 1000) / (Date.now() - t0);
  await pool.end();
  return perSec;
}

const SAMPLE_TEXTS = [
  'На улице Петровской огромная яма на проезжей части, машины пробивают колёса.',
  'Третий день нет горячей воды в доме, управляющая компания не отвечает на звонки.',
  'Мусор во дворе не вывозят уже неделю, контейнеры переполнены.',
  'Не работает уличное освещение на всей улице, вечером темно и опасно.',
  'Автобус по маршруту 5 не ходит по расписанию, люди опаздывают на работу.',
  'В поликлинике невозможно записаться к терапевту, запись закрыта на месяц вперёд.',
];

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
