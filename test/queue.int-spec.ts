import { Client } from 'pg';
import { getJson, portalMessage, postJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { TestUsers, testLogin } from './support/users';

/**
 * The operator's queue on the whole product (real PostgreSQL and Kafka): filters and the order by
 * time left with its pages, importance re-planning the clocks, duplicates merged, moderation.
 */
describe('the operator queue', () => {
  let infra: Infrastructure;
  let app: ServiceProcess;
  let users: TestUsers;
  let db: Client;
  let operator: Record<string, string>;
  const source = `queue-${Date.now()}`;

  beforeAll(async () => {
    infra = readInfrastructure();
    app = await startService('standalone', infra, { KAFKA_GROUP_PREFIX: source, CUR_DEMO_STREAM: 'false' });
    users = await TestUsers.connect(infra.databaseUrl);
    operator = await users.headers(app.url, 'operator', 'cur-rostov');
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await app?.stop();
    await users?.close();
    await db?.end();
  });

  const post = async (overrides: Record<string, unknown>) => {
    const res = await postJson(`${app.url}/api/v1/messages`, portalMessage({ source, ...overrides }));
    expect(res.status).toBe(201);
    return expectEventually(async () => {
      const { body } = await getJson(`${app.url}/api/v1/messages/${res.body.id}`, operator);
      expect(body.status).not.toBe('new');
      return body;
    });
  };

  it('filters by territory, channel and importance, and pages through the queue by time left without gaps or repeats', async () => {
    const posted = [];
    for (let i = 0; i < 5; i++) posted.push(await post({ territory: 'Азов', createdAt: new Date(Date.UTC(2026, 2, 2, 6 + i)).toISOString() }));
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (
        await getJson(
          `${app.url}/api/v1/messages?territoryId=azov&channel=pos&importance=normal&sort=due&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          operator,
        )
      ).body;
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.every((m) => m.territory.id === 'azov' && m.channel === 'pos' && m.importance === 'normal')).toBe(true);
    expect(new Set(seen.map((m) => m.id)).size).toBe(seen.length);
    expect(seen.map((m) => m.id)).toEqual(expect.arrayContaining(posted.map((m) => m.id)));
    const dues = seen.map((m) => m.dueAt).filter(Boolean);
    expect(dues).toEqual([...dues].sort());
    const bad = await getJson(`${app.url}/api/v1/messages?sort=importance`, operator);
    expect(new Set(bad.body.errors.map((e: any) => e.field))).toEqual(new Set(['sort']));
  });

  it('high importance re-plans the clocks under the stricter policy, recorded with before and after', async () => {
    const message = await post({ channel: 'social', text: 'На улице Ленина прорвало трубу, вода заливает дорогу.', territory: 'Ростов-на-Дону' });
    const url = `${app.url}/api/v1/messages/${message.id}`;
    const noReason = await postJson(`${url}/importance`, { importance: 'high' }, operator);
    expect(new Set(noReason.body.errors.map((e: any) => e.field))).toEqual(new Set(['reason']));
    const changed = await postJson(`${url}/importance`, { importance: 'high', reason: 'Угроза жизни' }, operator);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ importance: 'high' });
    const deadlines = (await getJson(`${url}/deadlines`, operator)).body;
    expect(deadlines.policy.id).toBe('social-high');
    const after = (await getJson(url, operator)).body;
    const event = after.history.at(-1);
    expect(event).toMatchObject({
      type: 'importance-changed',
      reason: 'Угроза жизни',
      data: { before: { importance: 'normal' }, after: { importance: 'high' }, policyId: 'social-high' },
    });
    expect(event.data.after.dueAt < event.data.before.dueAt).toBe(true);
    expect((await postJson(`${url}/importance`, { importance: 'high', reason: 'ещё' }, operator)).status).toBe(409);
  });

  it('importance under the same policy leaves the running clocks as they are', async () => {
    const message = await post({ territory: 'Азов' });
    const url = `${app.url}/api/v1/messages/${message.id}`;
    const before = (await getJson(`${url}/deadlines`, operator)).body;
    const changed = await postJson(`${url}/importance`, { importance: 'high', reason: 'Жалоба повторная' }, operator);
    expect(changed.status).toBe(200);
    const after = (await getJson(`${url}/deadlines`, operator)).body;
    expect(after.policy.id).toBe(before.policy.id);
    expect(after.clocks.map((c: any) => [c.id, c.state, c.dueAt])).toEqual(before.clocks.map((c: any) => [c.id, c.state, c.dueAt]));
  });

  it('merges a duplicate into the message that stays: closed there, noted on both, and not twice', async () => {
    const text = 'Во дворе дома 5 по улице Мира не вывозят мусор уже неделю.';
    const main = await post({ text, territory: 'Батайск' });
    const duplicate = await post({ text, territory: 'Батайск' });
    const url = `${app.url}/api/v1/messages/${duplicate.id}/merge`;
    const self = await postJson(url, { targetId: duplicate.id, reason: 'дубль' }, operator);
    expect(new Set(self.body.errors.map((e: any) => e.field))).toEqual(new Set(['targetId']));
    const merged = await postJson(url, { targetId: main.id, reason: 'Повторное обращение того же заявителя' }, operator);
    expect(merged.body).toMatchObject({ status: 'closed', duplicateOf: main.id });
    expect((await getJson(`${app.url}/api/v1/messages/${duplicate.id}`, operator)).body).toMatchObject({ status: 'closed', duplicateOf: main.id });
    expect((await getJson(`${app.url}/api/v1/messages/${main.id}`, operator)).body.history.at(-1)).toMatchObject({
      type: 'duplicate-attached',
      data: { duplicateId: duplicate.id },
    });
    const clocks = (await getJson(`${app.url}/api/v1/messages/${duplicate.id}/deadlines`, operator)).body.clocks;
    expect(clocks.filter((c: any) => c.state === 'running')).toEqual([]);
    expect((await postJson(url, { targetId: main.id, reason: 'ещё раз' }, operator)).status).toBe(409);
  });

  it('accepts a message from moderation into the triage queue, once', async () => {
    const message = await post({ text: 'Прошу проверить законность вырубки деревьев в парке.', territory: 'Новочеркасск' });
    await db.query(`UPDATE message SET status = 'moderation' WHERE id = $1`, [message.id]);
    const url = `${app.url}/api/v1/messages/${message.id}/moderation-acceptance`;
    const accepted = await postJson(url, { reason: 'Соответствует правилам' }, operator);
    expect(accepted.body).toMatchObject({ status: 'needs_triage' });
    expect((await postJson(url, {}, operator)).status).toBe(409);
    expect((await getJson(`${app.url}/api/v1/messages/${message.id}`, operator)).body.history.at(-1)).toMatchObject({
      type: 'moderation-accepted',
      fromStatus: 'moderation',
      toStatus: 'needs_triage',
      reason: 'Соответствует правилам',
    });
  });
  it('names the card’s people (login on hover) and its events in Russian; the catalog has every title and both trees', async () => {
    const message = await post({});
    expect(message.status).toBe('assigned');
    const organization = message.organization.id;
    const executor = await users.headers(app.url, 'executor', organization);
    expect((await postJson(`${app.url}/api/v1/messages/${message.id}/take`, {}, executor)).status).toBe(200);
    await postJson(`${app.url}/api/v1/messages/${message.id}/importance`, { importance: 'high', reason: 'Угроза жизни' }, operator);
    const card = (await getJson(`${app.url}/api/v1/messages/${message.id}`, operator)).body;
    const executorLogin = testLogin('executor', organization);
    const operatorLogin = testLogin('operator', 'cur-rostov');
    expect(card.assignee).toBe(executorLogin);
    expect(card.history.map((h: any) => [h.type, h.typeTitle, h.actor])).toEqual(
      expect.arrayContaining([
        ['routed', 'Направлено в организацию', 'system:triage'],
        ['taken', 'Взято в работу', executorLogin],
        ['importance-changed', 'Изменена важность', operatorLogin],
      ]),
    );
    expect(card.people).toEqual({
      [`intake:${source}`]: { name: `Приём сообщений (${source})`, system: true },
      'system:triage': { name: 'Автоматическая сортировка', system: true },
      [executorLogin]: { name: `Тест ${executorLogin}`, organization: { id: organization, name: message.organization.name }, system: false },
      [operatorLogin]: { name: `Тест ${operatorLogin}`, organization: { id: 'cur-rostov', name: expect.any(String) }, system: false },
    });

    const catalog = (await getJson(`${app.url}/api/v1/catalog`, operator)).body;
    expect(catalog).toMatchObject({
      historyTypes: { routed: 'Направлено в организацию', 'extension-requested': 'Запрошено продление срока' },
      clockKinds: { final_answer: 'Ответ заявителю' },
      clockStates: { breached: 'Нарушен' },
      actions: { take: 'Взять в работу', 'decide-extension': 'Решить по продлению' },
      systemActors: { 'system:triage': 'Автоматическая сортировка', 'system:sla': 'Контроль сроков' },
      importances: { high: 'Высокая' },
      roles: { executor: 'Исполнитель' },
    });
    // Every title the card uses is in the catalog.
    for (const h of card.history) expect(catalog.historyTypes[h.type]).toBe(h.typeTitle);
    // The category tree: rubricators, the social rubricator's groups, each category once as a leaf.
    expect(catalog.categoryTree.map((r: any) => r.id)).toEqual(['rubricator:pos', 'rubricator:im']);
    const leaves: string[] = [];
    const walk = (node: any) => (node.code ? leaves.push(node.code) : node.children.forEach(walk));
    catalog.categoryTree.forEach(walk);
    expect(leaves.sort()).toEqual(catalog.categories.map((c: any) => c.code).sort());
    const im = catalog.categoryTree[1];
    expect(im.children.length).toBeGreaterThan(10);
    expect(im.children.every((g: any) => g.code === null && g.children.length > 0)).toBe(true);
    // The organization tree: every parent is in the list, every kind has a title.
    const ids = new Set(catalog.organizations.map((o: any) => o.id));
    expect(catalog.organizations.filter((o: any) => o.parentId !== null && !ids.has(o.parentId))).toEqual([]);
    expect(catalog.organizations.filter((o: any) => !catalog.organizationKinds[o.kind])).toEqual([]);
    expect(catalog.organizations.some((o: any) => o.parentId !== null)).toBe(true);
  });

  it('answers a bad list filter in Russian, naming the field by its input name', async () => {
    const res = await getJson(`${app.url}/api/v1/messages?limit=500&status=new,lost&colour=red`, operator);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'limit', message: 'Число строк: должно быть не больше 200' },
        { field: 'status', message: expect.stringMatching(/^Статус: допустимые значения: new, needs_triage, /) },
        { field: 'colour', message: 'Поле «colour»: такого поля в этом запросе нет' },
      ]),
    );
    expect(res.body.errors).toHaveLength(3);
  });
});
