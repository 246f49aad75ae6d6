import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { portalMessage, postJson } from './support/http';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { KafkaEvents, topicOffsets } from './support/kafka-events';
import { ROOT } from './support/root';

/**
 * The pipeline's guarantees at speed, on real Kafka and PostgreSQL: a service killed (SIGKILL, no
 * shutdown hooks) or the broker stopped in the middle of a stream loses nothing and does nothing
 * twice; a poison record inside a batch goes alone to the dead letters.
 */
const DECISION_TOPICS = ['cur.message.received', 'cur.message.routed', 'cur.message.needs-triage'];

describe('guarantees at speed', () => {
  let infra: Infrastructure;
  let db: Client;

  beforeAll(async () => {
    infra = readInfrastructure();
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
  });

  /**
   * Every message of the source decided by triage once: one decision in its history; and, once the
   * relay has published them all, one received and one decision event of it in Kafka (by event id:
   * a record published again after a crash is the same event, which consumers skip).
   */
  async function expectEachDecidedOnce(
    source: string,
    total: number,
    brokers = infra.kafkaBrokers,
    services: readonly (ServiceProcess | undefined)[] = [],
  ): Promise<void> {
    try {
      await expectEventually(async () => expect(await count(source, `status IN ('assigned', 'needs_triage')`)).toBe(total), 180_000, 500);
    } catch (error) {
      // A stream that stopped: what the services last warned of, and where the messages stand.
      const { rows } = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM message WHERE source = $1 GROUP BY status`, [
        source,
      ]);
      const pending = (await db.query<{ n: number }>(`SELECT coalesce(sum(event_count), 0)::int AS n FROM outbox`)).rows[0].n;
      const problems = services.filter((s): s is ServiceProcess => s !== undefined).map((s) => `--- ${s.name}, last warnings and errors:\n${s.problems()}`);
      throw new Error(`${(error as Error).message}\nmessages by status: ${JSON.stringify(rows)}; outbox events pending: ${pending}\n${problems.join('\n')}`, {
        cause: error,
      });
    }
    const { rows } = await db.query(
      `SELECT
         (SELECT count(*)::int FROM message WHERE source = $1) AS messages,
         (SELECT count(*)::int FROM message_event e JOIN message m ON m.id = e.message_id WHERE m.source = $1 AND e.type IN ('routed', 'needs-triage')) AS decisions,
         (SELECT count(*)::int FROM message_event e JOIN message m ON m.id = e.message_id WHERE m.source = $1 AND e.type = 'received') AS received`,
      [source],
    );
    expect(rows[0]).toEqual({ messages: total, decisions: total, received: total });
    const events = await KafkaEvents.start(brokers, DECISION_TOPICS);
    try {
      await events.afterRelay(db, `key IN (SELECT id::text FROM message WHERE source = $1)`, [source], 60_000);
      const ids = new Set((await db.query<{ id: string }>(`SELECT id FROM message WHERE source = $1`, [source])).rows.map((r) => r.id));
      const received = new Map<string, Set<string>>();
      const decided = new Map<string, Set<string>>();
      for (const e of events.seen) {
        if (!ids.has(e.key)) continue;
        const into = e.topic === 'cur.message.received' ? received : decided;
        into.set(e.key, (into.get(e.key) ?? new Set()).add(e.value.eventId));
      }
      // How many messages have 0, 1, 2… distinct events: all of them exactly one.
      const histogram = (events: Map<string, Set<string>>) => {
        const counts: Record<number, number> = {};
        for (const id of ids) counts[events.get(id)?.size ?? 0] = (counts[events.get(id)?.size ?? 0] ?? 0) + 1;
        return counts;
      };
      expect({ received: histogram(received), decided: histogram(decided) }).toEqual({ received: { 1: total }, decided: { 1: total } });
    } finally {
      await events.stop();
    }
  }

  async function count(source: string, where: string): Promise<number> {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM message WHERE source = $1 AND ${where}`, [source]);
    return rows[0].n;
  }

  describe('triage killed in the middle of 10,000 messages', () => {
    const env = { KAFKA_GROUP_PREFIX: `crash-triage-${Date.now()}` };
    const source = `crash-triage-${Date.now()}`;
    let intake: ServiceProcess;
    let triage: ServiceProcess | undefined;

    beforeAll(async () => {
      [intake, triage] = await Promise.all([startService('intake', infra, env), startService('triage', infra, env)]);
    });

    afterAll(async () => {
      await Promise.all([intake?.stop(), triage?.stop()]);
    });

    it('routes every message exactly once across a kill -9 and a restart', async () => {
      const total = 10_000;
      const perRequest = 100;
      let next = 0;
      const worker = async () => {
        while (next < total) {
          const from = next;
          next += perRequest;
          const messages = Array.from({ length: perRequest }, (_, i) => portalMessage({ source, externalId: `m-${from + i}` }));
          const res = await postJson(`${intake.url}/api/v1/messages:batch`, { messages });
          if (res.status !== 200 || res.body.created !== perRequest)
            throw new Error(`batch at ${from} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        }
      };
      const posting = Promise.all(Array.from({ length: 4 }, worker));
      // Killed once triage has decided some but far from all: its batches in flight are cut off mid-transaction.
      await expectEventually(async () => expect(await count(source, `status <> 'new'`)).toBeGreaterThanOrEqual(1_000), 120_000, 50);
      await triage!.kill();
      await posting;
      expect(await count(source, `status <> 'new'`)).toBeLessThan(total); // the kill really interrupted the stream

      triage = await startService('triage', infra, env);
      await expectEachDecidedOnce(source, total, infra.kafkaBrokers, [intake, triage]);
    });
  });

  describe('intake killed mid-stream', () => {
    const env = { KAFKA_GROUP_PREFIX: `crash-intake-${Date.now()}` };
    const source = `crash-intake-${Date.now()}`;
    let intake: ServiceProcess | undefined;
    let triage: ServiceProcess;

    beforeAll(async () => {
      [intake, triage] = await Promise.all([startService('intake', infra, env), startService('triage', infra, env)]);
    });

    afterAll(async () => {
      await Promise.all([intake?.stop(), triage?.stop()]);
    });

    it('routes every message answered 201 once; the unanswered ones, sent again, once too', async () => {
      const total = 4_000;
      const acknowledged = new Map<string, string>();
      const unanswered: number[] = [];
      let next = 0;
      let killed: Promise<void> | undefined;
      const worker = async () => {
        while (next < total) {
          const n = next++;
          if (n === 1_500) killed = intake!.kill();
          try {
            const res = await postJson(`${intake!.url}/api/v1/messages`, portalMessage({ source, externalId: `m-${n}` }));
            if (res.status !== 201) throw new Error(`POST ${n} → ${res.status}`);
            acknowledged.set(`m-${n}`, res.body.id);
          } catch (error) {
            // The connection was cut (or refused) by the kill: the client does not know, and sends it again later.
            if (!killed) throw error;
            unanswered.push(n);
          }
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      await killed;
      expect(unanswered.length).toBeGreaterThan(0); // the kill really cut requests off

      // Every 201 was stored before it was sent.
      const stored = await db.query(`SELECT external_id, id::text FROM message WHERE source = $1`, [source]);
      const byExternalId = new Map(stored.rows.map((r: { external_id: string; id: string }) => [r.external_id, r.id]));
      for (const [externalId, id] of acknowledged) expect(byExternalId.get(externalId)).toBe(id);

      intake = await startService('intake', infra, env);
      for (const n of unanswered) {
        const res = await postJson(`${intake.url}/api/v1/messages`, portalMessage({ source, externalId: `m-${n}` }));
        // 200: it was stored before the kill cut its answer off; then it is the same message.
        expect([200, 201]).toContain(res.status);
        if (res.status === 200) expect(res.body.id).toBe(byExternalId.get(`m-${n}`));
      }
      await expectEachDecidedOnce(source, total, infra.kafkaBrokers, [intake, triage]);
    });
  });

  describe('the Kafka broker stopped and started mid-stream', () => {
    // A broker of this test's own, restarted on the data it keeps (the shared one serves the other tests).
    const port = Number(process.env.CUR_TEST_KAFKA_PORT ?? 19092) + 10;
    const kafkaEnv = { ...process.env, KAFKA_PORT: String(port), KAFKA_KEEP_DATA: '1' };
    const script = (name: string) => join(ROOT, 'deploy/kafka', name);
    const run = (name: string, env: NodeJS.ProcessEnv) => promisify(execFile)('bash', [script(name)], { env, timeout: 120_000 });
    const env = { KAFKA_GROUP_PREFIX: `restart-${Date.now()}` };
    const source = `broker-restart-${Date.now()}`;
    let intake: ServiceProcess;
    let triage: ServiceProcess;

    beforeAll(async () => {
      await run('start.sh', { ...process.env, KAFKA_PORT: String(port) });
      const own = { ...infra, kafkaBrokers: `127.0.0.1:${port}` };
      [intake, triage] = await Promise.all([startService('intake', own, env), startService('triage', own, env)]);
    });

    afterAll(async () => {
      await Promise.all([intake?.stop(), triage?.stop()]);
      await run('stop.sh', { ...process.env, KAFKA_PORT: String(port) });
    });

    it('loses no message while the broker is down, and routes each once when it is back', async () => {
      const total = 3_000;
      let next = 0;
      let outage: Promise<unknown> | undefined;
      const worker = async () => {
        while (next < total) {
          const n = next++;
          // Intake stores and answers without the broker; the relay keeps the events until it is back.
          if (n === 1_000) outage = run('stop.sh', kafkaEnv).then(() => run('start.sh', kafkaEnv));
          const res = await postJson(`${intake.url}/api/v1/messages`, portalMessage({ source, externalId: `m-${n}` }));
          if (res.status !== 201) throw new Error(`POST ${n} → ${res.status}`);
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      const { stdout } = (await outage) as { stdout: string };
      expect(stdout).toContain('restarts with its data'); // the same broker came back, not a fresh one
      await expectEachDecidedOnce(source, total, `127.0.0.1:${port}`, [intake, triage]);
    });
  });

  describe('a poison record inside a batch', () => {
    const env = { KAFKA_GROUP_PREFIX: `poison-${Date.now()}`, CUR_MAX_DELIVERY_ATTEMPTS: '3', CUR_RETRY_BACKOFF_MS: '50' };
    const source = `poison-${Date.now()}`;
    let intake: ServiceProcess;
    let triage: ServiceProcess | undefined;

    beforeAll(async () => {
      intake = await startService('intake', infra, env);
    });

    afterAll(async () => {
      await Promise.all([intake?.stop(), triage?.stop()]);
    });

    it('dead-letters the poison records alone and triages the rest of their batch', async () => {
      const topic = 'cur.message.received';
      const kafka = new Kafka({ clientId: 'poison-test', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      // The topic holds every earlier test's events: this test's consumer group starts after them, at the end of each partition.
      await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
      const ends = await topicOffsets(admin, topic);
      await admin.setOffsets({ groupId: `${env.KAFKA_GROUP_PREFIX}-triage`, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
      const { partitions } = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0];
      await admin.disconnect();

      // Triage is not running yet: the good events and the poison wait in the topic and come as one batch.
      const post = async (from: number) => {
        const messages = Array.from({ length: 100 }, (_, i) => portalMessage({ source, externalId: `m-${from + i}` }));
        expect((await postJson(`${intake.url}/api/v1/messages:batch`, { messages })).status).toBe(200);
      };
      const published = (n: number) =>
        expectEventually(async () => {
          // Stored, and their received events published (the relay deletes what it published).
          const { rows } = await db.query(
            `SELECT (SELECT count(*)::int FROM message WHERE source = $1) AS stored,
                    (SELECT count(*)::int FROM outbox_event o JOIN message m ON m.id::text = o.key WHERE m.source = $1 AND o.topic = $2) AS unsent`,
            [source, topic],
          );
          expect(rows[0]).toEqual({ stored: n, unsent: 0 });
        });
      await post(0);
      await published(100);
      const missingMessageId = '00000000-0000-4000-8000-000000000001';
      const producer = kafka.producer();
      await producer.connect();
      const poison = [
        // Not an event of the topic's contract: refused at once.
        { key: 'poison-invalid', value: JSON.stringify({ type: 'message.received', messageId: 'not-a-uuid' }) },
        // A valid event of a message that does not exist: retried, then refused.
        {
          key: missingMessageId,
          value: JSON.stringify({
            eventId: '00000000-0000-4000-8000-000000000002',
            type: 'message.received',
            version: 1,
            occurredAt: '2026-03-02T09:00:00.000Z',
            region: '61',
            messageId: missingMessageId,
            channel: 'pos',
          }),
        },
      ];
      // Into every partition, so whichever partitions the good events went to, a poison record shares a batch with them.
      await producer.send({
        topic,
        acks: -1,
        messages: partitions.flatMap((p) => poison.map((m) => ({ ...m, partition: p.partitionId }))),
      });
      await producer.disconnect();
      await post(100);
      await published(200);

      triage = await startService('triage', infra, env);
      await expectEachDecidedOnce(source, 200);
      const letters = await expectEventually(async () => {
        const { rows } = await db.query(`SELECT key, attempts, error FROM dead_letter WHERE consumer = $1 ORDER BY key, partition`, [
          `${env.KAFKA_GROUP_PREFIX}-triage`,
        ]);
        expect(rows).toHaveLength(partitions.length * 2);
        return rows as { key: string; attempts: number; error: string }[];
      }, 60_000);
      for (const letter of letters.filter((l) => l.key === 'poison-invalid')) expect(letter.attempts).toBe(1);
      for (const letter of letters.filter((l) => l.key === missingMessageId)) expect(letter.attempts).toBe(3);
      // They came in batches with good events: each batch failed whole, then went record by record.
      expect(triage.output()).toMatch(/a batch of \d+ failed .*one by one/);
    });
  });
});
