/**
 * The monthly summary (order No. 733, item 4) as one flat CSV table, for Russian Excel and for
 * machines: UTF-8 with a BOM (Excel reads it as UTF-8 only then), `;` between fields, CRLF line
 * ends, fields quoted as RFC 4180 says (only those holding `;`, `"`, CR or LF), fractions with a
 * decimal comma.
 *
 * Columns: «Раздел;Группа;Организация/Категория;Тип строки», then the figures in the XLSX's order,
 * with «Единица времени ответа» after the two time figures (the sections count in working days or
 * working hours, and one table holds them all). Per section: a line per organization (by group),
 * a line per category, and the section's totals line, its figures as the report states them.
 *
 * No title block: line 1 is the header, so the file loads as a table anywhere. Written line by
 * line in chunks, waiting for `out` to drain, never as one string of the whole report.
 */
import { once } from 'node:events';
import type { MonthlyReport, ReportFigures } from '@cur/contracts';
import {
  categoryLabel,
  FIGURE_KEYS,
  FIGURE_TITLES,
  type FigureKey,
  GROUP_TITLES,
  type RenderOptions,
  rowsByGroup,
  TIME_UNIT_TITLES,
  TOTALS_TITLE,
} from './figures';

export const CSV_SEPARATOR = ';';
const CRLF = '\r\n';
const BOM = '\uFEFF';
/** Lines are gathered into chunks of about this many characters before a write. */
const CHUNK = 64 * 1024;
/** Fractions (means, shares, times) keep at most this many decimals: enough for any figure, no float noise. */
const DECIMALS = 4;

export const CSV_ROW_TYPES = { organization: 'Организация', category: 'Категория', totals: TOTALS_TITLE } as const;
const UNIT_HEADER = 'Единица времени ответа';
const LAST_TIME_FIGURE: FigureKey = 'timeToAnswerMean';

/** The header's fields, in order. */
export const CSV_HEADERS: readonly string[] = [
  'Раздел',
  'Группа',
  'Организация/Категория',
  'Тип строки',
  ...FIGURE_KEYS.flatMap((key) => (key === LAST_TIME_FIGURE ? [FIGURE_TITLES[key], UNIT_HEADER] : [FIGURE_TITLES[key]])),
];

/**
 * Writes the report to `out` as CSV and ends `out`; resolves when `out` has finished. The options
 * are the other files' (the flat table has no title block), taken so the three writers are called
 * alike.
 */
export async function writeMonthlyCsv(report: MonthlyReport, out: NodeJS.WritableStream, options?: RenderOptions): Promise<void> {
  void options;
  let chunk = BOM;
  for (const line of csvLines(report)) {
    chunk += line;
    if (chunk.length >= CHUNK) {
      if (!out.write(chunk, 'utf8')) await once(out, 'drain');
      chunk = '';
    }
  }
  const finished = once(out, 'finish');
  out.end(chunk, 'utf8');
  await finished;
}

/** The whole CSV as one string (BOM included), for small reports and tests. */
export function monthlyCsvString(report: MonthlyReport): string {
  let text = BOM;
  for (const line of csvLines(report)) text += line;
  return text;
}

/** The CSV's lines, each ending in CRLF, the header first. */
export function* csvLines(report: MonthlyReport): Generator<string> {
  yield csvLine(CSV_HEADERS);
  for (const section of report.sections) {
    for (const { group, rows } of rowsByGroup(section.byOrganization)) {
      for (const row of rows) yield csvLine([section.title, GROUP_TITLES[group], row.organizationName, CSV_ROW_TYPES.organization, ...figureFields(row)]);
    }
    for (const row of section.byCategory) yield csvLine([section.title, '', categoryLabel(row), CSV_ROW_TYPES.category, ...figureFields(row)]);
    yield csvLine([section.title, '', TOTALS_TITLE, CSV_ROW_TYPES.totals, ...figureFields(section.totals)]);
  }
}

function figureFields(figures: ReportFigures): string[] {
  return FIGURE_KEYS.flatMap((key) => {
    const field = csvNumber(figures[key]);
    return key === LAST_TIME_FIGURE ? [field, TIME_UNIT_TITLES[figures.timeToAnswerUnit]] : [field];
  });
}

/** A number as Russian Excel reads it: a decimal comma, no thousands separator; null: an empty field. */
export function csvNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(DECIMALS))).replace('.', ',');
}

/** RFC 4180: a field holding the separator, a quote or a line break goes in quotes, its quotes doubled. */
export function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(CSV_SEPARATOR) + CRLF;
}
