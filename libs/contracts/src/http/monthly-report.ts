/**
 * The monthly summary of Rostov region's order No. 733, item 4 (issue 12): what
 * `GET /api/v1/reports/monthly/:id` returns and what its XLSX, PDF and CSV files show. The figure
 * names are the definitions' own (libs/reporting); a file never carries personal data.
 */
import type { Person } from './messages';

/** The figures that count messages: each has the list of the messages it counts (the drill-down). */
export const COUNTED_FIGURES = [
  'received',
  'answered',
  'answeredOnTime',
  'answeredLate',
  'openOverdue',
  'openNotDue',
  'openNoDueDate',
  'extensions',
  'redirects',
  'rejectedByModeration',
  'reconsiderations',
  'ratings',
] as const;
export type CountedFigure = (typeof COUNTED_FIGURES)[number];

/** The figures of one row (a section's totals, an organization, a category). */
export interface ReportFigures {
  /** Messages whose receipt falls in the month. */
  received: number;
  /** Messages whose final answer was sent in the month, whatever month they arrived. */
  answered: number;
  /** Of `answered`: at or before the final-answer due instant (extensions included). */
  answeredOnTime: number;
  /** Of `answered`: after it. */
  answeredLate: number;
  /** At the end of the month: not answered, due instant before the end of the month. */
  openOverdue: number;
  /** At the end of the month: not answered, due instant not before the end of the month. */
  openNotDue: number;
  /** At the end of the month: not answered, due date unknown. */
  openNoDueDate: number;
  /** Time to answer of `answered`, in working days (portal messages, appeals) or working hours (public messages); null without answers. */
  timeToAnswerMedian: number | null;
  timeToAnswerMean: number | null;
  /** 'working_days' | 'working_hours': the unit of the two figures above. */
  timeToAnswerUnit: 'working_days' | 'working_hours';
  /** Extensions approved in the month. */
  extensions: number;
  /** Redirects made in the month. */
  redirects: number;
  /** Rejections by moderation in the month. */
  rejectedByModeration: number;
  /** Re-considerations opened in the month. */
  reconsiderations: number;
  /** Ratings given in the month: how many, their mean, and the share of 4–5 (null without ratings). */
  ratings: number;
  ratingMean: number | null;
  ratingHighShare: number | null;
}

export type ReportSectionKey = 'pos' | 'social' | 'appeals';

/** Executive bodies, their institutions, municipalities (and ЦУР itself, for what it still holds). */
export type OrganizationGroup = 'executive_body' | 'institution' | 'municipality' | 'cur';

export interface ReportOrganizationRow extends ReportFigures {
  organizationId: string;
  organizationName: string;
  group: OrganizationGroup;
}

export interface ReportCategoryRow extends ReportFigures {
  categoryCode: string | null;
  categoryName: string;
}

export interface ReportSection {
  key: ReportSectionKey;
  title: string;
  totals: ReportFigures;
  byOrganization: ReportOrganizationRow[];
  byCategory: ReportCategoryRow[];
}

/** One disciplinary measure applied (from the discipline registry): no personal data beyond the person named in the order. */
export interface ReportDisciplineItem {
  person: string;
  position: string | null;
  organizationId: string;
  organizationName: string;
  measure: string;
  measureTitle: string;
  /** The breaches or other grounds the order names. */
  basis: string;
  orderNumber: string | null;
  orderDate: string | null;
  discoveredOn: string | null;
}

export interface ReportDiscipline {
  byMeasure: { measure: string; measureTitle: string; count: number }[];
  items: ReportDisciplineItem[];
}

export interface ReportEngagementItem {
  kind: 'discussion' | 'vote' | 'survey';
  title: string;
  /** The theme from the approved list (order No. 733, item 2.3). */
  theme: string;
  organizer: string;
  startsOn: string;
  endsOn: string;
  participants: number;
  result: string | null;
  /** Working days from the end to publishing the result; null while not published. */
  daysToResult: number | null;
  /** Working days from the end to acting on the result; null while not acted on. */
  daysToAct: number | null;
  /** A term of item 4 broken (the result or the decision late, or overdue at the end of the month). */
  late: boolean;
}

export interface ReportEngagements {
  items: ReportEngagementItem[];
  /** Why the list is empty, when it is (the feature does not exist yet). */
  note: string | null;
}

export type MonthlyReportStatus = 'generating' | 'ready' | 'failed' | 'approved';

export interface MonthlyReport {
  id: string;
  /** 1, 2, … for the same year, month and organization: generating again makes a new version. */
  version: number;
  year: number;
  month: number;
  /** Null: the whole region. */
  organizationId: string | null;
  organizationName: string;
  status: MonthlyReportStatus;
  /** The instant of the data the snapshot was taken at (ISO, with offset). */
  dataAsOf: string;
  sections: ReportSection[];
  discipline: ReportDiscipline;
  engagements: ReportEngagements;
  /** Whether the caller may approve this version now (the console offers «Утвердить» from this). */
  mayApprove: boolean;
}

/** `POST /api/v1/reports/monthly`: the new version, being generated. */
export interface MonthlyReportGenerated {
  id: string;
  status: MonthlyReportStatus;
  version: number;
}

/** A summary in `GET /api/v1/reports/monthly` (no figures: open it for those). */
export interface MonthlyReportListItem {
  id: string;
  version: number;
  year: number;
  month: number;
  /** Null: the whole region. */
  organizationId: string | null;
  organizationName: string;
  status: MonthlyReportStatus;
  dataAsOf: string;
  /** Logins. */
  generatedBy: string;
  approvedBy: string | null;
  approvedAt: string | null;
  /** Whether the caller may approve this version now. */
  mayApprove: boolean;
}

export interface MonthlyReportList {
  items: MonthlyReportListItem[];
  /** Whether the caller generates summaries of any organization (or the region), or of its own only. */
  mayChooseOrganization: boolean;
  /** Names for the logins of `generatedBy` and `approvedBy`. */
  people: Record<string, Person>;
}

/** An entry of a summary's history (`GET /api/v1/reports/monthly/:id/history`): who, when, why. */
export interface MonthlyReportEvent {
  type: string;
  /** A login, or the system. */
  actor: string;
  reason: string | null;
  data: Record<string, unknown> | null;
  at: string;
}

export interface MonthlyReportHistory {
  items: MonthlyReportEvent[];
  /** Names for the actors. */
  people: Record<string, Person>;
}

/** `POST /api/v1/reports/monthly/:id/approval`. */
export interface MonthlyReportApproval {
  id: string;
  status: 'approved';
  approvedBy: string;
  approvedAt: string;
  /** Set when the month's expected summary was approved after its deadline. */
  late: { breachId: string; latenessWorkingMs: number | null } | null;
}

export type SubmissionStatus = 'waiting' | 'at_risk' | 'overdue' | 'approved' | 'approved_late';

/** A summary expected for a month (`GET /api/v1/reports/submissions`): approved by its deadline or not. */
export interface ReportSubmission {
  id: string;
  year: number;
  month: number;
  organizationId: string | null;
  organizationName: string;
  status: SubmissionStatus;
  dueAt: string;
  warnAt: string;
  reportId: string | null;
  approvedReportId: string | null;
  approvedAt: string | null;
}

export interface ReportSubmissions {
  items: ReportSubmission[];
}
