import { Client } from 'pg';
import { getJson, postJson, sendJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { ServiceProcess, startService } from './support/services';
import { TestUsers, testLogin } from './support/users';

/**
 * Saved list views on the whole product (real PostgreSQL): a user's own named filters, checked by
 * the message list's own rules, unique by name (any case), at most 50, invisible to anyone else.
 */
describe('saved views', () => {
  let infra: Infrastructure;
  let app: ServiceProcess;
  let users: TestUsers;
  let db: Client;
  let operator: Record<string, string>;
  let executor: Record<string, string>;
  const url = (path = '') => `${app.url}/api/v1/saved-views${path}`;

  beforeAll(async () => {
    infra = readInfrastructure();
    app = await startService('standalone', infra, { KAFKA_GROUP_PREFIX: `views-${Date.now()}`, CUR_DEMO_STREAM: 'false' });
    users = await TestUsers.connect(infra.databaseUrl);
    operator = await users.headers(app.url, 'operator', 'cur-rostov');
    executor = await users.headers(app.url, 'executor', 'adm-taganrog');
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await app?.stop();
    await users?.close();
    await db?.end();
  });

  const create = async (headers: Record<string, string>, body: Record<string, unknown>) => {
    const res = await postJson(url(), body, headers);
    expect(res.status).toBe(201);
    return res.body;
  };

  it('keeps a user’s named filters, written the one way, and lists them by name', async () => {
    const queue = await create(operator, { name: 'Разбор: сначала срочные', query: '?status=needs_triage,moderation&sort=due' });
    expect(queue).toEqual({
      id: expect.any(String),
      name: 'Разбор: сначала срочные',
      query: 'status=needs_triage%2Cmoderation&sort=due',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await create(operator, { name: 'Азов, просроченные', query: 'territoryId=azov&overdue=true&q=%D1%8F%D0%BC%D0%B0' });
    const listed = await getJson(url(), operator);
    expect(listed.status).toBe(200);
    expect(listed.body.limit).toBe(50);
    expect(listed.body.items.map((v: any) => v.name)).toEqual(['Азов, просроченные', 'Разбор: сначала срочные']);
    // The saved query opens the list as it is.
    expect((await getJson(`${app.url}/api/v1/messages?${queue.query}`, operator)).status).toBe(200);
  });

  it('refuses filters the list would refuse and a name already taken, in Russian naming the field, writing nothing', async () => {
    const count = async () =>
      Number(
        (await db.query(`SELECT count(*) FROM saved_view v JOIN user_account u ON u.id = v.user_id WHERE u.login = $1`, [testLogin('operator', 'cur-rostov')]))
          .rows[0].count,
      );
    const before = await count();
    const unknown = await postJson(url(), { name: 'Цвет', query: 'colour=red' }, operator);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'query', message: expect.stringContaining('неизвестный фильтр «colour»') }]);
    const badValue = await postJson(url(), { name: 'Потерянные', query: 'status=lost&limit=1000' }, operator);
    expect(badValue.body.errors).toEqual([
      { field: 'query.status', message: expect.stringMatching(/^Статус: допустимые значения: new, needs_triage, /) },
      { field: 'query.limit', message: 'Число строк: должно быть не больше 200' },
    ]);
    const noName = await postJson(url(), { name: '   ', query: '' }, operator);
    expect(noName.body.errors).toEqual([{ field: 'name', message: 'Название: не может быть пустым' }]);
    const missing = await postJson(url(), { name: 'Без запроса' }, operator);
    expect(missing.body.errors).toContainEqual({ field: 'query', message: 'Фильтры: должно быть строкой' });

    await create(operator, { name: 'Мои', query: 'assignee=me' });
    const taken = await postJson(url(), { name: 'МОИ', query: 'sort=due' }, operator);
    expect(taken.status).toBe(409);
    expect(taken.body.errors).toEqual([{ field: 'name', message: 'Название: вид «МОИ» у вас уже есть' }]);
    expect(await count()).toBe(before + 1);
    // Another user may have a view of the same name.
    await create(executor, { name: 'Мои', query: 'assignee=me' });
  });

  it('is its owner’s alone: another user’s view is not found, to read, change or remove', async () => {
    const own = await create(operator, { name: 'Высокая важность', query: 'importance=high' });
    expect((await getJson(url(), executor)).body.items.map((v: any) => v.id)).not.toContain(own.id);
    const changed = await sendJson('PUT', url(`/${own.id}`), executor, { name: 'Чужое', query: '' });
    expect(changed.status).toBe(404);
    expect((await sendJson('DELETE', url(`/${own.id}`), executor)).status).toBe(404);
    expect((await getJson(url(), operator)).body.items).toContainEqual(
      expect.objectContaining({ id: own.id, name: 'Высокая важность', query: 'importance=high' }),
    );

    const renamed = await sendJson('PUT', url(`/${own.id}`), operator, { name: 'Важные', query: 'importance=high&sort=due' });
    expect(renamed).toMatchObject({ status: 200, body: { id: own.id, name: 'Важные', query: 'importance=high&sort=due' } });
    expect((await sendJson('DELETE', url(`/${own.id}`), operator)).body).toEqual({ id: own.id, removed: true });
    expect((await getJson(url(), operator)).body.items.map((v: any) => v.id)).not.toContain(own.id);
    expect((await sendJson('DELETE', url(`/${own.id}`), operator)).status).toBe(404);
  });

  it('keeps at most 50 views per user', async () => {
    const head = await users.headers(app.url, 'head', 'adm-taganrog');
    for (let i = 1; i <= 50; i++) await create(head, { name: `Вид ${i}`, query: `limit=${i}` });
    const over = await postJson(url(), { name: 'Вид 51', query: '' }, head);
    expect(over.status).toBe(409);
    expect(over.body.errors).toEqual([{ field: 'name', message: 'Название: у вас уже 50 сохранённых видов — удалите ненужный' }]);
    expect((await getJson(url(), head)).body.items).toHaveLength(50);
    // Others are not limited by this user's views.
    await create(operator, { name: 'Ещё один', query: '' });
  });
});
