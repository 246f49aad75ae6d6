import 'reflect-metadata';
import { Workbook } from 'exceljs';
import { DisciplineModule } from '@cur/discipline';
import { Channel } from '@cur/domain';
import { IntakeModule, PosExportRow, PosImportService } from '@cur/intake';
import { LifecycleModule } from '@cur/lifecycle';
import { MessagesModule } from '@cur/messages';
import { MessageRepository } from '@cur/persistence';
import { ReportingModule } from '@cur/reporting';
import { FIGURE_KEYS } from '../libs/reporting/src/render';
import { RunningService } from '@cur/runtime';
import { DeadlinesModule } from '@cur/sla';
import { WorkflowModule, WorkflowService } from '@cur/workflow';
import { getJson, postJson } from './support/http';
import { ManualClock } from './support/sla-service';
import { ReportTestService, startReportService } from './support/report-service';

/**
 * The monthly summary of order No. 733 for November 2026 on PostgreSQL, on a database of its own,
 * with a clock the test moves: every message goes through the product's own paths (the life
 * cycle, the workflow API, the ПОС import), and every figure is worked out by hand below.
 *
 * The calendar: 3 Nov is a shortened day, 4 Nov a holiday; office hours 09:00–18:00.
 */
describe('the monthly summary: a fixture month computed by hand', () => {
  const clock = new ManualClock(new Date('2026-10-28T10:00:00+03:00'));
  let reports: ReportTestService;
  let service: RunningService;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    reports = await startReportService('reports', clock, [
      LifecycleModule,
      IntakeModule,
      WorkflowModule,
      DeadlinesModule,
      DisciplineModule,
      MessagesModule,
      ReportingModule,
    ]);
    service = reports.service;
  });

  afterAll(() => reports?.stop());

  const as = (role: 'operator' | 'supervisor' | 'executor' | 'head', organizationId: string | null = null) => reports.as(role, organizationId);
  const at = (local: string) => clock.set(local);
  const act = (id: string, path: string, body: object, headers: Record<string, string>) => reports.act(id, path, body, headers);
  const answer = (id: string, organizationId: string) => reports.answer(id, organizationId);
  const receive = (channel: Channel, organizationId: string | null, categoryCode: string | null) => reports.receive({ channel, organizationId, categoryCode });

  function posRow(number: string, fields: Partial<PosExportRow>): PosExportRow {
    return {
      rowNumber: 2,
      number,
      epguNumber: null,
      source: 'ЕПГУ',
      topLevelLko: null,
      category: 'Дороги',
      subcategory: 'Ямы',
      fact: null,
      receivedByOrganization: 'Администрация города Таганрога',
      currentOrganization: 'Администрация города Таганрога',
      receivedAt: '2026-11-05T11:00:00+03:00',
      plannedCompletionAt: null,
      actualCompletionAt: null,
      stage: null,
      status: null,
      overdue: null,
      fastTrack: null,
      lawType: null,
      applicantChose59Fz: null,
      resolutionType: null,
      emailedToFoiv: null,
      rating: null,
      reconsideration: null,
      coordinatorName: null,
      executorName: null,
      headName: null,
      ...fields,
    };
  }

  it('lives through the month', async () => {
    // A (ПОС, roads, Rostov): received 28 Oct, answered 5 Nov — counts as answered in November, not received; 5 working days (29, 30 Oct, 2, 3, 5 Nov).
    ids.a = await receive('pos', 'adm-rostov-na-donu', 'pos.roads');
    // B (ПОС, roads, Rostov): 2 Nov, due 17 Nov; extended by 10 working days on 10 Nov, answered 20 Nov: on time thanks to it; 13 working days.
    at('2026-11-02T09:00:00+03:00');
    ids.b = await receive('pos', 'adm-rostov-na-donu', 'pos.roads');
    // F (ПОС, roads, Rostov): 3 Nov, answered 6 Nov, rated 2 on 9 Nov, re-considered 10 Nov (a new 10-day term: 24 Nov), answered again 26 Nov: late; 12 working days from the re-consideration.
    at('2026-11-03T10:00:00+03:00');
    ids.f = await receive('pos', 'adm-rostov-na-donu', 'pos.roads');
    at('2026-11-05T12:00:00+03:00');
    await answer(ids.a, 'adm-rostov-na-donu');
    at('2026-11-06T12:00:00+03:00');
    await answer(ids.f, 'adm-rostov-na-donu');
    at('2026-11-09T10:00:00+03:00');
    await service.app.get(WorkflowService).rate({ source: 'reports-test', externalId: ids.f, score: 2, ratedAt: clock.now() });
    // C (ПОС, water supply: 5 working days, Taganrog): 9 Nov, due 16 Nov, not answered in November: open and overdue at its end.
    ids.c = await receive('pos', 'adm-taganrog', 'pos.water-supply');
    at('2026-11-10T10:00:00+03:00');
    const extension = await act(ids.b, 'extensions', { amount: 10, reason: 'Нужна проверка на месте' }, await as('executor', 'adm-rostov-na-donu'));
    await act(ids.b, `extensions/${extension.id}/approval`, { reason: 'Согласовано' }, await as('head', 'adm-rostov-na-donu'));
    await act(ids.f, 'reconsideration', { reason: 'Заявитель не согласен с ответом' }, await as('operator', 'cur-rostov'));
    // G (ПОС, left with ЦУР): 11 Nov, rejected by moderation 12 Nov.
    at('2026-11-11T10:00:00+03:00');
    ids.g = await receive('pos', null, null);
    at('2026-11-12T10:00:00+03:00');
    await act(ids.g, 'rejection', { reason: 'Нецензурная лексика' }, await as('operator', 'cur-rostov'));
    // D (59-ФЗ appeal, Minzdrav): 16 Nov, redirected down to the regional hospital 17 Nov; 30 days: due in December.
    at('2026-11-16T10:00:00+03:00');
    ids.d = await receive('appeal', 'min-health', null);
    at('2026-11-17T10:00:00+03:00');
    await act(
      ids.d,
      'redirect',
      { organizationId: 'inst-regional-hospital', direction: 'down', reason: 'Вопрос больницы' },
      await as('executor', 'min-health'),
    );
    at('2026-11-20T12:00:00+03:00');
    await answer(ids.b, 'adm-rostov-na-donu');
    // E (public message, Rostov): Monday 23 Nov 10:00, 9 working hours: due 24 Nov 10:00; answered 24 Nov 09:30 — 8 h that day and 0.5 h the next; rated 5.
    at('2026-11-23T10:00:00+03:00');
    ids.e = await receive('social', 'adm-rostov-na-donu', null);
    at('2026-11-24T09:30:00+03:00');
    await answer(ids.e, 'adm-rostov-na-donu');
    at('2026-11-25T10:00:00+03:00');
    await service.app.get(WorkflowService).rate({ source: 'reports-test', externalId: ids.e, score: 5, ratedAt: clock.now() });
    at('2026-11-26T15:00:00+03:00');
    await answer(ids.f, 'adm-rostov-na-donu');
    // A disciplinary measure ordered in November (and one in October, which does not count), entered on 1 December.
    at('2026-12-01T10:00:00+03:00');
    const supervisor = await as('supervisor', 'cur-rostov');
    for (const [date, person] of [
      ['2026-11-27', 'Иванов И. И.'],
      ['2026-10-27', 'Петров П. П.'],
    ]) {
      const opened = await postJson(
        `${service.url}/api/v1/discipline/cases`,
        {
          organizationId: 'adm-taganrog',
          person: { name: person, position: 'специалист' },
          employment: 'labour',
          description: 'Просрочка ответа',
          offenceDate: '2026-10-20',
          discoveredDate: '2026-10-21',
        },
        supervisor,
      );
      expect(opened.status).toBe(201);
      const order = await postJson(
        `${service.url}/api/v1/discipline/cases/${opened.body.id}/order`,
        { measure: 'remark', number: `${person.slice(0, 3)}-1`, date },
        supervisor,
      );
      expect({ status: order.status, body: order.status === 200 ? null : order.body }).toEqual({ status: 200, body: null });
    }
    // 2 Dec: C is answered (late, in December: still open at the end of November), and a ПОС export comes in with the portal's own dates:
    // H — received 10 Nov, no planned date yet: open with no due date; I — received 5 Nov, planned 19 Nov, done 19 Nov 15:00 (the same date:
    // on time), rated 4; 10 working days (6, 9–13, 16–19 Nov).
    at('2026-12-02T11:00:00+03:00');
    await answer(ids.c, 'adm-taganrog');
    const rows = [
      posRow('H-1', { receivedAt: '2026-11-10T12:00:00+03:00', status: 'В работе' }),
      posRow('I-1', {
        receivedAt: '2026-11-05T11:00:00+03:00',
        plannedCompletionAt: '2026-11-19T00:00:00+03:00',
        actualCompletionAt: '2026-11-19T15:00:00+03:00',
        status: 'Ответ отправлен',
        rating: 4,
      }),
    ];
    const outcome = await service.app
      .get(MessageRepository)
      .transaction((manager) =>
        service.app.get(PosImportService).writeRows(manager, rows, { actor: 'test', now: clock.now(), unmappedOrganizations: new Set() }),
      );
    expect(outcome.imported).toBe(2);
  });

  let report: any;

  it('the supervisor generates the region summary for November: every figure as worked out', async () => {
    const supervisor = await as('supervisor', 'cur-rostov');
    const created = await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 11 }, supervisor);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'ready', version: 1 });
    const got = await getJson(`${service.url}/api/v1/reports/monthly/${created.body.id}`, supervisor);
    expect(got.status).toBe(200);
    report = got.body;
    expect(report).toMatchObject({
      id: created.body.id,
      version: 1,
      year: 2026,
      month: 11,
      organizationId: null,
      status: 'ready',
      dataAsOf: '2026-12-02T11:00:00+03:00',
    });
    const section = (key: string) => report.sections.find((s: any) => s.key === key);
    expect(report.sections.map((s: any) => s.key)).toEqual(['pos', 'social', 'appeals']);

    // ПОС: received B, F, C, G, H, I; answered A (on time), B (on time, extended), F (late, the last answer counts), I (on time by the portal's dates).
    expect(section('pos').totals).toEqual({
      received: 6,
      answered: 4,
      answeredOnTime: 3,
      answeredLate: 1,
      openOverdue: 1,
      openNotDue: 0,
      openNoDueDate: 1,
      timeToAnswerMedian: 11,
      timeToAnswerMean: 10,
      timeToAnswerUnit: 'working_days',
      extensions: 1,
      redirects: 0,
      rejectedByModeration: 1,
      reconsiderations: 1,
      ratings: 2,
      ratingMean: 3,
      ratingHighShare: 0.5,
    });
    const posOrg = (id: string) => section('pos').byOrganization.find((r: any) => r.organizationId === id);
    expect(section('pos').byOrganization.map((r: any) => [r.group, r.organizationId])).toEqual([
      ['municipality', 'adm-rostov-na-donu'],
      ['municipality', 'adm-taganrog'],
      ['cur', 'cur-rostov'],
    ]);
    expect(posOrg('adm-rostov-na-donu')).toMatchObject({
      received: 2,
      answered: 3,
      answeredOnTime: 2,
      answeredLate: 1,
      timeToAnswerMedian: 12,
      extensions: 1,
      reconsiderations: 1,
      ratings: 1,
      ratingMean: 2,
      ratingHighShare: 0,
    });
    expect(posOrg('adm-taganrog')).toMatchObject({
      received: 3,
      answered: 1,
      answeredOnTime: 1,
      openOverdue: 1,
      openNoDueDate: 1,
      timeToAnswerMedian: 10,
      ratings: 1,
      ratingMean: 4,
      ratingHighShare: 1,
    });
    expect(posOrg('cur-rostov')).toMatchObject({ organizationName: 'ЦУР Ростовской области', received: 1, rejectedByModeration: 1, answered: 0 });
    const roads = section('pos').byCategory.find((r: any) => r.categoryCode === 'pos.roads');
    expect(roads).toMatchObject({ received: 2, answered: 3, answeredLate: 1 });

    // Public messages: E, answered in 8.5 working hours, rated 5.
    expect(section('social').totals).toMatchObject({
      received: 1,
      answered: 1,
      answeredOnTime: 1,
      answeredLate: 0,
      timeToAnswerMedian: 8.5,
      timeToAnswerUnit: 'working_hours',
      ratings: 1,
      ratingMean: 5,
      ratingHighShare: 1,
    });
    // Appeals: D, open and not due at the end of November, at the hospital; the redirect counts for Minzdrav, which made it.
    expect(section('appeals').totals).toMatchObject({ received: 1, answered: 0, openNotDue: 1, openOverdue: 0, redirects: 1, timeToAnswerMedian: null });
    expect(section('appeals').byOrganization.map((r: any) => [r.group, r.organizationId, r.received, r.openNotDue, r.redirects])).toEqual([
      ['executive_body', 'min-health', 0, 0, 1],
      ['institution', 'inst-regional-hospital', 1, 1, 0],
    ]);

    expect(report.discipline).toEqual({
      byMeasure: [{ measure: 'remark', measureTitle: 'Замечание', count: 1 }],
      items: [
        expect.objectContaining({
          person: 'Иванов И. И.',
          organizationId: 'adm-taganrog',
          measure: 'remark',
          measureTitle: 'Замечание',
          orderDate: '2026-11-27',
          orderNumber: 'Ива-1',
        }),
      ],
    });
    expect(report.engagements).toEqual({ items: [], note: expect.stringContaining('Обсуждения, голосования и опросы') });
  });

  it('each figure drills down to exactly the messages it counts', async () => {
    const supervisor = await as('supervisor', 'cur-rostov');
    const list = async (query: string) => (await getJson(`${service.url}/api/v1/reports/figures/messages?year=2026&month=11&${query}`, supervisor)).body;
    const sorted = (keys: string[]) => keys.map((k) => ids[k]).sort();
    const answered = await list('section=pos&figure=answered');
    expect(answered.total).toBe(report.sections[0].totals.answered);
    expect(answered.items.map((m: any) => m.id)).toEqual(expect.arrayContaining(sorted(['a', 'b', 'f'])));
    expect(answered.items.filter((m: any) => m.posNumber).map((m: any) => m.posNumber)).toEqual(['I-1']);
    expect((await list('section=pos&figure=answeredLate')).items.map((m: any) => m.id)).toEqual([ids.f]);
    expect((await list('section=pos&figure=openOverdue')).items.map((m: any) => m.id)).toEqual([ids.c]);
    const noDue = await list('section=pos&figure=openNoDueDate');
    expect(noDue.items.map((m: any) => m.posNumber)).toEqual(['H-1']);
    expect((await list('section=pos&figure=rejectedByModeration&organizationId=cur-rostov')).items.map((m: any) => m.id)).toEqual([ids.g]);
    expect((await list('section=pos&figure=received&organizationId=adm-rostov-na-donu')).items.map((m: any) => m.id)).toEqual(sorted(['b', 'f']));
    expect((await list('section=appeals&figure=redirects&organizationId=min-health')).items.map((m: any) => m.id)).toEqual([ids.d]);
    // Paging keeps the total.
    const page = await list('section=pos&figure=received&limit=2&offset=4');
    expect(page).toMatchObject({ total: 6 });
    expect(page.items).toHaveLength(2);
    const bad = await getJson(`${service.url}/api/v1/reports/figures/messages?year=2026&month=11&section=pos&figure=everything`, supervisor);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('figure');
  });

  it('downloads the snapshot as XLSX, PDF and CSV whose figures are the API’s, with no message text in them', async () => {
    const supervisor = await as('supervisor', 'cur-rostov');
    const download = async (format: string) => {
      const res = await fetch(`${service.url}/api/v1/reports/monthly/${report.id}/file?format=${format}`, { headers: supervisor });
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        disposition: res.headers.get('content-disposition'),
        body: Buffer.from(await res.arrayBuffer()),
      };
    };
    const xlsx = await download('xlsx');
    expect(xlsx).toMatchObject({ status: 200, disposition: `attachment; filename="svodka-2026-11-region-v1.xlsx"` });
    const workbook = new Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Сообщения ПОС',
      'Публичные сообщения',
      'Обращения 59-ФЗ',
      'Дисциплина',
      'Обсуждения и голосования',
    ]);
    const pos = workbook.getWorksheet('Сообщения ПОС')!;
    let totalsRow = 0;
    pos.eachRow((row, n) => void (totalsRow ||= row.getCell(1).value === 'Итого' ? n : 0));
    const totals = report.sections[0].totals;
    expect(FIGURE_KEYS.map((_, i) => pos.getRow(totalsRow).getCell(i + 2).value ?? null)).toEqual(FIGURE_KEYS.map((key) => totals[key]));

    const csv = await download('csv');
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    const text = csv.body.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n').filter(Boolean);
    expect(lines[0].split(';').slice(0, 4)).toEqual(['Раздел', 'Группа', 'Организация/Категория', 'Тип строки']);
    const sectionRows = report.sections.reduce((n: number, s: any) => n + s.byOrganization.length + s.byCategory.length + 1, 0);
    expect(lines).toHaveLength(1 + sectionRows);

    const pdf = await download('pdf');
    expect(pdf).toMatchObject({ status: 200, type: 'application/pdf' });
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');

    for (const file of [xlsx.body, csv.body, pdf.body]) expect(file.includes(Buffer.from('Тестовое сообщение проекта'))).toBe(false);
    const bad = await getJson(`${service.url}/api/v1/reports/monthly/${report.id}/file?format=docx`, supervisor);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('format');
    expect((await getJson(`${service.url}/api/v1/reports/monthly/${report.id}/file?format=csv`, await as('head', 'adm-taganrog'))).status).toBe(404);
  });

  it('a snapshot is immutable: generating again makes version 2 and keeps version 1 as it was', async () => {
    const supervisor = await as('supervisor', 'cur-rostov');
    at('2026-12-02T12:00:00+03:00');
    // Something changes after the first snapshot: D is answered in December (November's figures stay).
    await answer(ids.d, 'inst-regional-hospital');
    const second = await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 11, reason: 'Повторно после уточнений' }, supervisor);
    expect(second.body).toMatchObject({ version: 2 });
    const v2 = (await getJson(`${service.url}/api/v1/reports/monthly/${second.body.id}`, supervisor)).body;
    expect(v2.dataAsOf).toBe('2026-12-02T12:00:00+03:00');
    expect(v2.sections).toEqual(report.sections);
    const v1 = (await getJson(`${service.url}/api/v1/reports/monthly/${report.id}`, supervisor)).body;
    expect(v1).toEqual(report);
    const listed = (await getJson(`${service.url}/api/v1/reports/monthly?year=2026&month=11`, supervisor)).body.items;
    expect(listed.map((r: any) => [r.version, r.organizationId])).toEqual([
      [2, null],
      [1, null],
    ]);
  });

  it('a head generates, sees and approves only its own organization’s summary, which includes its subordinates', async () => {
    const head = await as('head', 'min-health');
    const created = await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 11 }, head);
    expect(created.status).toBe(201);
    const own = (await getJson(`${service.url}/api/v1/reports/monthly/${created.body.id}`, head)).body;
    expect(own).toMatchObject({ organizationId: 'min-health', organizationName: 'Министерство здравоохранения Ростовской области' });
    const appeals = own.sections.find((s: any) => s.key === 'appeals');
    expect(appeals.totals).toMatchObject({ received: 1, redirects: 1, openNotDue: 1 });
    expect(own.sections.find((s: any) => s.key === 'pos').totals).toMatchObject({ received: 0, answered: 0 });
    // Someone else's organization: 403 to generate; the region's summary: 404 to read.
    expect((await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 11, organizationId: 'adm-taganrog' }, head)).status).toBe(403);
    expect((await getJson(`${service.url}/api/v1/reports/monthly/${report.id}`, head)).status).toBe(404);
    expect((await getJson(`${service.url}/api/v1/reports/monthly?year=2026&month=11`, head)).body.items.map((r: any) => r.organizationId)).toEqual([
      'min-health',
    ]);
    // The server says who may approve: its own head, not a supervisor (the region's summary is the supervisor's).
    expect(own.mayApprove).toBe(true);
    const supervisor = await as('supervisor');
    expect((await getJson(`${service.url}/api/v1/reports/monthly/${created.body.id}`, supervisor)).body.mayApprove).toBe(false);
    const seen = (await getJson(`${service.url}/api/v1/reports/monthly?year=2026&month=11`, supervisor)).body;
    expect(seen.items.find((r: any) => r.id === created.body.id).mayApprove).toBe(false);
    expect(seen.items.filter((r: any) => r.organizationId === null).every((r: any) => r.mayApprove === (r.status === 'ready'))).toBe(true);
    expect(seen.mayChooseOrganization).toBe(true);
    expect((await getJson(`${service.url}/api/v1/reports/monthly?year=2026&month=11`, head)).body.mayChooseOrganization).toBe(false);
    for (const r of seen.items) expect(seen.people[r.generatedBy]).toMatchObject({ name: expect.any(String), system: false });
    // Another head cannot approve it (it does not exist for them); its own head does, once.
    expect((await postJson(`${service.url}/api/v1/reports/monthly/${created.body.id}/approval`, {}, await as('head', 'adm-taganrog'))).status).toBe(404);
    const approved = await postJson(`${service.url}/api/v1/reports/monthly/${created.body.id}/approval`, { reason: 'Проверено' }, head);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedAt: '2026-12-02T12:00:00+03:00' });
    expect((await postJson(`${service.url}/api/v1/reports/monthly/${created.body.id}/approval`, {}, head)).status).toBe(409);
    expect((await getJson(`${service.url}/api/v1/reports/monthly/${created.body.id}`, head)).body.mayApprove).toBe(false);
    const { items: history, people } = (await getJson(`${service.url}/api/v1/reports/monthly/${created.body.id}/history`, head)).body;
    for (const e of history) expect(people[e.actor]).toMatchObject({ name: expect.any(String), system: false });
    expect(history.map((e: any) => [e.type, e.reason])).toEqual([
      ['generated', null],
      ['approved', 'Проверено'],
    ]);
    // Executors and operators have no summaries.
    expect((await getJson(`${service.url}/api/v1/reports/monthly`, await as('executor', 'min-health'))).status).toBe(403);
    expect((await getJson(`${service.url}/api/v1/reports/monthly`, await as('operator', 'cur-rostov'))).status).toBe(403);
  });

  it('a portal answer dated back before that day’s other changes still closes the message; a running month counts open messages as of now', async () => {
    const supervisor = await as('supervisor', 'cur-rostov');
    const importRows = (rows: PosExportRow[]) =>
      service.app
        .get(MessageRepository)
        .transaction((manager) =>
          service.app.get(PosImportService).writeRows(manager, rows, { actor: 'test', now: clock.now(), unmappedOrganizations: new Set() }),
        );
    const k = (fields: Partial<PosExportRow>) => posRow('K-1', { receivedAt: '2026-10-19T10:00:00+03:00', status: 'В работе', ...fields });
    // K: received 19 Oct, imported 20 Oct; on 25 Oct 10:00 the portal moves it to Rostov-on-Don; on 2 Dec its answer dated 24 Oct arrives.
    at('2026-10-20T10:00:00+03:00');
    await importRows([k({})]);
    at('2026-10-25T10:00:00+03:00');
    await importRows([k({ currentOrganization: 'Администрация города Ростова-на-Дону' })]);
    at('2026-12-02T12:30:00+03:00');
    await importRows([
      k({ currentOrganization: 'Администрация города Ростова-на-Дону', actualCompletionAt: '2026-10-24T00:00:00+03:00', status: 'Ответ отправлен' }),
    ]);
    const created = await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 10 }, supervisor);
    const october = (await getJson(`${service.url}/api/v1/reports/monthly/${created.body.id}`, supervisor)).body;
    // October: A (received 28 Oct, due 12 Nov: open, not due) and K (answered, on time: no planned date; 4 working days: 20, 21, 22, 23 Oct).
    expect(october.sections[0].totals).toMatchObject({
      received: 2,
      answered: 1,
      answeredOnTime: 1,
      openNotDue: 1,
      openOverdue: 0,
      openNoDueDate: 0,
      timeToAnswerMedian: 4,
    });
    // December, still running on 2 Dec 12:30: L, received now and due in 10 working days, is open and not due yet (not «overdue by the end of December»); H has no due date.
    ids.l = await receive('pos', 'adm-rostov-na-donu', 'pos.roads');
    const december = await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 12 }, supervisor);
    const running = (await getJson(`${service.url}/api/v1/reports/monthly/${december.body.id}`, supervisor)).body;
    expect(running.dataAsOf).toBe('2026-12-02T12:30:00+03:00');
    expect(running.sections[0].totals).toMatchObject({ received: 1, openNotDue: 1, openOverdue: 0, openNoDueDate: 1 });
  });

  it('refuses a bad request naming the field, and writes nothing', async () => {
    const supervisor = await as('supervisor', 'cur-rostov');
    const before = (await getJson(`${service.url}/api/v1/reports/monthly`, supervisor)).body.items.length;
    for (const [body, field] of [
      [{ year: 2026, month: 13 }, 'month'],
      [{ year: 'x', month: 11 }, 'year'],
      [{ year: 2027, month: 1 }, 'month'],
      [{ year: 2026, month: 11, organizationId: 'nowhere' }, 'organizationId'],
    ] as const) {
      const res = await postJson(`${service.url}/api/v1/reports/monthly`, body, supervisor);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(res.body)).toContain(field);
    }
    expect((await getJson(`${service.url}/api/v1/reports/monthly`, supervisor)).body.items).toHaveLength(before);
  });
});
