import 'reflect-metadata';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { OutboxRelay } from '@cur/messaging';
import { migrate, openDatabase, OutboxRepository } from '@cur/persistence';
import { runService, RunningService } from '@cur/runtime';
import { readInfrastructure, scratchDatabase } from './support/infrastructure';
import { ROOT } from './support/root';
import { expectEventually } from './support/services';

/**
 * The outbox relay on real PostgreSQL and Kafka, over several of its batches (2,000 rows each):
 * the next batch is read while one is published and a batch's delete runs during the next publish.
 * Every row reaches Kafka with its payload as stored, in id order per key, and is deleted once published;
 * rows committed while it drains (in two transactions at once) are published too.
 */
describe('the outbox relay', () => {
  const topic = `cur.test.relay-${Date.now()}`;
  const keys = 40;
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: Client;
  let service: RunningService | undefined;
  let standby: RunningService | undefined;
  let start: () => Promise<RunningService>;
  let consumer: ReturnType<Kafka['consumer']> | undefined;
  const received: { key: string; n: number; value: any; eventId?: string }[] = [];

  beforeAll(async () => {
    const infra = readInfrastructure();
    database = await scratchDatabase('relay');
    start = () =>
      runService(
        { name: 'api', imports: [], consumes: false, defaultPort: 0 },
        {
          DATABASE_URL: database.url,
          KAFKA_BROKERS: infra.kafkaBrokers,
          PORT: '0',
          CUR_CONFIG_DIR: join(ROOT, 'config'),
          CUR_LOG_FORMAT: 'json',
          CUR_RUN_MIGRATIONS: 'true',
          KAFKA_GROUP_PREFIX: `relay-${Date.now()}`,
        },
      );
    service = await start();
    db = new Client({ connectionString: database.url });
    await db.connect();
    const kafka = new Kafka({ clientId: 'relay-test-reader', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await admin.disconnect();
    consumer = kafka.consumer({ groupId: `${topic}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const value = JSON.parse(message.value!.toString());
        received.push({ key: message.key!.toString(), n: value.n, value, eventId: message.headers?.['x-test']?.toString() });
        return Promise.resolve();
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await service?.stop();
    await standby?.stop();
    await db?.end();
    await database?.drop();
  });

  /**
   * Rows n = from … to-1, key `<prefix><n mod keys>`, written in one transaction. The events of one
   * key come from transactions one after the other (in the product, the message's row lock orders
   * them), so each transaction here has keys of its own.
   */
  const idOf = new Map<number, bigint>();
  const insert = async (client: Client, prefix: string, from: number, to: number) => {
    const { rows } = await client.query<{ id: string; n: number }>(
      `INSERT INTO outbox (event_id, topic, key, payload, headers, created_at)
       SELECT gen_random_uuid(), $1, $5 || (n % $4), jsonb_build_object('n', n, 'text', 'Яма на улице Садовой, «срочно»', 'nested', jsonb_build_object('a', ARRAY[1, 2, 3])),
              jsonb_build_object('x-test', 'h' || n), now()
       FROM generate_series($2::int, $3::int - 1) AS n
       RETURNING id, (payload->>'n')::int AS n`,
      [topic, from, to, keys, prefix],
    );
    for (const r of rows) idOf.set(r.n, BigInt(r.id));
  };

  it('publishes 9,000 rows over several batches, each once in id order per key, payloads as stored, all deleted once published', async () => {
    expect(service!.app.get(OutboxRelay).active).toBe(true);
    await insert(db, 'a', 0, 5_000);
    // Two more transactions at once while the relay drains the first rows.
    const second = new Client({ connectionString: database.url });
    await second.connect();
    try {
      await Promise.all([insert(db, 'b', 5_000, 7_000), insert(second, 'c', 7_000, 9_000)]);
    } finally {
      await second.end();
    }
    await expectEventually(() => expect(new Set(received.map((r) => r.n)).size).toBe(9_000), 60_000, 200);
    await expectEventually(async () => expect((await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n).toBe(0));
    // Once each: a batch read ahead starts after the last id of the one being published.
    expect(received).toHaveLength(9_000);

    // In id order per key: the ids of one key grow along the partition it is read from.
    const byKey = new Map<string, bigint[]>();
    for (const r of received) byKey.set(r.key, [...(byKey.get(r.key) ?? []), idOf.get(r.n)!]);
    expect(byKey.size).toBe(3 * keys);
    for (const ids of byKey.values()) expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    // The payload as stored (JSON text passed on unparsed) and the headers with it.
    const sample = received.find((r) => r.n === 4_321)!;
    expect(sample.value).toEqual({ n: 4_321, text: 'Яма на улице Садовой, «срочно»', nested: { a: [1, 2, 3] } });
    expect(sample.eventId).toBe('h4321');
  });

  /**
   * A second process on the same database stands by: it tries for the lock on its own timer (not
   * on each commit of its process, which would open a connection per commit) and takes over,
   * publishing what is pending, once the active relay's process is gone.
   */
  it('stands by while another relay holds the lock, and takes over when that one stops', async () => {
    standby = await start();
    const relay = standby.app.get(OutboxRelay);
    expect(relay.active).toBe(false);
    const attempts = jest.spyOn(relay as unknown as { acquire(): Promise<boolean> }, 'acquire');
    // Fifty commits in this process, 5 ms apart: the standby's timer (a try, then 1 s of sleep) fires once a second at most meanwhile.
    const started = Date.now();
    for (let i = 0; i < 50; i++) {
      relay.kick();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(attempts.mock.calls.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000));
    attempts.mockRestore();

    const before = received.length;
    await service!.stop();
    service = undefined;
    await insert(db, 'd', 9_000, 9_100);
    await expectEventually(() => expect(relay.active).toBe(true), 10_000, 50);
    await expectEventually(() => expect(received.length - before).toBe(100), 30_000, 100);
    expect(
      received
        .slice(before)
        .map((r) => r.n)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 100 }, (_, i) => 9_000 + i));
    await expectEventually(async () => expect((await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n).toBe(0));
  });
});

/**
 * The relay's delete does not wait for the WAL flush: lost in a crash, it only publishes its rows
 * again (at least once, as a relay dying between send and delete already does). Counted with
 * PostgreSQL's own WAL statistics, against plain deletes of the same rows as the control.
 */
describe('the outbox delete', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let target: Awaited<ReturnType<typeof openDatabase>>;
  let db: Client;

  beforeAll(async () => {
    database = await scratchDatabase('relay_delete');
    target = await openDatabase({ databaseUrl: database.url, dataDir: '' });
    await migrate(target.options, false);
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await target?.close();
    await db?.end();
    await database?.drop();
  });

  const rows = async (n: number): Promise<string[]> =>
    (
      await db.query<{ id: string }>(
        `INSERT INTO outbox (event_id, topic, key, payload, created_at) SELECT gen_random_uuid(), 't', 'k', '{}', now() FROM generate_series(1, $1) RETURNING id`,
        [n],
      )
    ).rows.map((r) => r.id);
  const walSyncs = async (): Promise<number> => Number((await db.query<{ n: string }>(`SELECT wal_sync AS n FROM pg_stat_wal`)).rows[0].n);
  /**
   * The WAL syncs of the whole server while `deletes` runs on connections of its own: a backend
   * reports its statistics when it exits (an idle one, only ten seconds later), so they are closed.
   */
  const syncsDuring = async (deletes: () => Promise<void>): Promise<number> => {
    const before = await walSyncs();
    await deletes();
    // The exits' reports, and the WAL writer's of its own syncs, within a second.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    return (await walSyncs()) - before;
  };

  it('removes the published rows, each delete committed without a WAL flush of its own', async () => {
    const setting = async (name: string) => (await db.query<Record<string, string>>(`SHOW ${name}`)).rows[0][name];
    // wal_sync counts fsync and fdatasync calls: a server that does not sync per commit has nothing to compare.
    const measurable =
      (await setting('fsync')) === 'on' &&
      (await setting('synchronous_commit')) !== 'off' &&
      ['fdatasync', 'fsync', 'fsync_writethrough'].includes(await setting('wal_sync_method'));
    const n = 100;
    const plain = await rows(n);
    const plainSyncs = await syncsDuring(async () => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      for (const id of plain) await client.query(`DELETE FROM outbox WHERE id = $1`, [id]);
      await client.end();
    });
    const relayed = await rows(n);
    let after: string | undefined;
    const relayedSyncs = await syncsDuring(async () => {
      // One connection, so the setting is read where the deletes ran: it ends with each delete's statement.
      const dataSource = await new DataSource({ ...target.options, poolSize: 1 } as DataSourceOptions).initialize();
      const outbox = new OutboxRepository(dataSource);
      for (const id of relayed) await outbox.deleteSent([id]);
      after = (await dataSource.query<{ synchronous_commit: string }[]>(`SHOW synchronous_commit`))[0].synchronous_commit;
      await dataSource.destroy();
    });

    expect((await db.query(`SELECT id FROM outbox`)).rows).toEqual([]);
    expect(after).toBe(await setting('synchronous_commit'));
    if (!measurable) return;
    // The control: one sync per plain delete's commit. The relay's deletes leave the syncing to the
    // WAL writer (a few in the window); the server's other work in it (checkpoints, other
    // databases) has a wide margin below the plain deletes' count.
    expect(plainSyncs).toBeGreaterThanOrEqual(n);
    expect({ relayedSyncs, below: relayedSyncs < n / 4 }).toEqual({ relayedSyncs, below: true });
  });
});
