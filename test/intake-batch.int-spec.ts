import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { API_KEY, portalMessage, postJson } from './support/http';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { KafkaEvents } from './support/kafka-events';

/**
 * Intake at speed (issue 15): concurrent requests share a transaction (group commit) and each is
 * answered after it; integrations send up to 1,000 messages per request; with
 * CUR_TRIAGE_IN_INTAKE intake decides in its own transaction; a correlation id follows a message
 * from its request into the Kafka headers of its events.
 */
describe('intake: group commit, batches, triage in intake, correlation', () => {
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

  describe('with the triage consumer', () => {
    const env = {
      KAFKA_GROUP_PREFIX: `intake-batch-${Date.now()}`,
      CUR_INTAKE_API_KEYS: `${API_KEY}=*;limited-key=portal-a|portal-b`,
      // Long enough that the concurrent requests below surely share groups.
      CUR_INTAKE_BATCH_WAIT_MS: '20',
    };
    let intake: ServiceProcess;
    let triage: ServiceProcess;

    beforeAll(async () => {
      [intake, triage] = await Promise.all([startService('intake', infra, env), startService('triage', infra, env)]);
    });

    afterAll(async () => {
      await Promise.all([intake?.stop(), triage?.stop()]);
    });

    it('answers concurrent repeats of one (source, externalId) with the first id: one 201, the others 200, one message stored', async () => {
      const source = `group-${randomUUID().slice(0, 8)}`;
      const same = portalMessage({ source, externalId: 'same' });
      const others = Array.from({ length: 30 }, (_, i) => portalMessage({ source, externalId: `other-${i}` }));
      const answers = await Promise.all([...Array.from({ length: 10 }, () => same), ...others].map((m) => postJson(`${intake.url}/api/v1/messages`, m)));

      const repeats = answers.slice(0, 10);
      expect(repeats.filter((r) => r.status === 201)).toHaveLength(1);
      expect(repeats.filter((r) => r.status === 200)).toHaveLength(9);
      expect(new Set(repeats.map((r) => r.body.id)).size).toBe(1);
      expect(answers.slice(10).every((r) => r.status === 201)).toBe(true);
      // Every 201 was answered after its commit: a reader sees the row at once.
      const { rows } = await db.query(`SELECT external_id FROM message WHERE source = $1`, [source]);
      expect(rows).toHaveLength(31);
      // One message, one history: a repeat wrote nothing.
      const history = await db.query(`SELECT count(*)::int AS n FROM message_event WHERE message_id = $1 AND type = 'received'`, [repeats[0].body.id]);
      expect(history.rows[0].n).toBe(1);
    });

    it('takes up to 1,000 messages in one request and answers per item: 201, 200 for a known one, 400 naming the field of an invalid one', async () => {
      const source = `batch-${randomUUID().slice(0, 8)}`;
      const known = await postJson(`${intake.url}/api/v1/messages`, portalMessage({ source, externalId: 'known' }));
      expect(known.status).toBe(201);
      const messages = [
        portalMessage({ source, externalId: 'a' }),
        portalMessage({ source, externalId: 'known' }),
        { ...portalMessage({ source, externalId: 'bad' }), text: '' },
        portalMessage({ source, externalId: 'a' }), // the same key twice in one request
        { ...portalMessage({ source, externalId: 'extra' }), unknownField: 1 },
        ...Array.from({ length: 995 }, (_, i) => portalMessage({ source, externalId: `n-${i}` })),
      ];
      const res = await postJson(`${intake.url}/api/v1/messages:batch`, { messages });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ created: 996, existing: 2, invalid: 2 });
      const [a, k, bad, again, extra] = res.body.results;
      expect(a).toEqual({ index: 0, status: 201, id: expect.any(String), messageStatus: 'new' });
      expect(k).toEqual({ index: 1, status: 200, id: known.body.id, messageStatus: expect.any(String) });
      expect(bad).toEqual({ index: 2, status: 400, errors: [expect.objectContaining({ field: 'messages[2].text' })] });
      expect(again).toMatchObject({ index: 3, status: 200, id: a.id });
      expect(extra).toMatchObject({ index: 4, status: 400, errors: [expect.objectContaining({ field: 'messages[4].unknownField' })] });
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM message WHERE source = $1`, [source]);
      expect(rows[0].n).toBe(997); // known + a + 995; nothing of the invalid ones
      await expectEventually(async () => {
        const decided = await db.query(`SELECT count(*)::int AS n FROM message WHERE source = $1 AND status <> 'new'`, [source]);
        expect(decided.rows[0].n).toBe(997);
      }, 60_000);
    });

    it('writes concurrent batch requests in shared transactions, each answered per item after its commit', async () => {
      const source = `batches-${randomUUID().slice(0, 8)}`;
      const requests = Array.from({ length: 8 }, (_, r) => ({
        messages: Array.from({ length: 10 }, (_, i) => portalMessage({ source, externalId: `r${r}-${i}` })),
      }));
      const answers = await Promise.all(requests.map((body) => postJson(`${intake.url}/api/v1/messages:batch`, body)));
      expect(answers.map((a) => [a.status, a.body.created])).toEqual(requests.map(() => [200, 10]));
      // The received entries are never updated: their xmin is the transaction that wrote them.
      const { rows } = await db.query(
        `SELECT count(*)::int AS messages, count(DISTINCT e.xmin::text)::int AS transactions
         FROM message_event e JOIN message m ON m.id = e.message_id WHERE m.source = $1 AND e.type = 'received'`,
        [source],
      );
      expect(rows[0].messages).toBe(80);
      expect(rows[0].transactions).toBeLessThan(8);
    });

    it('refuses a batch of more than 1,000, an empty one, and one with a source its key does not allow, storing nothing', async () => {
      const source = `refused-${randomUUID().slice(0, 8)}`;
      const many = await postJson(`${intake.url}/api/v1/messages:batch`, {
        messages: Array.from({ length: 1001 }, (_, i) => portalMessage({ source, externalId: `m-${i}` })),
      });
      expect(many.status).toBe(400);
      expect(many.body.errors).toEqual([expect.objectContaining({ field: 'messages' })]);
      expect((await postJson(`${intake.url}/api/v1/messages:batch`, { messages: [] })).status).toBe(400);
      expect((await postJson(`${intake.url}/api/v1/messages:batch`, { messages: 'x' })).status).toBe(400);

      const limited = { 'X-Api-Key': 'limited-key' };
      const mixed = await postJson(
        `${intake.url}/api/v1/messages:batch`,
        { messages: [portalMessage({ source: 'portal-a', externalId: `${source}-1` }), portalMessage({ source, externalId: `${source}-2` })] },
        limited,
      );
      expect(mixed.status).toBe(403);
      expect(mixed.body.errors).toEqual([expect.objectContaining({ field: 'messages[1].source' })]);
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM message WHERE source = $1 OR external_id LIKE $2`, [source, `${source}-%`]);
      expect(rows[0].n).toBe(0);
      const allowed = await postJson(
        `${intake.url}/api/v1/messages:batch`,
        { messages: [portalMessage({ source: 'portal-b', externalId: `${source}-3` })] },
        limited,
      );
      expect(allowed.body.results[0].status).toBe(201);
    });

    it('carries the correlation id of the request into the Kafka headers of the message events, triage’s too', async () => {
      const correlationId = randomUUID();
      const res = await postJson(`${intake.url}/api/v1/messages`, portalMessage(), { 'X-Api-Key': API_KEY, 'X-Correlation-Id': correlationId });
      expect(res.status).toBe(201);
      // A caller's id that is not a UUID is replaced: it could carry anything, personal data too.
      const replaced = await fetch(`${intake.url}/api/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Api-Key': API_KEY, 'X-Correlation-Id': '+79001234567' },
        body: JSON.stringify(portalMessage()),
      });
      expect(replaced.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);

      // Every event of the message, intake's and triage's, in Kafka with the request's correlation id in its headers.
      const published = await KafkaEvents.start(infra.kafkaBrokers, ['cur.message.received', 'cur.message.events', 'cur.message.routed']);
      try {
        await expectEventually(() => expect(published.distinct('cur.message.routed', res.body.id)).toHaveLength(1), 30_000);
        await published.afterRelay(db, `key = $1`, [res.body.id]);
        const events = published.seen.filter((e) => e.key === res.body.id);
        expect(events.map((e) => e.topic)).toEqual(expect.arrayContaining(['cur.message.received', 'cur.message.events', 'cur.message.routed']));
        for (const e of events) expect(e.headers).toEqual({ 'x-correlation-id': correlationId });
      } finally {
        await published.stop();
      }
    });
  });

  describe('triage in intake (CUR_TRIAGE_IN_INTAKE)', () => {
    // Two messages per transaction, and time enough for two concurrent requests to share one: repeats
    // of a key are decided in transactions of their own, and two requests' messages in one.
    const env = {
      KAFKA_GROUP_PREFIX: `in-intake-${Date.now()}`,
      CUR_TRIAGE_IN_INTAKE: 'true',
      CUR_INTAKE_BATCH_MAX: '2',
      CUR_INTAKE_BATCH_WAIT_MS: '100',
    };
    let intake: ServiceProcess;
    let triage: ServiceProcess;

    beforeAll(async () => {
      [intake, triage] = await Promise.all([startService('intake', infra, env), startService('triage', infra, env)]);
    });

    afterAll(async () => {
      await Promise.all([intake?.stop(), triage?.stop()]);
    });

    it('answers with the decision, decided once: the consumer that still runs skips what intake triaged', async () => {
      const source = `in-intake-${randomUUID().slice(0, 8)}`;
      const one = await postJson(`${intake.url}/api/v1/messages`, portalMessage({ source, externalId: 'one' }));
      expect(one.status).toBe(201);
      expect(one.body.status).toBe('assigned'); // the pothole in Таганрог, routed before the answer

      const batch = await postJson(`${intake.url}/api/v1/messages:batch`, {
        messages: [portalMessage({ source, externalId: 'two' }), portalMessage({ source, externalId: 'three', text: 'Спасибо!' })],
      });
      expect(batch.body.results.map((r: { messageStatus: string }) => r.messageStatus)).toEqual(['assigned', 'needs_triage']);

      // The received events say so, and the consumer passes them by (its offsets move past them) without a transaction.
      const ids = [one.body.id, ...batch.body.results.map((r: { id: string }) => r.id)];
      const published = await KafkaEvents.start(infra.kafkaBrokers, ['cur.message.received']);
      const admin = new Kafka({ clientId: 'in-intake-test', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        await published.afterRelay(db, `key = ANY($1)`, [ids]);
        const received = ids.flatMap((id) => published.distinct('cur.message.received', id));
        expect(received).toHaveLength(3);
        expect(received.map((e) => e.headers['x-cur-decided-by'])).toEqual(['intake', 'intake', 'intake']);
        await expectEventually(async () => {
          const [{ partitions }] = await admin.fetchOffsets({ groupId: `${env.KAFKA_GROUP_PREFIX}-triage`, topics: ['cur.message.received'] });
          for (const e of received) expect(Number(partitions.find((p) => p.partition === e.partition)?.offset ?? -1)).toBeGreaterThan(Number(e.offset));
        }, 30_000);
        const eventIds = received.map((e) => e.value.eventId as string);
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM processed_event WHERE consumer = 'triage' AND event_id = ANY($1)`, [eventIds]);
        expect(rows[0].n).toBe(0);
      } finally {
        await admin.disconnect();
        await published.stop();
      }
      const { rows } = await db.query(
        `SELECT m.external_id, count(e.*) FILTER (WHERE e.type IN ('routed', 'needs-triage'))::int AS decisions
           FROM message m LEFT JOIN message_event e ON e.message_id = m.id
          WHERE m.source = $1 GROUP BY m.external_id ORDER BY m.external_id`,
        [source],
      );
      expect(rows).toEqual([
        { external_id: 'one', decisions: 1 },
        { external_id: 'three', decisions: 1 },
        { external_id: 'two', decisions: 1 },
      ]);
      const clocks = await db.query(`SELECT count(*)::int AS n FROM sla_clock c JOIN message m ON m.id = c.message_id WHERE m.source = $1`, [source]);
      expect(clocks.rows[0].n).toBeGreaterThan(0); // the deadlines started in intake's transaction
      // A routed message has one answer clock, and its due date is that clock's (the clocks of a message stored in the same transaction start from none).
      const answer = await db.query(
        `SELECT m.external_id, count(c.*)::int AS clocks, bool_and(c.due_at = m.due_at) AS same_due
           FROM message m JOIN sla_clock c ON c.message_id = m.id AND c.kind = 'final_answer'
          WHERE m.source = $1 AND m.status = 'assigned' GROUP BY m.external_id ORDER BY m.external_id`,
        [source],
      );
      expect(answer.rows).toEqual([
        { external_id: 'one', clocks: 1, same_due: true },
        { external_id: 'two', clocks: 1, same_due: true },
      ]);
    });

    it('writes a decided message once, and keeps nothing of the decisions of a repeat that another transaction stored first', async () => {
      const source = `once-${randomUUID().slice(0, 8)}`;
      // Counts the updates of this test's message rows (none expected: the decision is in the row inserted).
      await db.query(`CREATE TABLE IF NOT EXISTS test_message_update (source text NOT NULL)`);
      await db.query(`CREATE OR REPLACE FUNCTION test_count_message_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO test_message_update VALUES (NEW.source); RETURN NULL; END $$`);
      await db.query(
        `CREATE TRIGGER test_count_message_update AFTER UPDATE ON message FOR EACH ROW WHEN (NEW.source LIKE 'once-%') EXECUTE FUNCTION test_count_message_update()`,
      );
      const published = await KafkaEvents.start(infra.kafkaBrokers, ['cur.message.received', 'cur.message.routed', 'cur.message.events'], { fromNow: true });
      const [{ last }] = (await db.query(`SELECT coalesce(max(id), 0) AS last FROM report_fact`)).rows;
      try {
        const same = portalMessage({ source, externalId: 'same' });
        const routedBefore = await routedDecisions(intake.url);
        const answers = await Promise.all(Array.from({ length: 8 }, () => postJson(`${intake.url}/api/v1/messages`, same)));
        expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
        const id = answers.find((a) => a.status === 201)!.body.id;
        expect(new Set(answers.map((a) => a.body.id))).toEqual(new Set([id]));
        expect(answers.every((a) => a.body.status === 'assigned')).toBe(true);
        // Counted once: the repeats' decisions were dropped with them.
        expect((await routedDecisions(intake.url)) - routedBefore).toBe(1);

        const updates = await db.query(`SELECT count(*)::int AS n FROM test_message_update WHERE source = $1`, [source]);
        expect(updates.rows[0].n).toBe(0);
        const [row] = (await db.query(`SELECT id, status, version, organization_id, due_at FROM message WHERE source = $1`, [source])).rows;
        expect(row).toMatchObject({ id, status: 'assigned', version: 2 });
        expect(row.organization_id).not.toBeNull();
        // One admission and one decision, in that order; one answer clock; the events of one message.
        const history = await db.query(`SELECT type, from_status, to_status FROM message_event WHERE message_id = $1 ORDER BY id`, [id]);
        expect(history.rows).toEqual([
          { type: 'received', from_status: null, to_status: 'new' },
          { type: 'routed', from_status: 'new', to_status: 'assigned' },
        ]);
        const clocks = await db.query(`SELECT kind, due_at FROM sla_clock WHERE message_id = $1 AND kind = 'final_answer'`, [id]);
        expect(clocks.rows).toHaveLength(1);
        expect(clocks.rows[0].due_at).toEqual(row.due_at);
        // The repeats' decisions left nothing behind: no facts or events of a message that was not stored.
        const facts = await db.query(`SELECT DISTINCT message_id FROM report_fact WHERE id > $1`, [last]);
        expect(facts.rows).toEqual([{ message_id: id }]);
        await published.afterRelay(db, `key = $1`, [id]);
        expect(published.distinct('cur.message.received', id)).toHaveLength(1);
        expect(published.distinct('cur.message.routed', id)).toHaveLength(1);
        expect(published.distinct('cur.message.events', id).map((e) => e.value.toStatus)).toEqual(['new', 'assigned']);
        expect(new Set(published.seen.map((e) => e.key))).toEqual(new Set([id]));
      } finally {
        await published.stop();
        await db.query(`DROP TRIGGER test_count_message_update ON message`);
      }
    });

    it("gives the events of each message decided in a shared transaction its own request's correlation id", async () => {
      const source = `shared-${randomUUID().slice(0, 8)}`;
      const published = await KafkaEvents.start(infra.kafkaBrokers, ['cur.message.received', 'cur.message.routed', 'cur.message.events'], { fromNow: true });
      try {
        // Two concurrent requests, until a pair shares a transaction (the first almost always does: the group waits 100 ms for a second).
        const sent: { id: string; correlation: string }[] = [];
        let shared = false;
        for (let attempt = 0; attempt < 5 && !shared; attempt++) {
          const correlations = [randomUUID(), randomUUID()];
          const answers = await Promise.all(
            correlations.map((c, i) =>
              postJson(`${intake.url}/api/v1/messages`, portalMessage({ source, externalId: `m-${attempt}-${i}` }), {
                'X-Api-Key': API_KEY,
                'X-Correlation-Id': c,
              }),
            ),
          );
          expect(answers.map((a) => [a.status, a.body.status])).toEqual([
            [201, 'assigned'],
            [201, 'assigned'],
          ]);
          const ids = answers.map((a) => a.body.id as string);
          ids.forEach((id, i) => sent.push({ id, correlation: correlations[i] }));
          const { rows } = await db.query(`SELECT count(DISTINCT xmin::text)::int AS n FROM message_event WHERE message_id = ANY($1) AND type = 'received'`, [
            ids,
          ]);
          shared = rows[0].n === 1;
        }
        expect(shared).toBe(true);
        await published.afterRelay(db, `key = ANY($1)`, [sent.map((m) => m.id)]);
        for (const { id, correlation } of sent) {
          const events = published.seen.filter((e) => e.key === id);
          expect(events.map((e) => e.topic).sort()).toEqual(['cur.message.events', 'cur.message.events', 'cur.message.received', 'cur.message.routed']);
          for (const e of events) expect([e.topic, e.headers['x-correlation-id']]).toEqual([e.topic, correlation]);
        }
      } finally {
        await published.stop();
      }
    });
  });
});

/** Intake's count of triage decisions that routed a message (its /metrics is open). */
async function routedDecisions(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^cur_triage_decisions_total\{outcome="routed"[^}]*\} (\d+)$/m.exec(text)?.[1] ?? 0);
}
