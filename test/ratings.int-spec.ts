import 'reflect-metadata';
import { Workbook } from 'exceljs';
import { Channel } from '@cur/domain';
import { LifecycleModule } from '@cur/lifecycle';
import { MessagesModule } from '@cur/messages';
import { ReportingModule } from '@cur/reporting';
import { RunningService } from '@cur/runtime';
import { DeadlinesModule } from '@cur/sla';
import { WorkflowModule, WorkflowService } from '@cur/workflow';
import { getJson } from './support/http';
import { ManualClock } from './support/sla-service';
import { ReportTestService, startReportService } from './support/report-service';

/**
 * The organizations' league table (issue 12, point 6) for October and November 2026 and the
 * fourth quarter, on PostgreSQL, on a database of its own, with a clock the test moves. Every
 * message goes through the life cycle and the workflow API; every index and rank below is worked
 * out by hand with the weights of config/regions/rostov/region.json:
 *
 *   index = 100 × Σ wᵢ·sᵢ / Σ wᵢ (components with data), w = on time 0.3, overdue 0.15,
 *   re-considerations 0.1, mean rating 0.1, ratings 4–5 0.15, time to answer 0.2;
 *   time: 1 up to 8 working days, linearly to 0 at 16; ratings 4–5 against 0.6; sample ≥ 10.
 *
 * All ПОС messages are «Автомобильные дороги» (10 working days). The calendar: 3 Nov is a
 * shortened day, 4 Nov a holiday; office hours 09:00–18:00. A message received Monday 2 Nov 10:00
 * is due 17 Nov 18:00; answered on 9 Nov it took 4 working days (3, 5, 6, 9 Nov), on 13 Nov 8,
 * 16 Nov 9, 17 Nov 10, 18 Nov 11 (late), 20 Nov 13, 24 Nov 15. One received Thursday 1 Oct 10:00
 * is due 15 Oct 18:00; answered 8 Oct it took 5, on 16 Oct 11 (late).
 */
describe('ratings: a league table computed by hand', () => {
  const clock = new ManualClock(new Date('2026-10-01T10:00:00+03:00'));
  let reports: ReportTestService;
  let service: RunningService;

  beforeAll(async () => {
    reports = await startReportService('ratings', clock, [LifecycleModule, WorkflowModule, DeadlinesModule, MessagesModule, ReportingModule]);
    service = reports.service;
  });

  afterAll(() => reports?.stop());

  const as = (role: 'operator' | 'supervisor' | 'executor' | 'head', organizationId: string | null = null) => reports.as(role, organizationId);
  const at = (local: string) => clock.set(local);
  const act = (id: string, path: string, body: object, headers: Record<string, string>) => reports.act(id, path, body, headers);

  /** Messages received now, routed to the organization, through the life cycle. */
  async function receive(count: number, organizationId: string, channel: Channel = 'pos'): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await reports.receive({ channel, organizationId, categoryCode: channel === 'social' ? null : 'pos.roads' }));
    return ids;
  }

  /** The organization's head answers them now. */
  async function answer(ids: string[], organizationId: string): Promise<void> {
    const head = await as('head', organizationId);
    for (const id of ids) await act(id, 'answer', { text: 'Ответ проекта: работы выполнены' }, head);
  }

  async function rate(ids: string[], scores: number[]): Promise<void> {
    const workflow = service.app.get(WorkflowService);
    for (const [i, score] of scores.entries()) await workflow.rate({ source: 'ratings-test', externalId: ids[i], score, ratedAt: clock.now() });
  }

  const ratings = async (query: string, role: 'supervisor' | 'head' | 'executor' | 'operator' = 'supervisor', organizationId: string | null = 'cur-rostov') =>
    getJson(`${service.url}/api/v1/reports/ratings?${query}`, await as(role, organizationId));
  const rowOf = (table: any, organizationId: string) => {
    for (const group of table.groups) {
      const row = group.rows.find((r: any) => r.organizationId === organizationId);
      if (row) return { group: group.id, ...row };
    }
    throw new Error(`${organizationId} is not in the table`);
  };
  const ranked = (table: any, groupId: string) =>
    table.groups
      .find((g: any) => g.id === groupId)
      .rows.filter((r: any) => r.rank !== null)
      .map((r: any) => [r.rank, r.organizationId, r.index]);

  it('lives through October and November', async () => {
    // October: Taganrog's ten all late (11 working days); the housing ministry's ten on time (5).
    const taganrogOctober = await receive(10, 'adm-taganrog');
    const housingOctober = await receive(10, 'min-housing');
    at('2026-10-08T12:00:00+03:00');
    await answer(housingOctober, 'min-housing');
    at('2026-10-16T12:00:00+03:00');
    await answer(taganrogOctober, 'adm-taganrog');

    // November, everything received Monday 2 Nov 10:00.
    at('2026-11-02T10:00:00+03:00');
    const taganrog = await receive(10, 'adm-taganrog');
    const shakhty = await receive(12, 'adm-shakhty');
    const bataysk = await receive(3, 'adm-bataysk');
    const azov = await receive(10, 'adm-azov');
    const transport = await receive(10, 'min-transport');
    const housing = await receive(10, 'min-housing');
    // A public message to the transport ministry: 9 working hours, due 3 Nov 10:00.
    const transportSocial = await receive(1, 'min-transport', 'social');

    at('2026-11-05T12:00:00+03:00');
    // 8 h on 2 Nov, 8 h on the shortened 3 Nov, 3 h on 5 Nov: 19 working hours, late.
    await answer(transportSocial, 'min-transport');
    at('2026-11-09T12:00:00+03:00');
    await answer(taganrog.slice(0, 8), 'adm-taganrog');
    await answer(bataysk, 'adm-bataysk');
    await answer(housing.slice(0, 7), 'min-housing');
    at('2026-11-10T12:00:00+03:00');
    await rate(taganrog, [5, 5, 4, 4, 3]);
    await rate(housing, [4, 2]);
    at('2026-11-13T12:00:00+03:00');
    await answer(transport, 'min-transport');
    at('2026-11-16T12:00:00+03:00');
    await rate(transport, [5, 5, 4]);
    await answer(shakhty.slice(0, 6), 'adm-shakhty');
    at('2026-11-17T12:00:00+03:00');
    await answer(shakhty.slice(6, 10), 'adm-shakhty');
    await answer(azov.slice(0, 5), 'adm-azov');
    at('2026-11-18T12:00:00+03:00');
    await answer(taganrog.slice(8), 'adm-taganrog');
    at('2026-11-20T12:00:00+03:00');
    await answer(azov.slice(5), 'adm-azov');
    at('2026-11-23T12:00:00+03:00');
    await rate(azov, [2, 3, 4]);
    at('2026-11-24T12:00:00+03:00');
    await answer(housing.slice(7), 'min-housing');
    // One of Taganrog's answers (unrated) goes back for re-consideration: open again, due 11 Dec.
    at('2026-11-27T10:00:00+03:00');
    await act(taganrog[7], 'reconsideration', { reason: 'Заявитель не согласен с ответом' }, await as('operator', 'cur-rostov'));
    // Shakhty's last two stay unanswered: overdue since 17 Nov.
    at('2026-12-01T10:00:00+03:00');
  });

  let november: any;

  it('November, portal messages: every index and rank as worked out', async () => {
    const res = await ratings('period=month&year=2026&month=11&section=pos');
    expect(res.status).toBe(200);
    november = res.body;
    expect(november.period).toEqual({
      kind: 'month',
      year: 2026,
      month: 11,
      from: '2026-11-01T00:00:00+03:00',
      to: '2026-12-01T00:00:00+03:00',
      title: 'ноябрь 2026',
    });
    expect(november.previousPeriod).toMatchObject({ kind: 'month', year: 2026, month: 10, title: 'октябрь 2026' });
    expect(november.section).toBe('pos');
    expect(november.dataAsOf).toBe('2026-12-01T00:00:00+03:00');
    expect(november.formula).toMatchObject({
      weights: { onTime: 0.3, overdue: 0.15, reconsiderations: 0.1, ratingMean: 0.1, highRatings: 0.15, timeToAnswer: 0.2 },
      targets: { answerWithinWorkingDays: 8, highRatingShareAtLeast: 0.6 },
      minSample: 10,
    });
    expect(november.formula.text).toContain('Индекс = 100 × Σ wᵢ·sᵢ / Σ wᵢ');
    expect(november.groups.map((g: any) => g.id)).toEqual([
      'executive-bodies',
      'institutions',
      'municipalities-large',
      'municipalities-medium',
      'municipalities-small',
    ]);

    // Taganrog: 10 answered, 8 on time (4 days), 2 late (11): median 4 → 1; on time 0.8; nothing overdue (the re-considered
    // one is open and not due) → 1; 1 re-consideration of 10 → 0.9; ratings 5 5 4 4 3: mean 4.2 → 0.8, 4–5 0.8 of 0.6 → 1.
    // 100 × (0.3·0.8 + 0.15 + 0.1·0.9 + 0.1·0.8 + 0.15 + 0.2) = 91.0.
    const taganrog = rowOf(november, 'adm-taganrog');
    expect(taganrog).toMatchObject({
      group: 'municipalities-large',
      rank: 2,
      index: 91,
      sample: 10,
      components: { onTime: 0.8, overdue: 1, reconsiderations: 0.9, ratingMean: 0.8, highRatings: 1, timeToAnswer: 1 },
      figures: {
        answered: 10,
        answeredOnTime: 8,
        answeredLate: 2,
        openOverdue: 0,
        openNotDue: 1,
        openNoDueDate: 0,
        reconsiderations: 1,
        ratings: 5,
        ratingMean: 4.2,
        ratingHighShare: 0.8,
        timeToAnswer: [{ section: 'pos', median: 4, unit: 'working_days', answered: 10 }],
      },
      note: null,
    });
    // Shakhty: 10 answered on time (6 in 9 days, 4 in 10): median 9 → (16 − 9) / 8 = 0.875; 2 overdue of 12 → 5/6; no ratings:
    // left out, the rest renormalised: (0.3 + 0.15·5/6 + 0.1 + 0.2·0.875) / 0.75 = 93.3. Sample 10 answered + 2 overdue.
    expect(rowOf(november, 'adm-shakhty')).toMatchObject({
      rank: 1,
      index: 93.3,
      sample: 12,
      components: { onTime: 1, overdue: 0.833, reconsiderations: 1, ratingMean: null, highRatings: null, timeToAnswer: 0.875 },
      figures: { answered: 10, openOverdue: 2, ratings: 0 },
      note: 'нет данных для компонентов: средняя оценка, оценки 4–5 к цели — веса перераспределены',
    });
    // Bataysk: 3 answered, all well: an index of 100, but listed without a rank.
    expect(rowOf(november, 'adm-bataysk')).toMatchObject({
      group: 'municipalities-large',
      rank: null,
      index: 100,
      sample: 3,
      note: 'мало данных: 3 из 10 необходимых',
    });
    expect(ranked(november, 'municipalities-large')).toEqual([
      [1, 'adm-shakhty', 93.3],
      [2, 'adm-taganrog', 91],
    ]);
    // Municipalities without messages are listed too.
    expect(rowOf(november, 'adm-rostov-na-donu')).toMatchObject({ group: 'municipalities-large', rank: null, index: null, note: 'нет данных за период' });

    // Azov (79 thousand: the middle band): 5 on time in 10 days, 5 late in 13: median 11.5 → 0.5625; on time 0.5; ratings 2 3 4:
    // mean 3 → 0.5, 4–5 a third of 0.6 → 5/9. 100 × (0.15 + 0.15 + 0.1 + 0.05 + 0.15·5/9 + 0.2·0.5625) = 64.6.
    expect(rowOf(november, 'adm-azov')).toMatchObject({
      group: 'municipalities-medium',
      rank: 1,
      index: 64.6,
      components: { onTime: 0.5, timeToAnswer: 0.563, ratingMean: 0.5, highRatings: 0.556 },
      figures: { ratingMean: 3, ratingHighShare: 0.333, timeToAnswer: [{ section: 'pos', median: 11.5, unit: 'working_days', answered: 10 }] },
    });
    expect(ranked(november, 'municipalities-medium')).toEqual([[1, 'adm-azov', 64.6]]);

    // Executive bodies. Transport: 10 on time in 8 days (→ 1); ratings 5 5 4: mean 14/3 → 0.9167, all 4–5 → 1:
    // 100 × (0.3 + 0.15 + 0.1 + 0.1·0.9167 + 0.15 + 0.2) = 99.2. Housing: 7 on time in 4 days, 3 late in 15: median 4 → 1,
    // on time 0.7; ratings 4 2: mean 3 → 0.5, half 4–5 → 0.8333: 100 × (0.21 + 0.15 + 0.1 + 0.05 + 0.125 + 0.2) = 83.5.
    expect(ranked(november, 'executive-bodies')).toEqual([
      [1, 'min-transport', 99.2],
      [2, 'min-housing', 83.5],
    ]);
    expect(rowOf(november, 'min-housing').figures.timeToAnswer).toEqual([{ section: 'pos', median: 4, unit: 'working_days', answered: 10 }]);
    expect(november.groups.find((g: any) => g.id === 'institutions').rows.every((r: any) => r.rank === null)).toBe(true);
    expect(november.groups.flatMap((g: any) => g.rows).some((r: any) => r.organizationId === 'cur-rostov')).toBe(false);
  });

  it('November against October: the index’s difference and places gained', async () => {
    // October: Taganrog all late in 11 days: on time 0, time (16 − 11) / 8 = 0.625, no ratings:
    // (0 + 0.15 + 0.1 + 0.2·0.625) / 0.75 = 50.0, first of its band (alone). Housing all on time in 5 days: 100.0, first.
    const october = (await ratings('period=month&year=2026&month=10&section=pos')).body;
    expect(ranked(october, 'municipalities-large')).toEqual([[1, 'adm-taganrog', 50]]);
    expect(ranked(october, 'executive-bodies')).toEqual([[1, 'min-housing', 100]]);
    expect(rowOf(november, 'adm-taganrog')).toMatchObject({ previous: { rank: 1, index: 50 }, change: { index: 41, rank: -1 } });
    expect(rowOf(november, 'min-housing')).toMatchObject({ previous: { rank: 1, index: 100 }, change: { index: -16.5, rank: -1 } });
    expect(rowOf(november, 'min-transport')).toMatchObject({ previous: null, change: null });
    expect(rowOf(november, 'adm-shakhty')).toMatchObject({ previous: null, change: null });
  });

  it('all sections together: a public message answered late pulls the transport ministry down', async () => {
    // 11 answered, 10 on time; time: the portal's 10 in 8 days → 1, the public one in 19 working hours (≥ 2 × 9) → 0,
    // weighted by answers → 10/11. 100 × (0.3·10/11 + 0.15 + 0.1 + 0.1·0.9167 + 0.15 + 0.2·10/11) = 94.6.
    const all = (await ratings('period=month&year=2026&month=11')).body;
    expect(all.section).toBe('all');
    expect(rowOf(all, 'min-transport')).toMatchObject({
      rank: 1,
      index: 94.6,
      components: { onTime: 0.909, timeToAnswer: 0.909 },
      figures: {
        answered: 11,
        answeredOnTime: 10,
        answeredLate: 1,
        timeToAnswer: [
          { section: 'pos', median: 8, unit: 'working_days', answered: 10 },
          { section: 'social', median: 19, unit: 'working_hours', answered: 1 },
        ],
      },
    });
    // Public messages alone: one late answer, too few to rank: (0 + 0.15 + 0.1 + 0) / 0.75 = 33.3.
    const social = (await ratings('period=month&year=2026&month=11&section=social')).body;
    expect(rowOf(social, 'min-transport')).toMatchObject({ rank: null, index: 33.3, sample: 1, components: { onTime: 0, timeToAnswer: 0 } });
  });

  it('the fourth quarter, as of now (1 December): October and November together', async () => {
    const res = await ratings('period=quarter&year=2026&quarter=4&section=pos');
    expect(res.status).toBe(200);
    const quarter = res.body;
    expect(quarter.period).toEqual({
      kind: 'quarter',
      year: 2026,
      quarter: 4,
      from: '2026-10-01T00:00:00+03:00',
      to: '2027-01-01T00:00:00+03:00',
      title: 'IV квартал 2026',
    });
    expect(quarter.previousPeriod).toMatchObject({ kind: 'quarter', year: 2026, quarter: 3, title: 'III квартал 2026' });
    expect(quarter.dataAsOf).toBe('2026-12-01T10:00:00+03:00');
    // Taganrog: 20 answered, 8 on time → 0.4; median of eight 4s and twelve 11s is 11 → 0.625; 1 re-consideration of 20 → 0.95;
    // the November ratings: 0.8 and 1. 100 × (0.12 + 0.15 + 0.095 + 0.08 + 0.15 + 0.125) = 72.0.
    expect(rowOf(quarter, 'adm-taganrog')).toMatchObject({
      rank: 2,
      index: 72,
      figures: { answered: 20, answeredOnTime: 8, answeredLate: 12, openNotDue: 1, reconsiderations: 1 },
      previous: null,
      change: null,
    });
    // Shakhty as in November (its two are overdue as of now too); housing: 17 of 20 on time → 0.85, median 5 → 1:
    // 100 × (0.255 + 0.15 + 0.1 + 0.05 + 0.125 + 0.2) = 88.0.
    expect(ranked(quarter, 'municipalities-large')).toEqual([
      [1, 'adm-shakhty', 93.3],
      [2, 'adm-taganrog', 72],
    ]);
    expect(ranked(quarter, 'executive-bodies')).toEqual([
      [1, 'min-transport', 99.2],
      [2, 'min-housing', 88],
    ]);
  });

  it('supervisors see every group; a head sees its own peer group; others get 403', async () => {
    const azov = await ratings('period=month&year=2026&month=11&section=pos', 'head', 'adm-azov');
    expect(azov.status).toBe(200);
    expect(azov.body.groups.map((g: any) => g.id)).toEqual(['municipalities-medium']);
    const housing = (await ratings('period=month&year=2026&month=11&section=pos', 'head', 'min-housing')).body;
    expect(housing.groups.map((g: any) => g.id)).toEqual(['executive-bodies']);
    expect(ranked(housing, 'executive-bodies')).toEqual(ranked(november, 'executive-bodies'));
    expect((await ratings('period=month&year=2026&month=11', 'head', 'cur-rostov')).status).toBe(403);
    expect((await ratings('period=month&year=2026&month=11', 'executor', 'adm-azov')).status).toBe(403);
    expect((await ratings('period=month&year=2026&month=11', 'operator', 'cur-rostov')).status).toBe(403);
    const file = await fetch(`${service.url}/api/v1/reports/ratings/file?format=csv&period=month&year=2026&month=11`, {
      headers: await as('executor', 'adm-azov'),
    });
    expect(file.status).toBe(403);
  });

  it('refuses a bad query naming the field', async () => {
    for (const [query, field] of [
      ['period=week&year=2026&month=11', 'period'],
      ['period=month&year=abc&month=11', 'year'],
      ['period=month&year=2026', 'month'],
      ['period=month&year=2026&month=13', 'month'],
      ['period=quarter&year=2026&quarter=5', 'quarter'],
      ['period=quarter&year=2026', 'quarter'],
      ['period=month&year=2026&month=11&quarter=4', 'quarter'],
      ['period=month&year=2027&month=1', 'month'],
      ['period=quarter&year=2027&quarter=1', 'quarter'],
      ['period=month&year=2026&month=11&section=everything', 'section'],
      ['period=month&year=2026&month=11&organizationId=adm-azov', 'organizationId'],
    ] as const) {
      const res = await ratings(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect({ query, fields: res.body.errors.map((e: any) => e.field) }).toEqual({ query, fields: expect.arrayContaining([field]) });
    }
    const file = await fetch(`${service.url}/api/v1/reports/ratings/file?format=pdf&period=month&year=2026&month=11`, {
      headers: await as('supervisor', 'cur-rostov'),
    });
    expect(file.status).toBe(400);
    expect(JSON.stringify(await file.json())).toContain('format');
  });

  it('exports the table as CSV (BOM, «;», CRLF) and XLSX (a sheet per group, numbers as numbers), read back', async () => {
    const supervisor = await as('supervisor', 'cur-rostov');
    const csvRes = await fetch(`${service.url}/api/v1/reports/ratings/file?format=csv&period=month&year=2026&month=11&section=pos`, { headers: supervisor });
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-type')).toContain('text/csv');
    expect(csvRes.headers.get('content-disposition')).toBe('attachment; filename="ratings-2026-11-pos.csv"');
    const bytes = Buffer.from(await csvRes.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(0, -2).split('\r\n');
    const header = lines[0].split(';');
    expect(header.slice(0, 5)).toEqual(['Группа', 'Место', 'Организация', 'Индекс', 'Ответы в срок, балл']);
    expect(header).toContain('Медиана времени ответа, раб. дн. (ПОС)');
    // Every rated organization: 20 executive bodies, 11 institutions, 55 municipalities.
    expect(lines).toHaveLength(1 + 20 + 11 + 55);
    const cell = (line: string[], name: string) => line[header.indexOf(name)];
    const azov = lines.map((l) => l.split(';')).find((l) => cell(l, 'Организация') === 'Администрация города Азова')!;
    expect(cell(azov, 'Группа')).toBe('Города и районы с населением от 40 до 100 тыс.');
    expect([cell(azov, 'Место'), cell(azov, 'Индекс'), cell(azov, 'Средняя оценка'), cell(azov, 'Медиана времени ответа, раб. дн. (ПОС)')]).toEqual([
      '1',
      '64,6',
      '3',
      '11,5',
    ]);
    const taganrog = lines.map((l) => l.split(';')).find((l) => cell(l, 'Организация') === 'Администрация города Таганрога')!;
    expect([
      cell(taganrog, 'Место'),
      cell(taganrog, 'Место в прошлом периоде'),
      cell(taganrog, 'Изменение индекса'),
      cell(taganrog, 'Изменение места'),
    ]).toEqual(['2', '1', '41', '-1']);

    const xlsxRes = await fetch(`${service.url}/api/v1/reports/ratings/file?format=xlsx&period=month&year=2026&month=11&section=pos`, { headers: supervisor });
    expect(xlsxRes.status).toBe(200);
    expect(xlsxRes.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsxRes.arrayBuffer()) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Формула', 'ОИВ', 'Учреждения', 'МО от 100 тыс.', 'МО 40–100 тыс.', 'МО до 40 тыс.']);
    const large = workbook.getWorksheet('МО от 100 тыс.')!;
    expect(large.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const headers = (large.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 3)).toEqual(['Место', 'Организация', 'Индекс']);
    const row = (n: number) => (large.getRow(n).values as unknown[]).slice(1);
    expect(row(2).slice(0, 3)).toEqual([1, 'Администрация города Шахты', 93.3]);
    expect(row(3).slice(0, 3)).toEqual([2, 'Администрация города Таганрога', 91]);
    expect(typeof row(3)[headers.indexOf('Ответы в срок, балл')]).toBe('number');
    expect(row(3)[headers.indexOf('Изменение индекса')]).toBe(41);
    // Listed without a rank: an empty cell, and the reason.
    const bataysk = [...Array(large.rowCount).keys()].map((i) => row(i + 1)).find((r) => r[1] === 'Администрация города Батайска')!;
    expect(bataysk[0]).toBeUndefined();
    expect(bataysk[headers.indexOf('Примечание')]).toBe('мало данных: 3 из 10 необходимых');
    const about = workbook.getWorksheet('Формула')!;
    expect(about.getRow(1).values).toEqual([undefined, 'Рейтинг организаций', 'ноябрь 2026']);
  });
});
