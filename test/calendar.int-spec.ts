import 'reflect-metadata';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { getJson } from './support/http';
import { Infrastructure, readInfrastructure, scratchDatabase } from './support/infrastructure';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { ManualClock, startSlaService } from './support/sla-service';
import { ROOT } from './support/root';
import { TestUsers } from './support/users';

/** A copy of the project's config/ without the production calendar of one year. */
function configWithout(year: number): string {
  const dir = mkdtempSync(join(tmpdir(), `cur-config-no-${year}-`));
  cpSync(join(ROOT, 'config'), dir, { recursive: true });
  rmSync(join(dir, 'calendar', `ru-${year}.json`));
  return dir;
}

/**
 * A year of the production calendar arriving, on the real PostgreSQL and Kafka: clocks that waited
 * for it get their due dates in the first pass of the service restarted with it; and a next year
 * still missing from 1 October is told to supervisors, admins and /health.
 */
describe('production calendar years', () => {
  let infra: Infrastructure;
  const without2027 = configWithout(2027);

  beforeAll(() => {
    infra = readInfrastructure();
  });

  afterAll(() => {
    rmSync(without2027, { recursive: true, force: true });
  });

  describe('a message waiting for the 2027 calendar', () => {
    // Tuesday 29 December 2026: a ПОС answer of 10 working days ends in January 2027.
    const clock = new ManualClock(new Date('2026-12-29T10:00:00+03:00'));
    const group = `calendar-${Date.now()}`;
    let service: Awaited<ReturnType<typeof startSlaService>> | undefined;
    // A database of its own: on the shared one, the start's pass at this clock would first record
    // the breaches of every other suite's clocks (18,720 in one run, 137 s) before this one's due date.
    let database: { url: string; drop(): Promise<void> } | undefined;
    let own: Client;

    beforeAll(async () => {
      database = await scratchDatabase('calendar');
      own = new Client({ connectionString: database.url });
      await own.connect();
    });

    afterAll(async () => {
      await service?.stop();
      await own?.end();
      await database?.drop();
    });

    const answerClock = async (messageId: string) =>
      (await own.query(`SELECT id, blocked_year, due_at, next_check_at FROM sla_clock WHERE message_id = $1 AND kind = 'final_answer'`, [messageId])).rows[0];

    it('gets its due date at the first pass after a restart with ru-2027.json, not at the hourly retry', async () => {
      service = await startSlaService(infra, clock, group, { DATABASE_URL: database!.url, CUR_RUN_MIGRATIONS: 'true', CUR_CONFIG_DIR: without2027 });
      const id = await service.seed({ channel: 'pos', organizationId: 'min-health' });
      const blocked = await answerClock(id);
      expect(blocked).toMatchObject({ blocked_year: 2027, due_at: null, next_check_at: new Date('2026-12-29T11:00:00+03:00') });
      const waiting = (await getJson(`${service.url}/api/v1/messages/${id}/deadlines`, await service.as('supervisor', 'cur-rostov'))).body;
      expect(waiting.clocks.find((c: any) => c.kind === 'final_answer')).toMatchObject({ dueAt: null, waitsForCalendarYear: 2027 });
      // December without next year's calendar: operations are told, by the service's own (test) clock.
      expect((await getJson(`${service.url}/health`)).body.warnings.map((w: any) => w.id)).toEqual(['calendar-missing-2027']);
      await service.stop();
      service = undefined;

      // The same instant: the hourly retry is not due, so only the start itself can compute it.
      service = await startSlaService(infra, clock, group, { DATABASE_URL: database!.url });
      // 30 Dec (1); 31 Dec – 10 Jan off; 11–15 Jan (2–6); 18–21 Jan (7–10).
      await expectEventually(async () => expect(await answerClock(id)).toMatchObject({ blocked_year: null, due_at: new Date('2027-01-21T18:00:00+03:00') }));
      const message = (await getJson(`${service.url}/api/v1/messages/${id}`, await service.as('supervisor', 'cur-rostov'))).body;
      expect(message.dueAt).toBe('2027-01-21T15:00:00.000Z');
      expect(message.history.filter((h: any) => h.type === 'due-computed')).toEqual([
        expect.objectContaining({
          actor: 'system:sla',
          reason: 'Загружен производственный календарь на 2027 год: срок рассчитан',
          at: '2026-12-29T07:00:00.000Z',
        }),
      ]);
      expect((await getJson(`${service.url}/health`)).body.warnings).toEqual([]);
    });
  });

  describe('next year missing, told from 1 October (the api service as deployed, its clock from CUR_CLOCK_FROM)', () => {
    let users: TestUsers;
    const started: ServiceProcess[] = [];
    // The calendar's warnings only: the shared database may have no classifier model yet (this file run alone), whose notices are other suites' matter.
    const calendarOnly = (items: any[]) => items.filter((item) => String(item.id).startsWith('calendar-'));
    const api = async (clockFrom: string) => {
      const service = await startService('api', infra, { CUR_CLOCK_FROM: clockFrom, KAFKA_GROUP_PREFIX: `calendar-api-${Date.now()}` });
      started.push(service);
      return service;
    };
    const notices = async (service: ServiceProcess, role: 'supervisor' | 'admin' | 'executor', organizationId: string | null) => {
      const res = await getJson(`${service.url}/api/v1/notices`, await users.headers(service.url, role, organizationId));
      expect(res.status).toBe(200);
      return calendarOnly(res.body.items);
    };

    beforeAll(async () => {
      users = await TestUsers.connect(infra.databaseUrl);
    });

    afterAll(async () => {
      for (const service of started) await service.stop();
      await users?.close();
    });

    it('1 October 2027 without ru-2028.json: /health stays 200 with the warning; supervisors and admins see it, executors do not', async () => {
      const service = await api('2027-10-01T09:00:00+03:00');
      const health = await getJson(`${service.url}/health`);
      expect(health.status).toBe(200);
      expect(calendarOnly(health.body.warnings)).toEqual([
        { id: 'calendar-missing-2028', title: 'Нет производственного календаря на 2028 год', text: expect.stringContaining('config/calendar/ru-2028.json') },
      ]);
      const expected = {
        id: 'calendar-missing-2028',
        severity: 'warning',
        title: 'Нет производственного календаря на 2028 год',
        audience: ['supervisor', 'admin'],
        since: '2027-09-30T21:00:00.000Z',
      };
      expect(await notices(service, 'supervisor', 'cur-rostov')).toEqual([expect.objectContaining(expected)]);
      expect(await notices(service, 'admin', null)).toEqual([expect.objectContaining(expected)]);
      expect(await notices(service, 'executor', 'min-health')).toEqual([]);
    });

    it('15 September 2027: nothing yet, the decree may still come', async () => {
      const service = await api('2027-09-15T09:00:00+03:00');
      const health = await getJson(`${service.url}/health`);
      expect(health).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });
      expect(calendarOnly(health.body.warnings)).toEqual([]);
      expect(await notices(service, 'supervisor', 'cur-rostov')).toEqual([]);
      expect(await notices(service, 'admin', null)).toEqual([]);
    });
  });
});
