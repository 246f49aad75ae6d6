import { Client } from 'pg';
import { getJson, postJson, sendJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { ServiceProcess, startService } from './support/services';
import { TestUsers, testLogin } from './support/users';

/**
 * Answer templates on the whole product (real PostgreSQL): admins keep them per category with the
 * history of every change, those who answer read them for the message's category; bad input is
 * refused in Russian naming the field, with nothing written. Templates are shared by all suites of
 * a run: this one looks only at the titles it made (each carries the run's mark).
 */
describe('answer templates', () => {
  let infra: Infrastructure;
  let app: ServiceProcess;
  let users: TestUsers;
  let db: Client;
  let admin: Record<string, string>;
  let executor: Record<string, string>;
  let operator: Record<string, string>;
  const mark = `t${Date.now().toString(36)}`;
  const url = (path = '') => `${app.url}/api/v1/answer-templates${path}`;
  const mine = (items: { title: string }[]) => items.filter((t) => t.title.includes(mark));

  beforeAll(async () => {
    infra = readInfrastructure();
    app = await startService('standalone', infra, { KAFKA_GROUP_PREFIX: `templates-${mark}`, CUR_DEMO_STREAM: 'false' });
    users = await TestUsers.connect(infra.databaseUrl);
    admin = await users.headers(app.url, 'admin', null);
    executor = await users.headers(app.url, 'executor', 'min-health');
    operator = await users.headers(app.url, 'operator', 'cur-rostov');
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await app?.stop();
    await users?.close();
    await db?.end();
  });

  const create = async (body: Record<string, unknown>) => {
    const res = await postJson(url(), body, admin);
    expect(res.status).toBe(201);
    return res.body;
  };

  it('offers for a category its own templates first, then those for every category; never another category’s', async () => {
    const roads = await create({ categoryCode: 'pos.roads', title: `Яма на дороге ${mark}`, body: 'Работы включены в план ремонта.', reason: 'Частый вопрос' });
    const everyone = await create({ categoryCode: null, title: `Благодарность ${mark}`, body: 'Спасибо за обращение.' });
    await create({ categoryCode: 'pos.medicine', title: `Запись к врачу ${mark}`, body: 'Запись открыта.' });
    expect(roads).toMatchObject({
      categoryCode: 'pos.roads',
      category: { code: 'pos.roads', name: expect.any(String) },
      version: 1,
      updatedBy: testLogin('admin'),
    });

    const offered = await getJson(url('?categoryCode=pos.roads'), executor);
    expect(offered.status).toBe(200);
    expect(mine(offered.body.items).map((t: any) => t.id)).toEqual([roads.id, everyone.id]);
    expect(mine((await getJson(url(), operator)).body.items)).toHaveLength(3);

    const history = await getJson(url(`/${roads.id}/history`), admin);
    expect(history.body.items).toEqual([
      {
        at: expect.any(String),
        type: 'created',
        actor: testLogin('admin'),
        reason: 'Частый вопрос',
        before: null,
        after: { categoryCode: 'pos.roads', title: `Яма на дороге ${mark}`, body: 'Работы включены в план ремонта.', active: true },
      },
    ]);
    // The actor named for the screen (a login nobody holds any more is its own name).
    expect(history.body.people[testLogin('admin')]).toMatchObject({ name: expect.any(String), system: false });
  });

  it('records who changed a template, when and why, and does not overwrite a change made meanwhile', async () => {
    const template = await create({ categoryCode: 'pos.roads', title: `Сроки ремонта ${mark}`, body: 'Ремонт летом.' });
    const changed = await sendJson('PUT', url(`/${template.id}`), admin, {
      categoryCode: 'pos.roads',
      title: `Сроки ремонта ${mark}`,
      body: 'Ремонт в июне.',
      reason: 'Уточнён срок',
      version: 1,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ body: 'Ремонт в июне.', version: 2 });
    const stale = await sendJson('PUT', url(`/${template.id}`), admin, {
      categoryCode: 'pos.roads',
      title: `Сроки ремонта ${mark}`,
      body: 'Ремонт осенью.',
      reason: 'Ещё раз',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.errors).toEqual([{ field: 'version', message: 'Версия: сейчас 2, вы правили 1' }]);
    const history = (await getJson(url(`/${template.id}/history`), admin)).body;
    expect(history.items.map((e: any) => e.type)).toEqual(['created', 'updated']);
    expect(history.items[1]).toMatchObject({
      actor: testLogin('admin'),
      reason: 'Уточнён срок',
      before: { body: 'Ремонт летом.' },
      after: { body: 'Ремонт в июне.' },
    });
    expect(history.template.body).toBe('Ремонт в июне.');
  });

  it('refuses bad input in Russian naming the field, and writes nothing', async () => {
    const count = async () => Number((await db.query(`SELECT count(*) FROM answer_template WHERE title LIKE $1`, [`%${mark}%`])).rows[0].count);
    const before = await count();
    const unknownCategory = await postJson(url(), { categoryCode: 'pos.nothing', title: `Нет такой ${mark}`, body: 'текст' }, admin);
    expect(unknownCategory.status).toBe(400);
    expect(unknownCategory.body.errors).toEqual([{ field: 'categoryCode', message: 'Категория: нет категории «pos.nothing» в рубрикаторе региона' }]);
    const empty = await postJson(url(), { categoryCode: null, title: '', body: 'текст', colour: 'red' }, admin);
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'title', message: 'Заголовок: не может быть пустым' },
        { field: 'colour', message: 'Поле «colour»: такого поля в этом запросе нет' },
      ]),
    );
    const blank = await postJson(url(), { categoryCode: null, title: '   ', body: ' \n ' }, admin);
    expect(blank.body.errors).toEqual([
      { field: 'title', message: 'Заголовок: не может быть пустым' },
      { field: 'body', message: 'Текст: не может быть пустым' },
    ]);
    const tooLong = await postJson(url(), { categoryCode: null, title: `${mark} ${'я'.repeat(200)}`, body: 'текст' }, admin);
    expect(tooLong.body.errors).toEqual([{ field: 'title', message: 'Заголовок: должно быть не длиннее 200 символов' }]);
    const noCategory = await postJson(url(), { title: `Без категории ${mark}`, body: 'текст' }, admin);
    expect(noCategory.body.errors).toEqual([{ field: 'categoryCode', message: expect.stringMatching(/^Категория: должна быть кодом категории/) }]);
    const badQuery = await getJson(url('?categoryCode=POS%20ROADS'), executor);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.errors[0].field).toBe('categoryCode');

    await create({ categoryCode: 'pos.heating', title: `Отопление ${mark}`, body: 'Подача тепла восстановлена.' });
    const again = await postJson(url(), { categoryCode: 'pos.heating', title: `ОТОПЛЕНИЕ ${mark}`, body: 'другой текст' }, admin);
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ field: 'title', message: `Заголовок: шаблон «ОТОПЛЕНИЕ ${mark}» для этой категории уже есть` }]);
    const noReason = await sendJson('PUT', url(`/${(await create({ categoryCode: null, title: `Без причины ${mark}`, body: 'x' })).id}`), admin, {
      categoryCode: null,
      title: `Без причины ${mark}`,
      body: 'y',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toContainEqual({ field: 'reason', message: 'Причина: не может быть пустым' });
    // The same title in another category is another template.
    await create({ categoryCode: 'pos.gas', title: `Отопление ${mark}`, body: 'Газ.' });
    expect(await count()).toBe(before + 3);
  });

  it('removes a template from use with a reason, keeping its history; only admins change templates', async () => {
    const template = await create({ categoryCode: 'pos.waste', title: `Вывоз мусора ${mark}`, body: 'Контейнеры вывезены.' });
    expect((await sendJson('PUT', url(`/${template.id}`), executor, { categoryCode: null, title: 'x', body: 'y', reason: 'z' })).status).toBe(403);
    expect((await postJson(url(), { categoryCode: null, title: `Оператор ${mark}`, body: 'x' }, operator)).status).toBe(403);
    expect((await sendJson('DELETE', url(`/${template.id}`), operator)).status).toBe(403);

    const withoutReason = await sendJson('DELETE', url(`/${template.id}`), admin);
    expect(withoutReason.status).toBe(400);
    expect(withoutReason.body.errors).toContainEqual({ field: 'reason', message: 'Причина: не может быть пустым' });
    const removed = await sendJson('DELETE', url(`/${template.id}?reason=${encodeURIComponent('Контейнерные площадки теперь у регоператора')}`), admin);
    expect(removed).toEqual({ status: 200, body: { id: template.id, removed: true } });
    expect(mine((await getJson(url('?categoryCode=pos.waste'), executor)).body.items).map((t: any) => t.id)).not.toContain(template.id);
    expect((await sendJson('DELETE', url(`/${template.id}?reason=again`), admin)).status).toBe(404);
    expect((await sendJson('PUT', url(`/${template.id}`), admin, { categoryCode: null, title: 'x', body: 'y', reason: 'z' })).status).toBe(404);
    const history = (await getJson(url(`/${template.id}/history`), admin)).body.items;
    expect(history.at(-1)).toMatchObject({ type: 'removed', actor: testLogin('admin'), reason: 'Контейнерные площадки теперь у регоператора' });
    // Its title is free again.
    await create({ categoryCode: 'pos.waste', title: `Вывоз мусора ${mark}`, body: 'Новый текст.' });
  });
});
