import { Client } from 'pg';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { portalMessage, postJson } from './support/http';
import { expectEventually, ServiceProcess, startService } from './support/services';

/**
 * Triage is killed (SIGKILL, no shutdown hooks) in the middle of a stream of 1,000 messages and
 * restarted: every message ends up triaged exactly once.
 */
describe('triage crash in the middle of a stream', () => {
  let infra: Infrastructure;
  let intake: ServiceProcess;
  let triage: ServiceProcess | undefined;
  let db: Client;
  const env = { KAFKA_GROUP_PREFIX: `crash-${Date.now()}` };
  const source = `crash-${Date.now()}`;

  beforeAll(async () => {
    infra = readInfrastructure();
    [intake, triage] = await Promise.all([startService('intake', infra, env), startService('triage', infra, env)]);
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.all([intake?.stop(), triage?.stop()]);
    await db?.end();
  });

  it('routes every one of 1,000 messages exactly once across a kill and restart', async () => {
    const total = 1000;
    let sent = 0;
    let killed: Promise<void> | undefined;
    const worker = async () => {
      while (sent < total) {
        const n = sent++;
        const res = await postJson(`${intake.url}/api/v1/messages`, portalMessage({ source, externalId: `m-${n}` }));
        if (res.status !== 201) throw new Error(`POST ${n} → ${res.status}`);
        if (n === 300) killed = triage!.kill();
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await killed;

    const triagedBeforeRestart = await count(`status <> 'new'`);
    expect(triagedBeforeRestart).toBeLessThan(total); // the kill really interrupted the stream
    triage = await startService('triage', infra, env);

    await expectEventually(async () => expect(await count(`status IN ('assigned', 'needs_triage')`)).toBe(total), 120_000, 250);
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM message_event e JOIN message m ON m.id = e.message_id
        WHERE m.source = $1 AND e.type IN ('routed', 'needs-triage')`,
      [source],
    );
    expect(rows[0].n).toBe(total);
    const perMessage = await db.query(
      `SELECT max(c)::int AS most FROM (
         SELECT count(*) AS c FROM outbox o JOIN message m ON m.id::text = o.key
          WHERE m.source = $1 AND o.topic IN ('cur.message.routed', 'cur.message.needs-triage') GROUP BY o.key) t`,
      [source],
    );
    expect(perMessage.rows[0].most).toBe(1);
  });

  async function count(where: string): Promise<number> {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM message WHERE source = $1 AND ${where}`, [source]);
    return rows[0].n;
  }
});
