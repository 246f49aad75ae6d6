import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DeadLetterRecorder, DeadLettersService, OutboxRelay, RELAY_CONSUMER } from '@cur/messaging';
import { DeadLetterRepository, OutboxRepository } from '@cur/persistence';
import { Clock, withCorrelation } from '@cur/platform';
import { runService, RunningService } from '@cur/runtime';
import { readInfrastructure, scratchDatabase } from './support/infrastructure';
import { expectEventually, inProcessEnv } from './support/services';

/**
 * What the relay cannot publish does not stop it (real PostgreSQL and Kafka). A topic takes
 * record batches of 4 KB at most: twenty events of ~700 bytes for one key are refused together
 * and go in parts, an event of 6 KB is refused alone; lines of rows written by hand do not read.
 * Each such event becomes a dead letter with its reason, once, and every other event goes, in
 * order.
 */
describe('the outbox relay and the events it cannot publish', () => {
  const topic = `cur.test.aside-${Date.now()}`;
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: Client;
  let service: RunningService | undefined;
  let kafka: Kafka;
  let consumer: ReturnType<Kafka['consumer']> | undefined;
  /** A topic of three partitions, records of 4 KB at most too. */
  const spread = `${topic}-spread`;
  /** Each record read of `topic`: its `n`, and its key's length. */
  /** The correlation id a consumer's dead letter was read with. */
  const CORRELATION = randomUUID();
  const read: { n: number; keyLength: number; headers: Record<string, string> }[] = [];
  /** Each record read of `spread`: its `n` and key. */
  const spreadRead: { n: number; key: string }[] = [];
  const received = {
    get length() {
      return read.length;
    },
    values: () => read.map((r) => r.n),
  };

  beforeAll(async () => {
    const infra = readInfrastructure();
    database = await scratchDatabase('relay_aside');
    service = await runService({ name: 'api', imports: [], consumes: false, defaultPort: 0 }, inProcessEnv(database.url, `relay-aside-${Date.now()}`));
    db = new Client({ connectionString: database.url });
    await db.connect();
    kafka = new Kafka({ clientId: 'relay-aside-reader', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '4096' }] },
        { topic: spread, numPartitions: 3, configEntries: [{ name: 'max.message.bytes', value: '4096' }] },
      ],
    });
    await admin.disconnect();
    consumer = kafka.consumer({ groupId: `${topic}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic, spread], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const n = JSON.parse(message.value!.toString()).n;
        if (message.key!.toString().startsWith('s')) spreadRead.push({ n, key: message.key!.toString() });
        else
          read.push({
            n,
            keyLength: message.key!.length,
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
          });
        return Promise.resolve();
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await service?.stop();
    await db?.end();
    await database?.drop();
  });

  /** A line as the outbox writes it, for event n of key `k`: its payload about 700 bytes, or `bytes` long. */
  const line = (n: number, bytes = 700) => `${JSON.stringify([topic, 'k', { 'x-n': String(n) }])}\t${JSON.stringify({ n, text: 'я'.repeat(bytes / 2) })}`;
  const outboxCount = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n;
  const letters = async () =>
    (
      await db.query<{
        consumer: string;
        topic: string;
        partition: number;
        offset: string;
        key: string;
        payload: any;
        payload_is_json: boolean;
        error: string;
      }>(`SELECT consumer, topic, partition, "offset", key, payload, payload_is_json, error FROM dead_letter ORDER BY seq`)
    ).rows;
  let rows: string[] = [];

  it('sets aside an event too large for its topic and lines that do not read, records why, and publishes every other event in order', async () => {
    expect(service!.app.get(OutboxRelay).active).toBe(true);
    const first = [...Array.from({ length: 20 }, (_, i) => line(i + 1)), line(21, 6_000), ...[22, 23, 24, 25].map((n) => line(n))];
    const second = ['garbage', line(26)];
    const third = [`${JSON.stringify([topic, 'k', { a: 1 }])}\t{"n":0}`, line(27)];
    // One statement, so the relay sees the three rows together, in this order.
    rows = (
      await db.query<{ id: string }>(
        `INSERT INTO outbox (events, event_count, created_at) VALUES ($1, 25, now()), ($2, 2, now()), ($3, 2, now()) RETURNING id`,
        [first.join('\n'), second.join('\n'), third.join('\n')],
      )
    ).rows.map((r) => r.id);
    await expectEventually(async () => expect(await outboxCount()).toBe(0), 30_000, 100);
    await expectEventually(() => expect(received).toHaveLength(26), 15_000, 50);
    // The twenty went in parts, the parts in order; nothing twice.
    expect(received.values()).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 22, 23, 24, 25, 26, 27]);

    const aside = await letters();
    expect(aside).toEqual([
      {
        consumer: RELAY_CONSUMER,
        topic,
        partition: -1,
        offset: `${rows[0]}:21`,
        key: 'k',
        payload: { n: 21, text: 'я'.repeat(3_000) },
        payload_is_json: true,
        error: 'refused by the bus: MESSAGE_TOO_LARGE',
      },
      {
        consumer: RELAY_CONSUMER,
        topic: '',
        partition: -1,
        offset: `${rows[1]}:1`,
        key: '',
        payload: { unparsable: Buffer.from('garbage').toString('base64') },
        payload_is_json: false,
        error: "unreadable outbox line: no tab between the event's address and its payload",
      },
      {
        consumer: RELAY_CONSUMER,
        topic,
        partition: -1,
        offset: `${rows[2]}:1`,
        key: '',
        payload: { unparsable: Buffer.from(third[0]).toString('base64') },
        payload_is_json: false,
        error: 'unreadable outbox line: its headers are not an object of texts',
      },
    ]);
    const metrics = await (await fetch(`${service!.url}/metrics`)).text();
    expect(metrics).toContain(`cur_dead_letters_total{topic="${topic}",service="api"} 2`);
    expect(metrics).toContain(`cur_dead_letters_total{topic="",service="api"} 1`);
  });

  it('records an event set aside once, however often its row is read again (a relay that stopped before the delete)', async () => {
    // The second row again, with its id: as if the relay had stopped between recording and deleting.
    await db.query(`INSERT INTO outbox (id, events, event_count, created_at) VALUES ($1, $2, 2, now())`, [rows[1], ['garbage', line(26)].join('\n')]);
    await expectEventually(async () => expect(await outboxCount()).toBe(0), 30_000, 100);
    // Its good event goes again (at least once); its dead letter is not written twice.
    await expectEventually(() => expect(received.values().filter((n) => n === 26)).toHaveLength(2), 15_000, 50);
    expect((await letters()).map((l) => l.offset)).toEqual([`${rows[0]}:21`, `${rows[1]}:1`, `${rows[2]}:1`]);
    // Nor counted twice.
    expect(await (await fetch(`${service!.url}/metrics`)).text()).toContain(`cur_dead_letters_total{topic="",service="api"} 1`);
  });

  it('replays an event the bus refused, once it fits, not a line that did not read; a key of any length goes', async () => {
    const app = service!.app;
    const letters = app.get(DeadLetterRepository, { strict: false });
    const replays = new DeadLettersService(letters, app.get(OutboxRepository, { strict: false }), app.get(OutboxRelay), app.get(Clock, { strict: false }));
    const listed = await letters.list({ state: 'pending', limit: 10 });
    expect(listed.map((l) => [l.offset, l.replayable])).toEqual([
      [`${rows[2]}:1`, false],
      [`${rows[1]}:1`, false],
      [`${rows[0]}:21`, true],
    ]);
    // Not JSON: its bytes would change.
    await expect(replays.replayOne(listed[1].id, 'проверка', 'test')).rejects.toThrow('не было JSON');

    // A consumer's dead letter with a key of 300 characters (the outbox held keys of 100 at most once).
    await app.get(DeadLetterRecorder, { strict: false }).record({
      consumer: 'test-group',
      topic,
      partition: 0,
      offset: '999',
      key: 'k'.repeat(300),
      value: { n: 28 },
      json: true,
      // Kept and sent again, but a NUL becomes U+FFFD and a header jsonb would refuse is left out.
      headers: { 'x-correlation-id': CORRELATION, 'x-nul': 'a\u0000b', 'x-lone': '\ud800' },
      error: 'test',
      attempts: 5,
      sourceRef: `test-group:${topic}:0:999`,
    });
    // The topic made to take the large event, then its dead letter replayed: it goes.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'max.message.bytes', value: '16384' }] }],
      });
      // The broker applies it from its metadata a moment later: the replay waits until the broker says it.
      await expectEventually(async () => {
        const described = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }],
        });
        expect(described.resources[0].configEntries[0].configValue).toBe('16384');
      });
    } finally {
      await admin.disconnect();
    }
    // The partition's log takes the new limit a moment after the broker reports it: a record of the same size, sent directly, goes first.
    const probe = kafka.producer();
    await probe.connect();
    try {
      await expectEventually(
        () => probe.send({ topic, messages: [{ key: 'probe', value: JSON.stringify({ n: -1, text: 'я'.repeat(3_000) }) }] }).then(() => undefined),
        15_000,
        100,
      );
    } finally {
      await probe.disconnect();
    }
    await replays.replayOne(listed[2].id, 'топик принимает большие записи', 'test');
    await expectEventually(() => expect(received.values()).toContain(21), 15_000, 50);
    // With the headers its line had.
    expect(read.find((r) => r.n === 21)?.headers).toEqual({ 'x-n': '21' });

    const [long] = await letters.list({ state: 'pending', limit: 1 });
    expect(long).toMatchObject({ replayable: true, headers: { 'x-correlation-id': CORRELATION, 'x-nul': 'a\uFFFDb' } });
    expect(Object.keys(long.headers)).not.toContain('x-lone');
    // Replayed under a correlation id of its own, as a request to the API is.
    await withCorrelation(randomUUID(), () => replays.replayOne(long.id, 'ключ длинный, но отправить можно', 'test'));
    // Its own headers go over the replay's: the correlation id is the one it began with.
    await expectEventually(
      () => expect(read.find((r) => r.n === 28)).toEqual({ n: 28, keyLength: 300, headers: { 'x-correlation-id': CORRELATION, 'x-nul': 'a\uFFFDb' } }),
      15_000,
      50,
    );

    // A correlation id that is not a UUID is not kept (a replay would send it on, and it could be
    // anything a producer put there); the other headers are.
    await app.get(DeadLetterRecorder, { strict: false }).record({
      consumer: 'test-group',
      topic,
      partition: 0,
      offset: '1000',
      key: 'k-correlation',
      value: { n: 29 },
      json: true,
      headers: { 'x-correlation-id': 'not a uuid at all', 'x-other': 'v' },
      error: 'test',
      attempts: 1,
      sourceRef: `test-group:${topic}:0:1000`,
    });
    const stored = await db.query<{ headers: unknown }>(`SELECT headers FROM dead_letter WHERE source_ref = $1`, [`test-group:${topic}:0:1000`]);
    expect(stored.rows).toEqual([{ headers: { 'x-other': 'v' } }]);
    // Headers are an object, whoever writes the row.
    await expect(db.query(`UPDATE dead_letter SET headers = 'null' WHERE source_ref = $1`, [`test-group:${topic}:0:1000`])).rejects.toThrow(
      /ck_dead_letter_headers/,
    );
  });

  /**
   * Kafka refuses one partition of a request and writes the others: the parts sent next go on a
   * new producer (kafkajs took back the sequence numbers of the written partitions too, and a
   * different send to them would be out of sequence for good), so everything else still goes.
   */
  it('sets aside a refused event among partitions written by the same request, and every other event goes, in order per key', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const event = (n: number, key: string, bytes = 200) => `${JSON.stringify([spread, key, null])}\t${JSON.stringify({ n, text: 'я'.repeat(bytes / 2) })}`;
    const lines = [
      ...keys.map((key, i) => event(100 + i, key)),
      event(150, 's5', 6_000),
      // Too large as well, with NUL in its key, and NUL in its value (which jsonb refuses): kept with U+FFFD and as bytes.
      event(151, 's\u0000x', 6_000),
      `${JSON.stringify([spread, 's6', null])}\t${JSON.stringify({ n: 152, text: `\u0000${'я'.repeat(3_000)}` })}`,
      ...keys.map((key, i) => event(200 + i, key)),
      // A topic that collides with an existing one ('.' and '_' alike): Kafka refuses to create it.
      `${JSON.stringify([spread.replaceAll('.', '_'), 's0', null])}\t{"n":300}`,
      // NUL in a topic and in a key: the dead letter keeps U+FFFD in its place.
      `${JSON.stringify(['a\u0000b', 'k', null])}\t{"n":301}`,
    ];
    const [{ id }] = (
      await db.query<{ id: string }>(`INSERT INTO outbox (events, event_count, created_at) VALUES ($1, $2, now()) RETURNING id`, [
        lines.join('\n'),
        lines.length,
      ])
    ).rows;
    await expectEventually(async () => expect(await outboxCount()).toBe(0), 60_000, 100);
    const expected = [...keys.map((_, i) => 100 + i), ...keys.map((_, i) => 200 + i)];
    await expectEventually(() => expect(new Set(spreadRead.map((r) => r.n))).toEqual(new Set(expected)), 15_000, 50);
    // At least once; per key, the first time each is read keeps the outbox's order.
    for (const key of keys) {
      const firsts = [...new Set(spreadRead.filter((r) => r.key === key).map((r) => r.n))];
      expect(firsts).toEqual(expected.filter((n) => n % 100 === Number(key.slice(1))));
    }
    const aside = (await letters()).filter((l) => l.offset.startsWith(`${id}:`));
    expect(aside.map((l) => [l.offset, l.topic, l.key, l.error, l.payload_is_json])).toEqual([
      [`${id}:13`, spread, 's5', 'refused by the bus: MESSAGE_TOO_LARGE', true],
      [`${id}:14`, spread, 's\uFFFDx', 'refused by the bus: MESSAGE_TOO_LARGE', true],
      [`${id}:15`, spread, 's6', 'refused by the bus: MESSAGE_TOO_LARGE', false],
      [`${id}:28`, spread.replaceAll('.', '_'), 's0', 'refused by the bus: INVALID_TOPIC_EXCEPTION', true],
      [`${id}:29`, 'a\uFFFDb', '', 'unreadable outbox line: its topic is not a Kafka topic name', false],
    ]);
    // The value jsonb refused, kept as the bytes of its JSON text.
    expect(JSON.parse(Buffer.from(aside[2].payload.unparsable, 'base64').toString())).toEqual({ n: 152, text: `\u0000${'я'.repeat(3_000)}` });
  });
});
