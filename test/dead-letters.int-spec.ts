import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { API_KEY, getJson, portalMessage, postJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { KafkaEvents } from './support/kafka-events';
import { TestUsers, testLogin } from './support/users';

/**
 * Dead-letter queues for admins, on the whole product over real Kafka and PostgreSQL: a consumer
 * that fails every attempt leaves a row people list; once the cause is fixed, a replay sends the
 * event back and it is handled; a replay happens once, and only admins list or replay. The
 * failure is a real PostgreSQL error, raised by a trigger this suite adds for its own messages.
 */
describe('dead-letter queues: list and replay', () => {
  let infra: Infrastructure;
  let app: ServiceProcess;
  let db: Client;
  let users: TestUsers;
  let admin: Record<string, string>;
  const RUN = `${process.pid}-${Date.now()}`;
  /** In the text of this suite's messages: the trigger fails triage of these only. */
  const MARKER = `dl-probe-${RUN}`;
  const group = `dead-letters-${Date.now()}`;

  beforeAll(async () => {
    infra = readInfrastructure();
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    await db.query(`
      CREATE OR REPLACE FUNCTION test_dead_letter_probe() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.text LIKE '%${MARKER}%' AND NEW.status IS DISTINCT FROM OLD.status THEN
          RAISE EXCEPTION 'dead-letter probe';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER test_dead_letter_probe BEFORE UPDATE ON message FOR EACH ROW EXECUTE FUNCTION test_dead_letter_probe()`);
    app = await startService('standalone', infra, {
      KAFKA_GROUP_PREFIX: group,
      CUR_DEMO_STREAM: 'false',
      CUR_MAX_DELIVERY_ATTEMPTS: '2',
      CUR_RETRY_BACKOFF_MS: '20',
    });
    users = await TestUsers.connect(infra.databaseUrl);
    admin = await users.headers(app.url, 'admin');
  });

  afterAll(async () => {
    await app?.stop();
    await db?.query(`DROP TRIGGER IF EXISTS test_dead_letter_probe ON message`);
    await db?.query(`DROP FUNCTION IF EXISTS test_dead_letter_probe()`);
    await db?.end();
    await users?.close();
  });

  /** Every dead letter the list shows for the query (all pages); other suites' are there too, so callers pick theirs by key or topic. */
  async function listAll(query: string): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await getJson(`${app.url}/api/v1/dead-letters?${query}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, admin);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }

  it('a triage that fails every attempt is listed with its error; replayed once the cause is fixed, the message is triaged; a second replay is refused', async () => {
    // Under a correlation id of the caller's (intake keeps a caller's UUID), which the letter then shows.
    const postCorrelation = randomUUID();
    const created = await postJson(`${app.url}/api/v1/messages`, portalMessage({ text: `Яма на дороге у дома 5, ${MARKER}` }), {
      'X-Api-Key': API_KEY,
      'X-Correlation-Id': postCorrelation,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const letter = await expectEventually(async () => {
      const found = (await listAll('state=pending')).filter((d) => d.key === id);
      expect(found).toHaveLength(1);
      return found[0];
    }, 120_000);
    expect(letter).toMatchObject({
      topic: 'cur.message.received',
      key: id,
      consumer: `${group}-standalone`,
      attempts: 2,
      payload: { type: 'message.received', messageId: id, channel: 'pos' },
      payloadWithheld: null,
      replayable: true,
      replay: null,
      // That of the POST which brought the message in, from the record's headers.
      correlationId: postCorrelation,
    });
    // By its class and PostgreSQL code, never the database's text.
    expect(letter.error).toMatch(/^QueryFailedError \(PostgreSQL P0001/);
    expect(letter.error).not.toContain('dead-letter probe');
    expect(new Date(letter.deadLetteredAt).getTime()).not.toBeNaN();
    const eventId = letter.payload.eventId as string;
    const operator = await users.headers(app.url, 'operator', 'cur-rostov');
    expect((await getJson(`${app.url}/api/v1/messages/${id}`, operator)).body.status).toBe('new');

    // A replay needs a reason: 400 naming it, and nothing is marked (nor sent: Kafka below has the original and one replay).
    const noReason = await postJson(`${app.url}/api/v1/dead-letters/${letter.id}/replay`, {}, admin);
    expect(noReason.status).toBe(400);
    expect(new Set(noReason.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['reason']));
    expect((await db.query(`SELECT replayed_at FROM dead_letter WHERE id = $1`, [letter.id])).rows[0].replayed_at).toBeNull();

    // The cause is fixed.
    await db.query(`DROP TRIGGER test_dead_letter_probe ON message`);
    const reason = 'Сбой триггера устранён';
    // The replay's request under an id of its own: the event keeps the one it began with.
    const replayCorrelation = randomUUID();
    const replayed = await postJson(`${app.url}/api/v1/dead-letters/${letter.id}/replay`, { reason }, { ...admin, 'X-Correlation-Id': replayCorrelation });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ id: letter.id, replayable: false, replay: { by: testLogin('admin'), reason, at: expect.any(String) } });

    // The same event (its id unchanged) reaches triage again, which handles it now.
    const triaged = await expectEventually(async () => {
      const { body } = await getJson(`${app.url}/api/v1/messages/${id}`, operator);
      expect(['assigned', 'needs_triage']).toContain(body.status);
      return body;
    }, 60_000);
    expect(triaged.history.map((h: { type: string }) => h.type)).toEqual(['received', triaged.status === 'assigned' ? 'routed' : 'needs-triage']);
    expect(triaged.history[1]).toMatchObject({ actor: 'system:triage' });
    const processed = await db.query(`SELECT consumer FROM processed_event WHERE event_id = $1`, [eventId]);
    expect(processed.rows).toEqual([{ consumer: 'triage' }]);

    const again = await postJson(`${app.url}/api/v1/dead-letters/${letter.id}/replay`, { reason: 'ещё раз' }, admin);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/Уже отправлено повторно/);
    // In Kafka: the original record and the one replay, the same event (its id kept).
    const published = await KafkaEvents.start(infra.kafkaBrokers, ['cur.message.received']);
    try {
      await published.afterRelay(db, `key = $1`, [id]);
      expect(published.of('cur.message.received', id).map((e) => e.value.eventId)).toEqual([eventId, eventId]);
      expect(published.of('cur.message.received', id).map((e) => e.headers['x-correlation-id'])).toEqual([postCorrelation, postCorrelation]);
    } finally {
      await published.stop();
    }

    // The list shows who replayed it and why; it is no longer pending.
    expect((await listAll('state=pending')).some((d) => d.id === letter.id)).toBe(false);
    const shown = (await listAll('state=replayed&topic=cur.message.received')).find((d) => d.id === letter.id);
    expect(shown.replay).toEqual({ by: testLogin('admin'), reason, at: replayed.body.replay.at });
  });

  it('shows an admin only what the topic contract declares: fields outside it and records that are not the contract are withheld', async () => {
    const kafka = new Kafka({ clientId: 'dead-letters-test', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const missing = randomUUID();
    const phone = `+7 900 ${String(Date.now()).slice(-7)}`;
    const poisonKey = `dl-poison-${RUN}`;
    await producer.send({
      topic: 'cur.message.received',
      messages: [
        // The contract's event for a message that does not exist, with a field the contract does not have.
        {
          key: missing,
          value: JSON.stringify({
            eventId: randomUUID(),
            type: 'message.received',
            version: 1,
            occurredAt: new Date().toISOString(),
            region: '61',
            messageId: missing,
            channel: 'pos',
            applicantPhone: phone,
          }),
        },
        { key: poisonKey, value: JSON.stringify({ text: `Иванов Иван, ${phone}` }) },
      ],
    });
    await producer.disconnect();

    const [extra, poison] = await expectEventually(async () => {
      const all = await listAll('state=pending&topic=cur.message.received');
      const found = [all.find((d) => d.key === missing), all.find((d) => d.key === poisonKey)];
      expect(found.every(Boolean)).toBe(true);
      return found;
    }, 120_000);
    expect(extra).toMatchObject({ attempts: 2, payload: { messageId: missing, channel: 'pos' }, payloadWithheld: null, replayable: true });
    expect(extra.error).toMatch(/not found/);
    expect(extra.payload).not.toHaveProperty('applicantPhone');
    expect(poison).toMatchObject({ attempts: 1, payload: null, replayable: true });
    expect(poison.payloadWithheld).toMatch(/не соответствует контракту/);
    expect(poison.error).toMatch(/MessageReceivedV1 invalid/);
    expect(JSON.stringify([extra, poison])).not.toContain(phone.slice(-7));
  });

  it('replays every pending dead letter of a topic, each once with its key and value; a record that was not JSON is not replayable', async () => {
    // Rows as the bus writes them, on a topic of this suite alone, so the replay touches nobody else's.
    const topic = `test.dead-letters.${RUN}`;
    const rows = [
      { key: `k1-${RUN}`, payload: { n: 1 }, json: true },
      { key: `k2-${RUN}`, payload: { n: 2 }, json: true },
      { key: `k3-${RUN}`, payload: { unparsable: Buffer.from('not json').toString('base64') }, json: false },
    ];
    for (const [i, r] of rows.entries()) {
      await db.query(
        `INSERT INTO dead_letter (id, consumer, topic, partition, "offset", key, payload, payload_is_json, error, attempts, dead_lettered_at, source_ref)
         VALUES ($1, 'test', $2, 0, $3, $4, $5, $6, 'Error: test', 1, now(), NULL)`,
        [randomUUID(), topic, String(i), r.key, JSON.stringify(r.payload), r.json],
      );
    }
    const listed = await listAll(`topic=${topic}`);
    expect(listed.map((d) => d.key)).toEqual([`k3-${RUN}`, `k2-${RUN}`, `k1-${RUN}`]);
    expect(listed.map((d) => d.replayable)).toEqual([false, true, true]);
    expect(listed[0]).toMatchObject({ payload: null, payloadWithheld: expect.stringMatching(/не JSON/) });

    for (const role of ['operator', 'executor', 'supervisor', 'head', 'organizer'] as const) {
      const headers = await users.headers(app.url, role, role === 'executor' || role === 'head' ? 'min-health' : 'cur-rostov');
      expect((await getJson(`${app.url}/api/v1/dead-letters`, headers)).status).toBe(403);
      expect((await postJson(`${app.url}/api/v1/dead-letters/replay`, { topic, reason: 'x' }, headers)).status).toBe(403);
      expect((await postJson(`${app.url}/api/v1/dead-letters/${listed[1].id}/replay`, { reason: 'x' }, headers)).status).toBe(403);
    }

    const reason = 'Потребитель исправлен';
    const all = await postJson(`${app.url}/api/v1/dead-letters/replay`, { topic, reason }, admin);
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ replayed: 2, ids: [listed[2].id, listed[1].id], remaining: 0 });
    const nothingLeft = await postJson(`${app.url}/api/v1/dead-letters/replay`, { topic, reason }, admin);
    expect(nothingLeft.body).toMatchObject({ replayed: 0, remaining: 0 });
    const notJson = await postJson(`${app.url}/api/v1/dead-letters/${listed[0].id}/replay`, { reason }, admin);
    expect(notJson.status).toBe(409);
    expect(notJson.body.message).toMatch(/не было JSON/);

    // On the topic, with their keys and values, once each.
    const kafka = new Kafka({ clientId: 'dead-letters-reader', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `dead-letters-reader-${RUN}` });
    await expectEventually(async () => {
      const admin = kafka.admin();
      await admin.connect();
      const topics = await admin.listTopics();
      await admin.disconnect();
      expect(topics).toContain(topic);
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: { key: string; value: unknown }[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => {
          seen.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) });
          if (seen.length >= 2) resolve();
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(seen.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: `k1-${RUN}`, value: { n: 1 } },
      { key: `k2-${RUN}`, value: { n: 2 } },
    ]);
    const marked = (await listAll(`topic=${topic}&state=replayed`)).map((d) => d.replay);
    expect(marked).toEqual([expect.objectContaining({ by: testLogin('admin'), reason }), expect.objectContaining({ by: testLogin('admin'), reason })]);
  });

  it('refuses a bad query or body naming the field', async () => {
    const bad = await getJson(`${app.url}/api/v1/dead-letters?state=maybe&limit=0&cursor=abc`, admin);
    expect(bad.status).toBe(400);
    expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['state', 'limit', 'cursor']));
    expect((await postJson(`${app.url}/api/v1/dead-letters/not-a-uuid/replay`, { reason: 'x' }, admin)).status).toBe(400);
    expect((await postJson(`${app.url}/api/v1/dead-letters/${randomUUID()}/replay`, { reason: 'x' }, admin)).status).toBe(404);
    const extra = await postJson(`${app.url}/api/v1/dead-letters/replay`, { reason: 'x', everything: true }, admin);
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0].field).toBe('everything');
  });
});
