import 'reflect-metadata';
import { Channel } from '@cur/domain';
import { IntakeModule } from '@cur/intake';
import { LifecycleModule } from '@cur/lifecycle';
import { MessagesModule } from '@cur/messages';
import { ReportingModule } from '@cur/reporting';
import { RunningService } from '@cur/runtime';
import { DeadlinesModule } from '@cur/sla';
import { WorkflowModule } from '@cur/workflow';
import { getJson, postJson } from './support/http';
import { ManualClock } from './support/sla-service';
import { ReportTestService, startReportService } from './support/report-service';

/**
 * The monitoring dashboard for November 2026 on PostgreSQL, on a database of its own, with a clock
 * the test moves: messages go through the life cycle and the workflow API, every figure is worked
 * out by hand below, the totals equal the monthly summary's, and every number on the dashboard
 * drills down to a list exactly as long.
 *
 * The calendar: 3 Nov is a shortened day, 4 Nov a holiday; office hours 09:00–18:00; Moscow time.
 */
describe('the monitoring dashboard: a fixture month computed by hand', () => {
  const clock = new ManualClock(new Date('2026-10-28T10:00:00+03:00'));
  let reports: ReportTestService;
  let service: RunningService;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    reports = await startReportService('dashboard', clock, [LifecycleModule, IntakeModule, WorkflowModule, DeadlinesModule, MessagesModule, ReportingModule]);
    service = reports.service;
  });

  afterAll(() => reports?.stop());

  const as = (role: 'operator' | 'supervisor' | 'executor' | 'head', organizationId: string | null = null) => reports.as(role, organizationId);
  const at = (local: string) => clock.set(local);
  const act = (id: string, path: string, body: object, headers: Record<string, string>) => reports.act(id, path, body, headers);
  const answer = (id: string, organizationId: string) => reports.answer(id, organizationId);
  /** A message received now in a territory, as triage routes it (or leaves it with ЦУР), through the life cycle. */
  const receive = (channel: Channel, organizationId: string | null, categoryCode: string | null, territoryId: string | null) =>
    reports.receive({ channel, organizationId, categoryCode, territoryId });

  it('lives through October and November', async () => {
    // October: A (roads, Rostov) and J (roads, Taganrog) on the 28th, H1 (water, Taganrog) at 23:30 on the 31st — still October in Moscow.
    ids.a = await receive('pos', 'adm-rostov-na-donu', 'pos.roads', 'rostov-na-donu');
    at('2026-10-28T11:00:00+03:00');
    ids.j = await receive('pos', 'adm-taganrog', 'pos.roads', 'taganrog');
    at('2026-10-29T10:00:00+03:00');
    await answer(ids.j, 'adm-taganrog'); // on time, in the week of 26 Oct
    at('2026-10-31T23:30:00+03:00');
    ids.h1 = await receive('pos', 'adm-taganrog', 'pos.water-supply', 'taganrog'); // 5 working days: overdue and open at the end of November
    // November. H2 at 00:30 on the 1st (21:30 UTC on 31 Oct): received on 1 Nov.
    at('2026-11-01T00:30:00+03:00');
    ids.h2 = await receive('pos', 'adm-taganrog', 'pos.water-supply', 'taganrog');
    at('2026-11-02T09:00:00+03:00');
    ids.b = await receive('pos', 'adm-rostov-na-donu', 'pos.roads', 'rostov-na-donu'); // 10 working days: due 17 Nov
    at('2026-11-02T15:00:00+03:00');
    ids.g = await receive('pos', 'adm-taganrog', 'pos.roads', 'taganrog');
    at('2026-11-03T12:00:00+03:00');
    await answer(ids.g, 'adm-taganrog');
    at('2026-11-05T12:00:00+03:00');
    await answer(ids.a, 'adm-rostov-na-donu'); // received in October, answered (on time) in November
    at('2026-11-05T14:00:00+03:00');
    await answer(ids.h2, 'adm-taganrog');
    at('2026-11-09T10:00:00+03:00');
    ids.c = await receive('pos', 'adm-taganrog', 'pos.water-supply', 'taganrog'); // due 16 Nov, answered only on 2 Dec
    at('2026-11-11T10:00:00+03:00');
    ids.f = await receive('pos', null, null, null); // left with ЦУР, rejected by moderation the next day
    at('2026-11-12T10:00:00+03:00');
    await act(ids.f, 'rejection', { reason: 'Нецензурная лексика' }, await as('operator', 'cur-rostov'));
    at('2026-11-16T10:00:00+03:00');
    ids.d = await receive('appeal', 'min-health', 'pos.medicine', null); // 30 days: open and not due at the end of November
    at('2026-11-20T12:00:00+03:00');
    await answer(ids.b, 'adm-rostov-na-donu'); // late
    at('2026-11-23T10:00:00+03:00');
    ids.e = await receive('social', 'adm-rostov-na-donu', 'im.bezopasnost.12', 'rostov-na-donu'); // 9 working hours: due 24 Nov 10:00
    at('2026-11-24T09:30:00+03:00');
    await answer(ids.e, 'adm-rostov-na-donu');
    at('2026-11-30T10:00:00+03:00');
    ids.k = await receive('pos', null, null, null); // waits for the operator; the portal's 10 working days from the receipt run into December
    at('2026-12-02T11:00:00+03:00');
    await answer(ids.c, 'adm-taganrog'); // late, in December: in the week of 30 Nov
    at('2026-12-02T12:00:00+03:00');
  });

  let dashboard: any;
  const dashboardOf = async (query: string, headers: Record<string, string>) => getJson(`${service.url}/api/v1/reports/dashboard?${query}`, headers);

  it('shows every figure of November as worked out by hand', async () => {
    const res = await dashboardOf('year=2026&month=11', await as('supervisor', 'cur-rostov'));
    expect(res.status).toBe(200);
    dashboard = res.body;
    expect(dashboard).toMatchObject({
      year: 2026,
      month: 11,
      title: 'ноябрь 2026',
      organizationId: null,
      period: { from: '2026-11-01T00:00:00+03:00', to: '2026-12-01T00:00:00+03:00' },
      dataAsOf: '2026-12-02T12:00:00+03:00',
      current: { year: 2026, month: 12 },
      previous: { year: 2026, month: 10 },
    });
    // ПОС: received H2, B, G, C, F, K; answered G, A, H2 on time and B late; open at the end: C and H1 overdue, K not due yet.
    expect(dashboard.totals.pos).toMatchObject({
      received: 6,
      answered: 4,
      answeredOnTime: 3,
      answeredLate: 1,
      openOverdue: 2,
      openNotDue: 1,
      openNoDueDate: 0,
      rejectedByModeration: 1,
    });
    expect(dashboard.totals.social).toMatchObject({ received: 1, answered: 1, answeredOnTime: 1, openOverdue: 0 });
    expect(dashboard.totals.appeals).toMatchObject({ received: 1, answered: 0, openNotDue: 1 });

    const days = dashboard.volumeByDay.days as string[];
    expect(days).toHaveLength(30);
    expect([days[0], days[29]]).toEqual(['2026-11-01', '2026-11-30']);
    const nonZero = (section: string) =>
      Object.fromEntries(
        (dashboard.volumeByDay.series.find((s: any) => s.section === section).received as number[])
          .map((n, i) => [days[i], n] as const)
          .filter(([, n]) => n > 0),
      );
    expect(nonZero('pos')).toEqual({ '2026-11-01': 1, '2026-11-02': 2, '2026-11-09': 1, '2026-11-11': 1, '2026-11-30': 1 });
    expect(nonZero('social')).toEqual({ '2026-11-23': 1 });
    expect(nonZero('appeals')).toEqual({ '2026-11-16': 1 });

    // October had A and J (roads) and H1 (water): the trend.
    expect(dashboard.topCategories).toEqual([
      { categoryCode: 'pos.roads', categoryName: 'Автомобильные дороги', received: 2, previous: 2 },
      { categoryCode: 'pos.water-supply', categoryName: 'Водоснабжение', received: 2, previous: 1 },
      { categoryCode: null, categoryName: 'Категория не определена', received: 2, previous: 0 },
      { categoryCode: 'pos.medicine', categoryName: 'Медицина', received: 1, previous: 0 },
      { categoryCode: 'im.bezopasnost.12', categoryName: 'Нарушение правил дорожного движения', received: 1, previous: 0 },
    ]);
    expect(dashboard.heatmap.territories).toEqual([
      { territoryId: 'taganrog', territoryName: 'Таганрог', received: 3 },
      { territoryId: null, territoryName: 'Территория не определена', received: 3 },
      { territoryId: 'rostov-na-donu', territoryName: 'Ростов-на-Дону', received: 2 },
    ]);
    const cell = (c: any) => `${c.categoryCode ?? '-'} × ${c.territoryId ?? '-'}: ${c.received}`;
    expect(dashboard.heatmap.cells.map(cell).sort()).toEqual(
      [
        'pos.roads × rostov-na-donu: 1',
        'pos.roads × taganrog: 1',
        'pos.water-supply × taganrog: 2',
        'pos.medicine × -: 1',
        'im.bezopasnost.12 × rostov-na-donu: 1',
        '- × -: 2',
      ].sort(),
    );

    // Rostov: A and E on time, B late; Taganrog: G and H2 on time (C is December's).
    expect(dashboard.onTimeByOrganization).toEqual([
      { organizationId: 'adm-rostov-na-donu', organizationName: expect.any(String), answered: 3, answeredOnTime: 2, share: 0.667 },
      { organizationId: 'adm-taganrog', organizationName: expect.any(String), answered: 2, answeredOnTime: 2, share: 1 },
    ]);
    // The eight weeks up to the one holding 30 Nov, whole: J; G, A, H2; B late; E; C late on 2 Dec.
    expect(dashboard.onTimeByWeek.map((w: any) => [w.weekStart, w.answered, w.answeredOnTime])).toEqual([
      ['2026-10-12', 0, 0],
      ['2026-10-19', 0, 0],
      ['2026-10-26', 1, 1],
      ['2026-11-02', 3, 3],
      ['2026-11-09', 0, 0],
      ['2026-11-16', 1, 0],
      ['2026-11-23', 1, 1],
      ['2026-11-30', 1, 0],
    ]);
    expect(dashboard.onTimeByWeek[3].share).toBe(1);
    expect(dashboard.onTimeByWeek[0].share).toBeNull();
  });

  it('its totals are the monthly summary’s', async () => {
    const supervisor = await as('supervisor', 'cur-rostov');
    const created = await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 11 }, supervisor);
    expect(created.status).toBe(201);
    const report = (await getJson(`${service.url}/api/v1/reports/monthly/${created.body.id}`, supervisor)).body;
    expect(Object.fromEntries(report.sections.map((s: any) => [s.key, s.totals]))).toEqual(dashboard.totals);
    // By organization too: the on-time bars are the summary's rows added up over the sections.
    for (const row of dashboard.onTimeByOrganization) {
      const rows = report.sections.flatMap((s: any) => s.byOrganization.filter((r: any) => r.organizationId === row.organizationId));
      expect([row.organizationId, rows.reduce((n: number, r: any) => n + r.answered, 0), rows.reduce((n: number, r: any) => n + r.answeredOnTime, 0)]).toEqual([
        row.organizationId,
        row.answered,
        row.answeredOnTime,
      ]);
    }
  });

  /** Every list the dashboard's numbers open, with their figure: each list is as long as its figure. */
  function drillDowns(d: any): { query: string; figure: number }[] {
    const out: { query: string; figure: number }[] = [];
    for (const section of ['pos', 'social', 'appeals'])
      for (const figure of ['received', 'answered', 'answeredOnTime', 'answeredLate', 'openOverdue', 'openNotDue', 'openNoDueDate'])
        out.push({ query: `section=${section}&figure=${figure}`, figure: d.totals[section][figure] });
    d.volumeByDay.series.forEach((s: any) =>
      s.received.forEach((n: number, i: number) => out.push({ query: `section=${s.section}&figure=received&day=${d.volumeByDay.days[i]}`, figure: n })),
    );
    for (const c of d.topCategories) out.push({ query: `section=all&figure=received&categoryCode=${c.categoryCode ?? ''}`, figure: c.received });
    for (const c of d.heatmap.cells)
      out.push({ query: `section=all&figure=received&categoryCode=${c.categoryCode ?? ''}&territoryId=${c.territoryId ?? ''}`, figure: c.received });
    for (const o of d.onTimeByOrganization) {
      out.push({ query: `section=all&figure=answered&organizationId=${o.organizationId}`, figure: o.answered });
      out.push({ query: `section=all&figure=answeredOnTime&organizationId=${o.organizationId}`, figure: o.answeredOnTime });
    }
    for (const w of d.onTimeByWeek) {
      out.push({ query: `section=all&figure=answered&week=${w.weekStart}`, figure: w.answered });
      out.push({ query: `section=all&figure=answeredOnTime&week=${w.weekStart}`, figure: w.answeredOnTime });
    }
    return out;
  }

  it('every card, day, category, heat-map cell, organization and week drills down to a list as long as its figure', async () => {
    const supervisor = await as('supervisor', 'cur-rostov');
    const checks = drillDowns(dashboard);
    expect(checks.length).toBeGreaterThan(100);
    const seen: { query: string; total: number; items: number }[] = [];
    for (const { query } of checks) {
      const res = await getJson(`${service.url}/api/v1/reports/figures/messages?year=2026&month=11&limit=500&${query}`, supervisor);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      seen.push({ query, total: res.body.total, items: res.body.items.length });
    }
    expect(seen).toEqual(checks.map((c) => ({ query: c.query, total: c.figure, items: c.figure })));

    // The lists are the messages worked out above.
    const list = async (query: string) =>
      ((await getJson(`${service.url}/api/v1/reports/figures/messages?year=2026&month=11&${query}`, supervisor)).body.items as any[]).map((m) => m.id).sort();
    const sorted = (keys: string[]) => keys.map((k) => ids[k]).sort();
    expect(await list('section=pos&figure=received&day=2026-11-02')).toEqual(sorted(['b', 'g']));
    expect(await list('section=pos&figure=received&day=2026-11-01')).toEqual([ids.h2]);
    expect(await list('section=all&figure=received&categoryCode=pos.water-supply&territoryId=taganrog')).toEqual(sorted(['h2', 'c']));
    expect(await list('section=all&figure=received&categoryCode=pos.medicine&territoryId=')).toEqual([ids.d]);
    expect(await list('section=pos&figure=openOverdue')).toEqual(sorted(['c', 'h1']));
    expect(await list('section=pos&figure=openNotDue')).toEqual([ids.k]);
    expect(await list('section=all&figure=answered&week=2026-11-30')).toEqual([ids.c]);
    expect(await list('section=all&figure=answeredOnTime&week=2026-10-26')).toEqual([ids.j]);
    // A drill-down row carries no text and no personal data.
    const row = (await getJson(`${service.url}/api/v1/reports/figures/messages?year=2026&month=11&section=social&figure=received`, supervisor)).body.items[0];
    expect(Object.keys(row).sort()).toEqual(['answeredAt', 'categoryCode', 'channel', 'dueAt', 'id', 'organization', 'posNumber', 'receivedAt', 'status']);
  });

  it('a head sees its own organization with its subordinates by default; a supervisor may pick it; others are refused', async () => {
    const head = await as('head', 'adm-taganrog');
    const own = await dashboardOf('year=2026&month=11', head);
    expect(own.status).toBe(200);
    // The console offers the organization picker only to whom the server says may choose: not to a head.
    expect(own.body).toMatchObject({ organizationId: 'adm-taganrog', organizationName: expect.stringContaining('Таганрог'), mayChooseOrganization: false });
    // H2, G, C received; G and H2 answered on time; C and H1 open and overdue.
    expect(own.body.totals.pos).toMatchObject({ received: 3, answered: 2, answeredOnTime: 2, openOverdue: 2, openNoDueDate: 0 });
    expect(own.body.totals.social.received + own.body.totals.appeals.received).toBe(0);
    expect(own.body.onTimeByOrganization.map((o: any) => o.organizationId)).toEqual(['adm-taganrog']);
    expect(own.body.onTimeByWeek.map((w: any) => w.answered)).toEqual([0, 0, 1, 2, 0, 0, 0, 1]);
    expect(own.body.topCategories.map((c: any) => [c.categoryCode, c.received, c.previous])).toEqual([
      ['pos.water-supply', 2, 1],
      ['pos.roads', 1, 1],
    ]);
    // Its drill-downs (the head's scope is the default there too) are as long as its figures.
    for (const { query, figure } of drillDowns(own.body)) {
      const res = await getJson(`${service.url}/api/v1/reports/figures/messages?year=2026&month=11&limit=500&${query}`, head);
      expect({ query, total: res.body.total }).toEqual({ query, total: figure });
    }
    // The supervisor picking Taganrog sees the same.
    const picked = await dashboardOf('year=2026&month=11&organizationId=adm-taganrog', await as('supervisor', 'cur-rostov'));
    expect(picked.body.mayChooseOrganization).toBe(true);
    expect({ ...picked.body, mayChooseOrganization: false }).toEqual(own.body);
    // Another organization: refused to a head; executors and operators have no dashboard.
    expect((await dashboardOf('year=2026&month=11&organizationId=adm-rostov-na-donu', head)).status).toBe(403);
    expect((await dashboardOf('year=2026&month=11', await as('executor', 'adm-taganrog'))).status).toBe(403);
    expect((await dashboardOf('year=2026&month=11', await as('operator', 'cur-rostov'))).status).toBe(403);
    // A head of a ministry sees its subordinate hospital's and its own appeals.
    const ministry = await dashboardOf('year=2026&month=11', await as('head', 'min-health'));
    expect(ministry.body.totals.appeals).toMatchObject({ received: 1, openNotDue: 1 });
  });

  it('defaults to the current month', async () => {
    const res = await dashboardOf('', await as('supervisor', 'cur-rostov'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2026, month: 12, title: 'декабрь 2026', period: { from: '2026-12-01T00:00:00+03:00' } });
    // December so far: C answered late, on the 2nd; the week of 30 Nov is the last one.
    expect(res.body.totals.pos).toMatchObject({ received: 0, answered: 1, answeredLate: 1 });
    expect(res.body.onTimeByWeek.at(-1)).toMatchObject({ weekStart: '2026-11-30', answered: 1 });
    expect(res.body.volumeByDay.days).toHaveLength(31);
  });

  it('refuses a bad request naming the field', async () => {
    const supervisor = await as('supervisor', 'cur-rostov');
    for (const [query, field] of [
      ['year=2026&month=13', 'month'],
      ['year=abc&month=11', 'year'],
      ['year=2027&month=1', 'month'],
      ['year=2026&month=11&organizationId=nowhere', 'organizationId'],
    ] as const) {
      const res = await dashboardOf(query, supervisor);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(JSON.stringify(res.body.errors)).toContain(field);
    }
    for (const [query, field] of [
      ['section=pos&figure=received&day=2026-12-01', 'day'],
      ['section=pos&figure=received&day=2026-11-31', 'day'],
      ['section=pos&figure=openOverdue&day=2026-11-02', 'day'],
      ['section=all&figure=answered&week=2026-11-03', 'week'],
      ['section=all&figure=received&week=2026-11-02', 'week'],
      ['section=all&figure=received&territoryId=nowhere', 'territoryId'],
      ['section=everywhere&figure=received', 'section'],
    ] as const) {
      const res = await getJson(`${service.url}/api/v1/reports/figures/messages?year=2026&month=11&${query}`, supervisor);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(JSON.stringify(res.body.errors)).toContain(field);
    }
  });
});
