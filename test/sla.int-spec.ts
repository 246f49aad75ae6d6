import 'reflect-metadata';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { getJson, postJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { expectEventually } from './support/services';
import { ManualClock, startSlaService } from './support/sla-service';
import { testLogin } from './support/users';

/**
 * Deadlines that hold up in a dispute, on the real PostgreSQL and Kafka, with a clock the test
 * moves: the watch records each warning and breach exactly once across restarts and downtime, the
 * deadlines endpoint explains every clock, the workflow moves clocks (pause, extension, answer,
 * re-consideration, redirect), and the discipline registry warns on the ТК ст. 193 limits.
 */
describe('deadlines: watch, workflow and discipline', () => {
  let infra: Infrastructure;
  let db: Client;
  const clock = new ManualClock(new Date('2025-03-10T08:00:00+03:00'));
  const group = `sla-${Date.now()}`;
  let service: Awaited<ReturnType<typeof startSlaService>>;
  const events: { topic: string; payload: any }[] = [];
  let consumer: ReturnType<Kafka['consumer']>;

  beforeAll(async () => {
    infra = readInfrastructure();
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    service = await startSlaService(infra, clock, group);
    const kafka = new Kafka({ clientId: 'sla-test-reader', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: ['cur.sla.warning', 'cur.sla.breached'].map((topic) => ({ topic, numPartitions: 3 })) }).catch(() => undefined);
    await admin.disconnect();
    consumer = kafka.consumer({ groupId: `${group}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topics: ['cur.sla.warning', 'cur.sla.breached'], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, message }) => {
        events.push({ topic, payload: JSON.parse(message.value!.toString()) });
        return Promise.resolve();
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await service?.stop();
    await db?.end();
  });

  const executor = (organizationId: string) => service.as('executor', organizationId);
  const head = (organizationId: string) => service.as('head', organizationId);
  const operator = () => service.as('operator', 'cur-rostov');
  const supervisor = () => service.as('supervisor', 'cur-rostov');
  const restart = async () => {
    await service.stop();
    service = await startSlaService(infra, clock, group);
  };
  const deadlines = async (id: string) => (await getJson(`${service.url}/api/v1/messages/${id}/deadlines`, await supervisor())).body;
  const clockOf = async (id: string, kind: string, generation?: number) =>
    (await deadlines(id)).clocks.filter((c: any) => c.kind === kind && (generation === undefined || c.generation === generation)).at(-1);
  const outboxDrained = () =>
    expectEventually(async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox`);
      expect(rows[0].n).toBe(0);
    });
  const eventsOf = (clockId: string) => events.filter((e) => e.payload.clockId === clockId);

  describe('the watch, with a fixed clock', () => {
    let id: string;
    let clockId: string;

    it('a public message posted Monday 10.03.2025 09:00 has 9 working hours: due 18:00, warnings at 15:45 and 17:06', async () => {
      clock.set('2025-03-10T09:00:00+03:00');
      id = await service.seed({ channel: 'social', organizationId: 'adm-rostov-na-donu' });
      const final = await clockOf(id, 'final_answer');
      clockId = final.id;
      expect(final).toMatchObject({
        state: 'running',
        dueAt: '2025-03-10T18:00:00+03:00',
        term: { amount: 9, unit: 'working_hours' },
        organization: { id: 'adm-rostov-na-donu' },
      });
      clock.set('2025-03-10T15:00:00+03:00');
      expect(await service.sweep()).toEqual({ warnings: 0, breaches: 0, computed: 0 });
    });

    it('records the 75% warning once, with the instant it was reached', async () => {
      clock.set('2025-03-10T15:50:00+03:00');
      expect(await service.sweep()).toEqual({ warnings: 1, breaches: 0, computed: 0 });
      expect(await service.sweep()).toEqual({ warnings: 0, breaches: 0, computed: 0 });
      const { rows } = await db.query(`SELECT fraction, reached_at, recorded_at FROM sla_warning WHERE clock_id = $1`, [clockId]);
      expect(rows).toEqual([{ fraction: 0.75, reached_at: new Date('2025-03-10T15:45:00+03:00'), recorded_at: new Date('2025-03-10T15:50:00+03:00') }]);
    });

    it('after a restart, records the 90% warning and nothing twice', async () => {
      await restart();
      clock.set('2025-03-10T17:10:00+03:00');
      await service.sweep();
      await restart();
      expect(await service.sweep()).toEqual({ warnings: 0, breaches: 0, computed: 0 });
      const { rows } = await db.query(`SELECT fraction FROM sla_warning WHERE clock_id = $1 ORDER BY fraction`, [clockId]);
      expect(rows.map((r) => r.fraction)).toEqual([0.75, 0.9]);
    });

    it('the due instant itself is still in time; one second later the breach is recorded with the true expiry, the message flagged once', async () => {
      clock.set('2025-03-10T18:00:00+03:00');
      expect((await service.sweep()).breaches).toBe(0);
      clock.set('2025-03-10T18:00:01+03:00');
      // Two watches at once (two sla instances on the same database; the second also catches up at its start): one breach.
      const second = await startSlaService(infra, clock, group);
      try {
        const [a, b] = await Promise.all([service.sweep(), second.sweep()]);
        expect(a.breaches + b.breaches).toBeLessThanOrEqual(1);
      } finally {
        await second.stop();
      }
      await restart();
      expect((await service.sweep()).breaches).toBe(0);
      const { rows } = await db.query(`SELECT due_at, recorded_at, stopped_at FROM sla_breach WHERE clock_id = $1`, [clockId]);
      expect(rows).toEqual([{ due_at: new Date('2025-03-10T18:00:00+03:00'), recorded_at: new Date('2025-03-10T18:00:01+03:00'), stopped_at: null }]);
      const message = (await getJson(`${service.url}/api/v1/messages/${id}`, await supervisor())).body;
      expect(message.overdue).toBe(true);
      expect(message.history.filter((h: any) => h.type === 'overdue')).toHaveLength(1);
      expect((await clockOf(id, 'final_answer')).state).toBe('breached');
    });

    it('publishes each warning and the breach on Kafka exactly once', async () => {
      await outboxDrained();
      await expectEventually(() => expect(eventsOf(clockId)).toHaveLength(3));
      const kinds = eventsOf(clockId).map((e) => `${e.topic}:${e.payload.fraction ?? ''}`);
      expect(kinds.sort()).toEqual(['cur.sla.breached:', 'cur.sla.warning:0.75', 'cur.sla.warning:0.9']);
      expect(eventsOf(clockId).find((e) => e.topic === 'cur.sla.breached')!.payload).toMatchObject({
        messageId: id,
        kind: 'final_answer',
        dueAt: '2025-03-10T15:00:00.000Z',
        organizationId: 'adm-rostov-na-donu',
      });
    });

    it('a late answer completes the breach with the exact lateness in office time: 18:00 → next day 10:30 is 1 h 30 min', async () => {
      clock.set('2025-03-11T10:30:00+03:00');
      const answered = await postJson(
        `${service.url}/api/v1/messages/${id}/answer`,
        { text: 'Ответ заявителю: яма будет заделана до пятницы.' },
        await head('adm-rostov-na-donu'),
      );
      expect(answered.status).toBe(200);
      expect(answered.body).toMatchObject({ status: 'answered' });
      const { rows } = await db.query(`SELECT stopped_at, lateness_working_ms, lateness_ms FROM sla_breach WHERE clock_id = $1`, [clockId]);
      expect(rows).toEqual([
        { stopped_at: new Date('2025-03-11T10:30:00+03:00'), lateness_working_ms: String(90 * 60_000), lateness_ms: String(16.5 * 3_600_000) },
      ]);
      const final = await clockOf(id, 'final_answer');
      expect(final).toMatchObject({
        state: 'breached',
        lateness: { workingMs: 90 * 60_000, text: '1 ч 30 мин рабочего времени' },
        stoppedAt: '2025-03-11T10:30:00+03:00',
      });
      // A breach recorded at the stop is not announced twice.
      await outboxDrained();
      expect(eventsOf(clockId).filter((e) => e.topic === 'cur.sla.breached')).toHaveLength(1);
    });
  });

  describe('after downtime', () => {
    it('breaches that expired while the watch was down are recorded with their true expiry instants', async () => {
      clock.set('2025-03-11T09:00:00+03:00');
      const pos = await service.seed({ channel: 'pos', categoryCode: 'pos.roads', organizationId: 'adm-rostov-na-donu' });
      const social = await service.seed({ channel: 'social', importance: 'high', organizationId: 'adm-taganrog' });
      await service.stop();
      clock.set('2025-03-27T10:00:00+03:00');
      service = await startSlaService(infra, clock, group);
      await service.sweep();
      const { rows } = await db.query(
        `SELECT message_id, due_at, recorded_at FROM sla_breach WHERE message_id IN ($1, $2) AND kind = 'final_answer' ORDER BY due_at`,
        [pos, social],
      );
      expect(rows).toEqual([
        { message_id: social, due_at: new Date('2025-03-11T13:00:00+03:00'), recorded_at: new Date('2025-03-27T10:00:00+03:00') },
        { message_id: pos, due_at: new Date('2025-03-25T18:00:00+03:00'), recorded_at: new Date('2025-03-27T10:00:00+03:00') },
      ]);
      // The breach supersedes the warnings that fell inside the downtime.
      expect((await db.query(`SELECT 1 FROM sla_warning WHERE message_id IN ($1, $2)`, [pos, social])).rowCount).toBe(0);
    });
  });

  describe('an upgrade from a version without clocks', () => {
    it('gives clocks to open messages that have none, counted from their receipt', async () => {
      clock.set('2025-03-12T10:00:00+03:00');
      const id = await service.seed({ channel: 'pos', categoryCode: 'pos.water-supply', organizationId: 'adm-taganrog' });
      await db.query(`DELETE FROM sla_clock WHERE message_id = $1`, [id]);
      await db.query(`UPDATE message SET due_at = NULL WHERE id = $1`, [id]);
      clock.set('2025-03-13T10:00:00+03:00');
      await restart();
      await expectEventually(async () => expect((await clockOf(id, 'final_answer'))?.dueAt).toBe('2025-03-19T18:00:00+03:00'));
      expect((await getJson(`${service.url}/api/v1/messages/${id}`, await supervisor())).body.dueAt).toBe('2025-03-19T15:00:00.000Z');
    });
  });

  describe('the deadlines endpoint explains every clock', () => {
    it('a 59-ФЗ appeal: registration met at routing, the 7-day redirect window, 30 days moved off a Saturday, each with its counting', async () => {
      clock.set('2025-01-09T10:00:00+03:00');
      const id = await service.seed({ channel: 'appeal', organizationId: 'min-health' });
      const body = await deadlines(id);
      expect(body.policy).toMatchObject({ id: 'appeal-59fz', title: 'Обращение по 59-ФЗ' });
      expect(body.zone).toEqual({ name: 'Europe/Moscow', utcOffset: '+03:00' });
      const byKind = Object.fromEntries(body.clocks.map((c: any) => [c.kind, c]));
      expect(Object.keys(byKind).sort()).toEqual(['final_answer', 'redirect', 'registration']);
      expect(byKind.registration).toMatchObject({ state: 'met', stopReason: 'registered', startReason: 'поступление сообщения' });
      expect(byKind.redirect).toMatchObject({ state: 'running', dueAt: '2025-01-16T18:00:00+03:00', startsOn: 'registration' });
      const final = byKind.final_answer;
      expect(final).toMatchObject({
        state: 'running',
        dueAt: '2025-02-10T18:00:00+03:00',
        startedAt: '2025-01-09T10:00:00+03:00',
        term: { amount: 30, unit: 'calendar_days', text: '30 календарных дней' },
      });
      expect(final.explanation.counting).toMatchObject({ nominalEnd: '2025-02-08', movedTo: '2025-02-10', due: '2025-02-10T18:00:00+03:00' });
      expect(final.explanation.counting.skipped.map((s: any) => [s.date, s.reason])).toEqual([
        ['2025-02-08', 'weekend'],
        ['2025-02-09', 'weekend'],
      ]);
      expect(final.explanation.lines.join('\n')).toContain('ГК ст. 193');
      expect(final.timeLeft.workingMs).toBeGreaterThan(0);
      // For every clock the counting ends at the due date shown.
      // Registration: 3 days to Sunday 12 January, moved to Monday 13 January. For every clock the counting ends at the due date shown.
      expect(byKind.registration.dueAt).toBe('2025-01-13T18:00:00+03:00');
      for (const c of body.clocks) expect(c.explanation.counting.due).toBe(c.dueAt);
    });

    it('a 59-ФЗ appeal still with ЦУР shows the answer clock as pending: it starts with registration', async () => {
      clock.set('2025-01-09T10:00:00+03:00');
      const id = await service.seed({ channel: 'appeal', organizationId: null });
      expect(await clockOf(id, 'registration')).toMatchObject({ state: 'running', dueAt: '2025-01-13T18:00:00+03:00', organization: null });
      const pending = (await deadlines(id)).clocks.filter((c: any) => c.state === 'pending').map((c: any) => [c.kind, c.startsOn]);
      expect(pending).toEqual([
        ['redirect', 'registration'],
        ['final_answer', 'registration'],
      ]);
    });

    it('404 for an unknown message, 400 naming the id for a malformed one', async () => {
      expect((await getJson(`${service.url}/api/v1/messages/00000000-0000-4000-8000-000000000000/deadlines`, await supervisor())).status).toBe(404);
      const bad = await getJson(`${service.url}/api/v1/messages/nope/deadlines`, await supervisor());
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
    });
  });

  describe('workflow effects on the clocks', () => {
    it('59-ФЗ, 30 days with one extension: the head approves (not the requester), the due date moves 30 days, a second one is refused', async () => {
      clock.set('2025-01-09T10:00:00+03:00');
      const id = await service.seed({ channel: 'appeal', organizationId: 'min-health' });
      clock.set('2025-02-03T11:00:00+03:00');
      const url = `${service.url}/api/v1/messages/${id}/extensions`;
      const tooLong = await postJson(url, { amount: 45, reason: 'Нужна выездная проверка' }, await executor('min-health'));
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.errors).toEqual([{ field: 'amount', message: expect.stringContaining('30 календарных дней') }]);
      const noReason = await postJson(url, { amount: 30 }, await executor('min-health'));
      expect(noReason.status).toBe(400);
      expect(new Set(noReason.body.errors.map((e: any) => e.field))).toEqual(new Set(['reason']));
      const requested = await postJson(url, { amount: 30, reason: 'Нужна выездная проверка' }, await executor('min-health'));
      expect(requested.status).toBe(201);
      expect(requested.body).toMatchObject({ status: 'pending', previousDueAt: '2025-02-10T18:00:00+03:00', term: { amount: 30, unit: 'calendar_days' } });
      const twice = await postJson(url, { amount: 10, reason: 'ещё' }, await executor('min-health'));
      expect(twice.status).toBe(409);

      const self = await postJson(`${url}/${requested.body.id}/approval`, {}, await executor('min-health'));
      expect(self.status).toBe(403);
      clock.set('2025-02-04T09:30:00+03:00');
      const approved = await postJson(`${url}/${requested.body.id}/approval`, { reason: 'Согласовано' }, await head('min-health'));
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', decidedBy: testLogin('head', 'min-health'), newDueAt: '2025-03-12T18:00:00+03:00' });
      const final = await clockOf(id, 'final_answer');
      expect(final).toMatchObject({ dueAt: '2025-03-12T18:00:00+03:00', state: 'running' });
      expect(final.explanation.steps).toEqual([expect.objectContaining({ op: 'extend', dueAt: '2025-03-12T18:00:00+03:00' })]);
      const message = (await getJson(`${service.url}/api/v1/messages/${id}`, await supervisor())).body;
      expect(message).toMatchObject({ status: 'postponed', dueAt: '2025-03-12T15:00:00.000Z' });
      expect(message.history.at(-1)).toMatchObject({ type: 'extension-approved', actor: testLogin('head', 'min-health') });

      const again = await postJson(url, { amount: 5, reason: 'Ещё продление' }, await executor('min-health'));
      expect(again.status).toBe(409);
      expect(again.body.message).toContain('Лимит продлений (1)');
      expect((await getJson(url, await supervisor())).body.items).toHaveLength(1);
    });

    it('an expired term cannot be extended after the fact', async () => {
      clock.set('2025-03-03T10:00:00+03:00');
      const id = await service.seed({ channel: 'pos', categoryCode: 'pos.roads', organizationId: 'adm-rostov-na-donu' });
      clock.set('2025-03-20T10:00:00+03:00');
      const res = await postJson(`${service.url}/api/v1/messages/${id}/extensions`, { amount: 5, reason: 'Поздно' }, await executor('adm-rostov-na-donu'));
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('уже истёк');
    });

    it('asking the applicant stands the ПОС clock still; the answer resumes it with the working days that were left', async () => {
      clock.set('2025-04-01T10:00:00+03:00');
      const id = await service.seed({ channel: 'pos', categoryCode: 'pos.roads', organizationId: 'adm-rostov-na-donu' });
      expect((await clockOf(id, 'final_answer')).dueAt).toBe('2025-04-15T18:00:00+03:00');
      clock.set('2025-04-11T12:00:00+03:00');
      expect((await postJson(`${service.url}/api/v1/messages/${id}/take`, {}, await executor('adm-rostov-na-donu'))).status).toBe(200);
      const asked = await postJson(
        `${service.url}/api/v1/messages/${id}/clarification-request`,
        { reason: 'Уточните адрес' },
        await executor('adm-rostov-na-donu'),
      );
      expect(asked.body).toMatchObject({ status: 'awaiting_applicant', dueAt: null });
      expect(await clockOf(id, 'final_answer')).toMatchObject({ state: 'paused', dueAt: null });
      clock.set('2025-04-22T16:00:00+03:00');
      const resumed = await postJson(`${service.url}/api/v1/messages/${id}/clarification-received`, {}, await executor('adm-rostov-na-donu'));
      expect(resumed.body).toMatchObject({ status: 'in_progress', dueAt: '2025-04-24T18:00:00+03:00' });
      const lines = (await clockOf(id, 'final_answer')).explanation.lines.join('\n');
      expect(lines).toContain('приостановлен');
      expect(lines).toContain('оставалось 2 рабочих дня');
    });

    it('re-consideration restarts the answer clock; a redirect down keeps the ПОС due date and hands the clock over', async () => {
      clock.set('2025-04-01T10:00:00+03:00');
      const id = await service.seed({ channel: 'pos', categoryCode: 'pos.medicine', organizationId: 'min-health' });
      const redirect = async (body: object) => postJson(`${service.url}/api/v1/messages/${id}/redirect`, body, await executor('min-health'));
      const notBelow = await redirect({ organizationId: 'inst-road-directorate', direction: 'down', reason: 'Не наш профиль' });
      expect(notBelow.status).toBe(400);
      expect(notBelow.body.errors[0].field).toBe('organizationId');
      const badDirection = await redirect({ organizationId: 'inst-regional-hospital', direction: 'sideways', reason: 'x' });
      expect(badDirection.status).toBe(400);
      expect(new Set(badDirection.body.errors.map((e: any) => e.field))).toEqual(new Set(['direction']));
      // An executor of the ministry holds it and asked for more time; the redirect leaves both behind.
      expect(
        (await postJson(`${service.url}/api/v1/messages/${id}/assignment`, { login: testLogin('executor', 'min-health') }, await head('min-health'))).status,
      ).toBe(200);
      expect(
        (await postJson(`${service.url}/api/v1/messages/${id}/extensions`, { amount: 5, reason: 'Нужна проверка' }, await executor('min-health'))).status,
      ).toBe(201);
      const historyBefore = (await getJson(`${service.url}/api/v1/messages/${id}`, await supervisor())).body.history.length;
      clock.set('2025-04-02T10:00:00+03:00');
      const down = await redirect({ organizationId: 'inst-regional-hospital', direction: 'down', reason: 'Больница разберётся' });
      expect(down.body).toMatchObject({ status: 'assigned', organizationId: 'inst-regional-hospital', dueAt: '2025-04-15T18:00:00+03:00' });
      expect(await clockOf(id, 'final_answer')).toMatchObject({
        generation: 1,
        organization: { id: 'inst-regional-hospital' },
        dueAt: '2025-04-15T18:00:00+03:00',
      });
      const history = (await getJson(`${service.url}/api/v1/messages/${id}`, await supervisor())).body.history;
      expect(history.length).toBe(historyBefore + 1);
      expect(history.at(-1)).toMatchObject({
        type: 'redirected',
        actor: testLogin('executor', 'min-health'),
        reason: 'Больница разберётся',
        data: { assignee: { before: testLogin('executor', 'min-health'), after: null }, withdrawnExtensionRequests: [expect.any(String)] },
      });
      expect((await getJson(`${service.url}/api/v1/messages/${id}`, await supervisor())).body.assignee).toBeNull();
      const extensions = (await getJson(`${service.url}/api/v1/messages/${id}/extensions`, await supervisor())).body;
      expect(extensions.items).toEqual([expect.objectContaining({ status: 'rejected', decisionReason: 'Сообщение перенаправлено в другую организацию' })]);
      // Who asked and who decided, named for the screen.
      for (const login of [extensions.items[0].requestedBy, extensions.items[0].decidedBy])
        expect(extensions.people[login]).toMatchObject({ name: expect.any(String) });

      clock.set('2025-04-10T15:00:00+03:00');
      expect((await postJson(`${service.url}/api/v1/messages/${id}/answer`, { text: 'Ответ' }, await head('inst-regional-hospital'))).status).toBe(200);
      clock.set('2025-04-28T11:00:00+03:00');
      const reopened = await postJson(`${service.url}/api/v1/messages/${id}/reconsideration`, { reason: 'Заявитель не согласен с ответом' }, await operator());
      expect(reopened.body).toMatchObject({ status: 'reopened', dueAt: '2025-05-16T18:00:00+03:00' });
      expect(await clockOf(id, 'final_answer', 1)).toMatchObject({ state: 'met' });
      expect(await clockOf(id, 'final_answer', 2)).toMatchObject({
        state: 'running',
        startsOn: 'reconsideration',
        startReason: 'повторное рассмотрение',
        organization: { id: 'inst-regional-hospital' },
      });
    });

    it('refuses a change without sign-in, an action the status does not allow, and writes nothing', async () => {
      clock.set('2025-04-01T10:00:00+03:00');
      const id = await service.seed({ channel: 'pos', categoryCode: 'pos.roads', organizationId: 'adm-rostov-na-donu' });
      const anonymous = await postJson(`${service.url}/api/v1/messages/${id}/take`, {}, {});
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('UNAUTHORIZED');
      const reopen = await postJson(`${service.url}/api/v1/messages/${id}/reconsideration`, { reason: 'рано' }, await operator());
      expect(reopen.status).toBe(409);
      const empty = await postJson(`${service.url}/api/v1/messages/${id}/answer`, { text: '' }, await executor('adm-rostov-na-donu'));
      expect(empty.status).toBe(400);
      expect(new Set(empty.body.errors.map((e: any) => e.field))).toEqual(new Set(['text']));
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM message_event WHERE message_id = $1`, [id]);
      expect(rows[0].n).toBe(0);
      expect((await getJson(`${service.url}/api/v1/messages/${id}`, await supervisor())).body.status).toBe('assigned');
    });
  });

  describe('the answer: assignment, draft, approval, rating', () => {
    it('the head assigns an executor; the executor drafts; the head returns it, then approves (not the drafter) and the drafted text is sent; a low rating comes back through the source', async () => {
      clock.set('2025-05-05T10:00:00+03:00');
      const id = await service.seed({ channel: 'pos', categoryCode: 'pos.roads', organizationId: 'adm-azov' });
      const url = `${service.url}/api/v1/messages/${id}`;
      const exec = await executor('adm-azov');
      const boss = await head('adm-azov');
      const direct = await postJson(`${url}/answer`, { text: 'Сразу ответ' }, exec);
      expect(direct.status).toBe(403);
      expect(direct.body.message).toContain('проект ответа');

      const nobody = await postJson(`${url}/assignment`, { login: 'nobody-here' }, boss);
      expect(nobody.status).toBe(400);
      expect(nobody.body.errors[0].field).toBe('login');
      expect((await postJson(`${url}/assignment`, { login: testLogin('executor', 'adm-azov') }, exec)).status).toBe(403);
      const assigned = await postJson(`${url}/assignment`, { login: testLogin('executor', 'adm-azov'), reason: 'Дороги — его участок' }, boss);
      expect(assigned.status).toBe(200);

      const drafted = await postJson(`${url}/answer-draft`, { text: 'Яма будет заделана до 20 мая.' }, exec);
      expect(drafted.body).toMatchObject({ status: 'approval' });
      expect((await postJson(`${url}/answer-approval`, {}, exec)).status).toBe(403);
      const returned = await postJson(`${url}/answer-return`, { reason: 'Укажите подрядчика' }, boss);
      expect(returned.body).toMatchObject({ status: 'answer_draft' });
      await postJson(`${url}/answer-draft`, { text: 'Яма будет заделана до 20 мая подрядчиком ООО «Дорстрой».' }, exec);
      clock.set('2025-05-06T11:00:00+03:00');
      const approved = await postJson(`${url}/answer-approval`, {}, boss);
      expect(approved.body).toMatchObject({ status: 'answered' });
      const message = (await getJson(url, await supervisor())).body;
      expect(message.history.map((h: any) => h.type)).toEqual(['executor-assigned', 'answer-drafted', 'answer-returned', 'answer-drafted', 'answered']);
      expect(message.history.at(-1)).toMatchObject({
        actor: testLogin('head', 'adm-azov'),
        data: {
          text: 'Яма будет заделана до 20 мая подрядчиком ООО «Дорстрой».',
          draftedBy: testLogin('executor', 'adm-azov'),
          approvedBy: testLogin('head', 'adm-azov'),
        },
      });
      expect(message.history[0]).toMatchObject({
        reason: 'Дороги — его участок',
        data: { assignee: { before: null, after: testLogin('executor', 'adm-azov') } },
      });
      expect(await clockOf(id, 'final_answer')).toMatchObject({ state: 'met' });

      const key = { 'X-Api-Key': 'demo-intake-key' };
      const rate = (body: object, headers: Record<string, string> = key) =>
        postJson(`${service.url}/api/v1/ratings`, { source: 'sla-test', externalId: id, ratedAt: '2025-05-07T10:00:00+03:00', ...body }, headers);
      expect((await rate({ score: 2 }, {})).status).toBe(401);
      const bad = await rate({ score: 7 });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: any) => e.field)).toEqual(['score']);
      const rated = await rate({ score: 2, comment: 'Яму так и не заделали' });
      expect(rated.body).toMatchObject({ id, status: 'rated', rating: 2, low: true });
      expect((await rate({ score: 2, comment: 'повтор' })).body).toMatchObject({ status: 'rated', rating: 2 });
      const reopened = await postJson(`${url}/reconsideration`, { reason: 'Заявитель оценил ответ на 2' }, await operator());
      expect(reopened.body).toMatchObject({ status: 'reopened' });
      const history = (await getJson(url, await supervisor())).body.history;
      expect(history.filter((h: any) => h.type === 'rated')).toHaveLength(1);
      expect(history.find((h: any) => h.type === 'rated')).toMatchObject({
        actor: 'source:sla-test',
        reason: 'Яму так и не заделали',
        data: { score: 2, low: true },
      });
    });
  });

  describe('supervisors: the summary', () => {
    it('counts answers on time and late per organization and week, and what is overdue now, within the caller’s organizations', async () => {
      clock.set('2025-09-01T10:00:00+03:00');
      const onTime = await service.seed({ channel: 'social', organizationId: 'adm-bataysk' });
      const late = await service.seed({ channel: 'social', organizationId: 'adm-bataysk' });
      const summary = async () =>
        (
          await getJson(
            `${service.url}/api/v1/sla/summary?organizationId=adm-bataysk&from=2025-09-01T00:00:00%2B03:00&to=2025-09-08T00:00:00%2B03:00`,
            await supervisor(),
          )
        ).body;
      clock.set('2025-09-01T12:00:00+03:00');
      await postJson(`${service.url}/api/v1/messages/${onTime}/answer`, { text: 'Ответ' }, await head('adm-bataysk'));
      clock.set('2025-09-03T12:00:00+03:00');
      await service.sweep();
      expect(await summary()).toMatchObject({
        answers: { met: 1, late: 0, onTimeShare: 1 },
        overdueNow: 1,
        weekly: [{ weekStart: '2025-09-01', met: 1, late: 0, onTimeShare: 1 }],
      });
      expect((await summary()).byOrganization).toEqual([
        expect.objectContaining({ organization: { id: 'adm-bataysk', name: expect.any(String) }, met: 1, late: 0, overdueNow: 1 }),
      ]);
      await postJson(`${service.url}/api/v1/messages/${late}/answer`, { text: 'Ответ с опозданием' }, await head('adm-bataysk'));
      expect(await summary()).toMatchObject({ answers: { met: 1, late: 1, onTimeShare: 0.5 }, overdueNow: 0 });
      expect((await getJson(`${service.url}/api/v1/sla/summary?organizationId=adm-bataysk`, await executor('adm-azov'))).status).toBe(403);
      const bad = await getJson(`${service.url}/api/v1/sla/summary?from=yesterday`, await supervisor());
      expect(bad.body.errors.map((e: any) => e.field)).toEqual(['from']);
    });
  });

  describe('supervisors: at-risk list and breaches', () => {
    it('lists clocks past a warning threshold, least time left first, an organization with its subordinates', async () => {
      // 9 working hours from 09:00 → 18:00 today (75% at 15:45); from 09:30 → 09:30 tomorrow (75% at 16:15);
      // high importance, 4 h from 10:00 → 14:00 (breached by 16:30); from 10:00 → 75% only at 16:45.
      clock.set('2025-06-02T09:00:00+03:00');
      const today = await service.seed({ channel: 'social', organizationId: 'min-health' });
      clock.set('2025-06-02T09:30:00+03:00');
      const tomorrow = await service.seed({ channel: 'social', organizationId: 'inst-regional-hospital' });
      clock.set('2025-06-02T10:00:00+03:00');
      const breached = await service.seed({ channel: 'social', importance: 'high', organizationId: 'inst-regional-hospital' });
      const calm = await service.seed({ channel: 'social', organizationId: 'adm-taganrog' });
      clock.set('2025-06-02T16:30:00+03:00');
      await service.sweep();
      const mine = [today, tomorrow, breached, calm];
      const all = (await getJson(`${service.url}/api/v1/sla/at-risk`, await supervisor())).body.items.filter((i: any) => mine.includes(i.messageId));
      expect(all.map((i: any) => i.messageId)).toEqual([today, tomorrow]);
      expect(all[0]).toMatchObject({
        organization: { id: 'min-health' },
        fractionPassed: 0.75,
        dueAt: '2025-06-02T18:00:00+03:00',
        timeLeft: { workingMs: 90 * 60_000 },
      });
      // A ministry sees its institutions' clocks too; an institution only its own.
      const health = (await getJson(`${service.url}/api/v1/sla/at-risk?organizationId=min-health`, await supervisor())).body.items;
      expect(health.map((i: any) => i.messageId)).toEqual([today, tomorrow]);
      const hospital = (await getJson(`${service.url}/api/v1/sla/at-risk?organizationId=inst-regional-hospital`, await supervisor())).body.items;
      expect(hospital.map((i: any) => i.messageId)).toEqual([tomorrow]);
      const breaches = (
        await getJson(
          `${service.url}/api/v1/sla/breaches?organizationId=min-health&from=2025-06-01T00:00:00%2B03:00&to=2025-07-01T00:00:00%2B03:00`,
          await supervisor(),
        )
      ).body.items;
      expect(breaches.map((b: any) => [b.messageId, b.organization.id, b.dueAt])).toEqual([[breached, 'inst-regional-hospital', '2025-06-02T14:00:00+03:00']]);
      // Still unanswered: late by 14:00 → 16:30, growing.
      expect(breaches[0].lateness).toMatchObject({ workingMs: 150 * 60_000, final: false, text: '2 ч 30 мин рабочего времени' });
      const unknown = await getJson(`${service.url}/api/v1/sla/at-risk?organizationId=nobody`, await supervisor());
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].field).toBe('organizationId');
    });
  });

  describe('the discipline registry', () => {
    let breachId: string;

    it('opens a case from a breach; the same breach cannot be punished twice', async () => {
      // 9 working hours from 09:00 on 1 July 2025: due 18:00 that day, the day of the offence.
      clock.set('2025-07-01T09:00:00+03:00');
      const id = await service.seed({ channel: 'social', organizationId: 'adm-rostov-na-donu' });
      clock.set('2025-07-02T12:00:00+03:00');
      await service.sweep();
      breachId = (await db.query(`SELECT id FROM sla_breach WHERE message_id = $1`, [id])).rows[0].id;
      const body = {
        organizationId: 'adm-rostov-na-donu',
        person: { name: 'Иванов И. И.', position: 'главный специалист' },
        employment: 'labour',
        description: 'Ответ на публичное сообщение не дан в срок',
        breachIds: [breachId],
      };
      const opened = await postJson(`${service.url}/api/v1/discipline/cases`, body, await supervisor());
      expect(opened.status).toBe(201);
      expect(opened.body).toMatchObject({ status: 'open', offenceDate: '2025-07-01', discoveredDate: '2025-07-02', breachIds: [breachId] });
      // One month from the discovery on 2 July is Saturday 2 August: the limit ends on Monday 4 August (ТК ст. 14 ч. 4).
      expect(opened.body.limits).toEqual([expect.objectContaining({ code: 'order', due: '2025-08-04', state: 'pending' })]);
      expect(opened.body.findings.map((f: any) => f.code)).toEqual(['explanation_not_requested']);
      const again = await postJson(`${service.url}/api/v1/discipline/cases`, body, await supervisor());
      expect(again.status).toBe(409);
      expect(again.body.errors).toEqual([{ field: 'breachIds', message: expect.stringContaining(breachId) }]);
      const wrongOrg = await postJson(`${service.url}/api/v1/discipline/cases`, { ...body, organizationId: 'min-health' }, await supervisor());
      expect(wrongOrg.status).toBe(400);
      expect(wrongOrg.body.errors[0].field).toBe('breachIds');
      const bad = await postJson(`${service.url}/api/v1/discipline/cases`, { ...body, employment: 'contractor', person: { name: '' } }, await supervisor());
      expect(bad.status).toBe(400);
      expect(new Set(bad.body.errors.map((e: any) => e.field))).toEqual(new Set(['employment', 'person.name', 'person.position']));
    });

    it('walks the procedure: explanation within 2 working days, order within the month, acquaintance; warns near each limit', async () => {
      const [{ id }] = (await db.query(`SELECT case_id AS id FROM discipline_case_breach WHERE breach_id = $1`, [breachId])).rows;
      const url = `${service.url}/api/v1/discipline/cases/${id}`;
      clock.set('2025-07-03T10:00:00+03:00');
      const requested = await postJson(`${url}/explanation-request`, {}, await supervisor());
      expect(requested.body.limits.find((l: any) => l.code === 'explanation')).toMatchObject({ due: '2025-07-07T18:00:00+03:00', state: 'pending' });
      const noOffset = await postJson(`${url}/explanation`, { at: '2025-07-04T10:00:00' }, await supervisor());
      expect(noOffset.status).toBe(400);
      expect(noOffset.body.errors).toEqual([{ field: 'at', message: expect.stringContaining('часовым поясом') }]);
      const impossible = await postJson(`${url}/excluded-periods`, { from: '2025-02-30', to: '2025-03-02', reason: 'больничный' }, await supervisor());
      expect(impossible.status).toBe(400);
      expect(impossible.body.errors).toEqual([{ field: 'from', message: expect.stringContaining('ГГГГ-ММ-ДД') }]);
      expect((await getJson(url, await supervisor())).status).toBe(200);
      const backwards = await postJson(`${url}/explanation`, { at: '2025-07-02T10:00:00+03:00' }, await supervisor());
      expect(backwards.status).toBe(400);
      expect(backwards.body.errors[0].field).toBe('at');
      clock.set('2025-07-08T09:00:00+03:00');
      const silent = (await getJson(url, await supervisor())).body;
      expect(silent.findings.map((f: any) => f.code)).toContain('refusal_act_needed');
      await postJson(`${url}/explanation-refusal`, {}, await supervisor());
      clock.set('2025-07-30T10:00:00+03:00');
      const near = (await getJson(url, await supervisor())).body;
      expect(near.limits.find((l: any) => l.code === 'order')).toMatchObject({ due: '2025-08-04', state: 'near' });
      expect(
        (await getJson(`${service.url}/api/v1/discipline/cases?attention=true&organizationId=adm-rostov-na-donu`, await supervisor())).body.items.map(
          (c: any) => c.id,
        ),
      ).toContain(id);
      const notAllowed = await postJson(`${url}/order`, { measure: 'incomplete_fitness_warning', number: '15-к', date: '2025-07-30' }, await supervisor());
      expect(notAllowed.status).toBe(400);
      expect(notAllowed.body.errors[0]).toMatchObject({ field: 'measure', message: expect.stringContaining('Замечание') });
      const ordered = await postJson(`${url}/order`, { measure: 'reprimand', number: '15-к', date: '2025-07-30' }, await supervisor());
      expect(ordered.body).toMatchObject({
        status: 'measure_applied',
        order: { measure: 'reprimand', measureTitle: 'Выговор', number: '15-к', date: '2025-07-30' },
      });
      expect(ordered.body.limits.find((l: any) => l.code === 'order')).toMatchObject({ state: 'met' });
      expect(ordered.body.limits.find((l: any) => l.code === 'acknowledgement')).toMatchObject({ due: '2025-08-04T18:00:00+03:00', state: 'near' });
      clock.set('2025-07-31T15:00:00+03:00');
      const signed = await postJson(`${url}/acknowledgement`, {}, await supervisor());
      expect(signed.body.limits.find((l: any) => l.code === 'acknowledgement')).toMatchObject({ state: 'met' });
      expect(signed.body.findings).toEqual([]);
      expect(signed.body.history.map((h: any) => h.type)).toEqual([
        'opened',
        'explanation-requested',
        'explanation-refusal-act',
        'measure-applied',
        'acknowledged',
      ]);
      expect(signed.body.history[3]).toMatchObject({
        actor: testLogin('supervisor', 'cur-rostov'),
        before: { measure: null, orderDate: null, status: 'open' },
        after: { measure: 'reprimand', orderDate: '2025-07-30', status: 'measure_applied' },
      });
    });
  });
});
