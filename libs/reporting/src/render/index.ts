/**
 * The monthly summary's files (Rostov region's order No. 733, item 4): a `MonthlyReport` (the
 * contract in @cur/contracts) rendered to XLSX, PDF and CSV, each written to a stream the caller
 * gives (a file, an HTTP response) and ended there.
 *
 * - `writeMonthlyXlsx`: the full report, a sheet per section plus discipline and engagements;
 *   streamed row by row (exceljs's streaming writer), so a region's thousands of categories keep
 *   memory flat.
 * - `renderMonthlyPdf`: the report to read and sign off, A4 landscape, with charts (ECharts'
 *   server-side SVG) and at most {@link PDF_TOP_CATEGORIES} categories per section.
 * - `writeMonthlyCsv`: one flat table for Russian Excel and for machines.
 *
 * All three share the wording in figures.ts: the figures' Russian titles ({@link FIGURE_TITLES}),
 * the groups, the month names ({@link monthTitle}), the order's title ({@link ORDER_TITLE}). Each
 * section's «Итого» is the report's own `totals`, never the rows added up. No file carries personal
 * data beyond the persons named in disciplinary orders, which the order's summary must name.
 */
export { writeMonthlyXlsx, DISCIPLINE_SHEET_NAME, ENGAGEMENTS_SHEET_NAME } from './xlsx';
export { writeMonthlyCsv, monthlyCsvString, CSV_HEADERS, CSV_SEPARATOR } from './csv';
export { renderMonthlyPdf, monthlyPdfDefinition, PDF_TOP_CATEGORIES } from './pdf';
export { onTimeByGroupOption, openByDueOption, chartSvg, CHART_FONT_FAMILY } from './charts';
export {
  FIGURE_KEYS,
  FIGURE_TITLES,
  FIGURE_KINDS,
  figureHeader,
  GROUP_TITLES,
  monthTitle,
  ORDER_TITLE,
  SECTION_SHEET_NAMES,
  TIME_UNIT_TITLES,
  TOTALS_TITLE,
  type FigureKey,
  type FigureKind,
  type RenderOptions,
} from './figures';
