import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { buildPosExportXlsx, samplePosRow } from './fixtures/pos-export.fixture';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { API_KEY, getJson, portalMessage, postJson } from './support/http';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { KafkaEvents } from './support/kafka-events';
import { TestUsers, testLogin } from './support/users';

/**
 * The distributed mode end to end: intake, triage and api as separate processes, real Kafka
 * between them, real PostgreSQL underneath.
 */
describe('message pipeline over Kafka and PostgreSQL', () => {
  let infra: Infrastructure;
  let intake: ServiceProcess;
  let triage: ServiceProcess;
  let api: ServiceProcess;
  let db: Client;
  let users: TestUsers;
  /** A supervisor: sees every message, personal data masked. */
  let reader: Record<string, string>;
  const group = `pipeline-${Date.now()}`;

  beforeAll(async () => {
    infra = readInfrastructure();
    const env = { KAFKA_GROUP_PREFIX: group, CUR_MAX_DELIVERY_ATTEMPTS: '3', CUR_RETRY_BACKOFF_MS: '20' };
    [intake, triage, api] = await Promise.all([startService('intake', infra, env), startService('triage', infra, env), startService('api', infra, env)]);
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    users = await TestUsers.connect(infra.databaseUrl);
    reader = await users.headers(api.url, 'supervisor', 'cur-rostov');
  });

  afterAll(async () => {
    await Promise.all([intake?.stop(), triage?.stop(), api?.stop()]);
    await users?.close();
    await db?.end();
  });

  async function routed(id: string) {
    return expectEventually(async () => {
      const { status, body } = await getJson(`${api.url}/api/v1/messages/${id}`, reader);
      expect(status).toBe(200);
      expect(['assigned', 'needs_triage']).toContain(body.status);
      return body;
    });
  }

  it('routes a portal message about a pothole in Таганрог to the city administration with a due date', async () => {
    const res = await postJson(`${intake.url}/api/v1/messages`, portalMessage());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), status: 'new' });

    const message = await routed(res.body.id);
    expect(message).toMatchObject({
      status: 'assigned',
      channel: 'pos',
      category: { code: 'pos.roads' },
      territory: { id: 'taganrog' },
      organization: { id: 'adm-taganrog', name: 'Администрация города Таганрога' },
    });
    // The services' clock starts Monday 2 March 2026 09:00 MSK. 10 working days: 3–6 March, 9 March is the day off
    // for 8 March (a Sunday), 10–13 and 16–17 March → Tuesday 17 March, office close 18:00 MSK.
    expect(message.dueAt).toBe('2026-03-17T15:00:00.000Z');
    expect(message.history.map((h: { type: string }) => h.type)).toEqual(['received', 'routed']);
    expect(message.history[1]).toMatchObject({ fromStatus: 'new', toStatus: 'assigned', actor: 'system:triage' });
  });

  it('publishes the routed event on cur.message.routed keyed by the message id', async () => {
    const res = await postJson(`${intake.url}/api/v1/messages`, portalMessage());
    await routed(res.body.id);
    const kafka = new Kafka({ clientId: 'test-reader', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `reader-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'cur.message.routed', fromBeginning: true });
    const found = new Promise<{ key: string; value: any }>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => {
          if (message.key?.toString() === res.body.id) resolve({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) });
          return Promise.resolve();
        },
      });
    });
    const event = await found;
    await consumer.disconnect();
    expect(event.value).toMatchObject({
      type: 'message.routed',
      version: 1,
      messageId: res.body.id,
      organizationId: 'adm-taganrog',
      categoryCode: 'pos.roads',
      region: '61',
    });
    expect(JSON.stringify(event.value)).not.toContain('яма'); // events carry ids, not texts
  });

  it('returns the same id for the same (source, externalId) and stores nothing new', async () => {
    const body = portalMessage();
    const first = await postJson(`${intake.url}/api/v1/messages`, body);
    const again = await postJson(`${intake.url}/api/v1/messages`, { ...body, text: 'другой текст' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const { rows } = await db.query(`SELECT count(*)::int AS n, max(text) AS text FROM message WHERE source = $1 AND external_id = $2`, [
      body.source,
      body.externalId,
    ]);
    expect(rows[0]).toEqual({ n: 1, text: body.text });
    // One received event, in Kafka once the relay published it.
    const events = await KafkaEvents.start(infra.kafkaBrokers, ['cur.message.received']);
    try {
      await events.afterRelay(db, `key = $1`, [first.body.id]);
      expect(events.distinct('cur.message.received', first.body.id)).toHaveLength(1);
    } finally {
      await events.stop();
    }
  });

  it('keeps the applicant in its own table: shown to the operator and the handling organization (each showing recorded), masked for others, hidden from other organizations', async () => {
    const res = await postJson(
      `${intake.url}/api/v1/messages`,
      portalMessage({ applicant: { name: 'Смирнова Анна Игоревна', phone: '+79001112233', email: 'anna@example.ru' } }),
    );
    const stored = await db.query(`SELECT name, phone, email FROM applicant WHERE message_id = $1`, [res.body.id]);
    expect(stored.rows[0]).toEqual({ name: 'Смирнова Анна Игоревна', phone: '+79001112233', email: 'anna@example.ru' });
    const message = await routed(res.body.id);
    expect(message.organization.id).toBe('adm-taganrog');
    expect(message.applicant).toEqual({ name: 'С******* А. И.', phone: '+790******33', email: 'a***@example.ru', epguId: null, masked: true });
    const open = { name: 'Смирнова Анна Игоревна', phone: '+79001112233', email: 'anna@example.ru', epguId: null, masked: false };
    const url = `${api.url}/api/v1/messages/${res.body.id}`;
    expect((await getJson(url, await users.headers(api.url, 'operator', 'cur-rostov'))).body.applicant).toEqual(open);
    expect((await getJson(url, await users.headers(api.url, 'executor', 'adm-taganrog'))).body.applicant).toEqual(open);
    expect((await getJson(url, await users.headers(api.url, 'executor', 'min-health'))).status).toBe(404);
    const log = (await getJson(`${url}/personal-data-access`, reader)).body.items;
    expect(log.map((r: any) => [r.actor, r.organization?.id ?? null, r.purpose, r.fields])).toEqual([
      [testLogin('operator', 'cur-rostov'), 'cur-rostov', 'message-view', ['name', 'phone', 'email']],
      [testLogin('executor', 'adm-taganrog'), 'adm-taganrog', 'message-view', ['name', 'phone', 'email']],
    ]);
  });

  describe('bad input is a 4xx naming the field, and nothing is stored', () => {
    const source = `bad-input-${Date.now()}`;
    const cases: [string, unknown, number, string[]][] = [
      ['malformed JSON', '{"channel": "pos", ', 400, []],
      ['a JSON array', '[]', 400, []],
      ['missing fields', {}, 400, ['channel', 'source', 'externalId', 'text', 'createdAt']],
      ['wrong types', { ...portalMessage({ source }), text: 42, importance: true, applicant: 'Иванов' }, 400, ['text', 'importance', 'applicant']],
      ['unknown channel', portalMessage({ source, channel: 'fax' }), 400, ['channel']],
      ['unknown importance', portalMessage({ source, importance: 'urgent' }), 400, ['importance']],
      ['impossible date', portalMessage({ source, createdAt: '2025-02-30T10:00:00+03:00' }), 400, ['createdAt']],
      ['date without zone', portalMessage({ source, createdAt: '2025-02-03T10:00:00' }), 400, ['createdAt']],
      ['bad e-mail', portalMessage({ source, applicant: { email: 'not-an-email' } }), 400, ['applicant.email']],
      ['unknown field', portalMessage({ source, priority: 1 }), 400, ['priority']],
      ['empty text', portalMessage({ source, text: '' }), 400, ['text']],
      ['text over 20,000 characters', portalMessage({ source, text: 'я'.repeat(20_001) }), 400, ['text']],
      ['body over 1 MB', portalMessage({ source, text: 'x'.repeat(1_100_000) }), 413, []],
    ];

    it.each(cases)('%s', async (_name, body, status, fields) => {
      const res = await postJson(`${intake.url}/api/v1/messages`, body);
      expect(res.status).toBe(status);
      expect(res.body.code).toEqual(expect.any(String));
      const named = (res.body.errors ?? []).map((e: { field: string }) => e.field);
      for (const field of fields) expect(named).toContain(field);
    });

    it('rejects a missing or unknown API key with 401', async () => {
      expect((await postJson(`${intake.url}/api/v1/messages`, portalMessage({ source }), {})).status).toBe(401);
      expect((await postJson(`${intake.url}/api/v1/messages`, portalMessage({ source }), { 'X-Api-Key': 'nope' })).status).toBe(401);
    });

    afterAll(async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM message WHERE source = $1`, [source]);
      expect(rows[0].n).toBe(0);
    });
  });

  it('stores hostile but valid text exactly as sent', async () => {
    const texts = [
      "Robert'); DROP TABLE message;-- и ещё ' OR 1=1 --",
      'Эмодзи 🚧🕳️👷‍♀️ и флаг 🇷🇺',
      'Справа-налево: \u202Eтекст\u202C и \u200Fметка',
      'Нулевой\u200Bширины\u200D\uFEFFсимволы',
      '«Ёлочки», "кавычки", `обратные` и \\ слэш',
      '<script>alert("x")</script><b>срочно</b> &amp; &lt;',
      'Строка\r\nс переводами\tи табуляцией\u0085',
    ];
    for (const text of texts) {
      const res = await postJson(`${intake.url}/api/v1/messages`, portalMessage({ text }));
      expect(res.status).toBe(201);
      const { body } = await getJson(`${api.url}/api/v1/messages/${res.body.id}`, reader);
      expect(body.text).toBe(text);
    }
  });

  it('dead-letters poison events after bounded retries and keeps consuming every partition', async () => {
    const kafka = new Kafka({ clientId: 'test-poison', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    const [{ partitions }] = (await admin.fetchTopicMetadata({ topics: ['cur.message.received'] })).topics;
    await admin.disconnect();
    const missingId = '00000000-0000-4000-8000-000000000001';
    // The dead letters from now on: the topic is shared by the run, and other suites dead-letter the same keys.
    const dlq = await KafkaEvents.start(infra.kafkaBrokers, ['cur.message.received.dlq'], { fromNow: true });
    // One unparsable-as-event record and one for a message that does not exist, on every partition.
    await producer.send({
      topic: 'cur.message.received',
      messages: partitions.flatMap(({ partitionId }) => [
        { partition: partitionId, key: `poison-${partitionId}`, value: JSON.stringify({ hello: 'world' }) },
        {
          partition: partitionId,
          key: missingId,
          value: JSON.stringify({
            eventId: `00000000-0000-4000-8000-0000000001${String(partitionId).padStart(2, '0')}`,
            type: 'message.received',
            version: 1,
            occurredAt: new Date().toISOString(),
            region: '61',
            messageId: missingId,
            channel: 'pos',
          }),
        },
      ]),
    });
    await producer.disconnect();

    const posted = await Promise.all(Array.from({ length: 12 }, () => postJson(`${intake.url}/api/v1/messages`, portalMessage())));
    const seen = await (async () => {
      try {
        for (const res of posted) await routed(res.body.id);
        return await expectEventually(() => {
          const ours = dlq.seen
            .filter((e) => e.key.startsWith('poison-') || e.key === missingId)
            .map((e) => ({ key: e.key, error: e.headers['x-dlq-error'], attempts: e.headers['x-dlq-attempts'] }));
          expect(ours.length).toBeGreaterThanOrEqual(partitions.length * 2);
          return ours;
        }, 60_000);
      } finally {
        await dlq.stop();
      }
    })();
    const invalid = seen.filter((s) => s.key.startsWith('poison-'));
    const missing = seen.filter((s) => s.key === missingId);
    expect(invalid).toHaveLength(partitions.length);
    expect(invalid.every((s) => s.attempts === '1' && /MessageReceivedV1 invalid/.test(s.error))).toBe(true);
    expect(missing).toHaveLength(partitions.length);
    expect(missing.every((s) => s.attempts === '3' && /not found/.test(s.error))).toBe(true);
  });

  it('imports a ПОС export: good rows taken, bad rows reported, re-import idempotent, changes applied', async () => {
    const number = String(70_000_000 + (Date.now() % 1_000_000));
    const ours = { Номер: number, 'Организация, в которой находится сообщение': 'Администрация города Таганрога' };
    const rows = [
      samplePosRow(ours),
      samplePosRow({ Номер: '', 'Дата поступления': '01.02.2025' }),
      samplePosRow({ Номер: `${number}1`, 'Дата поступления': '31.02.2025' }),
      samplePosRow({ Номер: `${number}2`, 'Оценка ответа заявителем': 7 }),
      samplePosRow({ Номер: `${number}3`, 'Организация, в которой находится сообщение': 'ООО «Неизвестная организация»' }),
    ];
    const upload = async (buffer: Buffer) => {
      const form = new FormData();
      form.append('file', new Blob([buffer]), 'export.xlsx');
      const res = await fetch(`${intake.url}/api/v1/imports/pos`, { method: 'POST', headers: { 'X-Api-Key': API_KEY }, body: form });
      return { status: res.status, body: (await res.json()) as any };
    };
    const first = await upload(await buildPosExportXlsx(rows));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ imported: 2, skipped: 0 });
    expect(first.body.errors.map((e: { row: number }) => e.row).sort()).toEqual([3, 4, 5]);
    expect(first.body.errors.find((e: { row: number }) => e.row === 5).field).toMatch(/Оценка/);
    expect(first.body.unmappedOrganizations).toContain('ООО «Неизвестная организация»');

    const again = await upload(await buildPosExportXlsx(rows));
    expect(again.body).toMatchObject({ imported: 0, updated: 0, skipped: 2 });

    const changed = await upload(await buildPosExportXlsx([samplePosRow({ ...ours, 'Оценка ответа заявителем': 3 })]));
    expect(changed.body).toMatchObject({ imported: 0, updated: 1, skipped: 0 });
    const { rows: stored } = await db.query(
      `SELECT text, organization_id, pos->>'rating' AS rating FROM message WHERE source = 'pos-export' AND external_id = $1`,
      [number],
    );
    expect(stored).toEqual([{ text: null, organization_id: 'adm-taganrog', rating: '3' }]);

    const garbage = await upload(Buffer.from('not a spreadsheet'));
    expect(garbage.status).toBe(400);
  });

  it('lists messages newest first with filters and cursor pagination', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await postJson(`${intake.url}/api/v1/messages`, portalMessage())).body.id);
    for (const id of ids) await routed(id);
    const page1 = await getJson(`${api.url}/api/v1/messages?status=assigned&organizationId=adm-taganrog&limit=2`, reader);
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.items.every((m: { organization: { id: string } }) => m.organization.id === 'adm-taganrog')).toBe(true);
    const page2 = await getJson(`${api.url}/api/v1/messages?status=assigned&organizationId=adm-taganrog&limit=2&cursor=${page1.body.nextCursor}`, reader);
    expect(page2.body.items).toHaveLength(2);
    const all = [...page1.body.items, ...page2.body.items];
    expect(new Set(all.map((m: { id: string }) => m.id)).size).toBe(4);
    const times = all.map((m: { receivedAt: string }) => m.receivedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await getJson(`${api.url}/api/v1/messages?limit=500`, reader)).status).toBe(400);
    expect((await getJson(`${api.url}/api/v1/messages?status=lost`, reader)).status).toBe(400);
    expect((await getJson(`${api.url}/api/v1/messages/not-a-uuid`, reader)).status).toBe(400);
    expect((await getJson(`${api.url}/api/v1/messages/00000000-0000-4000-8000-00000000abcd`, reader)).status).toBe(404);
  });

  it('imports a ПОС export from the command line and reports rejected rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cur-cli-'));
    const file = join(dir, 'export.xlsx');
    const number = String(80_000_000 + (Date.now() % 1_000_000));
    writeFileSync(file, await buildPosExportXlsx([samplePosRow({ Номер: number }), samplePosRow({ Номер: `${number}9`, 'Дата поступления': '32.01.2025' })]));
    const run = spawnSync(process.execPath, [join(__dirname, '../dist/apps/intake/src/cli/import-pos.js'), '--file', file, '--url', intake.url], {
      encoding: 'utf8',
    });
    rmSync(dir, { recursive: true, force: true });
    expect(run.status).toBe(3);
    expect(run.stdout).toContain('Загружено новых: 1');
    expect(run.stdout).toMatch(/строка 3, «Дата поступления»/);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM message WHERE source = 'pos-export' AND external_id = $1`, [number]);
    expect(rows[0].n).toBe(1);
  });
});
