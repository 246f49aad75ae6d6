import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { ClassificationModule, ClassifierService, isHoldout, RetrainScheduler } from '@cur/classification';
import { CurConfigModule, Environment, loadRegionConfig, RegionCatalog } from '@cur/config';
import { AuthRepository, ClassifierModelRepository, dataSourceOptions, JobLeaseRepository, migrate, PersistenceModule } from '@cur/persistence';
import { Clock, NoticeBoard, PlatformModule } from '@cur/platform';
import { ADMIN_DATABASE_URL, Infrastructure, readInfrastructure } from './support/infrastructure';
import { getJson, portalMessage, postJson } from './support/http';
import { expectEventually, ServiceProcess, startService } from './support/services';
import { KafkaEvents } from './support/kafka-events';
import { TestUsers, testLogin } from './support/users';
import { ROOT } from './support/root';

/**
 * The learned classifier in the distributed pipeline: bootstrap models, triage by the active
 * model with per-category thresholds, operators' corrections as labelled examples, retraining,
 * manual activation and rollback, over real Kafka and PostgreSQL.
 */
describe('classifier in the pipeline', () => {
  let infra: Infrastructure;
  let intake: ServiceProcess;
  let triage: ServiceProcess;
  let api: ServiceProcess;
  let db: Client;
  let users: TestUsers;
  let OPERATOR: Record<string, string>;
  let ADMIN: Record<string, string>;
  /** What triage published (the relay deletes it from the outbox once in Kafka). */
  let published: KafkaEvents;
  const operatorLogin = testLogin('operator', 'cur-rostov');
  const adminLogin = testLogin('admin');

  beforeAll(async () => {
    infra = readInfrastructure();
    const env = { KAFKA_GROUP_PREFIX: `classifier-${Date.now()}` };
    published = await KafkaEvents.start(infra.kafkaBrokers, ['cur.message.needs-triage'], { fromNow: true });
    // Triage first: it trains the bootstrap models if this database has none.
    triage = await startService('triage', infra, env);
    [intake, api] = await Promise.all([startService('intake', infra, env), startService('api', infra, env)]);
    db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    users = await TestUsers.connect(infra.databaseUrl);
    OPERATOR = await users.headers(api.url, 'operator', 'cur-rostov');
    ADMIN = await users.headers(api.url, 'admin');
  });

  afterAll(async () => {
    await published?.stop();
    await Promise.all([intake?.stop(), triage?.stop(), api?.stop()]);
    await users?.close();
    await db?.end();
  });

  const models = async (rubricator: string) => (await getJson(`${api.url}/api/v1/classifier/models?rubricator=${rubricator}`, ADMIN)).body as any[];
  const active = async (rubricator: string) => (await models(rubricator)).find((m) => m.status === 'active');

  async function triaged(text: string, extra: Record<string, unknown> = {}) {
    const res = await postJson(`${intake.url}/api/v1/messages`, portalMessage({ text, ...extra }));
    expect(res.status).toBe(201);
    return expectEventually(async () => {
      const { body } = await getJson(`${api.url}/api/v1/messages/${res.body.id}`, OPERATOR);
      expect(['assigned', 'needs_triage']).toContain(body.status);
      return body;
    });
  }

  it('has an active bootstrap model per rubricator, trained from the project seed', async () => {
    for (const rubricator of ['pos', 'im']) {
      const list = await models(rubricator);
      const bootstrap = list.find((m) => m.origin === 'bootstrap');
      expect(bootstrap).toMatchObject({ rubricator, version: 1, createdBy: 'system:bootstrap', trainingCorrections: 0 });
      expect(bootstrap.metrics.validation.accuracy).toBeGreaterThan(0.5);
      expect(bootstrap.history.map((h: any) => h.type)).toEqual(expect.arrayContaining(['trained', 'activated']));
      expect(bootstrap).not.toHaveProperty('file');
    }
  });

  it('routes a clear message with the learned model, recording version, threshold and probabilities', async () => {
    const message = await triaged('Контейнерная площадка переполнена, мусор не вывозят уже неделю, баки стоят полные.');
    expect(message).toMatchObject({ status: 'assigned', category: { code: 'pos.waste' }, organization: { id: 'adm-taganrog' } });
    const version = (await active('pos')).version;
    expect(message.classification).toMatchObject({ method: 'model', modelVersion: version, threshold: expect.any(Number) });
    expect(message.classification.suggestions).toHaveLength(3);
    expect(message.classification.suggestions[0].code).toBe('pos.waste');
    expect(message.classification.suggestions[0].probability).toBeGreaterThanOrEqual(message.classification.threshold);
  });

  it('sends an unclear message to the operator queue with the top-3 suggestions and their probabilities', async () => {
    // Words the model has never seen: no evidence for any category.
    const message = await triaged('Lorem ipsum dolor sit amet, consectetur adipiscing elit.');
    expect(message.status).toBe('needs_triage');
    const { suggestions } = message.classification;
    expect(suggestions).toHaveLength(3);
    for (const s of suggestions) expect(s).toEqual({ code: expect.stringMatching(/^pos\./), probability: expect.any(Number) });
    expect(suggestions[0].probability).toBeLessThan(message.classification.threshold ?? Infinity);
  });

  it('keeps texts with nothing to act on for a person whatever the model scores, and still routes clear ones', async () => {
    const kept = [
      ['pos', 'Помогите (обращение 5)'],
      ['pos', 'Когда починят?'],
      ['pos', 'Спасибо большое!'],
      ['pos', 'Обращение № 4512'],
      ['social', 'Ну и когда это закончится?! 😡'],
      ['social', '👍👍👍'],
    ];
    for (const [channel, text] of kept) {
      const message = await triaged(text, { channel });
      expect(message).toMatchObject({ status: 'needs_triage', category: null, organization: null });
      expect(message.history.at(-1)).toMatchObject({ type: 'needs-triage', reason: expect.stringMatching(/^Нет содержания: /) });
      // The operator still gets the suggestions; the event says why it was not routed.
      expect(message.classification.suggestions.length).toBeGreaterThan(0);
      await published.afterRelay(db, `key = $1`, [message.id]);
      expect(published.distinct('cur.message.needs-triage', message.id).map((e) => e.value.reason)).toEqual(['no_content']);
    }
    for (const text of ['Огромная яма на дороге, асфальт разбит, машины пробивают колёса', 'Мусор не вывозят неделю, контейнеры переполнены']) {
      expect(await triaged(text)).toMatchObject({ status: 'assigned', classification: { method: 'model' } });
    }
  });

  it('takes an operator decision: routes the message, records who and why, stores a labelled example', async () => {
    const message = await triaged('Прошу разобраться: на детской площадке во дворе сломаны качели, дети могут пострадать.');
    const url = `${api.url}/api/v1/messages/${message.id}/category`;

    const anonymous = await postJson(url, { categoryCode: 'pos.yards' }, {});
    expect(anonymous.status).toBe(401);
    expect((await postJson(url, { categoryCode: 'pos.yards' }, ADMIN)).status).toBe(403);
    const unknown = await postJson(url, { categoryCode: 'pos.nothing' }, OPERATOR);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'categoryCode', message: expect.stringContaining('pos.nothing') }]);
    const wrongRubricator = await postJson(url, { categoryCode: 'im.bezopasnost.01' }, OPERATOR);
    expect(wrongRubricator.body.errors[0].field).toBe('categoryCode');
    const bad = await postJson(url, { categoryCode: 'pos.yards', extra: 1 }, OPERATOR);
    expect(bad.status).toBe(400);
    expect((await db.query(`SELECT 1 FROM classification_example WHERE message_id = $1`, [message.id])).rowCount).toBe(0);

    const decided = await postJson(url, { categoryCode: 'pos.yards', reason: 'Двор, детская площадка' }, OPERATOR);
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'assigned', categoryCode: 'pos.yards', organizationId: 'adm-taganrog' });

    const { body: after } = await getJson(`${api.url}/api/v1/messages/${message.id}`, OPERATOR);
    expect(after).toMatchObject({ status: 'assigned', category: { code: 'pos.yards' }, classification: { method: 'operator', decidedBy: operatorLogin } });
    expect(after.history.at(-1)).toMatchObject({ type: 'categorized', actor: operatorLogin, reason: 'Двор, детская площадка', toStatus: 'assigned' });
    const example = await db.query(`SELECT label, predicted, holdout, actor, rubricator FROM classification_example WHERE message_id = $1`, [message.id]);
    expect(example.rows).toEqual([
      {
        label: 'pos.yards',
        predicted: message.classification.suggestions[0].code,
        holdout: isHoldout(message.id, 0.2),
        actor: operatorLogin,
        rubricator: 'pos',
      },
    ]);
  });

  it('retrains on request, keeps an unproven candidate waiting, and activates and rolls back by a person’s decision', async () => {
    const before = await active('pos');
    const retrain = await postJson(`${api.url}/api/v1/classifier/retrain`, { rubricator: 'pos', reason: 'Проверка' }, ADMIN);
    expect(retrain.status).toBe(200);
    expect(retrain.body).toMatchObject({ activated: false, model: { status: 'candidate', origin: 'retrain', createdBy: adminLogin } });
    expect(retrain.body.model.trainingCorrections).toBe(
      Number((await db.query(`SELECT count(*) FROM classification_example WHERE rubricator = 'pos' AND NOT holdout`)).rows[0].count),
    );
    expect(retrain.body.reason).toMatch(/отложенных исправлений/);
    const candidate = retrain.body.model;
    expect(candidate.version).toBeGreaterThan(before.version);

    const noReason = await postJson(`${api.url}/api/v1/classifier/models/${candidate.id}/activate`, {}, ADMIN);
    expect(noReason.status).toBe(400);
    expect(new Set(noReason.body.errors.map((e: any) => e.field))).toEqual(new Set(['reason']));

    const activated = await postJson(`${api.url}/api/v1/classifier/models/${candidate.id}/activate`, { reason: 'Проверено вручную' }, ADMIN);
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ id: candidate.id, status: 'active' });
    const again = await postJson(`${api.url}/api/v1/classifier/models/${candidate.id}/activate`, { reason: 'ещё раз' }, ADMIN);
    expect(again.status).toBe(409);

    // Triage picks the new version up within its cache period.
    await expectEventually(
      async () => {
        const message = await triaged('Мусор не вывозят, контейнеры переполнены.');
        expect(message.classification.modelVersion).toBe(candidate.version);
      },
      60_000,
      1_000,
    );

    const rollback = await postJson(`${api.url}/api/v1/classifier/rollback`, { rubricator: 'pos', reason: 'Возврат к прежней' }, ADMIN);
    expect(rollback.status).toBe(200);
    expect(rollback.body).toMatchObject({ id: before.id, status: 'active' });
    const list = await models('pos');
    expect(list.find((m) => m.id === candidate.id)).toMatchObject({ status: 'retired' });
    const events = list.find((m) => m.id === candidate.id).history.map((h: any) => [h.type, h.actor, h.reason]);
    expect(events).toEqual([
      ['trained', adminLogin, 'Проверка'],
      ['kept-candidate', adminLogin, retrain.body.reason],
      ['activated', adminLogin, 'Проверено вручную'],
      ['rolled-back', adminLogin, 'Возврат к прежней'],
    ]);
  });
});

/**
 * The activation rule against real PostgreSQL, with corrections chosen so that which ones are held
 * back is known: a candidate that learned what operators taught is activated; one that learned the
 * opposite of the held-back corrections is rejected.
 */
describe('retraining judged on held-back corrections', () => {
  let app: INestApplicationContext;
  let db: Client;
  let databaseName: string;
  let service: ClassifierService;

  beforeAll(async () => {
    databaseName = `cur_classifier_${Date.now()}_${process.pid}`;
    const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${databaseName}`);
    await admin.end();
    const url = new URL(ADMIN_DATABASE_URL);
    url.pathname = `/${databaseName}`;
    const options = dataSourceOptions(url.toString(), 4);
    await migrate(options, false);
    const env = Environment.load({ CUR_CONFIG_DIR: join(ROOT, 'config') });
    const region = new RegionCatalog(loadRegionConfig(join(ROOT, 'config'), 'rostov'));
    app = await NestFactory.createApplicationContext(
      {
        module: class TestRoot {},
        imports: [
          CurConfigModule.forRoot(env, region),
          PlatformModule.forRoot(),
          PersistenceModule.forRoot(options),
          ClassificationModule.forRoot({ worker: true }),
        ],
      },
      { logger: false },
    );
    service = app.get(ClassifierService);
    await app.init();
    // The bootstrap models train in the background after the start; these tests begin from them.
    await service.startBootstrap();
    db = new Client({ connectionString: url.toString() });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  });

  /** Message ids whose holdout membership is as wanted. */
  function ids(count: number, holdout: boolean): string[] {
    const found: string[] = [];
    while (found.length < count) {
      const id = randomUUID();
      if (isHoldout(id, 0.2) === holdout) found.push(id);
    }
    return found;
  }

  const SCOOTER_TEXTS = [
    'Электросамокаты кикшеринга брошены поперёк тротуара у дома',
    'Арендные самокаты стоят прямо у подъезда, не пройти с коляской',
    'Прокатные электросамокаты разбросаны у остановки',
    'Самокаты кикшеринга оставляют на газоне',
    'Кикшеринг: самокаты мешают проходу пешеходов',
  ];

  async function correct(messageIds: string[], label: string): Promise<void> {
    for (const [i, id] of messageIds.entries()) {
      await db.query(
        `INSERT INTO message (id, region, channel, source, external_id, text, status, status_changed_at, created_at, received_at)
         VALUES ($1, '61', 'pos', 'test', $2, $3, 'assigned', now(), now(), now())`,
        [id, `scooter-${id}`, `${SCOOTER_TEXTS[i % SCOOTER_TEXTS.length]} №${i}`],
      );
      await db.query(
        `INSERT INTO classification_example (message_id, region, rubricator, label, holdout, actor, created_at) VALUES ($1, '61', 'pos', $2, $3, 'operator:test', now())`,
        [id, label, isHoldout(id, 0.2)],
      );
    }
  }

  it('activates a candidate that learned from corrections and is better on the held-back ones', async () => {
    const bootstrap = (await service.list('pos')).find((m) => m.status === 'active')!;
    expect(await service.hasNewCorrections('pos')).toBe(false);
    await correct([...ids(40, false), ...ids(12, true)], 'pos.communications');
    expect(await service.hasNewCorrections('pos')).toBe(true);
    const result = await service.retrain('pos', 'operator:test', 'Новые исправления');
    expect(result.holdout.candidate.examples).toBe(12);
    expect(result.holdout.active!.accuracy).toBeLessThan(0.5);
    expect(result.holdout.candidate.accuracy).toBeGreaterThan(0.9);
    expect(result).toMatchObject({ activated: true, model: { status: 'active', version: 2, trainingCorrections: 40 } });
    const list = await service.list('pos');
    expect(list.find((m) => m.id === bootstrap.id)).toMatchObject({ status: 'retired' });
    expect(list.find((m) => m.version === 2)!.history.map((h) => h.type)).toEqual(['trained', 'activated']);
    expect((await service.active('pos'))!.version).toBe(2);
    expect(await service.hasNewCorrections('pos')).toBe(false);
  });

  it('rejects a candidate that is worse on the held-back corrections and keeps the active model', async () => {
    // Training corrections now teach the opposite of what the held-back ones say.
    await db.query(`UPDATE classification_example SET label = 'pos.culture' WHERE NOT holdout`);
    const result = await service.retrain('pos', 'operator:test', 'Противоречивые исправления');
    expect(result.activated).toBe(false);
    expect(result.model).toMatchObject({ status: 'rejected', version: 3 });
    expect(result.reason).toMatch(/хуже/);
    expect((await service.active('pos'))!.version).toBe(2);
    expect((await service.list('pos')).find((m) => m.version === 3)!.history.map((h) => [h.type, h.actor])).toEqual([
      ['trained', 'operator:test'],
      ['rejected', 'operator:test'],
    ]);
  });

  it('the nightly job retrains only a rubricator with new corrections', async () => {
    const scheduler = app.get(RetrainScheduler, { strict: false });
    const before = (await service.list()).length;
    await scheduler.runOnce();
    expect((await service.list()).length).toBe(before);
    await correct(ids(1, false), 'pos.communications');
    await scheduler.runOnce();
    const after = await service.list();
    expect(after.length).toBe(before + 1);
    expect(after.find((m) => m.version === 4 && m.rubricator === 'pos')).toMatchObject({ createdBy: 'system:nightly-retrain' });
  });

  it('falls back (to keywords in triage) when the active model cannot be read', async () => {
    const active = (await service.active('pos', { fresh: true }))!;
    const file = (await db.query(`SELECT file FROM classifier_model WHERE id = $1`, [active.id])).rows[0].file;
    await db.query(`UPDATE classifier_model SET file = $2 WHERE id = $1`, [active.id, Buffer.from('not a model')]);
    const fresh = new ClassifierService(
      app.get(ClassifierModelRepository),
      app.get(RegionCatalog),
      app.get(Clock),
      app.get(NoticeBoard),
      app.get(AuthRepository),
      app.get(JobLeaseRepository),
    );
    expect(await fresh.active('pos')).toBeUndefined();
    await db.query(`UPDATE classifier_model SET file = $2 WHERE id = $1`, [active.id, file]);
  });

  it('rolls back to the model active before', async () => {
    const back = await service.rollback('pos', 'operator:test', 'Откат');
    expect(back).toMatchObject({ version: 1, status: 'active' });
    await expect(service.rollback('pos', 'operator:test', 'ещё')).resolves.toMatchObject({ version: 2 });
  });

  it('runs the nightly job in one process at a time: two at once train one candidate', async () => {
    const scheduler = app.get(RetrainScheduler, { strict: false });
    const before = (await service.list()).length;
    await correct(ids(1, false), 'pos.communications');
    // As two triage processes would at the same tick: both see the correction, one takes the lease.
    const ran = await Promise.all([scheduler.runOnce(), scheduler.runOnce()]);
    expect(ran.sort()).toEqual([false, true]);
    expect((await service.list()).length).toBe(before + 1);
    expect((await db.query(`SELECT name FROM job_lease WHERE name = 'classifier-nightly-retrain'`)).rows).toEqual([]);
  });

  it('trains a rubricator once at a time: a second request while the first trains is refused with 409, and nothing of it is written', async () => {
    const before = (await service.list()).length;
    await correct(ids(1, false), 'pos.communications');
    // As two admins pressing «Переобучить» at once, or an admin while the nightly job trains.
    const outcomes = await Promise.allSettled([
      service.retrain('pos', 'operator:first', 'Первый запрос'),
      service.retrain('pos', 'operator:second', 'Второй запрос'),
    ]);
    const done = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(done).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toMatchObject({ code: 'CONFLICT' });
    expect(String(refused[0].reason.message)).toMatch(/уже обучается/);
    expect((await service.list()).length).toBe(before + 1);
    expect((await db.query(`SELECT name FROM job_lease WHERE name LIKE 'classifier-retrain:%'`)).rows).toEqual([]);
    // Once the first is done, a request for the same rubricator runs.
    const later = await service.retrain('pos', 'operator:second', 'Повтор после первого');
    expect(later.model.createdBy).toBe('operator:second');
  });
});
