import 'reflect-metadata';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { getJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { expectEventually } from './support/services';
import { ManualClock, startSlaService } from './support/sla-service';
import { ROOT } from './support/root';

/** A copy of the project's config/ without the production calendar of one year. */
function configWithout(year: number): string {
  const dir = mkdtempSync(join(tmpdir(), `cur-config-no-${year}-`));
  cpSync(join(ROOT, 'config'), dir, { recursive: true });
  rmSync(join(dir, 'calendar', `ru-${year}.json`));
  return dir;
}

/**
 * A year of the production calendar arriving, on the real PostgreSQL and Kafka: clocks that waited
 * for it get their due dates in the first pass of the service restarted with it.
 */
describe('production calendar years', () => {
  let infra: Infrastructure;
  let db: Client;
  const without2027 = configWithout(2027);

  beforeAll(async () => {
    infra = readInfrastructure();
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    rmSync(without2027, { recursive: true, force: true });
  });

  describe('a message waiting for the 2027 calendar', () => {
    // Tuesday 29 December 2026: a ПОС answer of 10 working days ends in January 2027.
    const clock = new ManualClock(new Date('2026-12-29T10:00:00+03:00'));
    const group = `calendar-${Date.now()}`;
    let service: Awaited<ReturnType<typeof startSlaService>> | undefined;

    afterAll(async () => {
      await service?.stop();
    });

    const answerClock = async (messageId: string) =>
      (await db.query(`SELECT id, blocked_year, due_at, next_check_at FROM sla_clock WHERE message_id = $1 AND kind = 'final_answer'`, [messageId])).rows[0];

    it('gets its due date at the first pass after a restart with ru-2027.json, not at the hourly retry', async () => {
      service = await startSlaService(infra, clock, group, { CUR_CONFIG_DIR: without2027 });
      const id = await service.seed({ channel: 'pos', organizationId: 'min-health' });
      const blocked = await answerClock(id);
      expect(blocked).toMatchObject({ blocked_year: 2027, due_at: null, next_check_at: new Date('2026-12-29T11:00:00+03:00') });
      const waiting = (await getJson(`${service.url}/api/v1/messages/${id}/deadlines`, await service.as('supervisor', 'cur-rostov'))).body;
      expect(waiting.clocks.find((c: any) => c.kind === 'final_answer')).toMatchObject({ dueAt: null, waitsForCalendarYear: 2027 });
      await service.stop();
      service = undefined;

      // The same instant: the hourly retry is not due, so only the start itself can compute it.
      service = await startSlaService(infra, clock, group);
      // 30 Dec (1); 31 Dec – 10 Jan off; 11–15 Jan (2–6); 18–21 Jan (7–10).
      await expectEventually(async () => expect(await answerClock(id)).toMatchObject({ blocked_year: null, due_at: new Date('2027-01-21T18:00:00+03:00') }));
      const message = (await getJson(`${service.url}/api/v1/messages/${id}`, await service.as('supervisor', 'cur-rostov'))).body;
      expect(message.dueAt).toBe('2027-01-21T15:00:00.000Z');
      expect(message.history.filter((h: any) => h.type === 'due-computed')).toEqual([
        expect.objectContaining({ actor: 'system:sla', reason: 'Загружен производственный календарь на 2027 год: срок рассчитан', at: '2026-12-29T07:00:00.000Z' }),
      ]);
    });
  });
});
