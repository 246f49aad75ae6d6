import { randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { dateOf, dayNumber, MissingCalendarYearError, weekdayOf, workingDurationText } from '@cur/calendar';
import { RegionCatalog } from '@cur/config';
import type {
  FigureMessagePage,
  MonthlyReportApproval,
  MonthlyReportGenerated,
  MonthlyReportHistory,
  MonthlyReportList,
  ReportSubmissions,
  CountedFigure,
  MonthlyReport,
  OrganizationGroup,
  ReportCategoryRow,
  ReportDiscipline,
  ReportEngagements,
  ReportFigures,
  ReportOrganizationRow,
  ReportSection,
} from '@cur/contracts';
import { answerUnitOf, Channel, CHANNELS, monthBounds, REPORT_SECTIONS, ReportSectionKey, SECTION_TITLES, timeToAnswer, untilNow } from '@cur/domain';
import { EntityManager } from 'typeorm';
import { OutboxRelay } from '@cur/messaging';
import { AuthRepository, EngagementRepository, FigureRow, MonthlyReportEntity, OutboxRepository, ReportRepository } from '@cur/persistence';
import { Clock, DomainException, ErrorCode, hasRole, Principal } from '@cur/platform';

import { ReportNotices } from './report-notices';
import { reportScope } from './report-scope';
import { submissionEvent } from './report-submission';

export const SECTION_CHANNEL: Record<ReportSectionKey, Channel> = { pos: 'pos', social: 'social', appeals: 'appeal' };

/** The figures that are a message's state at the month's end (or its receipt in it), not an event with its own instant. */
const STATE_FIGURES: readonly CountedFigure[] = ['received', 'openOverdue', 'openNotDue', 'openNoDueDate'];

const GROUP_ORDER: Record<OrganizationGroup, number> = { executive_body: 0, institution: 1, municipality: 2, cur: 3 };

export const ENGAGEMENTS_NOTE = 'Обсуждения, голосования и опросы: в этом месяце ни одно не завершилось, итогов и решений по ним не было.';

/** The figures of a month as the summary shows them, from the facts' aggregate. */
export function figuresOf(row: FigureRow | undefined, channel: Channel): ReportFigures {
  const c = (name: CountedFigure) => row?.counts[name] ?? 0;
  const round = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? null : Math.round(v * 10 ** digits) / 10 ** digits);
  const ratings = c('ratings');
  return {
    received: c('received'),
    answered: c('answered'),
    answeredOnTime: c('answeredOnTime'),
    answeredLate: c('answeredLate'),
    openOverdue: c('openOverdue'),
    openNotDue: c('openNotDue'),
    openNoDueDate: c('openNoDueDate'),
    timeToAnswerMedian: round(row?.timeToAnswerMedian, 2),
    timeToAnswerMean: round(row?.timeToAnswerMean, 2),
    timeToAnswerUnit: answerUnitOf(channel),
    extensions: c('extensions'),
    redirects: c('redirects'),
    rejectedByModeration: c('rejectedByModeration'),
    reconsiderations: c('reconsiderations'),
    ratings,
    ratingMean: ratings ? round(row?.ratingMean, 2) : null,
    ratingHighShare: ratings ? round((row?.ratingHigh ?? 0) / ratings, 3) : null,
  };
}

/**
 * The monthly summary of order No. 733, item 4: generated from the report facts as an immutable
 * snapshot with the instant of its data; generating again makes a new version. Supervisors see
 * and generate every summary; an organization's head sees, generates and approves its own (which
 * includes its subordinates); anyone else gets 403 (a role without reports) or 404 (someone
 * else's summary: its existence is not disclosed).
 */
@Injectable()
export class MonthlyReportService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly auth: AuthRepository,
    private readonly engagementRows: EngagementRepository,
    @Optional() private readonly notices?: ReportNotices,
  ) {}

  async generate(command: { year: number; month: number; organizationId?: string; reason?: string }, by: Principal): Promise<MonthlyReportGenerated> {
    const organizationId = this.scopeFor(command.organizationId, by);
    const now = this.clock.now();
    const { from } = monthBounds(command.year, command.month, this.region.zone);
    if (from > now)
      throw new DomainException(ErrorCode.ValidationFailed, 'Месяц ещё не начался', [
        { field: 'month', message: `сводка за ${command.month}.${command.year} невозможна: месяц ещё не начался` },
      ]);
    const row = await this.create(command.year, command.month, organizationId, by.login, command.reason ?? null, now);
    return { id: row.id, status: row.status, version: row.version };
  }

  /** A new version of a scope's summary, from the facts as they are now, with its history entry. */
  async create(year: number, month: number, organizationId: string | null, actor: string, reason: string | null, now: Date): Promise<MonthlyReportEntity> {
    const body = await this.build(year, month, organizationId, now);
    const scope = organizationId ?? 'region';
    return this.reports.transaction(async (manager) => {
      // One version sequence per scope and month, also when two people generate at once.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`monthly-report:${year}-${month}:${scope}`]);
      const version = await this.reports.nextVersion(manager, year, month, scope);
      const entity: MonthlyReportEntity = {
        id: randomUUID(),
        year,
        month,
        organizationId,
        scope,
        version,
        status: 'ready',
        dataAsOf: now,
        body: body,
        generatedBy: actor,
        generatedAt: now,
        approvedBy: null,
        approvedAt: null,
      };
      await this.reports.insertReport(manager, entity);
      await this.reports.addEvent(manager, { reportId: entity.id, type: 'generated', actor, reason, data: { version }, at: now });
      return entity;
    });
  }

  async get(id: string, by: Principal): Promise<MonthlyReport> {
    const row = await this.readable(id, by);
    return { ...this.view(row), mayApprove: this.mayApprove(row, by) };
  }

  /** The stored snapshot, for files: the same one the API returns. */
  async snapshot(id: string, by: Principal): Promise<MonthlyReport> {
    return this.get(id, by);
  }

  async list(filter: { year?: number; month?: number }, by: Principal): Promise<MonthlyReportList> {
    const scopes = this.visibleScopes(by);
    const rows = await this.reports.listReports({ ...filter, scopes });
    const z = this.region.zone;
    return {
      mayChooseOrganization: hasRole(by, 'supervisor'),
      people: await this.people(rows.flatMap((r) => (r.approvedBy ? [r.generatedBy, r.approvedBy] : [r.generatedBy]))),
      items: rows.map((r) => ({
        id: r.id,
        version: r.version,
        year: r.year,
        month: r.month,
        organizationId: r.organizationId,
        organizationName: this.scopeName(r.organizationId),
        status: r.status,
        dataAsOf: z.format(r.dataAsOf),
        generatedBy: r.generatedBy,
        approvedBy: r.approvedBy,
        approvedAt: r.approvedAt ? z.format(r.approvedAt) : null,
        mayApprove: this.mayApprove(r, by),
      })),
    };
  }

  async history(id: string, by: Principal): Promise<MonthlyReportHistory> {
    await this.readable(id, by);
    const z = this.region.zone;
    const events = await this.reports.events(id);
    return {
      items: events.map((e) => ({ type: e.type, actor: e.actor, reason: e.reason, data: e.data, at: z.format(e.at) })),
      people: await this.people(events.map((e) => e.actor)),
    };
  }

  /**
   * The head of the summary's organization approves it (a supervisor approves the region's);
   * an approved version stays approved, a newer one is approved on its own.
   */
  async approve(id: string, reason: string | undefined, by: Principal): Promise<MonthlyReportApproval> {
    await this.readable(id, by);
    const now = this.clock.now();
    const result = await this.reports.transaction(async (manager) => {
      const row = await this.reports.lockReport(manager, id);
      if (!row) throw new DomainException(ErrorCode.NotFound, 'Сводка не найдена');
      if (!this.approver(row, by))
        throw new DomainException(
          ErrorCode.Forbidden,
          row.organizationId === null ? 'Сводку по региону утверждает руководитель ЦУР (супервизор)' : 'Сводку утверждает руководитель организации',
        );
      if (row.status === 'approved') throw new DomainException(ErrorCode.Conflict, 'Эта версия сводки уже утверждена');
      await this.reports.updateReport(manager, id, { status: 'approved', approvedBy: by.login, approvedAt: now });
      const late = await this.submitted(manager, row, now);
      await this.reports.addEvent(manager, {
        reportId: id,
        type: 'approved',
        actor: by.login,
        reason: reason ?? null,
        data: { version: row.version, ...(late ? { late } : {}) },
        at: now,
      });
      return { id, status: 'approved' as const, approvedBy: by.login, approvedAt: this.region.zone.format(now), late };
    });
    this.relay.kick();
    this.notices?.invalidate();
    return result;
  }

  /**
   * The first approval of a month's expected summary settles its submission; after the deadline
   * it completes (or records) the breach with the lateness in office time, for the discipline
   * registry, and tells the supervisors. Returns the lateness, when late.
   */
  private async submitted(
    manager: EntityManager,
    report: MonthlyReportEntity,
    now: Date,
  ): Promise<{ breachId: string; latenessWorkingMs: number | null } | null> {
    const submission = await this.reports.lockSubmission(manager, { year: report.year, month: report.month, scope: report.scope });
    if (!submission || submission.approvedAt) return null;
    // A version generated while the month still ran is not the month's summary.
    if (report.dataAsOf < monthBounds(report.year, report.month, this.region.zone).to) return null;
    await this.reports.updateSubmission(manager, submission.id, { approvedAt: now, approvedReportId: report.id });
    // Opened after its deadline (the service was down): nobody could have known it was due.
    if (now <= submission.dueAt || submission.createdAt > submission.dueAt) return null;
    const latenessWorkingMs = this.officeTimeBetween(report.organizationId, submission.dueAt, now);
    const existing = await this.reports.breachOf(manager, submission.id);
    const breachId = existing?.id ?? randomUUID();
    if (existing) await this.reports.completeBreach(manager, existing.id, now, latenessWorkingMs);
    else
      await this.reports.insertBreach(manager, {
        id: breachId,
        submissionId: submission.id,
        year: submission.year,
        month: submission.month,
        organizationId: submission.organizationId,
        dueAt: submission.dueAt,
        recordedAt: now,
        approvedAt: now,
        latenessWorkingMs: latenessWorkingMs === null ? null : String(latenessWorkingMs),
      });
    await this.outbox.add(
      manager,
      [
        submissionEvent('report.submission-approved-late', this.region.data.code, submission, now, {
          approvedAt: now.toISOString(),
          breachId,
          ...(latenessWorkingMs === null ? {} : { latenessWorkingMs }),
        }),
      ],
      now,
    );
    return { breachId, latenessWorkingMs };
  }

  /**
   * The messages a figure counts (the dashboard's and the summary's drill-down), by the same
   * definition as the figure: its length is the figure. Heads see their organization's tree.
   */
  async figureMessages(
    query: {
      year: number;
      month: number;
      section: ReportSectionKey | 'all';
      figure: CountedFigure;
      scopeOrganizationId?: string;
      organizationId?: string;
      categoryCode?: string;
      territoryId?: string;
      day?: string;
      week?: string;
      limit: number;
      offset: number;
    },
    by: Principal,
  ): Promise<FigureMessagePage> {
    const scope = this.scopeFor(query.scopeOrganizationId, by);
    const period = this.drillPeriod(query);
    const { from, to } = untilNow(period, this.clock.now());
    const within = period.within;
    if (query.territoryId && !this.region.territory(query.territoryId))
      throw new DomainException(ErrorCode.ValidationFailed, 'Неизвестная территория', [
        { field: 'territoryId', message: `нет территории «${query.territoryId}»` },
      ]);
    const coordinator = this.region.data.coordinatorOrganizationId;
    const found = await this.reports.figureMessages({
      from,
      to,
      within,
      organizationIds: scope ? this.region.withSubordinates(scope) : undefined,
      figure: query.figure,
      channels: query.section === 'all' ? [...CHANNELS] : [SECTION_CHANNEL[query.section]],
      // The summary shows messages with no organization as ЦУР's.
      organizationId: query.organizationId === undefined ? undefined : query.organizationId === coordinator ? null : query.organizationId,
      categoryCode: query.categoryCode === undefined ? undefined : query.categoryCode === '' ? null : query.categoryCode,
      territoryId: query.territoryId === undefined ? undefined : query.territoryId === '' ? null : query.territoryId,
      limit: query.limit,
      offset: query.offset,
    });
    const z = this.region.zone;
    const rows = await this.reports.messageRows(found.messageIds);
    return {
      total: found.total,
      items: rows.map((m) => ({
        id: m.id,
        channel: m.channel,
        status: m.status,
        categoryCode: m.category_code,
        organization: this.region.named(m.organization_id),
        posNumber: m.pos_number,
        receivedAt: z.format(m.received_at),
        dueAt: m.due_at ? z.format(m.due_at) : null,
        answeredAt: m.answered_at ? z.format(m.answered_at) : null,
      })),
    };
  }

  /** The month's expected summaries and where each stands (supervisors: all; a head: its own). */
  async submissions(filter: { year?: number; month?: number }, by: Principal): Promise<ReportSubmissions> {
    const rows = await this.reports.submissions({ ...filter, scopes: this.visibleScopes(by) });
    const now = this.clock.now();
    const z = this.region.zone;
    const at = (d: Date | null) => (d ? z.format(d) : null);
    return {
      items: rows.map((s) => ({
        id: s.id,
        year: s.year,
        month: s.month,
        organizationId: s.organizationId,
        organizationName: this.scopeName(s.organizationId),
        status: s.approvedAt ? (s.approvedAt > s.dueAt ? 'approved_late' : 'approved') : s.dueAt < now ? 'overdue' : s.warnAt <= now ? 'at_risk' : 'waiting',
        dueAt: z.format(s.dueAt),
        warnAt: z.format(s.warnAt),
        reportId: s.reportId,
        approvedReportId: s.approvedReportId,
        approvedAt: at(s.approvedAt),
      })),
    };
  }

  /** Summaries not approved by their deadline (for the discipline registry's `reportBreachIds`). */
  async breaches(by: Principal) {
    const scopes = this.visibleScopes(by);
    const rows = await this.reports.breaches({ organizationIds: scopes?.map((s) => (s === 'region' ? null : s)), limit: 500 });
    const z = this.region.zone;
    const now = this.clock.now();
    return {
      items: rows.map((b) => {
        const working = b.latenessWorkingMs !== null ? Number(b.latenessWorkingMs) : this.officeTimeBetween(b.organizationId, b.dueAt, now);
        return {
          id: b.id,
          year: b.year,
          month: b.month,
          organization: b.organizationId ? this.region.named(b.organizationId) : this.region.named(this.region.data.coordinatorOrganizationId),
          dueAt: z.format(b.dueAt),
          recordedAt: z.format(b.recordedAt),
          approvedAt: b.approvedAt ? z.format(b.approvedAt) : null,
          lateness: {
            workingMs: working,
            final: b.approvedAt !== null,
            text: working === null ? 'не рассчитано: нет производственного календаря' : `${workingDurationText(working)} рабочего времени`,
          },
        };
      }),
    };
  }

  /**
   * The period of a drill-down: the month, or a week of the dashboard's on-time series instead;
   * a day narrows the month to the facts of that day. A day or a week needs an instant to fall
   * on: the receipt or a flow figure's fact, not a state at the month's end.
   */
  private drillPeriod(query: { year: number; month: number; figure: CountedFigure; day?: string; week?: string }): {
    from: Date;
    to: Date;
    within?: { from: Date; to: Date };
  } {
    const z = this.region.zone;
    const bad = (field: string, message: string) => new DomainException(ErrorCode.ValidationFailed, 'Неверный запрос', [{ field, message }]);
    const flow = !STATE_FIGURES.includes(query.figure);
    const parse = (field: string, date: string) => {
      try {
        return dayNumber(date);
      } catch {
        throw bad(field, `нет такой даты: ${date}`);
      }
    };
    const month = monthBounds(query.year, query.month, z);
    if (query.week !== undefined) {
      const monday = parse('week', query.week);
      if (weekdayOf(monday) !== 1) throw bad('week', `${query.week} — не понедельник`);
      if (!flow) throw bad('week', `неделя применима к показателям-событиям, не к «${query.figure}»`);
      if (query.day !== undefined) throw bad('day', 'день и неделя вместе не задаются');
      return { from: new Date(z.instant(monday, 0)), to: new Date(z.instant(monday + 7, 0)) };
    }
    if (query.day === undefined) return month;
    const day = parse('day', query.day);
    const within = { from: new Date(z.instant(day, 0)), to: new Date(z.instant(day + 1, 0)) };
    if (within.from < month.from || within.to > month.to) throw bad('day', `${query.day} не в месяце ${query.month}.${query.year}`);
    if (!flow && query.figure !== 'received') throw bad('day', `день применим к поступившим и к показателям-событиям, не к «${query.figure}»`);
    return { ...month, within };
  }

  /** Office time between two instants on the organization's calendar; null across a year without a production calendar. */
  private officeTimeBetween(organizationId: string | null, from: Date, to: Date): number | null {
    try {
      return this.region.workingTime(organizationId).workingTimeBetween(from, to);
    } catch (error) {
      if (error instanceof MissingCalendarYearError) return null;
      throw error;
    }
  }

  /** The summary's body for a month and scope, from the facts as they are now. */
  async build(year: number, month: number, organizationId: string | null, now: Date): Promise<Omit<MonthlyReport, 'id' | 'version' | 'status' | 'mayApprove'>> {
    const { from, to } = untilNow(monthBounds(year, month, this.region.zone), now);
    const organizationIds = organizationId ? this.region.withSubordinates(organizationId) : undefined;
    const rows = await this.reports.monthFigures({ from, to, organizationIds });
    const sections = REPORT_SECTIONS.map((key) => this.section(key, rows));
    return {
      year,
      month,
      organizationId,
      organizationName: this.scopeName(organizationId),
      dataAsOf: this.region.zone.format(now),
      sections,
      discipline: await this.discipline(from, to, organizationIds),
      engagements: await this.engagements(from, to, organizationIds ?? null),
    };
  }

  private section(key: ReportSectionKey, rows: FigureRow[]): ReportSection {
    const channel = SECTION_CHANNEL[key];
    const mine = rows.filter((r) => r.channel === channel);
    const coordinator = this.region.data.coordinatorOrganizationId;
    const byOrganization: ReportOrganizationRow[] = mine
      .filter((r) => r.by === 'organization')
      .map((r) => {
        const organization = this.region.organization(r.organizationId ?? coordinator);
        return {
          organizationId: organization?.id ?? r.organizationId ?? coordinator,
          organizationName: organization?.name ?? r.organizationId ?? 'ЦУР',
          group: organization?.kind ?? 'cur',
          ...figuresOf(r, channel),
        };
      })
      .sort((a, b) => GROUP_ORDER[a.group] - GROUP_ORDER[b.group] || a.organizationName.localeCompare(b.organizationName, 'ru'));
    const byCategory: ReportCategoryRow[] = mine
      .filter((r) => r.by === 'category')
      .map((r) => ({
        categoryCode: r.categoryCode,
        categoryName: r.categoryCode ? (this.region.category(r.categoryCode)?.name ?? r.categoryCode) : 'Категория не определена',
        ...figuresOf(r, channel),
      }))
      .sort((a, b) => b.received - a.received || b.answered - a.answered || a.categoryName.localeCompare(b.categoryName, 'ru'));
    return {
      key,
      title: SECTION_TITLES[key],
      totals: figuresOf(
        mine.find((r) => r.by === 'total'),
        channel,
      ),
      byOrganization,
      byCategory,
    };
  }

  private async discipline(from: Date, to: Date, organizationIds: string[] | undefined): Promise<ReportDiscipline> {
    const z = this.region.zone;
    const rows = await this.reports.measuresOrdered(dateOf(z.dayOf(from.getTime())), dateOf(z.dayOf(to.getTime())), organizationIds);
    const titles = new Map(Object.values(this.region.data.discipline.measures).flatMap((list) => list.map((m) => [m.code, m.title] as const)));
    const items = rows.map((r) => ({
      person: r.person_name,
      position: r.person_position,
      organizationId: r.organization_id,
      organizationName: this.region.organization(r.organization_id)?.name ?? r.organization_id,
      measure: r.measure,
      measureTitle: titles.get(r.measure) ?? r.measure,
      basis: r.breaches ? `${r.description} (нарушений сроков: ${r.breaches})` : r.description,
      orderNumber: r.order_number,
      orderDate: r.order_date,
      discoveredOn: r.discovered_date,
    }));
    const counts = new Map<string, number>();
    for (const i of items) counts.set(i.measure, (counts.get(i.measure) ?? 0) + 1);
    return { byMeasure: [...counts].map(([measure, count]) => ({ measure, measureTitle: titles.get(measure) ?? measure, count })), items };
  }

  /**
   * Discussions, votes and surveys with a step in the month (closed, result published, decision
   * recorded): title, theme, organizer, dates, participants, result, and the working days to the
   * result and to the decision after closing; late when a term of item 4 was broken.
   */
  private async engagements(from: Date, to: Date, organizationIds: string[] | null): Promise<ReportEngagements> {
    const rows = await this.engagementRows.monthEngagements(from, to, organizationIds);
    const z = this.region.zone;
    const themes = new Map(this.region.data.engagements.themes.map((t) => [t.id, t.title]));
    const items = rows.map((r) => {
      const time = this.region.workingTime(r.organizerOrganizationId);
      const days = (at: Date | null) => (r.closedAt && at && at < to ? timeToAnswer(time, r.closedAt, at, 'working_days') : null);
      const late = (due: Date | null, done: Date | null) => !!due && (done ? done > due : to > due);
      return {
        kind: r.kind,
        title: r.title,
        theme: themes.get(r.theme) ?? r.theme,
        organizer: this.scopeName(r.organizerOrganizationId),
        startsOn: z.format(r.opensAt).slice(0, 10),
        endsOn: z.format(r.closedAt ?? r.closesAt).slice(0, 10),
        participants: r.ballots,
        result: r.resultPublishedAt && r.resultPublishedAt < to ? (r.resultText ?? 'итоги опубликованы') : null,
        daysToResult: days(r.resultPublishedAt),
        daysToAct: days(r.decidedAt),
        late: late(r.resultDueAt, r.resultPublishedAt) || late(r.decisionDueAt, r.decidedAt),
      };
    });
    return { items, note: items.length ? null : ENGAGEMENTS_NOTE };
  }

  /** The one who approves a summary: a supervisor the region's, the organization's head its own. */
  private approver(row: Pick<MonthlyReportEntity, 'organizationId'>, by: Principal): boolean {
    return row.organizationId === null ? hasRole(by, 'supervisor') : hasRole(by, 'head') && by.organizationId === row.organizationId;
  }

  /** What the console offers: «Утвердить» on a version not approved yet, to its approver only. */
  private mayApprove(row: Pick<MonthlyReportEntity, 'organizationId' | 'status'>, by: Principal): boolean {
    return row.status === 'ready' && this.approver(row, by);
  }

  private people(logins: string[]) {
    return this.auth.people(logins, (id) => this.region.named(id));
  }

  private view(row: MonthlyReportEntity): Omit<MonthlyReport, 'mayApprove'> {
    const body = row.body as unknown as Omit<MonthlyReport, 'id' | 'version' | 'status' | 'mayApprove'>;
    return { id: row.id, version: row.version, ...body, status: row.status };
  }

  /** The organization a summary may be generated for: supervisors any (or the region), heads their own. */
  private scopeFor(requested: string | undefined, by: Principal): string | null {
    return reportScope(this.region, requested, by, {
      own: 'Руководитель формирует сводку только своей организации',
      none: 'Сводки формируют супервизоры и руководители организаций',
    });
  }

  private visibleScopes(by: Principal): string[] | undefined {
    if (hasRole(by, 'supervisor')) return undefined;
    if (hasRole(by, 'head') && by.organizationId) return [by.organizationId];
    throw new DomainException(ErrorCode.Forbidden, 'Сводки видят супервизоры и руководители организаций');
  }

  private async readable(id: string, by: Principal): Promise<MonthlyReportEntity> {
    const scopes = this.visibleScopes(by);
    const row = await this.reports.findReport(id);
    if (!row || (scopes && !scopes.includes(row.scope))) throw new DomainException(ErrorCode.NotFound, 'Сводка не найдена');
    return row;
  }

  private scopeName(organizationId: string | null): string {
    if (!organizationId) return this.region.data.name;
    return this.region.organization(organizationId)?.name ?? organizationId;
  }
}
