import { Injectable } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import type { ReportFigures } from '@cur/contracts';
import { PopulationBand, RatingSettings, sectionOf } from '@cur/domain';
import { FigureRow, ReportRepository } from '@cur/persistence';
import { Clock, DomainException, ErrorCode, hasRole, Principal } from '@cur/platform';
import { figuresOf } from '../monthly-report.service';
import { formulaText, LeagueGroup, leagueTable, peerGroupOf, RatedOrganization, RatingSection, SectionFigures, sectionsOf } from './rating-formula';
import { previousPeriod, RatingPeriod, RatingPeriodKind, ratingPeriod } from './rating-period';

export interface RatingsQuery {
  period: RatingPeriodKind;
  year: number;
  month?: number;
  quarter?: number;
  section?: RatingSection;
}

export interface RatingPeriodView {
  kind: RatingPeriodKind;
  year: number;
  month?: number;
  quarter?: number;
  /** ISO instants with the region's offset: [from, to). */
  from: string;
  to: string;
  title: string;
}

export interface RatingsTable {
  period: RatingPeriodView;
  previousPeriod: RatingPeriodView;
  section: RatingSection;
  /** The instant of the data: a period not over yet is judged as of now. */
  dataAsOf: string;
  formula: {
    weights: RatingSettings['weights'];
    targets: RatingSettings['targets'];
    minSample: number;
    populationBands: PopulationBand[];
    text: string;
  };
  groups: LeagueGroup[];
}

/**
 * The organizations' league table for a month or a quarter (issue 12, point 6), from the same
 * facts and figures as the monthly summary; the formula is rating-formula.ts. Supervisors see
 * every peer group; an organization's head sees its own group's table, peers included (a rank
 * means something only next to the others'); anyone else gets 403.
 */
@Injectable()
export class RatingsReportService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
  ) {}

  async table(query: RatingsQuery, by: Principal): Promise<RatingsTable> {
    const settings = this.region.data.ratings;
    const organizations = this.organizations();
    const visibleGroup = this.visibleGroup(by, organizations);
    const now = this.clock.now();
    const period = this.periodOf(query, now);
    const previous = previousPeriod(period, this.region.zone);
    const section = query.section ?? 'all';
    // One period after the other: each aggregate already runs its two queries at once, with generous sort memory.
    const current = await this.figures(period, section, now);
    const before = await this.figures(previous, section, now);
    const groups = leagueTable({ organizations, current, previous: before, settings });
    return {
      period: this.view(period),
      previousPeriod: this.view(previous),
      section,
      dataAsOf: this.region.zone.format(now < period.to ? now : period.to),
      formula: {
        weights: settings.weights,
        targets: settings.targets,
        minSample: settings.minSample,
        populationBands: settings.populationBands,
        text: formulaText(settings),
      },
      groups: visibleGroup === undefined ? groups : groups.filter((g) => g.id === visibleGroup),
    };
  }

  /** A month or a quarter that has begun; the other period's number is refused, naming it. */
  private periodOf(query: RatingsQuery, now: Date): RatingPeriod {
    const [field, number, other] = query.period === 'month' ? (['month', query.month, 'quarter'] as const) : (['quarter', query.quarter, 'month'] as const);
    if (query[other] !== undefined)
      throw new DomainException(ErrorCode.ValidationFailed, 'Некорректный период', [
        { field: other, message: `Поле «${other}»: не указывается при period=${query.period}` },
      ]);
    const period = ratingPeriod(query.period, query.year, number!, this.region.zone);
    if (period.from > now)
      throw new DomainException(ErrorCode.ValidationFailed, 'Период ещё не начался', [
        { field, message: `рейтинг за период «${period.title}» невозможен: период ещё не начался` },
      ]);
    return period;
  }

  /**
   * Each organization's figures of the period by section, as the summary defines them but not
   * rounded (the index is computed from exact values, the table shows them rounded). A period not
   * over yet ends now: overdue is judged as of now, not as of the period's end.
   */
  private async figures(period: RatingPeriod, section: RatingSection, now: Date): Promise<Map<string, SectionFigures[]>> {
    const rows = await this.reports.monthFigures({ from: period.from, to: now < period.to ? now : period.to });
    const sections = sectionsOf(section);
    const byOrganization = new Map<string, SectionFigures[]>();
    for (const row of rows) {
      const key = sectionOf(row.channel);
      if (row.by !== 'organization' || !row.organizationId || !sections.includes(key)) continue;
      byOrganization.set(row.organizationId, [...(byOrganization.get(row.organizationId) ?? []), { section: key, figures: exactFigures(row) }]);
    }
    return byOrganization;
  }

  private organizations(): RatedOrganization[] {
    return this.region.data.organizations.map((o) => ({
      id: o.id,
      name: o.name,
      kind: o.kind,
      population: this.region.territory(o.territoryId)?.population,
    }));
  }

  /** undefined: every group (supervisors); a group's id: a head's own. */
  private visibleGroup(by: Principal, organizations: RatedOrganization[]): string | undefined {
    if (hasRole(by, 'supervisor')) return undefined;
    const own = organizations.find((o) => o.id === by.organizationId);
    const group = own && hasRole(by, 'head') ? peerGroupOf(own, this.region.data.ratings.populationBands) : null;
    if (!group) throw new DomainException(ErrorCode.Forbidden, 'Рейтинг видят супервизоры и руководители организаций, участвующих в рейтинге');
    return group.id;
  }

  private view(period: RatingPeriod): RatingPeriodView {
    const z = this.region.zone;
    return {
      kind: period.kind,
      year: period.year,
      ...(period.kind === 'month' ? { month: period.number } : { quarter: period.number }),
      from: z.format(period.from),
      to: z.format(period.to),
      title: period.title,
    };
  }
}

function exactFigures(row: FigureRow): ReportFigures {
  const shown = figuresOf(row, row.channel);
  return {
    ...shown,
    timeToAnswerMedian: row.timeToAnswerMedian,
    timeToAnswerMean: row.timeToAnswerMean,
    ratingMean: shown.ratings ? row.ratingMean : null,
    ratingHighShare: shown.ratings ? row.ratingHigh / shown.ratings : null,
  };
}
