import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { getJson, portalMessage, postJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { TestUsers } from './support/users';

/**
 * A database error can quote what the caller sent (`invalid input syntax for type uuid:
 * "<input>"`). The service logs such an error by its class, PostgreSQL code and where it failed,
 * and never by its text: on the HTTP side and on the bus (the consumer's retries, the dead letter).
 * The errors are real PostgreSQL errors, provoked by triggers this test adds for its own rows.
 */
describe('database errors in the log', () => {
  let infra: Infrastructure;
  let app: ServiceProcess;
  let db: Client;
  let users: TestUsers;
  let log = '';
  /** What an attacker wrote, to be found nowhere in the log. */
  const MARKER = `db-error-probe-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    infra = readInfrastructure();
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    // A cast of the caller's text to uuid, as a careless query would do: PostgreSQL's error quotes it.
    await db.query(`
      CREATE OR REPLACE FUNCTION test_db_error_probe() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' AND NEW.external_id LIKE 'db-error-probe-%' THEN
          PERFORM NEW.external_id::uuid;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.text LIKE '%db-error-probe-%' AND NEW.status IS DISTINCT FROM OLD.status THEN
          PERFORM substring(NEW.text from 'db-error-probe-[0-9a-z-]+')::uuid;
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER test_db_error_probe BEFORE INSERT OR UPDATE ON message FOR EACH ROW EXECUTE FUNCTION test_db_error_probe()`);
    app = await startService('standalone', infra, {
      KAFKA_GROUP_PREFIX: `db-error-log-${Date.now()}`,
      CUR_DEMO_STREAM: 'false',
      CUR_MAX_DELIVERY_ATTEMPTS: '2',
      CUR_RETRY_BACKOFF_MS: '20',
    });
    app.process.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    app.process.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    users = await TestUsers.connect(infra.databaseUrl);
  });

  afterAll(async () => {
    await app?.stop();
    await db?.query(`DROP TRIGGER IF EXISTS test_db_error_probe ON message`);
    await db?.query(`DROP FUNCTION IF EXISTS test_db_error_probe()`);
    await db?.end();
    await users?.close();
  });

  const errorLines = () =>
    log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; message: string; context?: string })
      .filter((entry) => entry.level === 'error');

  it('an HTTP request: a 500 logged with the route, the error class and its PostgreSQL code, not the input', async () => {
    const res = await postJson(`${app.url}/api/v1/messages`, portalMessage({ externalId: MARKER }));
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain(MARKER);
    const entry = await expectEventually(() => {
      const found = errorLines().find((e) => e.context === 'HttpExceptionFilter');
      expect(found).toBeDefined();
      return found!;
    });
    expect(entry.message).toMatch(/^POST \/api\/v1\/messages: QueryFailedError \(PostgreSQL 22P02 invalid_text_representation/);
    expect(entry.message).toMatch(/\n\s+at /); // where in the code
    expect(log).not.toContain(MARKER);
    // Nothing of it was stored.
    expect((await db.query(`SELECT count(*)::int AS n FROM message WHERE external_id = $1`, [MARKER])).rows[0].n).toBe(0);
  });

  it('the bus: the consumer retries, dead-letters and logs the error by its code; the dead letter says no more', async () => {
    const text = `Яма на дороге, код ${MARKER}-bus`;
    const created = await postJson(`${app.url}/api/v1/messages`, portalMessage({ text }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const entry = await expectEventually(() => {
      const found = errorLines().find((e) => e.message.startsWith('dead-lettered cur.message.received') && e.message.includes(`key=${id}`));
      expect(found).toBeDefined();
      return found!;
    }, 120_000);
    expect(entry.message).toMatch(/after 2 attempt\(s\): QueryFailedError \(PostgreSQL 22P02 invalid_text_representation/);
    expect(log).not.toContain(MARKER);

    const kafka = new Kafka({ clientId: 'db-error-log-test', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `db-error-log-dlq-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'cur.message.received.dlq', fromBeginning: true });
    const header = await new Promise<string>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => {
          if (message.key?.toString() === id) resolve(message.headers!['x-dlq-error']!.toString());
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(header).toMatch(/^QueryFailedError \(PostgreSQL 22P02/);
    expect(header).not.toContain(MARKER);

    // The message stays as intake stored it, for people to look at.
    const reader = await users.headers(app.url, 'operator', 'cur-rostov');
    expect((await getJson(`${app.url}/api/v1/messages/${id}`, reader)).body.status).toBe('new');
  });
});
