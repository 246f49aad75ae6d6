import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { EngagementsModule, EngagementWatch } from '@cur/engagements';
import { DisciplineModule } from '@cur/discipline';
import { ReportingModule } from '@cur/reporting';
import { RunningService } from '@cur/runtime';
import { API_KEY, getJson, postJson } from './support/http';
import { ReportTestService, startReportService } from './support/report-service';
import { ManualClock } from './support/sla-service';

/**
 * Discussions, votes and surveys on PostgreSQL with a clock the test moves (issue 14): an
 * organizer's budget vote from draft to decision, its window's edges, its frozen rules; one citizen
 * one ballot under concurrent requests, decided by the database; a survey's required and branching
 * questions; and that no table ties a ballot to a person.
 */
describe('engagements: discussions, votes and surveys', () => {
  const clock = new ManualClock(new Date('2026-12-01T10:00:00+03:00'));
  let env: ReportTestService;
  let service: RunningService;
  let db: Client;
  let organizer: Record<string, string>;
  const url = (path = '') => `${service.url}/api/v1/engagements${path}`;
  const ballot = (id: string, body: object) => postJson(url(`/${id}/ballots`), body, { 'X-Api-Key': API_KEY });
  const patch = async (path: string, body: object, headers: Record<string, string>) => {
    const res = await fetch(url(path), { method: 'PATCH', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** The fields a refusal names, each once. */
  const fields = (body: any) => [...new Set((body.errors ?? []).map((e: { field: string }) => e.field))];

  beforeAll(async () => {
    // The watch runs when the test says (sweep()), not on its own.
    env = await startReportService('engagements', clock, [EngagementsModule, ReportingModule, DisciplineModule], {
      CUR_ENGAGEMENT_WATCH_INTERVAL_MS: '3600000',
    });
    service = env.service;
    db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
    organizer = await env.as('organizer', 'cur-rostov');
  });

  afterAll(async () => {
    await db?.end();
    await env?.stop();
  });

  const budgetVote = {
    kind: 'vote',
    title: 'Что благоустроить в 2027 году',
    theme: 'budget',
    territoryIds: ['taganrog'],
    opensAt: '2026-12-02T09:00:00+03:00',
    closesAt: '2026-12-09T18:00:00+03:00',
    maxChoices: 3,
    budgetLimit: 1_000_000,
    minSpendShare: 0.5,
    options: [
      { id: 'park', title: 'Сквер на Петровской', cost: 600_000 },
      { id: 'playground', title: 'Детская площадка', cost: 400_000 },
      { id: 'lights', title: 'Освещение набережной', cost: 300_000 },
    ],
  };

  describe('a budget vote from draft to decision', () => {
    let id: string;

    it('is created as a draft with its options, and the themes come from the region’s list', async () => {
      const themes = await getJson(url('/themes'), organizer);
      expect(themes.status).toBe(200);
      expect(themes.body.items).toContainEqual({ id: 'budget', title: 'Инициативное бюджетирование' });
      const created = await postJson(url(), budgetVote, organizer);
      expect(created.status).toBe(201);
      id = created.body.id;
      expect(created.body).toMatchObject({
        status: 'draft',
        kind: 'vote',
        theme: { id: 'budget', title: 'Инициативное бюджетирование' },
        organizer: { id: 'cur-rostov' },
        territories: [{ id: 'taganrog', name: 'Таганрог' }],
        vote: { maxChoices: 3, budgetLimit: 1_000_000, minSpendShare: 0.5 },
        options: budgetVote.options,
        actions: ['edit', 'publish'],
        ballots: 0,
      });
    });

    it('is published; before it opens a ballot is refused and nothing counted', async () => {
      const published = await postJson(url(`/${id}/publish`), {}, organizer);
      expect(published.status).toBe(200);
      expect(published.body).toMatchObject({ status: 'published', open: false, actions: ['edit', 'close'] });
      expect((await ballot(id, { citizenId: 'early', optionIds: ['park'] })).status).toBe(409);
      expect((await getJson(url(`/${id}/results`), organizer)).body.totalBallots).toBe(0);
    });

    it('takes a ballot at the budget exactly, refuses one over it or under the threshold, and a second from the same citizen', async () => {
      clock.set('2026-12-03T12:00:00+03:00');
      expect((await ballot(id, { citizenId: 'citizen-1', optionIds: ['park', 'playground'] })).status).toBe(201);
      const over = await ballot(id, { citizenId: 'citizen-2', optionIds: ['park', 'playground', 'lights'] });
      expect([over.status, fields(over.body)]).toEqual([400, ['optionIds']]);
      const under = await ballot(id, { citizenId: 'citizen-2', optionIds: ['lights'] });
      expect([under.status, fields(under.body)]).toEqual([400, ['optionIds']]);
      // An unknown option is named by its place (and spends nothing, so the threshold is not met either).
      const unknown = await ballot(id, { citizenId: 'citizen-2', optionIds: ['pool'] });
      expect(unknown.status).toBe(400);
      expect(fields(unknown.body)).toContain('optionIds.0');
      // Exactly at the threshold (half the budget): accepted.
      expect((await ballot(id, { citizenId: 'citizen-2', optionIds: ['playground', 'lights'] })).status).toBe(201);
      const again = await ballot(id, { citizenId: 'citizen-1', optionIds: ['lights', 'playground'] });
      expect(again.status).toBe(409);
      const results = (await getJson(url(`/${id}/results`), organizer)).body;
      expect(results.totalBallots).toBe(2);
      expect(results.options).toEqual([
        { id: 'park', title: 'Сквер на Петровской', votes: 1, cost: 600_000 },
        { id: 'playground', title: 'Детская площадка', votes: 2, cost: 400_000 },
        { id: 'lights', title: 'Освещение набережной', votes: 1, cost: 300_000 },
      ]);
      expect(results.byHour).toEqual([{ hour: '2026-12-03T12:00:00+03:00', ballots: 2 }]);
    });

    it('once ballots exist, options, costs and limits are frozen; the title still changes', async () => {
      const current = (await getJson(url(`/${id}`), organizer)).body;
      expect(current.rulesFrozen).toBe(true);
      const cheaper = await patch(
        `/${id}`,
        { ...budgetVote, options: budgetVote.options.map((o) => (o.id === 'park' ? { ...o, cost: 500_000 } : o)) },
        organizer,
      );
      expect(cheaper.status).toBe(409);
      expect(fields(cheaper.body).length).toBeGreaterThan(0);
      const limit = await patch(`/${id}`, { ...budgetVote, budgetLimit: 2_000_000 }, organizer);
      expect([limit.status, fields(limit.body)]).toEqual([409, ['budgetLimit']]);
      const renamed = await patch(`/${id}`, { ...budgetVote, title: 'Что благоустроить в Таганроге в 2027 году', version: current.version }, organizer);
      expect(renamed.status).toBe(200);
      expect(renamed.body.title).toBe('Что благоустроить в Таганроге в 2027 году');
      // The version it was read at is gone: a change made on it is refused, not overwritten.
      expect((await patch(`/${id}`, { ...budgetVote, version: current.version }, organizer)).status).toBe(409);
    });

    it('its window ends at closesAt: a ballot a millisecond before counts, one at the instant does not; the watch closes it and erases its secret', async () => {
      clock.set('2026-12-09T17:59:59.999+03:00');
      expect((await ballot(id, { citizenId: 'citizen-3', optionIds: ['park'] })).status).toBe(201);
      clock.set('2026-12-09T18:00:00+03:00');
      expect((await ballot(id, { citizenId: 'citizen-4', optionIds: ['park'] })).status).toBe(409);
      expect((await db.query(`SELECT count(*)::int AS n FROM engagement_secret WHERE engagement_id = $1`, [id])).rows[0].n).toBe(1);
      expect(await service.app.get(EngagementWatch).sweep()).toMatchObject({ closed: 1 });
      // Closed, but its result not yet published: nothing on the public page.
      expect((await getJson(`${service.url}/api/v1/public/engagements/${id}`, {})).status).toBe(404);
      const closed = (await getJson(url(`/${id}`), organizer)).body;
      expect(closed).toMatchObject({ status: 'closed', closedAt: '2026-12-09T18:00:00+03:00', actions: ['publish-result'], ballots: 3 });
      expect((await db.query(`SELECT count(*)::int AS n FROM engagement_secret WHERE engagement_id = $1`, [id])).rows[0].n).toBe(0);
      // Nothing more to close.
      expect(await service.app.get(EngagementWatch).sweep()).toMatchObject({ closed: 0 });
    });

    it('the result is published, then the decision recorded; each step in the history with who and when', async () => {
      clock.set('2026-12-11T10:00:00+03:00');
      const result = await postJson(url(`/${id}/result`), { text: 'Победил проект «Детская площадка»' }, organizer);
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ status: 'result_published', resultText: 'Победил проект «Детская площадка»', actions: ['record-decision'] });
      const missing = await postJson(url(`/${id}/decision`), { text: 'Включено в план' }, organizer);
      expect([missing.status, fields(missing.body)]).toEqual([400, ['documentRef']]);
      const decided = await postJson(
        url(`/${id}/decision`),
        { text: 'Площадка включена в план благоустройства', documentRef: 'Постановление № 123 от 20.12.2026' },
        organizer,
      );
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({ status: 'decided', decision: { documentRef: 'Постановление № 123 от 20.12.2026' }, actions: [] });
      // The public page: the result as published and the decision, for anyone, with no one's login.
      const page = await getJson(`${service.url}/api/v1/public/engagements/${id}`, {});
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({
        title: 'Что благоустроить в Таганроге в 2027 году',
        resultText: 'Победил проект «Детская площадка»',
        results: { totalBallots: 3 },
        decision: { documentRef: 'Постановление № 123 от 20.12.2026' },
      });
      expect(JSON.stringify(page.body)).not.toMatch(/createdBy|decidedBy|actor|citizen/);
      const history = (await getJson(url(`/${id}/history`), organizer)).body;
      expect(history.items.map((e: any) => e.type)).toEqual(['created', 'published', 'updated', 'closed', 'result-published', 'decision-recorded']);
      expect(history.items.find((e: any) => e.type === 'closed').typeTitle).toBe('Завершено по сроку');
      for (const e of history.items) expect(history.people[e.actor]).toMatchObject({ name: expect.any(String) });
    });

    it('a supervisor reads it with nothing to do; an executor has no engagements at all', async () => {
      const seen = await getJson(url(`/${id}`), await env.as('supervisor', 'cur-rostov'));
      expect(seen.status).toBe(200);
      expect(seen.body.actions).toEqual([]);
      expect((await getJson(url(), await env.as('executor', 'min-health'))).status).toBe(403);
      // Another organization's organizer: as if it did not exist.
      expect((await getJson(url(`/${id}`), await env.as('organizer', 'min-health'))).status).toBe(404);
    });
  });

  describe('one citizen, one ballot', () => {
    let id: string;

    beforeAll(async () => {
      clock.set('2026-12-14T10:00:00+03:00');
      const created = await postJson(
        url(),
        {
          kind: 'vote',
          title: 'Название нового парка',
          theme: 'improvement',
          opensAt: '2026-12-14T09:00:00+03:00',
          closesAt: '2026-12-21T18:00:00+03:00',
          options: [{ title: 'Солнечный' }, { title: 'Речной' }],
        },
        organizer,
      );
      expect(created.status).toBe(201);
      id = created.body.id;
      expect((await postJson(url(`/${id}/publish`), {}, organizer)).status).toBe(200);
    });

    it('50 ballots of one citizen sent at the same instant count once', async () => {
      const option = (await getJson(url(`/${id}`), organizer)).body.options[0].id;
      const statuses = await Promise.all(
        Array.from({ length: 50 }, () => ballot(id, { citizenId: 'same-citizen', optionIds: [option] }).then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(49);
      expect((await getJson(url(`/${id}/results`), organizer)).body.totalBallots).toBe(1);
    });

    it('500 ballots of distinct citizens all count', async () => {
      const [first, second] = (await getJson(url(`/${id}`), organizer)).body.options.map((o: { id: string }) => o.id);
      const statuses: number[] = [];
      // 50 at a time: concurrent, within what the test's connection pool and the service take at once.
      for (let batch = 0; batch < 10; batch++)
        statuses.push(
          ...(await Promise.all(
            Array.from({ length: 50 }, (_, i) => ballot(id, { citizenId: `citizen-${batch}-${i}`, optionIds: [i % 2 ? first : second] }).then((r) => r.status)),
          )),
        );
      expect(statuses.every((s) => s === 201)).toBe(true);
      const results = (await getJson(url(`/${id}/results`), organizer)).body;
      expect(results.totalBallots).toBe(501);
      expect(results.options.map((o: any) => o.votes)).toEqual([251, 250]);
    });

    it('no table ties a ballot to a person: the ballot holds no citizen id, only a keyed hash that is not the id’s plain hash', async () => {
      const columns = (
        await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'engagement_ballot' ORDER BY ordinal_position`)
      ).rows.map((r) => r.column_name);
      expect(columns).toEqual(['id', 'engagement_id', 'voter_key', 'option_ids', 'answers', 'cast_hour']);
      // Its only reference is to its engagement; nothing references a ballot.
      const references = await db.query(
        `SELECT conrelid::regclass::text AS from_table, confrelid::regclass::text AS to_table FROM pg_constraint
         WHERE contype = 'f' AND (conrelid = 'engagement_ballot'::regclass OR confrelid = 'engagement_ballot'::regclass)`,
      );
      expect(references.rows).toEqual([{ from_table: 'engagement_ballot', to_table: 'engagement' }]);
      const keys = (await db.query(`SELECT voter_key FROM engagement_ballot WHERE engagement_id = $1`, [id])).rows.map((r) => Buffer.from(r.voter_key));
      expect(keys).toHaveLength(501);
      const plain = createHash('sha256').update('same-citizen').digest();
      for (const key of keys) {
        expect(key.equals(plain)).toBe(false);
        expect(key.includes(Buffer.from('citizen'))).toBe(false);
      }
      // No text column anywhere in the schema holds a citizen id given to a ballot.
      const text = await db.query(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = 'public' AND data_type IN ('text', 'character varying') AND table_name LIKE 'engagement%'`,
      );
      for (const { table_name: table, column_name: column } of text.rows) {
        const found = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column}::text LIKE '%same-citizen%'`);
        expect({ table, column, n: found.rows[0].n }).toEqual({ table, column, n: 0 });
      }
    });
  });

  describe('a survey with branching', () => {
    let id: string;
    const survey = {
      kind: 'survey',
      title: 'Качество уборки дворов',
      theme: 'housing',
      opensAt: '2026-12-14T09:00:00+03:00',
      closesAt: '2026-12-28T18:00:00+03:00',
      questions: [
        {
          id: 'satisfied',
          type: 'single',
          title: 'Довольны ли вы уборкой?',
          required: true,
          choices: [
            { id: 'yes', title: 'Да' },
            { id: 'no', title: 'Нет' },
          ],
        },
        { id: 'why', type: 'text', title: 'Что не так?', required: true, showIf: { questionId: 'satisfied', choiceIds: ['no'] } },
        { id: 'score', type: 'scale', title: 'Оценка от 1 до 5', required: false },
      ],
    };

    beforeAll(async () => {
      clock.set('2026-12-15T10:00:00+03:00');
      const created = await postJson(url(), survey, organizer);
      expect(created.status).toBe(201);
      id = created.body.id;
      expect((await postJson(url(`/${id}/publish`), {}, organizer)).status).toBe(200);
    });

    it('asks the follow-up only after «Нет»: required then, refused otherwise; the results count answers, never texts', async () => {
      const missing = await ballot(id, { citizenId: 's-1', answers: { satisfied: 'no' } });
      expect([missing.status, fields(missing.body)]).toEqual([400, ['answers.why']]);
      const hidden = await ballot(id, { citizenId: 's-1', answers: { satisfied: 'yes', why: 'лишний ответ' } });
      expect([hidden.status, fields(hidden.body)]).toEqual([400, ['answers.why']]);
      const scale = await ballot(id, { citizenId: 's-1', answers: { satisfied: 'yes', score: 6 } });
      expect([scale.status, fields(scale.body)]).toEqual([400, ['answers.score']]);
      expect((await ballot(id, { citizenId: 's-1', answers: { satisfied: 'no', why: 'Мусор не вывозят неделями', score: 2 } })).status).toBe(201);
      expect((await ballot(id, { citizenId: 's-2', answers: { satisfied: 'yes' } })).status).toBe(201);
      const results = (await getJson(url(`/${id}/results`), organizer)).body;
      expect(results.totalBallots).toBe(2);
      expect(results.questions).toEqual([
        { id: 'satisfied', title: 'Довольны ли вы уборкой?', type: 'single', answers: { no: 1, yes: 1 } },
        { id: 'why', title: 'Что не так?', type: 'text', answers: { answered: 1 } },
        { id: 'score', title: 'Оценка от 1 до 5', type: 'scale', answers: { '2': 1 } },
      ]);
      expect(JSON.stringify(results)).not.toContain('Мусор не вывозят');
    });

    it('a discussion takes comments, not ballots', async () => {
      const created = await postJson(
        url(),
        {
          kind: 'discussion',
          title: 'Проект правил благоустройства',
          theme: 'municipal-acts',
          opensAt: '2026-12-15T09:00:00+03:00',
          closesAt: '2026-12-30T18:00:00+03:00',
          document: { title: 'Правила благоустройства', sections: [{ id: 'general', title: 'Общие положения', text: 'Текст раздела.' }] },
        },
        organizer,
      );
      expect(created.status).toBe(201);
      expect(created.body.document).toMatchObject({ version: 1, sections: [{ id: 'general' }] });
      expect((await postJson(url(`/${created.body.id}/publish`), {}, organizer)).status).toBe(200);
      const refused = await ballot(created.body.id, { citizenId: 'd-1', optionIds: ['x'] });
      expect([refused.status, fields(refused.body)]).toEqual([400, ['kind']]);
    });
  });

  describe('the terms of the result and the decision (order No. 733, item 4)', () => {
    let id: string;
    const sweep = () => service.app.get(EngagementWatch).sweep();
    const minus = (iso: string, ms: number) => new Date(Date.parse(iso) - ms).toISOString();

    it('closing starts the result’s term on the calendar; at 75% a warning, at the due instant a breach, once', async () => {
      clock.set('2026-12-14T10:00:00+03:00');
      const created = await postJson(
        url(),
        {
          kind: 'vote',
          title: 'Имя для сквера',
          theme: 'improvement',
          opensAt: '2026-12-14T09:00:00+03:00',
          closesAt: '2026-12-25T18:00:00+03:00',
          options: [{ title: 'Липовый' }, { title: 'Каштановый' }],
        },
        organizer,
      );
      id = created.body.id;
      expect((await postJson(url(`/${id}/publish`), {}, organizer)).status).toBe(200);
      clock.set('2026-12-15T12:00:00+03:00');
      const closed = await postJson(url(`/${id}/close`), { reason: 'Площадку передали под застройку' }, organizer);
      expect(closed.status).toBe(200);
      const due: string = closed.body.timing.resultDueAt;
      // Five working days (region.json, votes) after Tuesday noon: the next Tuesday's office close.
      expect(due).toBe('2026-12-22T18:00:00+03:00');
      expect(closed.body.timing).toEqual({ resultDueAt: due, decisionDueAt: null, overdue: false });
      const supervisor = await env.as('supervisor', 'cur-rostov');
      const mine = async () => (await getJson(url('/deadlines'), supervisor)).body.items.find((i: any) => i.id === id);
      expect(await mine()).toMatchObject({ stage: 'result', stageTitle: 'публикация итогов', dueAt: due, state: 'on_time' });

      clock.set('2026-12-15T13:00:00+03:00');
      expect(await sweep()).toMatchObject({ warned: 0, breached: 0 });
      clock.set(minus(due, 60_000));
      expect(await sweep()).toMatchObject({ warned: 1, breached: 0 });
      expect(await sweep()).toMatchObject({ warned: 0, breached: 0 });
      expect(await mine()).toMatchObject({ state: 'at_risk' });
      clock.set(due);
      expect(await sweep()).toMatchObject({ breached: 1 });
      expect(await sweep()).toMatchObject({ breached: 0 });
      expect(await mine()).toMatchObject({ state: 'overdue', left: null });
      expect((await getJson(url(`/${id}`), organizer)).body.timing.overdue).toBe(true);
      const breaches = (await getJson(url('/breaches'), supervisor)).body.items.filter((b: any) => b.engagementId === id);
      expect(breaches).toEqual([
        expect.objectContaining({ stage: 'result', dueAt: due, completedAt: null, lateness: null, engagementTitle: 'Имя для сквера' }),
      ]);
      const history = (await getJson(url(`/${id}/history`), organizer)).body;
      expect(history.items.map((e: any) => e.type)).toEqual(['created', 'published', 'closed-early', 'result-due-soon', 'result-overdue']);
      expect(history.people['system:engagements']).toEqual({ name: 'Контроль сроков обсуждений и голосований', system: true });
    });

    it('a result published late completes its breach with the lateness in office time, and starts the decision’s term', async () => {
      // The next morning, an hour after opening: nine office hours of the evening before do not count.
      clock.set('2026-12-23T10:00:00+03:00');
      const published = await postJson(url(`/${id}/result`), { text: 'Сквер назван «Липовый»' }, organizer);
      expect(published.status).toBe(200);
      expect(published.body.timing).toMatchObject({ overdue: false, decisionDueAt: expect.any(String) });
      const [breach] = (await getJson(url('/breaches'), organizer)).body.items.filter((b: any) => b.engagementId === id);
      expect(breach).toMatchObject({ completedAt: '2026-12-23T10:00:00+03:00', lateness: { workingMs: 3_600_000 } });
      const next = (await getJson(url('/deadlines'), organizer)).body.items.find((i: any) => i.id === id);
      expect(next).toMatchObject({ stage: 'decision', state: 'on_time' });
      // Another organization's organizer sees neither.
      const other = await env.as('organizer', 'min-health');
      expect((await getJson(url('/breaches'), other)).body.items.filter((b: any) => b.engagementId === id)).toEqual([]);
    });

    it('the discipline registry takes the late result up, once, and only for the organization that answers for it', async () => {
      const supervisor = await env.as('supervisor', 'cur-rostov');
      const [breach] = (await getJson(url('/breaches'), supervisor)).body.items.filter((b: any) => b.engagementId === id);
      const body = (organizationId: string) => ({
        organizationId,
        person: { name: 'Петрова П. П.', position: 'специалист по работе с обращениями' },
        employment: 'civil_service',
        description: 'Итоги голосования опубликованы позже срока',
        engagementBreachIds: [breach.id],
      });
      const cases = `${service.url}/api/v1/discipline/cases`;
      const other = await postJson(cases, body('min-health'), supervisor);
      expect([other.status, fields(other.body)]).toEqual([400, ['engagementBreachIds']]);
      const opened = await postJson(cases, body('cur-rostov'), supervisor);
      expect(opened.status).toBe(201);
      expect(opened.body).toMatchObject({ engagementBreachIds: [breach.id], offenceDate: '2026-12-22' });
      const again = await postJson(cases, body('cur-rostov'), supervisor);
      expect([again.status, fields(again.body)]).toEqual([409, ['engagementBreachIds']]);
    });
  });

  it('the month’s summary lists each engagement with a step in the month: theme, participants, result, working days to the result and the decision, a broken term', async () => {
    clock.set('2026-12-28T12:00:00+03:00');
    const supervisor = await env.as('supervisor', 'cur-rostov');
    const made = await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 12 }, supervisor);
    expect(made.status).toBe(201);
    const summary = (await getJson(`${service.url}/api/v1/reports/monthly/${made.body.id}`, supervisor)).body;
    const byTitle = Object.fromEntries(summary.engagements.items.map((i: any) => [i.title, i]));
    expect(byTitle['Что благоустроить в Таганроге в 2027 году']).toEqual({
      kind: 'vote',
      title: 'Что благоустроить в Таганроге в 2027 году',
      theme: 'Инициативное бюджетирование',
      organizer: 'ЦУР Ростовской области',
      startsOn: '2026-12-02',
      endsOn: '2026-12-09',
      participants: 3,
      result: 'Победил проект «Детская площадка»',
      // Closed Wednesday 9th at 18:00; the result Friday 11th, the decision the same day.
      daysToResult: 2,
      daysToAct: 2,
      late: false,
    });
    expect(byTitle['Имя для сквера']).toMatchObject({ endsOn: '2026-12-15', participants: 0, daysToResult: 6, daysToAct: null, late: true });
    expect(summary.engagements.note).toBeNull();
    // An organization's own summary has only its own organizers' engagements.
    const head = await env.as('head', 'min-health');
    const own = await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 12 }, head);
    const ownSummary = (await getJson(`${service.url}/api/v1/reports/monthly/${own.body.id}`, head)).body;
    expect(ownSummary.engagements.items).toEqual([]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM engagement`)).rows[0].n;
    const theme = await postJson(url(), { ...budgetVote, theme: 'nonsense' }, organizer);
    expect([theme.status, fields(theme.body)]).toEqual([400, ['theme']]);
    const dates = await postJson(url(), { ...budgetVote, closesAt: '2026-12-01T09:00:00+03:00' }, organizer);
    expect([dates.status, fields(dates.body)]).toEqual([400, ['closesAt']]);
    const kind = await postJson(url(), { ...budgetVote, kind: 'referendum' }, organizer);
    expect([kind.status, fields(kind.body)]).toEqual([400, ['kind']]);
    const territory = await postJson(url(), { ...budgetVote, territoryIds: ['atlantis'] }, organizer);
    expect([territory.status, fields(territory.body)]).toEqual([400, ['territoryIds.0']]);
    // A vote with one option cannot be published: the draft stays a draft.
    const single = await postJson(url(), { ...budgetVote, options: [budgetVote.options[0]] }, organizer);
    expect(single.status).toBe(201);
    const refused = await postJson(url(`/${single.body.id}/publish`), {}, organizer);
    expect(refused.status).toBe(400);
    expect(fields(refused.body)).toContain('options');
    expect((await getJson(url(`/${single.body.id}`), organizer)).body.status).toBe('draft');
    expect((await db.query(`SELECT count(*)::int AS n FROM engagement`)).rows[0].n).toBe(before + 1);
    // A ballot without the portal's key: 401.
    expect((await postJson(url(`/${single.body.id}/ballots`), { citizenId: 'x' }, {})).status).toBe(401);
  });
});
