import { Injectable } from '@nestjs/common';
import { dateOf, weekdayOf } from '@cur/calendar';
import { RegionCatalog } from '@cur/config';
import type { Dashboard, ReportFigures } from '@cur/contracts';
import { monthBounds, monthTitle, REPORT_SECTIONS, ReportSectionKey, untilNow } from '@cur/domain';
import { DashboardRepository, ReportRepository } from '@cur/persistence';
import { Clock, DomainException, ErrorCode, hasRole, Principal } from '@cur/platform';
import { figuresOf, SECTION_CHANNEL } from '../monthly-report.service';
import { reportScope } from '../report-scope';

/** How many categories the top and the heat map show, and how many weeks the on-time series covers. */
const TOP = 10;
const WEEKS = 8;

const NO_CATEGORY = 'Категория не определена';
const NO_TERRITORY = 'Территория не определена';

const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null);

@Injectable()
export class DashboardService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly dashboards: DashboardRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
  ) {}

  async dashboard(query: { year?: number; month?: number; organizationId?: string }, by: Principal): Promise<Dashboard> {
    const scope = this.scopeFor(query.organizationId, by);
    const z = this.region.zone;
    const now = this.clock.now();
    const [currentYear, currentMonth] = dateOf(z.dayOf(now.getTime())).split('-').map(Number);
    const year = query.year ?? currentYear;
    const month = query.month ?? currentMonth;
    const calendarMonth = monthBounds(year, month, z);
    // A running month counts up to now: its open messages are overdue by now, not by its end.
    const bounds = untilNow(calendarMonth, now);
    if (bounds.from > now)
      throw new DomainException(ErrorCode.ValidationFailed, 'Месяц ещё не начался', [{ field: 'month', message: `${month}.${year}: месяц ещё не начался` }]);
    const previous = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
    const organizationIds = scope ? this.region.withSubordinates(scope) : undefined;
    const weeks = this.weeks(calendarMonth.to, now);
    // The summary's figures (two queries at once) beside the dashboard's own cuts one after another: at most three large sorts at a time.
    const cuts = async () => ({
      received: await this.dashboards.receivedBreakdown({ ...bounds, organizationIds }, z.offsetMinutes),
      before: await this.dashboards.receivedByCategory({ ...monthBounds(previous.year, previous.month, z), organizationIds }),
      answers: await this.dashboards.answersByWeek(
        weeks.map((w) => new Date(z.instant(w, 0))),
        organizationIds,
      ),
    });
    const [rows, { received, before, answers }] = await Promise.all([this.reports.monthFigures({ ...bounds, organizationIds }), cuts()]);

    const totals = Object.fromEntries(
      REPORT_SECTIONS.map((key) => {
        const channel = SECTION_CHANNEL[key];
        return [
          key,
          figuresOf(
            rows.find((r) => r.channel === channel && r.by === 'total'),
            channel,
          ),
        ];
      }),
    ) as Record<ReportSectionKey, ReportFigures>;

    const first = z.dayOf(bounds.from.getTime());
    // Every day of the month (the days still to come of a running month are empty).
    const days = Array.from({ length: z.dayOf(calendarMonth.to.getTime()) - first }, (_, i) => dateOf(first + i));
    const volumeByDay = {
      days,
      series: REPORT_SECTIONS.map((section) => {
        const counts = new Map(received.byDay.filter((r) => r.channel === SECTION_CHANNEL[section]).map((r) => [r.day, r.received]));
        return { section, received: days.map((d) => counts.get(d) ?? 0) };
      }),
    };

    const categoryName = (code: string | null) => (code ? (this.region.category(code)?.name ?? code) : NO_CATEGORY);
    const previousCounts = new Map(before.map((r) => [r.categoryCode, r.received]));
    const topCategories = received.byCategory
      .map((r) => ({ categoryCode: r.categoryCode, categoryName: categoryName(r.categoryCode), received: r.received }))
      .sort((a, b) => b.received - a.received || a.categoryName.localeCompare(b.categoryName, 'ru'))
      .slice(0, TOP)
      .map((c) => ({ ...c, previous: previousCounts.get(c.categoryCode) ?? 0 }));

    const top = new Set(topCategories.map((c) => c.categoryCode));
    const cells = received.byCategoryTerritory.filter((c) => top.has(c.categoryCode));
    const byTerritory = new Map<string | null, number>();
    for (const c of cells) byTerritory.set(c.territoryId, (byTerritory.get(c.territoryId) ?? 0) + c.received);
    const territoryName = (id: string | null) => (id ? (this.region.territory(id)?.name ?? id) : NO_TERRITORY);
    const heatmap = {
      categories: topCategories.map((c) => ({ categoryCode: c.categoryCode, categoryName: c.categoryName })),
      territories: [...byTerritory]
        .map(([territoryId, n]) => ({ territoryId, territoryName: territoryName(territoryId), received: n }))
        .sort((a, b) => b.received - a.received || a.territoryName.localeCompare(b.territoryName, 'ru')),
      cells,
    };

    // Every channel of an organization: its rows of the summary added up (a message has one channel, so no message counts twice).
    const coordinator = this.region.data.coordinatorOrganizationId;
    const byOrganization = new Map<string | null, { answered: number; answeredOnTime: number }>();
    for (const r of rows.filter((x) => x.by === 'organization')) {
      const o = byOrganization.get(r.organizationId) ?? { answered: 0, answeredOnTime: 0 };
      o.answered += r.counts.answered ?? 0;
      o.answeredOnTime += r.counts.answeredOnTime ?? 0;
      byOrganization.set(r.organizationId, o);
    }
    const onTimeByOrganization = [...byOrganization]
      .filter(([, o]) => o.answered > 0)
      .map(([id, o]) => {
        // As the summary shows it: a message with no organization is ЦУР's.
        const organization = this.region.organization(id ?? coordinator);
        return {
          organizationId: organization?.id ?? id ?? coordinator,
          organizationName: organization?.name ?? id ?? 'ЦУР',
          ...o,
          share: share(o.answeredOnTime, o.answered),
        };
      })
      .sort((a, b) => (a.share ?? 2) - (b.share ?? 2) || b.answered - a.answered || a.organizationName.localeCompare(b.organizationName, 'ru'));

    const perWeek = new Map(answers.map((a) => [a.week, a]));
    const onTimeByWeek = weeks.map((monday, i) => {
      const a = perWeek.get(i) ?? { answered: 0, answeredOnTime: 0 };
      return { weekStart: dateOf(monday), answered: a.answered, answeredOnTime: a.answeredOnTime, share: share(a.answeredOnTime, a.answered) };
    });

    return {
      year,
      month,
      title: monthTitle(year, month),
      organizationId: scope,
      organizationName: scope ? (this.region.organization(scope)?.name ?? scope) : this.region.data.name,
      mayChooseOrganization: hasRole(by, 'supervisor'),
      period: { from: z.format(bounds.from), to: z.format(bounds.to) },
      dataAsOf: z.format(now),
      current: { year: currentYear, month: currentMonth },
      previous,
      totals,
      volumeByDay,
      topCategories,
      heatmap,
      onTimeByOrganization,
      onTimeByWeek,
    };
  }

  /** The Mondays (day numbers) of the last weeks up to the month's end, or up to today in the current month. */
  private weeks(monthEnd: Date, now: Date): number[] {
    const z = this.region.zone;
    const last = z.dayOf(Math.min(monthEnd.getTime() - 1, now.getTime()));
    const monday = last - (weekdayOf(last) - 1);
    return Array.from({ length: WEEKS }, (_, i) => monday - (WEEKS - 1 - i) * 7);
  }

  /** As for the summary: supervisors the region or any organization, heads their own (with subordinates), no one else. */
  private scopeFor(requested: string | undefined, by: Principal): string | null {
    return reportScope(this.region, requested, by, {
      own: 'Руководитель видит мониторинг только своей организации',
      none: 'Мониторинг видят супервизоры и руководители организаций',
    });
  }
}
