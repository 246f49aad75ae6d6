import { Client } from 'pg';
import { buildPosExportXlsx, samplePosRow } from './fixtures/pos-export.fixture';
import { API_KEY, getJson, portalMessage, postJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { TestUsers } from './support/users';
import { KafkaEvents } from './support/kafka-events';

/**
 * One owner of a message's state change, seen from outside on the whole product (real PostgreSQL
 * and Kafka): an imported ПОС row keeps the portal's term through the executor's actions, one
 * history entry per change with what changed, a status event only when the status changed, the
 * actions a caller may take, and no hand-over to ЦУР.
 */
describe('the message life cycle', () => {
  let infra: Infrastructure;
  let app: ServiceProcess;
  let users: TestUsers;
  let db: Client;
  const source = `lifecycle-${Date.now()}`;
  const number = `7${Date.now().toString().slice(-8)}`;
  let id: string;
  let executor: Record<string, string>;
  let head: Record<string, string>;
  let operator: Record<string, string>;
  let supervisor: Record<string, string>;
  let published: KafkaEvents;

  beforeAll(async () => {
    infra = readInfrastructure();
    published = await KafkaEvents.start(infra.kafkaBrokers, ['cur.message.events'], { fromNow: true });
    app = await startService('standalone', infra, { KAFKA_GROUP_PREFIX: source, CUR_DEMO_STREAM: 'false' });
    users = await TestUsers.connect(infra.databaseUrl);
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    executor = await users.headers(app.url, 'executor', 'min-health');
    head = await users.headers(app.url, 'head', 'min-health');
    operator = await users.headers(app.url, 'operator', 'cur-rostov');
    supervisor = await users.headers(app.url, 'supervisor', 'cur-rostov');
    const form = new FormData();
    const row = samplePosRow({
      Номер: number,
      'Организация, в которую поступило сообщение': 'Министерство здравоохранения Ростовской области',
      'Организация, в которой находится сообщение': 'Министерство здравоохранения Ростовской области',
      Категория: 'Медицина',
      'Дата поступления': '01.12.2026',
      'Дата планируемого завершения работ': '20.12.2030',
      'Дата фактического завершения работ': null,
      Стадия: 'Поступило',
      Статус: 'Назначен исполнитель',
      'Оценка ответа заявителем': '-',
    });
    form.append('file', new Blob([await buildPosExportXlsx([row])]), 'export.xlsx');
    const res = await fetch(`${app.url}/api/v1/imports/pos`, { method: 'POST', headers: { 'X-Api-Key': API_KEY }, body: form });
    expect(await res.json()).toMatchObject({ imported: 1, errors: [] });
    id = (await db.query(`SELECT id FROM message WHERE source = 'pos-export' AND external_id = $1`, [number])).rows[0].id;
  });

  afterAll(async () => {
    await published?.stop();
    await app?.stop();
    await users?.close();
    await db?.end();
  });

  /** The message's status events, from Kafka once the relay published them (in the order of its partition). */
  const statusEvents = async (messageId: string) => {
    await published.afterRelay(db, `key = $1`, [messageId]);
    return published
      .distinct('cur.message.events', messageId)
      .map((e) => e.value)
      .filter((e) => e.type === 'message.status-changed');
  };

  it('an imported ПОС row keeps the portal’s term when the executor takes it to work and answers in between', async () => {
    const portalDue = '2030-12-19T21:00:00.000Z'; // 20.12.2030, Moscow midnight
    expect((await getJson(`${app.url}/api/v1/messages/${id}`, executor)).body).toMatchObject({ status: 'assigned', dueAt: portalDue });

    const taken = await postJson(`${app.url}/api/v1/messages/${id}/take`, {}, executor);
    expect(taken.status).toBe(200);
    expect(taken.body.dueAt).not.toBeNull();
    expect((await postJson(`${app.url}/api/v1/messages/${id}/interim-answer`, { text: 'Проверяем, ответим до конца месяца.' }, executor)).status).toBe(200);

    const after = (await getJson(`${app.url}/api/v1/messages/${id}`, executor)).body;
    expect(after).toMatchObject({ status: 'interim_answer', dueAt: portalDue });
    // Still counted where due dates count: the queue by time left has it with its date.
    const inbox = (await getJson(`${app.url}/api/v1/messages?sort=due&organizationId=min-health&status=interim_answer&limit=200`, executor)).body;
    expect(inbox.items.find((m: { id: string }) => m.id === id)).toMatchObject({ dueAt: portalDue });
  });

  it('writes one history entry per change with what changed, and a status event only when the status changed', async () => {
    const assigned = await postJson(`${app.url}/api/v1/messages/${id}/assignment`, { login: null, reason: 'Снимаю исполнителя' }, head);
    expect(assigned.status).toBe(200);
    const { history } = (await getJson(`${app.url}/api/v1/messages/${id}`, executor)).body;
    expect(history.map((h: { type: string }) => h.type)).toEqual(['imported', 'taken', 'interim-answer', 'executor-assigned']);
    expect(history[1]).toMatchObject({
      fromStatus: 'assigned',
      toStatus: 'in_progress',
      data: { before: { assignee: null }, after: { assignee: expect.any(String) } },
    });
    expect(history[3]).toMatchObject({
      fromStatus: 'interim_answer',
      toStatus: 'interim_answer',
      reason: 'Снимаю исполнителя',
      data: { before: { assignee: expect.any(String) }, after: { assignee: null } },
    });

    const events = await statusEvents(id);
    expect(events.map((e) => [e.fromStatus, e.toStatus])).toEqual([
      [null, 'assigned'],
      ['assigned', 'in_progress'],
      ['in_progress', 'interim_answer'],
    ]);
  });

  it('tells each caller which actions it may take now', async () => {
    const actionsOf = async (headers: Record<string, string>) =>
      ((await getJson(`${app.url}/api/v1/messages/${id}`, headers)).body.actions as { action: string }[]).map((a) => a.action);
    expect(await actionsOf(executor)).toEqual(['take', 'ask-applicant', 'interim-answer', 'draft-answer', 'redirect']);
    expect(await actionsOf(head)).toEqual(['take', 'ask-applicant', 'interim-answer', 'answer', 'draft-answer', 'assign', 'redirect']);
    expect(await actionsOf(operator)).toEqual(['set-importance']);
    expect(await actionsOf(supervisor)).toEqual([]);
    // What is not offered is refused.
    expect((await postJson(`${app.url}/api/v1/messages/${id}/answer`, { text: 'Ответ без согласования' }, executor)).status).toBe(403);
    expect((await postJson(`${app.url}/api/v1/messages/${id}/clarification-received`, {}, executor)).status).toBe(409);
  });

  it('never hands a message to ЦУР, where nobody acts on it: not by a redirect, not by an operator', async () => {
    const redirect = await postJson(
      `${app.url}/api/v1/messages/${id}/redirect`,
      { organizationId: 'cur-rostov', direction: 'competence', reason: 'Не наш вопрос' },
      executor,
    );
    expect(redirect.status).toBe(400);
    expect(redirect.body.errors.map((e: { field: string }) => e.field)).toEqual(['organizationId']);
    expect((await getJson(`${app.url}/api/v1/messages/${id}`, executor)).body).toMatchObject({ status: 'interim_answer', organization: { id: 'min-health' } });

    const posted = await postJson(`${app.url}/api/v1/messages`, portalMessage({ source, text: 'Здравствуйте. Прошу разобраться, ситуация повторяется.' }));
    const queued = await expectEventually(async () => {
      const { body } = await getJson(`${app.url}/api/v1/messages/${posted.body.id}`, operator);
      expect(body.status).not.toBe('new');
      return body;
    });
    const chosen = await postJson(`${app.url}/api/v1/messages/${queued.id}/category`, { categoryCode: 'pos.medicine', organizationId: 'cur-rostov' }, operator);
    expect(chosen.status).toBe(400);
    expect(chosen.body.errors.map((e: { field: string }) => e.field)).toEqual(['organizationId']);
    expect((await getJson(`${app.url}/api/v1/messages/${queued.id}`, operator)).body.status).toBe(queued.status);
  });
});
