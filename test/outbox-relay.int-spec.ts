import 'reflect-metadata';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { OutboxRelay, OutboxRelayOptions } from '@cur/messaging';
import { insertJsonRowsTogether, migrate, openDatabase, OutboxRepository } from '@cur/persistence';
import { runService, RunningService } from '@cur/runtime';
import { readInfrastructure, scratchDatabase } from './support/infrastructure';
import { expectEventually, inProcessEnv } from './support/services';

/**
 * The outbox relay on real PostgreSQL and Kafka, over several of its batches (2,000 rows each):
 * the next batch is read while one is published and a batch's delete runs during the next publish.
 * Every event reaches Kafka with its payload as stored, in row id and line order per key, and each row is deleted once published;
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
    start = () => runService({ name: 'api', imports: [], consumes: false, defaultPort: 0 }, inProcessEnv(database.url, `relay-${Date.now()}`));
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
   * Events n = from … to-1, key `<prefix><n mod keys>`, written in one transaction as the product
   * writes them: a row of up to 1,000 events, each a line `[topic, key, headers]`, a tab and the
   * payload's JSON. The events of one key come from transactions one after the other (in the
   * product, the message's row lock orders them), so each transaction here has keys of its own.
   * `placeOf` keeps each event's row id and line, the order the relay must keep.
   */
  const placeOf = new Map<number, [bigint, number]>();
  const insert = async (client: Client, prefix: string, from: number, to: number) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO outbox (events, event_count, created_at)
       SELECT string_agg(json_build_array($1::text, $5 || (n % $4), json_build_object('x-test', 'h' || n))::text || E'\\t' ||
                         json_build_object('n', n, 'text', 'Яма на улице Садовой, «срочно»', 'nested', json_build_object('a', ARRAY[1, 2, 3]))::text,
                         E'\\n' ORDER BY n),
              count(*), now()
         FROM generate_series($2::int, $3::int - 1) AS n
        GROUP BY (n - $2) / 1000
        ORDER BY (n - $2) / 1000
       RETURNING id`,
      [topic, from, to, keys, prefix],
    );
    // Where each event landed, read back through the view that shows the events one a row.
    const placed = await client.query<{ outbox_id: string; position: string; n: number }>(
      `SELECT outbox_id, position, (payload ->> 'n')::int AS n FROM outbox_event WHERE outbox_id = ANY($1::bigint[])`,
      [rows.map((r) => r.id)],
    );
    expect(placed.rows).toHaveLength(to - from);
    for (const r of placed.rows) placeOf.set(r.n, [BigInt(r.outbox_id), Number(r.position)]);
  };

  it('publishes 9,000 events over several batches, each once in row and line order per key, payloads as stored, all rows deleted once published', async () => {
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

    // In order per key: the row ids, and the lines within a row, of one key grow along the partition it is read from.
    const byKey = new Map<string, [bigint, number][]>();
    for (const r of received) byKey.set(r.key, [...(byKey.get(r.key) ?? []), placeOf.get(r.n)!]);
    expect(byKey.size).toBe(3 * keys);
    const order = (a: [bigint, number], b: [bigint, number]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]);
    for (const places of byKey.values()) expect(places).toEqual([...places].sort(order));
    // Rows of up to 1,000 events: the three transactions' 5,000, 2,000 and 2,000 events in nine rows.
    expect(new Set([...placeOf.values()].map(([id]) => id)).size).toBe(9);
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
        `INSERT INTO outbox (events, event_count, created_at) SELECT '["t","k",null]' || E'\\t' || '{}', 1, now() FROM generate_series(1, $1) RETURNING id`,
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

/**
 * What `OutboxRepository` writes and the relay reads: one row per write of up to 1,000 events, a
 * line each, read back as the exact JSON text and headers written, and batches of whole rows.
 */
describe('the outbox rows', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let dataSource: DataSource;
  let outbox: OutboxRepository;
  const now = new Date('2026-12-07T09:30:00.000Z');

  beforeAll(async () => {
    database = await scratchDatabase('outbox_rows');
    const target = await openDatabase({ databaseUrl: database.url, dataDir: '' });
    await migrate(target.options, false);
    await target.close();
    dataSource = await new DataSource({ ...target.options, poolSize: 2 } as DataSourceOptions).initialize();
    outbox = new OutboxRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const event = (n: number, payload: object = { n }) => ({ eventId: `e${n}`, topic: `cur.test.rows`, key: `k${n % 3}`, payload });

  it('keeps every character of a payload, and the headers, through a line of text', async () => {
    const payload = { text: 'таб\tперевод\nстроки\r «кавычки» "\\" \u0000 \u2028 😀', nested: { list: [1, null, 'x'] } };
    await dataSource.transaction((manager) =>
      outbox.add(manager, [event(1, payload), { ...event(2), headers: { 'x-correlation-id': '0b7c6c1e-5f55-4a3e-9a8e-0f2b1c3d4e5f' } }], now),
    );
    const read = await outbox.pending(100);
    expect(read.map((e) => ({ topic: e.topic, key: e.key, value: JSON.parse(e.json), headers: e.headers }))).toEqual([
      { topic: 'cur.test.rows', key: 'k1', value: payload, headers: undefined },
      { topic: 'cur.test.rows', key: 'k2', value: { n: 2 }, headers: { 'x-correlation-id': '0b7c6c1e-5f55-4a3e-9a8e-0f2b1c3d4e5f' } },
    ]);
    // One row for the write; the view shows its events one a row, the same as the relay reads them.
    expect(new Set(read.map((e) => e.id)).size).toBe(1);
    const view = await dataSource.query(`SELECT position, topic, key, payload::text AS json, headers FROM outbox_event ORDER BY outbox_id, position`);
    expect(view.map((r: any) => [Number(r.position), r.topic, r.key, JSON.parse(r.json), r.headers])).toEqual([
      [1, 'cur.test.rows', 'k1', payload, null],
      [2, 'cur.test.rows', 'k2', { n: 2 }, { 'x-correlation-id': '0b7c6c1e-5f55-4a3e-9a8e-0f2b1c3d4e5f' }],
    ]);
    await outbox.deleteSent(read.map((e) => e.id));
    expect(await outbox.pending(100)).toEqual([]);
  });

  it('writes a row per 1,000 events in one statement, ids in the order given, and reads whole rows while they start within the limit', async () => {
    const many = Array.from({ length: 2_500 }, (_, i) => event(i));
    // As a change batch writes them: the events' one insert among other tables' in one statement.
    await dataSource.transaction((manager) => insertJsonRowsTogether(manager, [outbox.insert([event(-1)], now), outbox.insert(many, now)]));
    await dataSource.query(`DELETE FROM outbox WHERE event_count = 1`);
    const rows = await dataSource.query(`SELECT id, event_count FROM outbox ORDER BY id`);
    expect(rows.map((r: any) => r.event_count)).toEqual([1_000, 1_000, 500]);

    // 1,500 events asked: the first row ends before it, the second starts before it: 2,000 events.
    const first = await outbox.pending(1_500);
    expect(first.map((e) => JSON.parse(e.json).n)).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
    // One event asked: one row, whatever its size.
    expect(await outbox.pending(1)).toHaveLength(1_000);
    // After the last row read: the third.
    const rest = await outbox.pending(1_500, first[first.length - 1].id);
    expect(rest.map((e) => JSON.parse(e.json).n)).toEqual(Array.from({ length: 500 }, (_, i) => 2_000 + i));
    await outbox.deleteSent([...first, ...rest].map((e) => e.id));
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM outbox`)).toEqual([{ n: 0 }]);
  });
});

/**
 * `CUR_RELAY_LINGER_MS`: a relay woken from waiting lets the commits of that moment join one send.
 * Three transactions 200 ms apart, each NOTIFYing at its commit: with a linger of 1 s they go
 * in one batch; without, the relay wakes for each and sends three.
 */
describe('the relay linger', () => {
  const topic = `cur.test.linger-${Date.now()}`;

  const batchesFor = async (lingerMs: number): Promise<{ batches: number; events: number }> => {
    const database = await scratchDatabase(`relay_linger_${lingerMs}`);
    const service = await runService(
      { name: 'api', imports: [], consumes: false, defaultPort: 0 },
      inProcessEnv(database.url, `relay-linger-${Date.now()}`, { CUR_RELAY_LINGER_MS: String(lingerMs) }),
    );
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      // It takes the lock in its loop, then waits: the three commits wake it from there.
      await expectEventually(() => expect(service.app.get(OutboxRelay).active).toBe(true), 10_000, 20);
      // Its idle poll made rare, so that only the commits wake it; one event sent first, so that
      // the producer's connection and the topic are there before the three (and the current
      // 1-second wait is over).
      service.app.get(OutboxRelayOptions).idlePollMs = 60_000;
      await db.query(`INSERT INTO outbox (events, event_count, created_at) VALUES ($1, 1, now())`, [`${JSON.stringify([topic, 'warm', null])}\t{"n":-1}`]);
      await expectEventually(async () => expect((await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n).toBe(0), 10_000, 20);
      const relayed = async () => {
        const text = await (await fetch(`${service.url}/metrics`)).text();
        const value = (name: string) => Number(new RegExp(`^${name}\\{service="api"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
        return { batches: value('cur_relay_batch_size_count'), events: value('cur_relay_published_total') };
      };
      const before = await relayed();
      for (let i = 0; i < 3; i++) {
        await db.query(`INSERT INTO outbox (events, event_count, created_at) VALUES ($1, 1, now())`, [`${JSON.stringify([topic, `k${i}`, null])}\t{"n":${i}}`]);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await expectEventually(async () => expect((await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n).toBe(0), 10_000, 20);
      const after = await relayed();
      return { batches: after.batches - before.batches, events: after.events - before.events };
    } finally {
      await db.end();
      await service.stop();
      await database.drop();
    }
  };

  it('sends the commits of a moment together when it lingers, each alone when it does not', async () => {
    expect(await batchesFor(1_000)).toEqual({ batches: 1, events: 3 });
    expect(await batchesFor(0)).toEqual({ batches: 3, events: 3 });
  });
});
