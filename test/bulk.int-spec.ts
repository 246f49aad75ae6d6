import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { getJson, portalMessage, postJson } from './support/http';
import { Infrastructure, readInfrastructure } from './support/infrastructure';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { TestUsers, testLogin } from './support/users';

/**
 * Bulk work on messages on the whole product (real PostgreSQL and Kafka): one action on many
 * messages, each through its single-message path with its own history entry; the answer says per
 * id what became of it, and one refused message neither stops nor undoes the others.
 */
describe('bulk work on messages', () => {
  let infra: Infrastructure;
  let app: ServiceProcess;
  let users: TestUsers;
  let db: Client;
  let operator: Record<string, string>;
  const source = `bulk-${Date.now()}`;
  const bulk = (body: unknown, headers = operator) => postJson(`${app.url}/api/v1/messages/bulk`, body, headers);

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

  /** A message of this suite, triaged; then put in `status` as the test needs it. */
  const message = async (status?: string, overrides: Record<string, unknown> = {}): Promise<string> => {
    const res = await postJson(`${app.url}/api/v1/messages`, portalMessage({ source, ...overrides }));
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    await expectEventually(async () => {
      const { body } = await getJson(`${app.url}/api/v1/messages/${id}`, operator);
      expect(body.status).not.toBe('new');
    });
    if (status) await db.query(`UPDATE message SET status = $2 WHERE id = $1`, [id, status]);
    return id;
  };
  const read = async (id: string) => (await getJson(`${app.url}/api/v1/messages/${id}`, operator)).body;
  const historyLength = async (id: string) => (await db.query(`SELECT count(*)::int AS n FROM message_event WHERE message_id = $1`, [id])).rows[0].n as number;

  it('rejects from moderation: the allowed ones rejected with their own history; a status that forbids it and an unknown id refused, per id', async () => {
    const [first, assigned, second] = [await message('moderation'), await message('assigned'), await message('needs_triage')];
    const unknown = randomUUID();
    const assignedHistory = await historyLength(assigned);
    const reason = 'Нецензурная лексика';
    // The refused ones stand between the accepted ones: a refusal neither stops nor undoes the rest.
    const res = await bulk({ ids: [first, assigned, unknown, second], action: 'reject', reason });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ action: 'reject', total: 4, succeeded: 2, failed: 2 });
    expect(res.body.results).toEqual([
      { id: first, ok: true, status: 'rejected' },
      { id: assigned, ok: false, code: 'CONFLICT', message: 'Действие «Отклонить» недоступно в статусе «Назначен исполнитель»' },
      { id: unknown, ok: false, code: 'NOT_FOUND', message: 'Сообщение не найдено' },
      { id: second, ok: true, status: 'rejected' },
    ]);
    for (const [id, from] of [
      [first, 'moderation'],
      [second, 'needs_triage'],
    ]) {
      const after = await read(id);
      expect(after.status).toBe('rejected');
      expect(after.history.at(-1)).toMatchObject({
        type: 'rejected',
        fromStatus: from,
        toStatus: 'rejected',
        actor: testLogin('operator', 'cur-rostov'),
        reason,
      });
    }
    expect((await read(assigned)).status).toBe('assigned');
    expect(await historyLength(assigned)).toBe(assignedHistory);
  });

  it('categorizes: each routed by the category with a history entry; a closed message refused', async () => {
    const [queued, assigned, rejected] = [await message('needs_triage'), await message('assigned'), await message('rejected')];
    const reason = 'Все про дороги';
    const res = await bulk({ ids: [queued, rejected, assigned], action: 'categorize', categoryCode: 'pos.roads', organizationId: 'adm-azov', reason });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => [r.id, r.ok, r.code ?? r.status])).toEqual([
      [queued, true, 'assigned'],
      [rejected, false, 'CONFLICT'],
      [assigned, true, 'assigned'],
    ]);
    expect(res.body.results[1].message).toBe('Действие «Выбрать категорию и организацию» недоступно в статусе «Отклонено модератором» (сообщение закрыто)');
    for (const id of [queued, assigned]) {
      const after = await read(id);
      expect(after).toMatchObject({ category: { code: 'pos.roads' }, organization: { id: 'adm-azov' } });
      expect(after.history.at(-1)).toMatchObject({ type: 'categorized', actor: testLogin('operator', 'cur-rostov'), reason });
    }
    expect((await read(rejected)).status).toBe('rejected');
  });

  it('routes to an organization keeping each category; a message without a category is refused naming the field', async () => {
    const routed = await message('assigned');
    const before = await read(routed);
    const uncategorized = await message('needs_triage');
    await db.query(`UPDATE message SET category_code = NULL WHERE id = $1`, [uncategorized]);
    const res = await bulk({ ids: [routed, uncategorized], action: 'route', organizationId: 'adm-bataysk', reason: 'Территория Батайска' });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toEqual({ id: routed, ok: true, status: 'assigned' });
    expect(res.body.results[1]).toMatchObject({ id: uncategorized, ok: false, code: 'VALIDATION_FAILED', errors: [{ field: 'categoryCode' }] });
    const after = await read(routed);
    expect(after).toMatchObject({ category: { code: before.category.code }, organization: { id: 'adm-bataysk' } });
    expect(after.history.at(-1)).toMatchObject({
      type: 'categorized',
      reason: 'Территория Батайска',
      data: { previousOrganizationId: before.organization.id },
    });
  });

  it('sets importance, and merges into one target; what already is so or may not be merged is refused per id', async () => {
    const [a, b, already] = [await message(), await message(), await message()];
    await db.query(`UPDATE message SET importance = 'high' WHERE id = $1`, [already]);
    const importance = await bulk({ ids: [a, already, b], action: 'importance', importance: 'high', reason: 'Массовая авария' });
    expect(importance.body.results.map((r: any) => [r.ok, r.code ?? null])).toEqual([
      [true, null],
      [false, 'CONFLICT'],
      [true, null],
    ]);
    expect(importance.body.results[1].message).toBe('Важность уже такая');
    for (const id of [a, b]) expect((await read(id)).history.at(-1)).toMatchObject({ type: 'importance-changed', reason: 'Массовая авария' });

    const target = await message();
    const working = await message('in_progress');
    const merged = await bulk({ ids: [a, working, b], action: 'merge', targetId: target, reason: 'Одна и та же авария' });
    expect(merged.body).toMatchObject({ succeeded: 2, failed: 1 });
    expect(merged.body.results[1]).toMatchObject({ id: working, ok: false, code: 'CONFLICT' });
    for (const id of [a, b]) expect(await read(id)).toMatchObject({ status: 'closed', duplicateOf: target });
    const attached = (await read(target)).history.filter((h: any) => h.type === 'duplicate-attached').map((h: any) => h.data.duplicateId);
    expect(attached.sort()).toEqual([a, b].sort());
    expect((await read(working)).status).toBe('in_progress');
  });

  it('refuses a malformed request with a 400 naming the field, and writes nothing', async () => {
    const id = await message('needs_triage');
    const before = await historyLength(id);
    const cases: [unknown, string][] = [
      [{ ids: [], action: 'reject', reason: 'x' }, 'ids'],
      [{ ids: Array.from({ length: 201 }, () => randomUUID()), action: 'reject', reason: 'x' }, 'ids'],
      [{ ids: [id, id], action: 'reject', reason: 'x' }, 'ids'],
      [{ ids: [id, 'not-a-uuid'], action: 'reject', reason: 'x' }, 'ids'],
      [{ ids: [id], action: 'delete', reason: 'x' }, 'action'],
      [{ ids: [id], action: 'reject' }, 'reason'],
      [{ ids: [id], action: 'categorize', reason: 'x' }, 'categoryCode'],
      [{ ids: [id], action: 'route', reason: 'x' }, 'organizationId'],
      [{ ids: [id], action: 'importance', reason: 'x' }, 'importance'],
      [{ ids: [id], action: 'importance', importance: 'urgent', reason: 'x' }, 'importance'],
      [{ ids: [id], action: 'merge', reason: 'x' }, 'targetId'],
      [{ ids: [id], action: 'merge', targetId: id, reason: 'x' }, 'targetId'],
      [{ ids: [id], action: 'reject', importance: 'high', reason: 'x' }, 'importance'],
      [{ ids: [id], action: 'categorize', categoryCode: 'no.such', reason: 'x' }, 'categoryCode'],
      [{ ids: [id], action: 'route', organizationId: 'cur-rostov', reason: 'x' }, 'organizationId'],
      [{ ids: [id], action: 'reject', reason: 'x', everything: true }, 'everything'],
    ];
    const problems: string[] = [];
    for (const [body, field] of cases) {
      const res = await bulk(body);
      const fields = new Set((res.body.errors ?? []).map((e: { field: string }) => e.field));
      if (res.status !== 400 || !fields.has(field))
        problems.push(`${JSON.stringify(body).slice(0, 120)}: ${res.status} ${[...fields].join(',')}, expected 400 ${field}`);
    }
    expect(problems).toEqual([]);
    expect(await historyLength(id)).toBe(before);
    expect((await read(id)).status).toBe('needs_triage');
  });

  it('is for operators only: every bulk action is an operator action', async () => {
    const id = await message('needs_triage');
    for (const [role, organization] of [
      ['executor', 'adm-azov'],
      ['head', 'adm-azov'],
      ['supervisor', 'cur-rostov'],
      ['admin', null],
    ] as const) {
      const res = await bulk({ ids: [id], action: 'reject', reason: 'x' }, await users.headers(app.url, role, organization));
      expect(res.status).toBe(403);
    }
    expect((await read(id)).status).toBe('needs_triage');
  });
});
