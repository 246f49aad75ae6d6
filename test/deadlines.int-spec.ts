import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, postJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { expectEventually, ServiceProcess, startService, TEST_CLOCK_FROM } from './support/services';
import { ROOT } from './support/root';
import { TestUsers } from './support/users';

/**
 * The demo stream through the distributed pipeline (intake, triage, api and the sla watch as
 * separate processes on Kafka and PostgreSQL, clocks started at TEST_CLOCK_FROM): every message
 * gets the clocks of its policy, and the deadlines endpoint explains each one.
 */
describe('deadlines of the demo stream', () => {
  let infra: Infrastructure;
  let services: ServiceProcess[];
  let intake: ServiceProcess;
  let api: ServiceProcess;
  let users: TestUsers;
  let supervisor: Record<string, string>;
  const demo = JSON.parse(readFileSync(join(ROOT, 'config/demo/stream.json'), 'utf8')).messages as Record<string, unknown>[];

  beforeAll(async () => {
    infra = readInfrastructure();
    const env = { KAFKA_GROUP_PREFIX: `deadlines-${Date.now()}` };
    services = await Promise.all([
      startService('intake', infra, env),
      startService('triage', infra, env),
      startService('api', infra, env),
      startService('sla', infra, env),
    ]);
    [intake, , api] = services;
    users = await TestUsers.connect(infra.databaseUrl);
    supervisor = await users.headers(api.url, 'supervisor', 'cur-rostov');
  });

  afterAll(async () => {
    await Promise.all((services ?? []).map((s) => s.stop()));
    await users?.close();
  });

  it('explains every clock of every demo message: policy, start, counting, due date', async () => {
    const ids: string[] = [];
    for (const [i, sample] of demo.entries()) {
      const res = await postJson(`${intake.url}/api/v1/messages`, {
        ...sample,
        source: 'demo-deadlines',
        externalId: `demo-${Date.now()}-${i}`,
        createdAt: TEST_CLOCK_FROM,
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const expected: Record<string, string> = { pos: 'pos', appeal: 'appeal-59fz', social: 'social' };
    for (const [i, id] of ids.entries()) {
      const body = await expectEventually(async () => {
        const { body } = await getJson(`${api.url}/api/v1/messages/${id}/deadlines`, supervisor);
        expect(body.status).not.toBe('new');
        return body;
      });
      const sample = demo[i] as { channel: string; importance?: string };
      expect(body.policy.id).toMatch(new RegExp(`^${expected[sample.channel]}`));
      if (sample.channel === 'social' && sample.importance === 'high') expect(body.policy.id).toBe('social-high');
      const started = body.clocks.filter((c: any) => c.state !== 'pending');
      expect(started.length).toBeGreaterThan(0);
      for (const c of started) {
        const context = `${sample.channel} ${c.kind}`;
        // Every started clock can be checked by hand: its counting ends at the due date shown, its lines say why.
        expect({ context, due: c.explanation.counting.due }).toEqual({ context, due: c.dueAt });
        expect(c.explanation.lines.length).toBeGreaterThanOrEqual(4);
        expect(c.explanation.lines[1]).toMatch(/^Начало: \d\d\.\d\d\.2026/);
        expect(['running', 'met']).toContain(c.state);
      }
      const final = body.clocks.find((c: any) => c.kind === 'final_answer');
      if (body.status === 'assigned') expect(final.state).toBe('running');
      // From Monday 2 March 2026: 10 working days → 17 March (9 March is the day off for 8 March); 5 → 10 March.
      if (sample.channel === 'pos' && body.status === 'assigned')
        expect(final.dueAt).toBe(body.policy.id === 'pos-utilities' ? '2026-03-10T18:00:00+03:00' : '2026-03-17T18:00:00+03:00');
      if (sample.channel === 'appeal' && body.status === 'assigned') expect(final.dueAt).toBe('2026-04-01T18:00:00+03:00');
    }
  });
});
