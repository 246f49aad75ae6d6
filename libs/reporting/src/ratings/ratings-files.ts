/**
 * The league table as files, like the monthly summary's: CSV (UTF-8 with a BOM so that Russian
 * Excel reads it as UTF-8, `;` between fields, CRLF, RFC 4180 quoting, a decimal comma; line 1 is
 * the header) and XLSX (a sheet with the formula and the period, then a sheet per peer group,
 * its header row frozen, numbers stored as numbers). Small writers of their own: a table of
 * ninety rows at most needs no streaming.
 */
import { Workbook, Worksheet } from 'exceljs';
import type { PopulationBand, RatingComponent, ReportSectionKey } from '@cur/domain';
import { RATING_COMPONENTS } from '@cur/domain';
import { COMPONENT_TITLES, LeagueGroup, LeagueRow, sectionsOf } from './rating-formula';
import type { RatingsTable } from './ratings-report.service';

const SECTION_SHORT: Record<ReportSectionKey, string> = { pos: 'ПОС', appeals: 'обращения', social: 'публичные' };
const UNIT_SHORT = { working_days: 'раб. дн.', working_hours: 'раб. ч' } as const;

interface Column {
  header: string;
  /** The cell: a number stays a number (XLSX), null an empty cell. */
  value: (row: LeagueRow) => number | string | null;
  /** Excel's number format. */
  format?: string;
  width: number;
}

/** The columns of a group's table; the time figures are per section, in the section's unit. */
export function ratingColumns(table: RatingsTable): Column[] {
  const component = (c: RatingComponent): Column => ({ header: `${COMPONENT_TITLES[c]}, балл`, value: (r) => r.components[c], format: '0.000', width: 14 });
  const count = (header: string, pick: (r: LeagueRow) => number): Column => ({ header, value: pick, format: '0', width: 12 });
  const time = (section: ReportSectionKey): Column => ({
    header: `Медиана времени ответа, ${UNIT_SHORT[section === 'social' ? 'working_hours' : 'working_days']} (${SECTION_SHORT[section]})`,
    value: (r) => r.figures.timeToAnswer.find((t) => t.section === section)?.median ?? null,
    format: '0.00',
    width: 16,
  });
  return [
    { header: 'Место', value: (r) => r.rank, format: '0', width: 8 },
    { header: 'Организация', value: (r) => r.organizationName, width: 60 },
    { header: 'Индекс', value: (r) => r.index, format: '0.0', width: 10 },
    ...RATING_COMPONENTS.map(component),
    count('Оцениваемых сообщений', (r) => r.sample),
    count('Отвечено', (r) => r.figures.answered),
    count('В срок', (r) => r.figures.answeredOnTime),
    count('С нарушением срока', (r) => r.figures.answeredLate),
    count('Просрочено на конец периода', (r) => r.figures.openOverdue),
    count('Срок не истёк', (r) => r.figures.openNotDue),
    count('Без срока', (r) => r.figures.openNoDueDate),
    count('Повторные рассмотрения', (r) => r.figures.reconsiderations),
    count('Оценок', (r) => r.figures.ratings),
    { header: 'Средняя оценка', value: (r) => r.figures.ratingMean, format: '0.00', width: 10 },
    { header: 'Доля оценок 4–5', value: (r) => r.figures.ratingHighShare, format: '0.000', width: 10 },
    ...sectionsOf(table.section).map(time),
    { header: 'Место в прошлом периоде', value: (r) => r.previous?.rank ?? null, format: '0', width: 10 },
    { header: 'Индекс в прошлом периоде', value: (r) => r.previous?.index ?? null, format: '0.0', width: 10 },
    { header: 'Изменение индекса', value: (r) => r.change?.index ?? null, format: '+0.0;-0.0;0.0', width: 10 },
    { header: 'Изменение места', value: (r) => r.change?.rank ?? null, format: '+0;-0;0', width: 10 },
    { header: 'Примечание', value: (r) => r.note, width: 50 },
  ];
}

const BOM = '\uFEFF';
const CRLF = '\r\n';

function csvField(value: number | string | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value).replace('.', ',') : value;
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One flat table: «Группа» first, then a group's columns; a line per organization. */
export function ratingsCsv(table: RatingsTable): Buffer {
  const columns = ratingColumns(table);
  const lines = [['Группа', ...columns.map((c) => c.header)].map(csvField).join(';')];
  for (const group of table.groups) for (const row of group.rows) lines.push([group.title, ...columns.map((c) => c.value(row))].map(csvField).join(';'));
  return Buffer.from(BOM + lines.join(CRLF) + CRLF, 'utf8');
}

/** Sheet names are 31 characters at most: the groups' short names. */
export function sheetNameOf(group: LeagueGroup, bands: readonly PopulationBand[]): string {
  if (group.id === 'executive-bodies') return 'ОИВ';
  if (group.id === 'institutions') return 'Учреждения';
  const band = bands.find((b) => `municipalities-${b.id}` === group.id);
  if (!band) return 'МО без населения';
  const k = (n: number) => `${Math.round(n / 100) / 10}`.replace('.', ',');
  if (band.min !== undefined && band.max !== undefined) return `МО ${k(band.min)}–${k(band.max)} тыс.`;
  if (band.min !== undefined) return `МО от ${k(band.min)} тыс.`;
  return `МО до ${k(band.max ?? 0)} тыс.`;
}

export async function ratingsXlsx(table: RatingsTable): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'ЦУР';
  const about = workbook.addWorksheet('Формула');
  about.columns = [{ width: 36 }, { width: 110 }];
  const section = { all: 'все разделы', pos: 'сообщения ПОС', appeals: 'обращения (59-ФЗ)', social: 'публичные сообщения' }[table.section];
  const lines: [string, string | number][] = [
    ['Рейтинг организаций', table.period.title],
    ['Раздел', section],
    ['Прошлый период', table.previousPeriod.title],
    ['Данные на', table.dataAsOf],
    ['Формула', table.formula.text],
    ...RATING_COMPONENTS.map((c): [string, number] => [`Вес: ${COMPONENT_TITLES[c]}`, table.formula.weights[c]]),
    ['Минимум оцениваемых сообщений', table.formula.minSample],
    ...table.groups.map((g): [string, string] => [`Лист «${sheetNameOf(g, table.formula.populationBands)}»`, g.title]),
  ];
  for (const line of lines) about.addRow(line);
  about.getColumn(1).font = { bold: true };
  about.getColumn(2).alignment = { wrapText: true, vertical: 'top' };

  const columns = ratingColumns(table);
  for (const group of table.groups) {
    const sheet = workbook.addWorksheet(sheetNameOf(group, table.formula.populationBands), { views: [{ state: 'frozen', ySplit: 1 }] });
    writeGroup(sheet, group, columns);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function writeGroup(sheet: Worksheet, group: LeagueGroup, columns: Column[]): void {
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width, ...(c.format ? { style: { numFmt: c.format } } : {}) }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  for (const row of group.rows) sheet.addRow(columns.map((c) => c.value(row)));
}
