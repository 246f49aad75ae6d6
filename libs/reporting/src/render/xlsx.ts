/**
 * The monthly summary (order No. 733, item 4) as an XLSX workbook: a sheet per section («Сообщения
 * ПОС», «Публичные сообщения», «Обращения 59-ФЗ»), then «Дисциплина» and «Обсуждения и голосования».
 *
 * A section sheet: the title block (order, region, organization, period, data instant, version),
 * the table by organization under group sub-headers with its «Итого», then the table by category
 * with its own «Итого». Both totals rows are the section's `totals` as the report states them: a
 * message counts once per figure, so adding rows up would not give them.
 *
 * Written with exceljs's streaming writer, one sheet after another, each row committed as it is
 * made: a region's thousands of category rows never sit in memory as cells. Column widths are
 * measured on the report's strings first, since the streaming writer puts them before the rows.
 */
import type { Stream } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { stream as excelStream, type Borders, type Cell, type Fill, type Font, type Row, type Worksheet } from 'exceljs';
import type { MonthlyReport, ReportFigures, ReportSection } from '@cur/contracts';
import {
  categoryLabel,
  ENGAGEMENT_HEADERS,
  ENGAGEMENT_KIND_TITLES,
  FIGURE_KEYS,
  FIGURE_KINDS,
  figureHeader,
  formatDate,
  GROUP_TITLES,
  parseDate,
  type FigureKind,
  type RenderOptions,
  rowsByGroup,
  SECTION_SHEET_NAMES,
  titleLines,
  TOTALS_TITLE,
} from './figures';

export const DISCIPLINE_SHEET_NAME = 'Дисциплина';
export const ENGAGEMENTS_SHEET_NAME = 'Обсуждения и голосования';

const NUMBER_FORMATS: Readonly<Record<FigureKind, string>> = {
  count: '#,##0',
  time: '0.0',
  rating: '0.00',
  share: '0.0%',
};
const DATE_FORMAT = 'dd.mm.yyyy';

const BOLD: Partial<Font> = { bold: true };
const HEADER_FILL: Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const GROUP_FILL: Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const THIN = { style: 'thin' as const, color: { argb: 'FFA6A6A6' } };
const BOX: Partial<Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Rows between two turns of the event loop: lets the zip stream drain into `out` while a long table is written. */
const ROWS_PER_TURN = 500;
/** Figure columns wrap their header into lines of about this many characters. */
const FIGURE_COLUMN_WIDTH = 14;
const MAX_LABEL_WIDTH = 80;

/**
 * Writes the report to `out` as XLSX and ends `out`; resolves when `out` has finished.
 */
export async function writeMonthlyXlsx(report: MonthlyReport, out: NodeJS.WritableStream, options: RenderOptions): Promise<void> {
  const workbook = new excelStream.xlsx.WorkbookWriter({
    // exceljs types the target as a Stream class; any writable stream works (it only pipes into it).
    stream: out as unknown as Stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'ЦУР';
  const writer = new RowWriter();
  const title = titleLines(report, options);
  for (const section of report.sections) await writeSection(workbook, writer, section, title);
  await writeDiscipline(workbook, writer, report, title);
  await writeEngagements(workbook, writer, report, title);
  await workbook.commit();
}

/** Commits rows and yields to the event loop now and then, so the zip and `out` keep up. */
class RowWriter {
  private count = 0;

  async commit(row: Row): Promise<void> {
    row.commit();
    if (++this.count % ROWS_PER_TURN === 0) await nextTurn();
  }
}

type WorkbookWriter = InstanceType<typeof excelStream.xlsx.WorkbookWriter>;

async function writeTitle(sheet: Worksheet, writer: RowWriter, lines: string[]): Promise<void> {
  for (const [i, line] of lines.entries()) {
    const row = sheet.addRow([line]);
    if (i === 0) row.getCell(1).font = { bold: true, size: 13 };
    await writer.commit(row);
  }
}

async function writeSection(workbook: WorkbookWriter, writer: RowWriter, section: ReportSection, title: string[]): Promise<void> {
  const unit = section.totals.timeToAnswerUnit;
  const headers = FIGURE_KEYS.map((key) => figureHeader(key, unit));
  const categoryLabels = section.byCategory.map(categoryLabel);
  // The block above the first table: title lines, the section's name, a blank line, the table's name.
  const headerRow = title.length + 4;
  const sheet = workbook.addWorksheet(SECTION_SHEET_NAMES[section.key], {
    views: [{ state: 'frozen', xSplit: 1, ySplit: headerRow }],
  });

  const labelWidth = fit(
    ['Организация', 'Категория', TOTALS_TITLE, ...Object.values(GROUP_TITLES), ...section.byOrganization.map((row) => row.organizationName), ...categoryLabels],
    20,
    MAX_LABEL_WIDTH,
  );
  const rows: ReportFigures[] = [section.totals, ...section.byOrganization, ...section.byCategory];
  sheet.columns = [
    { width: labelWidth },
    ...FIGURE_KEYS.map((key, i) => ({
      width: Math.max(FIGURE_COLUMN_WIDTH, longestWord(headers[i]) + 2, ...rows.map((row) => numberWidth(row[key], FIGURE_KINDS[key]))),
    })),
  ];

  await writeTitle(sheet, writer, title);
  const sectionRow = sheet.addRow([`Раздел: ${section.title}`]);
  sectionRow.getCell(1).font = { bold: true, size: 12 };
  await writer.commit(sectionRow);
  await writer.commit(sheet.addRow([]));

  await writeTableName(sheet, writer, 'По организациям');
  await writeHeader(sheet, writer, 'Организация', headers);
  for (const { group, rows: groupRows } of rowsByGroup(section.byOrganization)) {
    const groupRow = sheet.addRow([GROUP_TITLES[group]]);
    for (let c = 1; c <= headers.length + 1; c++) {
      const cell = groupRow.getCell(c);
      cell.fill = GROUP_FILL;
      cell.font = { bold: true, italic: true };
    }
    await writer.commit(groupRow);
    for (const row of groupRows) await writeFigures(sheet, writer, row.organizationName, row, false);
  }
  await writeFigures(sheet, writer, TOTALS_TITLE, section.totals, true);

  await writer.commit(sheet.addRow([]));
  await writeTableName(sheet, writer, 'По категориям');
  await writeHeader(sheet, writer, 'Категория', headers);
  for (const [i, row] of section.byCategory.entries()) await writeFigures(sheet, writer, categoryLabels[i], row, false);
  await writeFigures(sheet, writer, TOTALS_TITLE, section.totals, true);
  sheet.commit();
}

async function writeTableName(sheet: Worksheet, writer: RowWriter, name: string): Promise<void> {
  const row = sheet.addRow([name]);
  row.getCell(1).font = BOLD;
  await writer.commit(row);
}

async function writeHeader(sheet: Worksheet, writer: RowWriter, label: string, headers: string[]): Promise<void> {
  const row = sheet.addRow([label, ...headers]);
  // Tall enough for the longest header wrapped at the column width (15 points a line).
  const lines = Math.max(...headers.map((header) => Math.ceil(header.length / FIGURE_COLUMN_WIDTH)));
  row.height = Math.max(1, lines) * 15;
  row.eachCell((cell) => styleHeaderCell(cell));
  await writer.commit(row);
}

function styleHeaderCell(cell: Cell): void {
  cell.font = BOLD;
  cell.fill = HEADER_FILL;
  cell.border = BOX;
  cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
}

async function writeFigures(sheet: Worksheet, writer: RowWriter, label: string, figures: ReportFigures, total: boolean): Promise<void> {
  // Numbers stay numbers; a figure without a value (no answers, no ratings) is an empty cell, not a zero.
  const row = sheet.addRow([label, ...FIGURE_KEYS.map((key) => figures[key])]);
  FIGURE_KEYS.forEach((key, i) => {
    row.getCell(i + 2).numFmt = NUMBER_FORMATS[FIGURE_KINDS[key]];
  });
  if (total) {
    for (let c = 1; c <= FIGURE_KEYS.length + 1; c++) {
      const cell = row.getCell(c);
      cell.font = BOLD;
      cell.border = { top: THIN, bottom: THIN };
    }
  }
  await writer.commit(row);
}

async function writeDiscipline(workbook: WorkbookWriter, writer: RowWriter, report: MonthlyReport, title: string[]): Promise<void> {
  const { byMeasure, items } = report.discipline;
  const headers = ['ФИО', 'Должность', 'Организация', 'Мера', 'Основание', 'Номер приказа', 'Дата приказа', 'Дата выявления'];
  const sheet = workbook.addWorksheet(DISCIPLINE_SHEET_NAME);
  sheet.columns = [
    { width: fit(['Мера', ...headers.slice(0, 1), ...byMeasure.map((m) => m.measureTitle), ...items.map((i) => i.person)], 16, 50) },
    { width: fit(['Количество', headers[1], ...items.map((i) => i.position ?? '')], 12, 40) },
    { width: fit([headers[2], ...items.map((i) => i.organizationName)], 16, 50) },
    { width: fit([headers[3], ...items.map((i) => i.measureTitle)], 12, 40) },
    // The grounds are prose: a wide column that wraps rather than one as long as the longest text.
    { width: fit([headers[4], ...items.map((i) => i.basis)], 16, 60) },
    { width: fit([headers[5], ...items.map((i) => i.orderNumber ?? '')], 12, 30) },
    { width: 13 },
    { width: 15 },
  ];
  await writeTitle(sheet, writer, title);
  await writer.commit(sheet.addRow([]));

  await writeTableName(sheet, writer, 'Применённые меры по видам');
  const measureHeader = sheet.addRow(['Мера', 'Количество']);
  measureHeader.eachCell((cell) => styleHeaderCell(cell));
  await writer.commit(measureHeader);
  if (byMeasure.length === 0) await writer.commit(sheet.addRow(['Меры не применялись']));
  for (const measure of byMeasure) await writer.commit(sheet.addRow([measure.measureTitle, measure.count]));
  await writer.commit(sheet.addRow([]));

  await writeTableName(sheet, writer, 'Перечень применённых мер');
  const header = sheet.addRow(headers);
  header.eachCell((cell) => styleHeaderCell(cell));
  await writer.commit(header);
  if (items.length === 0) await writer.commit(sheet.addRow(['Меры не применялись']));
  for (const item of items) {
    const row = sheet.addRow([
      item.person,
      item.position,
      item.organizationName,
      item.measureTitle,
      item.basis,
      item.orderNumber,
      dateCell(item.orderDate),
      dateCell(item.discoveredOn),
    ]);
    row.getCell(5).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(7).numFmt = DATE_FORMAT;
    row.getCell(8).numFmt = DATE_FORMAT;
    await writer.commit(row);
  }
  sheet.commit();
}

async function writeEngagements(workbook: WorkbookWriter, writer: RowWriter, report: MonthlyReport, title: string[]): Promise<void> {
  const { items, note } = report.engagements;
  const headers = [...ENGAGEMENT_HEADERS];
  const sheet = workbook.addWorksheet(ENGAGEMENTS_SHEET_NAME);
  sheet.columns = [
    { width: 14 },
    { width: fit([headers[1], ...items.map((i) => i.title)], 20, 60) },
    { width: fit([headers[2], ...items.map((i) => i.theme)], 16, 40) },
    { width: fit([headers[3], ...items.map((i) => i.organizer)], 16, 50) },
    { width: 12 },
    { width: 12 },
    { width: 12 },
    { width: fit([headers[7], ...items.map((i) => i.result ?? '')], 16, 60) },
    { width: 14 },
    { width: 16 },
    { width: 12 },
  ];
  await writeTitle(sheet, writer, title);
  await writer.commit(sheet.addRow([]));
  if (items.length === 0) {
    await writer.commit(sheet.addRow([note ?? 'Обсуждений и голосований за период не было']));
  } else {
    const header = sheet.addRow(headers);
    header.eachCell((cell) => styleHeaderCell(cell));
    await writer.commit(header);
    for (const item of items) {
      const row = sheet.addRow([
        ENGAGEMENT_KIND_TITLES[item.kind],
        item.title,
        item.theme,
        item.organizer,
        dateCell(item.startsOn),
        dateCell(item.endsOn),
        item.participants,
        item.result,
        item.daysToResult,
        item.daysToAct,
        item.late ? 'да' : 'нет',
      ]);
      row.getCell(5).numFmt = DATE_FORMAT;
      row.getCell(6).numFmt = DATE_FORMAT;
      row.getCell(8).alignment = { wrapText: true, vertical: 'top' };
      await writer.commit(row);
    }
    if (note) await writer.commit(sheet.addRow([note]));
  }
  sheet.commit();
}

/** A calendar date as a date cell; a value that is not 'YYYY-MM-DD' stays the text it was. */
function dateCell(value: string | null): Date | string | null {
  return parseDate(value) ?? (value ? formatDate(value) : null);
}

/** A column width (in characters) fitting the longest of the texts, within [min, max]. */
function fit(texts: string[], min: number, max: number): number {
  let longest = 0;
  for (const text of texts) if (text.length > longest) longest = text.length;
  return Math.min(max, Math.max(min, longest + 2));
}

function longestWord(text: string): number {
  return Math.max(...text.split(/\s+/).map((word) => word.length));
}

/** The width a number takes in its format: the integer digits with thousands separators, the decimals, a percent sign. */
function numberWidth(value: number | null, kind: FigureKind): number {
  if (value === null) return 0;
  const shown = kind === 'share' ? value * 100 : value;
  const digits = String(Math.trunc(Math.abs(shown))).length;
  const decimals = kind === 'count' ? 0 : kind === 'rating' ? 3 : 2;
  return digits + Math.floor((digits - 1) / 3) + decimals + (kind === 'share' ? 1 : 0) + 2;
}
