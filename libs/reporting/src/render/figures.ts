/**
 * The words and number shapes the monthly summary's files (order No. 733, item 4) share: the XLSX,
 * the PDF and the CSV name every figure, group, section and month alike, and a change of wording
 * is made here once.
 *
 * A file never carries personal data: the report contract has none besides the persons named in
 * disciplinary orders (which the order's summary must name), and nothing here adds any.
 */
import type {
  MonthlyReport,
  MonthlyReportStatus,
  OrganizationGroup,
  ReportCategoryRow,
  ReportEngagementItem,
  ReportFigures,
  ReportOrganizationRow,
  ReportSectionKey,
} from '@cur/contracts';

/** The order the files cite; kept apart so its wording can follow the order's exact title. */
export const ORDER_TITLE = 'Приказ № 733, п. 4 — ежемесячная сводка о работе с сообщениями и обращениями граждан';

export interface RenderOptions {
  /** The region, as the title block names it (e.g. «Ростовская область»). */
  regionName: string;
  /** Overrides {@link ORDER_TITLE}. */
  orderTitle?: string;
}

/** Every figure of a row, in the column order of all three files (the unit is not a column: it goes into the time headers). */
export type FigureKey = Exclude<keyof ReportFigures, 'timeToAnswerUnit'>;

export const FIGURE_KEYS: readonly FigureKey[] = [
  'received',
  'answered',
  'answeredOnTime',
  'answeredLate',
  'openOverdue',
  'openNotDue',
  'openNoDueDate',
  'timeToAnswerMedian',
  'timeToAnswerMean',
  'extensions',
  'redirects',
  'rejectedByModeration',
  'reconsiderations',
  'ratings',
  'ratingMean',
  'ratingHighShare',
];

export const FIGURE_TITLES: Readonly<Record<FigureKey, string>> = {
  received: 'Поступило',
  answered: 'Дан ответ',
  answeredOnTime: 'В срок',
  answeredLate: 'С нарушением срока',
  openOverdue: 'Не отвечено, срок истёк',
  openNotDue: 'Не отвечено, срок не истёк',
  openNoDueDate: 'Не отвечено, срок не определён',
  timeToAnswerMedian: 'Медиана времени ответа',
  timeToAnswerMean: 'Среднее время ответа',
  extensions: 'Продления',
  redirects: 'Перенаправления',
  rejectedByModeration: 'Отклонено модерацией',
  reconsiderations: 'Повторные рассмотрения',
  ratings: 'Оценок',
  ratingMean: 'Средняя оценка',
  ratingHighShare: 'Доля оценок 4–5',
};

/**
 * How a figure is shown: a count, a time (in the section's unit), a mean rating, or a share. A
 * share is a fraction of 1 (0.8 = 80 %), as Excel's percent format expects.
 */
export type FigureKind = 'count' | 'time' | 'rating' | 'share';

export const FIGURE_KINDS: Readonly<Record<FigureKey, FigureKind>> = {
  received: 'count',
  answered: 'count',
  answeredOnTime: 'count',
  answeredLate: 'count',
  openOverdue: 'count',
  openNotDue: 'count',
  openNoDueDate: 'count',
  timeToAnswerMedian: 'time',
  timeToAnswerMean: 'time',
  extensions: 'count',
  redirects: 'count',
  rejectedByModeration: 'count',
  reconsiderations: 'count',
  ratings: 'count',
  ratingMean: 'rating',
  ratingHighShare: 'share',
};

export const TIME_UNIT_TITLES: Readonly<Record<ReportFigures['timeToAnswerUnit'], string>> = {
  working_days: 'раб. дн.',
  working_hours: 'раб. ч',
};

/** A figure's column header; the time figures carry their unit, since a section counts in days or in hours. */
export function figureHeader(key: FigureKey, unit?: ReportFigures['timeToAnswerUnit']): string {
  return FIGURE_KINDS[key] === 'time' && unit ? `${FIGURE_TITLES[key]}, ${TIME_UNIT_TITLES[unit]}` : FIGURE_TITLES[key];
}

/** Sheet names (Excel allows 31 characters and no []:*?/\). */
export const SECTION_SHEET_NAMES: Readonly<Record<ReportSectionKey, string>> = {
  pos: 'Сообщения ПОС',
  social: 'Публичные сообщения',
  appeals: 'Обращения 59-ФЗ',
};

export const GROUP_ORDER: readonly OrganizationGroup[] = ['executive_body', 'institution', 'municipality', 'cur'];

export const GROUP_TITLES: Readonly<Record<OrganizationGroup, string>> = {
  executive_body: 'Органы исполнительной власти',
  institution: 'Подведомственные учреждения',
  municipality: 'Муниципальные образования',
  cur: 'ЦУР',
};

export const TOTALS_TITLE = 'Итого';

export const STATUS_TITLES: Readonly<Record<MonthlyReportStatus, string>> = {
  generating: 'формируется',
  ready: 'сформирован',
  failed: 'ошибка формирования',
  approved: 'утверждён',
};

export const ENGAGEMENT_KIND_TITLES: Readonly<Record<ReportEngagementItem['kind'], string>> = {
  discussion: 'Обсуждение',
  vote: 'Голосование',
  survey: 'Опрос',
};

/** The engagements' table of the files (order No. 733, item 4: results and their timing). */
export const ENGAGEMENT_HEADERS = [
  'Вид',
  'Название',
  'Тема',
  'Организатор',
  'Начало',
  'Окончание',
  'Участников',
  'Результат',
  'Раб. дней до итогов',
  'Раб. дней до принятия мер',
  'Срок нарушен',
] as const;

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/** «ноябрь 2026»: the period as the title block names it. */
export function monthTitle(year: number, month: number): string {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`month must be 1–12, got ${month}`);
  return `${MONTHS[month - 1]} ${year}`;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * «01.12.2026 00:00 (UTC+03:00)»: the instant in the offset it was written with, so the file reads
 * the same whatever the server's time zone. Anything else is shown as given.
 */
export function formatInstant(iso: string): string {
  const m = INSTANT.exec(iso);
  if (!m) return iso;
  const offset = m[6] === 'Z' ? '+00:00' : m[6].length === 5 ? `${m[6].slice(0, 3)}:${m[6].slice(3)}` : m[6];
  return `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]} (UTC${offset})`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date 'YYYY-MM-DD' as a UTC midnight (how exceljs writes a date without a time zone shift); null otherwise. */
export function parseDate(value: string | null): Date | null {
  const m = value ? DATE.exec(value) : null;
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

/** 'YYYY-MM-DD' as «05.11.2026»; anything else as given, null as ''. */
export function formatDate(value: string | null): string {
  if (!value) return '';
  const m = DATE.exec(value);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : value;
}

export function categoryLabel(row: Pick<ReportCategoryRow, 'categoryCode' | 'categoryName'>): string {
  return row.categoryCode ? `${row.categoryCode} ${row.categoryName}` : row.categoryName;
}

/** The organization rows by group, in {@link GROUP_ORDER}, each group keeping the report's order; empty groups left out. */
export function rowsByGroup(rows: readonly ReportOrganizationRow[]): Array<{ group: OrganizationGroup; rows: ReportOrganizationRow[] }> {
  return GROUP_ORDER.map((group) => ({ group, rows: rows.filter((row) => row.group === group) })).filter((entry) => entry.rows.length > 0);
}

/** The title block's lines, the order's title first: the same in the XLSX sheets and the PDF. */
export function titleLines(report: MonthlyReport, options: RenderOptions): string[] {
  return [
    options.orderTitle ?? ORDER_TITLE,
    `Регион: ${options.regionName}`,
    `Организация: ${report.organizationName}`,
    `Период: ${monthTitle(report.year, report.month)}`,
    `Данные на: ${formatInstant(report.dataAsOf)}`,
    `Версия отчёта: ${report.version} (${STATUS_TITLES[report.status]})`,
  ];
}
