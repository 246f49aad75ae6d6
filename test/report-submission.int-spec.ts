import 'reflect-metadata';
import { Client } from 'pg';
import { RegionCatalog } from '@cur/config';
import { DisciplineModule } from '@cur/discipline';
import { LifecycleModule } from '@cur/lifecycle';
import { ReportingModule, ReportSubmissionModule, ReportSubmissionWatch } from '@cur/reporting';
import { RunningService } from '@cur/runtime';
import { getJson, postJson } from './support/http';
import { expectEventually } from './support/services';
import { ManualClock } from './support/sla-service';
import { ReportTestService, startReportService } from './support/report-service';
import { KafkaEvents } from './support/kafka-events';
import { readInfrastructure } from './support/infrastructure';

/**
 * Submission of November 2026's summaries by the 3rd (order No. 733, item 4), with a clock the test
 * moves, on a database of its own: generated on the first working day (Tuesday 1 December), the
 * 75% warning (3 Dec 11:15: 27 office hours from 1 Dec 00:00 to 3 Dec 18:00, three quarters of them
 * counted from the opening), the deadline (3 Dec 18:00), a late approval recorded as a breach that
 * the discipline registry takes up.
 */
describe('the monthly summary is submitted by the 3rd', () => {
  // The service starts on 5 November, after October's deadline (3 Nov 18:00) had passed unwatched.
  const clock = new ManualClock(new Date('2026-11-05T10:00:00+03:00'));
  let reports: ReportTestService;
  let service: RunningService;
  let db: Client;
  let submitters: number;
  const ids: Record<string, string> = {};
  let published: KafkaEvents;

  beforeAll(async () => {
    published = await KafkaEvents.start(readInfrastructure().kafkaBrokers, ['cur.report.events'], { fromNow: true });
    reports = await startReportService('submission', clock, [LifecycleModule, DisciplineModule, ReportingModule, ReportSubmissionModule], {
      CUR_REPORT_WATCH_INTERVAL_MS: '3600000',
    });
    service = reports.service;
    db = new Client({ connectionString: reports.databaseUrl });
    await db.connect();
    const region = service.app.get(RegionCatalog);
    // The region, and every executive body and municipality at the top of the directory.
    submitters = 1 + region.data.organizations.filter((o) => !o.parentId && (o.kind === 'executive_body' || o.kind === 'municipality')).length;
    // The sweep at start has finished (it opened October's summaries, late).
    await expectEventually(async () => expect((await sweep()).skipped).toBe(false));
  });

  afterAll(async () => {
    await db?.end();
    await reports?.stop();
    await published?.stop();
  });

  const sweep = () => service.app.get(ReportSubmissionWatch).sweep();
  const as = (role: 'supervisor' | 'head' | 'executor', organizationId: string) => reports.as(role, organizationId);
  const submissions = async (role: 'supervisor' | 'head', organizationId: string, month = 11) =>
    (await getJson(`${service.url}/api/v1/reports/submissions?year=2026&month=${month}`, await as(role, organizationId))).body.items;
  /** The report events of a type published so far (the relay deletes them from the outbox once in Kafka). */
  const events = async (type: string) => {
    await published.afterRelay(db, `topic = 'cur.report.events'`);
    return published
      .distinct('cur.report.events')
      .filter((e) => e.value.type === type)
      .map((e) => e.value);
  };

  it('opened after its deadline (the service was down), October’s summaries are generated but nobody is warned or breached', async () => {
    const october = await submissions('supervisor', 'cur-rostov', 10);
    expect(october).toHaveLength(submitters);
    expect(new Set(october.map((s: any) => s.status))).toEqual(new Set(['overdue']));
    expect(october.every((s: any) => s.reportId)).toBe(true);
    expect(await events('report.submission-at-risk')).toEqual([]);
    expect(await events('report.submission-overdue')).toEqual([]);
    expect((await getJson(`${service.url}/api/v1/reports/breaches`, await as('supervisor', 'cur-rostov'))).body.items).toEqual([]);
    // Approved now, it is not late either.
    const azov = october.find((s: any) => s.organizationId === 'adm-azov');
    const approved = await postJson(`${service.url}/api/v1/reports/monthly/${azov.reportId}/approval`, {}, await as('head', 'adm-azov'));
    expect(approved.body).toMatchObject({ status: 'approved', late: null });
  });

  it('a version made while the month ran does not settle it; one made after the month, approved before the generation, does', async () => {
    clock.set('2026-11-30T12:00:00+03:00');
    const bataysk = await as('head', 'adm-bataysk');
    const early = await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 11 }, bataysk);
    expect((await postJson(`${service.url}/api/v1/reports/monthly/${early.body.id}/approval`, {}, bataysk)).body).toMatchObject({ status: 'approved' });
    clock.set('2026-12-01T08:30:00+03:00');
    const taganrog = await as('head', 'adm-taganrog');
    const ready = await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 11 }, taganrog);
    expect((await postJson(`${service.url}/api/v1/reports/monthly/${ready.body.id}/approval`, {}, taganrog)).status).toBe(200);
    ids.taganrogReport = ready.body.id;
  });

  it('nothing before the first working day’s opening; at 09:00 on 1 December every expected summary is generated, due 3 Dec 18:00', async () => {
    clock.set('2026-12-01T08:59:59+03:00');
    expect(await sweep()).toMatchObject({ opened: 0, generated: 0 });
    clock.set('2026-12-01T09:00:00+03:00');
    // Taganrog's approved version is adopted: one summary fewer to generate.
    expect(await sweep()).toEqual({ opened: submitters, generated: submitters - 1, warned: 0, overdue: 0, skipped: false });
    expect(await sweep()).toEqual({ opened: 0, generated: 0, warned: 0, overdue: 0, skipped: false });
    const all = await submissions('supervisor', 'cur-rostov');
    expect(all).toHaveLength(submitters);
    const byOrg = new Map(all.map((s: any) => [s.organizationId, s]));
    expect(byOrg.get('adm-taganrog')).toMatchObject({ status: 'approved', approvedReportId: ids.taganrogReport, reportId: ids.taganrogReport });
    expect(byOrg.get('adm-bataysk')).toMatchObject({ status: 'waiting', approvedReportId: null });
    const waiting = all.filter((s: any) => s.organizationId !== 'adm-taganrog');
    expect(new Set(waiting.map((s: any) => [s.status, s.dueAt, s.warnAt].join(' ')))).toEqual(
      new Set(['waiting 2026-12-03T18:00:00+03:00 2026-12-03T11:15:00+03:00']),
    );
    const generated = await getJson(`${service.url}/api/v1/reports/monthly/${waiting[0].reportId}/history`, await as('supervisor', 'cur-rostov'));
    expect(generated.body.items).toEqual([expect.objectContaining({ type: 'generated', actor: 'system:reports' })]);
  });

  it('a head sees its own submission and approves it in time', async () => {
    const own = await submissions('head', 'adm-rostov-na-donu');
    expect(own.map((s: any) => s.organizationId)).toEqual(['adm-rostov-na-donu']);
    clock.set('2026-12-02T15:00:00+03:00');
    const approved = await postJson(`${service.url}/api/v1/reports/monthly/${own[0].reportId}/approval`, {}, await as('head', 'adm-rostov-na-donu'));
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', late: null });
    expect((await submissions('head', 'adm-rostov-na-donu'))[0]).toMatchObject({ status: 'approved', approvedReportId: own[0].reportId });
    expect((await getJson(`${service.url}/api/v1/reports/submissions`, await as('executor', 'adm-rostov-na-donu'))).status).toBe(403);
  });

  it('at 75% of the time the supervisors get an event per summary not approved, once, and an entry in the console', async () => {
    clock.set('2026-12-03T11:14:59+03:00');
    expect((await sweep()).warned).toBe(0);
    clock.set('2026-12-03T11:15:00+03:00');
    // Two instances sweep at once: one does the work.
    const [a, b] = await Promise.all([sweep(), sweep()]);
    // All but Rostov-on-Don (approved in time) and Taganrog (approved before the generation).
    expect(a.warned + b.warned).toBe(submitters - 2);
    expect((await sweep()).warned).toBe(0);
    const warned = await events('report.submission-at-risk');
    expect(warned).toHaveLength(submitters - 2);
    expect(warned.map((e) => e.organizationId)).not.toContain('adm-rostov-na-donu');
    expect(warned.map((e) => e.organizationId)).toContain('adm-bataysk');
    expect(warned[0]).toMatchObject({ year: 2026, month: 11, dueAt: '2026-12-03T15:00:00.000Z' });
    const notices = (await getJson(`${service.url}/api/v1/notices`, await as('supervisor', 'cur-rostov'))).body.items;
    expect(notices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'report-submission-2026-11', severity: 'warning', text: expect.stringContaining(`Не утверждено: ${submitters - 2}`) }),
      ]),
    );
  });

  it('the deadline instant itself is in time; a second later each summary not approved is overdue, with a breach recorded once', async () => {
    clock.set('2026-12-03T18:00:00+03:00');
    expect((await sweep()).overdue).toBe(0);
    clock.set('2026-12-03T18:00:01+03:00');
    expect((await sweep()).overdue).toBe(submitters - 2);
    expect((await sweep()).overdue).toBe(0);
    expect(await events('report.submission-overdue')).toHaveLength(submitters - 2);
    const breaches = (await getJson(`${service.url}/api/v1/reports/breaches`, await as('supervisor', 'cur-rostov'))).body.items;
    expect(breaches).toHaveLength(submitters - 2);
    expect(breaches.find((b: any) => b.organization?.id === 'adm-shakhty')).toMatchObject({ dueAt: '2026-12-03T18:00:00+03:00', approvedAt: null });
    const notice = (await getJson(`${service.url}/api/v1/notices`, await as('supervisor', 'cur-rostov'))).body.items.find(
      (n: any) => n.id === 'report-submission-2026-11',
    );
    expect(notice).toMatchObject({ severity: 'critical' });
  });

  let breachId: string;

  it('approved late (the head regenerates, then approves): the breach is completed with the lateness in office time and the supervisors told', async () => {
    clock.set('2026-12-04T10:00:00+03:00');
    const head = await as('head', 'adm-shakhty');
    const regenerated = await postJson(`${service.url}/api/v1/reports/monthly`, { year: 2026, month: 11, reason: 'Уточнены данные' }, head);
    expect(regenerated.body).toMatchObject({ version: 2 });
    const approved = await postJson(`${service.url}/api/v1/reports/monthly/${regenerated.body.id}/approval`, { reason: 'Утверждаю' }, head);
    expect(approved.status).toBe(200);
    // 3 Dec 18:00 → 4 Dec 10:00: one office hour.
    expect(approved.body.late).toMatchObject({ latenessWorkingMs: 3_600_000 });
    breachId = approved.body.late.breachId;
    expect((await submissions('head', 'adm-shakhty'))[0]).toMatchObject({ status: 'approved_late', approvedReportId: regenerated.body.id });
    const breach = (await getJson(`${service.url}/api/v1/reports/breaches`, head)).body.items;
    expect(breach).toEqual([
      expect.objectContaining({
        id: breachId,
        approvedAt: '2026-12-04T10:00:00+03:00',
        lateness: expect.objectContaining({ workingMs: 3_600_000, final: true }),
      }),
    ]);
    expect(await events('report.submission-approved-late')).toEqual([
      expect.objectContaining({ organizationId: 'adm-shakhty', breachId, approvedAt: '2026-12-04T07:00:00.000Z', latenessWorkingMs: 3_600_000 }),
    ]);
  });

  it('the discipline registry takes the breach up, once, and only for the organization that answers for it', async () => {
    const supervisor = await as('supervisor', 'cur-rostov');
    const body = (organizationId: string) => ({
      organizationId,
      person: { name: 'Сидоров С. С.', position: 'начальник отдела' },
      employment: 'civil_service',
      description: 'Сводка за ноябрь утверждена позже срока',
      reportBreachIds: [breachId],
    });
    const other = await postJson(`${service.url}/api/v1/discipline/cases`, body('adm-rostov-na-donu'), supervisor);
    expect(other.status).toBe(400);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'reportBreachIds' })]);
    const opened = await postJson(`${service.url}/api/v1/discipline/cases`, body('adm-shakhty'), supervisor);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ reportBreachIds: [breachId], offenceDate: '2026-12-03' });
    const again = await postJson(`${service.url}/api/v1/discipline/cases`, body('adm-shakhty'), supervisor);
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([expect.objectContaining({ field: 'reportBreachIds' })]);
  });
});
