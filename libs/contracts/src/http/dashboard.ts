/**
 * The monitoring dashboard (`GET /api/v1/reports/dashboard`), the list of the messages a figure
 * counts (`GET /api/v1/reports/figures/messages`) and the league table as the console reads it
 * (`GET /api/v1/reports/ratings`). Types only: the browser takes nothing else from here.
 */
import type { ReportFigures, ReportSectionKey } from './monthly-report';

/**
 * The monitoring dashboard of a month (order No. 733, item 1.4). Each number is a figure of the
 * monthly summary or a cut of one, so `GET /api/v1/reports/figures/messages` lists exactly the
 * messages behind it (the parameters to ask it with are given next to each part).
 */
export interface Dashboard {
  year: number;
  month: number;
  title: string;
  /** The scope: an organization with its subordinates, or null for the region. */
  organizationId: string | null;
  organizationName: string;
  /** Whether this user may ask for another scope (supervisors: the region or any organization; a head: its own only). */
  mayChooseOrganization: boolean;
  period: { from: string; to: string };
  dataAsOf: string;
  /** The current month in the region's zone: the latest a dashboard can show. */
  current: { year: number; month: number };
  previous: { year: number; month: number };
  /** The summary's totals of each section (drill-down: section=<key>&figure=<name>). */
  totals: Record<ReportSectionKey, ReportFigures>;
  /** `received` by the day of the receipt (drill-down: section=<section>&figure=received&day=<day>). */
  volumeByDay: { days: string[]; series: { section: ReportSectionKey; received: number[] }[] };
  /** `received` by category, the month's top, with the previous month's count (drill-down: section=all&figure=received&categoryCode=<code or ''>). */
  topCategories: { categoryCode: string | null; categoryName: string; received: number; previous: number }[];
  /** `received` of the top categories by the message's territory (drill-down: …&categoryCode=<code>&territoryId=<id or ''>). */
  heatmap: {
    categories: { categoryCode: string | null; categoryName: string }[];
    territories: { territoryId: string | null; territoryName: string; received: number }[];
    cells: { categoryCode: string | null; territoryId: string | null; received: number }[];
  };
  /** `answered` and `answeredOnTime` of every channel by organization, worst share first (drill-down: section=all&figure=answered|answeredOnTime&organizationId=<id>). */
  onTimeByOrganization: { organizationId: string; organizationName: string; answered: number; answeredOnTime: number; share: number | null }[];
  /** `answered` and `answeredOnTime` of every channel over each of the last weeks up to the month's end or today (drill-down: section=all&figure=…&week=<weekStart>). */
  onTimeByWeek: { weekStart: string; answered: number; answeredOnTime: number; share: number | null }[];
}

/** One message a figure counts: no text, no personal data. */
export interface FigureMessage {
  id: string;
  channel: string;
  status: string;
  categoryCode: string | null;
  organization: { id: string; name: string } | null;
  posNumber: string | null;
  receivedAt: string;
  dueAt: string | null;
  answeredAt: string | null;
}

/** A page of a figure's list; `total` is the figure. */
export interface FigureMessagePage {
  total: number;
  items: FigureMessage[];
}

/** A period of the league table. */
export interface RatingPeriodView {
  kind: 'month' | 'quarter';
  year: number;
  month?: number;
  quarter?: number;
  /** ISO instants with the region's offset: [from, to). */
  from: string;
  to: string;
  title: string;
}

/** A row of the league table, as much of it as a screen shows. */
export interface LeagueRowView {
  /** 1 = best in its group; null: not ranked (see `note`). */
  rank: number | null;
  organizationId: string;
  organizationName: string;
  /** 0..100, one decimal; null without any component. */
  index: number | null;
  sample: number;
  previous: { rank: number | null; index: number } | null;
  /** index: current − previous; rank: previous − current (+ = places up); null when either is missing. */
  change: { index: number; rank: number | null } | null;
  note: string | null;
}

export interface LeagueGroupView {
  id: string;
  title: string;
  rows: LeagueRowView[];
}

/** The organizations' league table of a month or a quarter. */
export interface RatingsTableView {
  period: RatingPeriodView;
  previousPeriod: RatingPeriodView;
  section: ReportSectionKey | 'all';
  dataAsOf: string;
  formula: { minSample: number; text: string };
  groups: LeagueGroupView[];
}
