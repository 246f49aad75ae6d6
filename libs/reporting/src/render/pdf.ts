/**
 * The monthly summary (order No. 733, item 4) as a PDF to read and sign off: A4 landscape, the
 * title block (order, region, organization, period, data instant, version) over a table of each
 * section's totals, then per section its totals beside two charts, the table by organization under group sub-headers, and the categories
 * (all of them up to {@link PDF_TOP_CATEGORIES}, else the most received ones and a line saying
 * how many more the XLSX has); then disciplinary measures and engagements.
 *
 * Laid out with pdfmake's Node API in PT Sans, a TrueType font with the full Cyrillic alphabet
 * shipped by the npm package @expo-google-fonts/pt-sans (pdfmake's standard fonts have no
 * Cyrillic). The charts are ECharts' server-side SVG (render/charts.ts), drawn as vectors.
 *
 * pdfmake keeps fonts and access policies on one shared instance: they are set right before each
 * `createPdf` (synchronously, so two reports cannot interleave), reading only the font files and
 * fetching no URL.
 */
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pdfmake from 'pdfmake';
import type { Content, ContentNode, DocumentDefinition, FontFiles, TableLayout } from 'pdfmake';
import type { MonthlyReport, ReportCategoryRow, ReportFigures, ReportSection } from '@cur/contracts';
import { CHART_FONT_FAMILY, chartSvg, onTimeByGroupOption, openByDueOption, svgForPdf } from './charts';
import {
  categoryLabel,
  ENGAGEMENT_HEADERS,
  ENGAGEMENT_KIND_TITLES,
  FIGURE_KEYS,
  FIGURE_KINDS,
  figureHeader,
  type FigureKey,
  type FigureKind,
  formatDate,
  GROUP_TITLES,
  monthTitle,
  ORDER_TITLE,
  type RenderOptions,
  TIME_UNIT_TITLES,
  rowsByGroup,
  titleLines,
  TOTALS_TITLE,
} from './figures';

/** Categories the PDF lists at most; the XLSX and CSV have them all. */
export const PDF_TOP_CATEGORIES = 40;

const FONT_DIR = dirname(require.resolve('@expo-google-fonts/pt-sans/package.json'));
export const PDF_FONT_FILES: Readonly<FontFiles> = {
  normal: join(FONT_DIR, '400Regular/PTSans_400Regular.ttf'),
  bold: join(FONT_DIR, '700Bold/PTSans_700Bold.ttf'),
  italics: join(FONT_DIR, '400Regular_Italic/PTSans_400Regular_Italic.ttf'),
  bolditalics: join(FONT_DIR, '700Bold_Italic/PTSans_700Bold_Italic.ttf'),
};
const FONT_PATHS = new Set(Object.values(PDF_FONT_FILES));

/** A4 landscape in points, less the margins: the width the tables and charts share. */
const PAGE_MARGINS: [number, number, number, number] = [36, 30, 36, 36];
const CONTENT_WIDTH = 841.89 - PAGE_MARGINS[0] - PAGE_MARGINS[2];
const NAME_WIDTH = 120;
const CELL_PADDING = 1.5;
const LINE = 0.4;
/** What pdfmake adds to a column's width: the grid's padding on both sides and a line. */
const CELL_EXTRA = 2 * CELL_PADDING + LINE;
const FIGURE_WIDTH = (CONTENT_WIDTH - NAME_WIDTH - (FIGURE_KEYS.length + 1) * CELL_EXTRA - LINE) / FIGURE_KEYS.length;
const TOTALS_WIDTH = 250;
const CHART_WIDTH = Math.floor(CONTENT_WIDTH - TOTALS_WIDTH - 16);
const CHART_HEIGHT = 215;

/** Headers whose one long word would not fit a figure column of the PDF, broken by hand (pdfmake does not hyphenate). */
const PDF_HEADER_BREAKS: Partial<Record<FigureKey, string>> = {
  redirects: 'Перенаправ-\nления',
  reconsiderations: 'Повторные рассмо-\nтрения',
};

const HEADER_FILL = '#d9e1f2';
const GROUP_FILL = '#f2f2f2';
const TOTAL_FILL = '#e7e7e7';

const GRID: TableLayout = {
  hLineWidth: () => LINE,
  vLineWidth: () => LINE,
  hLineColor: () => '#a6a6a6',
  vLineColor: () => '#a6a6a6',
  paddingLeft: () => CELL_PADDING,
  paddingRight: () => CELL_PADDING,
  paddingTop: () => 1.5,
  paddingBottom: () => 1.5,
};
/** A grid whose first row is the table's name: no line above it. */
const TITLED_GRID: TableLayout = { ...GRID, hLineWidth: (i) => (i === 0 ? 0 : LINE) };

/**
 * Writes the report to `out` as PDF and ends `out`; resolves when `out` has finished.
 */
export async function renderMonthlyPdf(report: MonthlyReport, out: NodeJS.WritableStream, options: RenderOptions): Promise<void> {
  const definition = monthlyPdfDefinition(report, options);
  pdfmake.setFonts({ [CHART_FONT_FAMILY]: { ...PDF_FONT_FILES } });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => FONT_PATHS.has(path));
  const document = await pdfmake.createPdf(definition).getStream();
  const written = pipeline(document, out);
  document.end();
  await written;
}

/** The pdfmake document: exported for a look at the layout without rendering it. */
export function monthlyPdfDefinition(report: MonthlyReport, options: RenderOptions): DocumentDefinition {
  const [orderTitle, ...meta] = titleLines(report, options);
  const period = monthTitle(report.year, report.month);
  const content: Content[] = [
    { text: orderTitle, style: 'title' },
    ...meta.map((line): Content => ({ text: line, style: 'meta' })),
    overviewContent(report),
    ...report.sections.flatMap(sectionContent),
    ...disciplineContent(report),
    ...engagementsContent(report),
  ];
  return {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: PAGE_MARGINS,
    info: { title: `${options.orderTitle ?? ORDER_TITLE} — ${period}`, author: 'ЦУР', subject: report.organizationName, creator: 'ЦУР' },
    language: 'ru-RU',
    defaultStyle: { font: CHART_FONT_FAMILY, fontSize: 8, lineHeight: 1.1 },
    styles: {
      title: { fontSize: 15, bold: true, margin: [0, 0, 0, 6] },
      meta: { fontSize: 10, margin: [0, 0, 0, 2] },
      h1: { fontSize: 13, bold: true, margin: [0, 0, 0, 8] },
      h2: { fontSize: 10.5, bold: true, margin: [0, 2, 0, 4] },
      th: { fontSize: 6, bold: true, fillColor: HEADER_FILL, alignment: 'center' },
      td: { fontSize: 7 },
      num: { fontSize: 7, alignment: 'right' },
      group: { fontSize: 7, bold: true, italics: true, fillColor: GROUP_FILL },
      total: { fontSize: 7, bold: true, fillColor: TOTAL_FILL },
      note: { fontSize: 8, italics: true, color: '#555555', margin: [0, 4, 0, 0] },
    },
    footer: (currentPage, pageCount) => ({
      columns: [{ text: `${report.organizationName} · ${period}` }, { text: `стр. ${currentPage} из ${pageCount}`, alignment: 'right' }],
      fontSize: 7,
      color: '#555555',
      margin: [PAGE_MARGINS[0], 12, PAGE_MARGINS[2], 0],
    }),
    content,
  };
}

/** Page 1 under the title block: each section's totals in one table (sections are not added up: they count different messages). */
function overviewContent(report: MonthlyReport): Content {
  const rows = report.sections.map((section) =>
    figureCells(`${section.title} (время ответа — ${TIME_UNIT_TITLES[section.totals.timeToAnswerUnit]})`, section.totals, 'td'),
  );
  return { ...figuresTable('Итоги по разделам', 'Раздел', undefined, rows, null), margin: [0, 12, 0, 0] };
}

function sectionContent(section: ReportSection): Content[] {
  const unit = section.totals.timeToAnswerUnit;
  const totals: Content = {
    width: TOTALS_WIDTH,
    table: {
      widths: ['*', 60],
      body: [
        [
          { text: 'Показатель', style: 'th' },
          { text: 'Значение', style: 'th' },
        ],
        ...FIGURE_KEYS.map((key): Content[] => [
          { text: figureHeader(key, unit), fontSize: 8.5 },
          { text: formatFigure(section.totals[key], FIGURE_KINDS[key]), fontSize: 8.5, alignment: 'right' },
        ]),
      ],
    },
    layout: GRID,
  };
  const charts: Content = {
    width: '*',
    stack: [
      { svg: svgForPdf(chartSvg(onTimeByGroupOption(section), CHART_WIDTH, CHART_HEIGHT)), width: CHART_WIDTH },
      { svg: svgForPdf(chartSvg(openByDueOption(section), CHART_WIDTH, CHART_HEIGHT)), width: CHART_WIDTH, margin: [0, 10, 0, 0] },
    ],
  };
  return [
    { text: section.title, style: 'h1', pageBreak: 'before' },
    { columns: [totals, charts], columnGap: 16 },
    figuresTable('По организациям', 'Организация', unit, organizationRows(section), section.totals, 'before'),
    ...categoriesContent(section),
  ];
}

function organizationRows(section: ReportSection): Content[][] {
  return rowsByGroup(section.byOrganization).flatMap(({ group, rows }) => [
    spanRow(GROUP_TITLES[group], 'group'),
    ...rows.map((row) => figureCells(row.organizationName, row, 'td')),
  ]);
}

function categoriesContent(section: ReportSection): Content[] {
  const all = section.byCategory;
  const shown: ReportCategoryRow[] = all.length <= PDF_TOP_CATEGORIES ? all : [...all].sort((a, b) => b.received - a.received).slice(0, PDF_TOP_CATEGORIES);
  const title = all.length <= PDF_TOP_CATEGORIES ? 'По категориям' : `По категориям: ${PDF_TOP_CATEGORIES} с наибольшим числом поступивших`;
  const rows = shown.map((row) => figureCells(categoryLabel(row), row, 'td'));
  const content: Content[] = [figuresTable(title, 'Категория', section.totals.timeToAnswerUnit, rows, section.totals)];
  if (all.length > shown.length)
    content.push({ text: `и ещё ${all.length - shown.length} ${categoriesWord(all.length - shown.length)} — полностью в XLSX`, style: 'note' });
  return content;
}

/** «категория / категории / категорий» after a number. */
function categoriesWord(n: number): string {
  const tens = n % 100;
  const ones = n % 10;
  if (tens >= 11 && tens <= 14) return 'категорий';
  if (ones === 1) return 'категорию';
  if (ones >= 2 && ones <= 4) return 'категории';
  return 'категорий';
}

/**
 * A table of figures: its name and the column headers repeat on every page it runs over, and the
 * last row is the section's totals as the report states them.
 */
function figuresTable(
  name: string,
  label: string,
  unit: ReportFigures['timeToAnswerUnit'] | undefined,
  rows: Content[][],
  totals: ReportFigures | null,
  pageBreak?: 'before',
): ContentNode {
  const header: Content[] = [
    { text: label, style: 'th' },
    ...FIGURE_KEYS.map((key): Content => ({ text: PDF_HEADER_BREAKS[key] ?? figureHeader(key, unit), style: 'th' })),
  ];
  return {
    table: {
      headerRows: 2,
      keepWithHeaderRows: 1,
      dontBreakRows: true,
      widths: [NAME_WIDTH, ...FIGURE_KEYS.map(() => FIGURE_WIDTH)],
      body: [spanRow(name, 'h2', false), header, ...rows, ...(totals ? [figureCells(TOTALS_TITLE, totals, 'total')] : [])],
    },
    layout: TITLED_GRID,
    pageBreak,
    margin: [0, 0, 0, 6],
  };
}

function figureCells(label: string, figures: ReportFigures, style: 'td' | 'total'): Content[] {
  return [
    { text: label, style },
    ...FIGURE_KEYS.map((key): Content => ({ text: formatFigure(figures[key], FIGURE_KINDS[key]), style: style === 'total' ? ['total', 'num'] : 'num' })),
  ];
}

/** A row of one cell across the table (pdfmake wants the spanned cells present, empty). */
function spanRow(text: string, style: string, border = true): Content[] {
  const columns = FIGURE_KEYS.length + 1;
  // Each spanned cell draws its own edges: a row without a border says so in all of them.
  const edges: Pick<ContentNode, 'border'> = border ? {} : { border: [false, false, false, false] };
  return [{ text, style, colSpan: columns, ...edges }, ...Array.from({ length: columns - 1 }, (): Content => ({ text: '', ...edges }))];
}

const FORMATS: Readonly<Record<FigureKind, Intl.NumberFormat>> = {
  count: new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 0 }),
  time: new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  rating: new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  share: new Intl.NumberFormat('ru-RU', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
};

/** A figure as Russian text («12 345», «4,5», «83,3 %»); no value: a dash. */
export function formatFigure(value: number | null, kind: FigureKind): string {
  if (value === null) return '—';
  // PT Sans has the no-break space but not the narrow one some ICU versions use between groups.
  return FORMATS[kind].format(value).replace(/\u202f/g, '\u00a0');
}

function disciplineContent(report: MonthlyReport): Content[] {
  const { byMeasure, items } = report.discipline;
  const content: Content[] = [{ text: 'Применение мер дисциплинарной ответственности', style: 'h1', pageBreak: 'before' }];
  if (byMeasure.length === 0 && items.length === 0) return [...content, { text: 'Меры не применялись', style: 'note' }];
  content.push({
    table: {
      headerRows: 1,
      widths: [200, 70],
      body: [
        [
          { text: 'Мера', style: 'th' },
          { text: 'Количество', style: 'th' },
        ],
        ...byMeasure.map((m): Content[] => [
          { text: m.measureTitle, style: 'td' },
          { text: formatFigure(m.count, 'count'), style: 'num' },
        ]),
      ],
    },
    layout: GRID,
    margin: [0, 0, 0, 10],
  });
  const headers = ['ФИО', 'Должность', 'Организация', 'Мера', 'Основание', 'Номер приказа', 'Дата приказа', 'Дата выявления'];
  content.push({
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: [110, 80, 130, 70, '*', 55, 50, 55],
      body: [
        headers.map((h): Content => ({ text: h, style: 'th' })),
        ...items.map((item): Content[] =>
          [
            item.person,
            item.position ?? '',
            item.organizationName,
            item.measureTitle,
            item.basis,
            item.orderNumber ?? '',
            formatDate(item.orderDate),
            formatDate(item.discoveredOn),
          ].map((text): Content => ({ text, style: 'td' })),
        ),
      ],
    },
    layout: GRID,
  });
  return content;
}

function engagementsContent(report: MonthlyReport): Content[] {
  const { items, note } = report.engagements;
  const content: Content[] = [{ text: 'Общественные обсуждения и голосования', style: 'h1', margin: [0, 16, 0, 8] }];
  if (items.length === 0) return [...content, { text: note ?? 'Обсуждений и голосований за период не было', style: 'note' }];
  content.push({
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: [55, '*', 70, 100, 48, 48, 45, 120, 40, 45, 35],
      body: [
        ENGAGEMENT_HEADERS.map((h): Content => ({ text: h, style: 'th' })),
        ...items.map((item): Content[] => [
          { text: ENGAGEMENT_KIND_TITLES[item.kind], style: 'td' },
          { text: item.title, style: 'td' },
          { text: item.theme, style: 'td' },
          { text: item.organizer, style: 'td' },
          { text: formatDate(item.startsOn), style: 'td' },
          { text: formatDate(item.endsOn), style: 'td' },
          { text: formatFigure(item.participants, 'count'), style: 'num' },
          { text: item.result ?? '', style: 'td' },
          { text: formatFigure(item.daysToResult, 'count'), style: 'num' },
          { text: formatFigure(item.daysToAct, 'count'), style: 'num' },
          { text: item.late ? 'да' : 'нет', style: 'td' },
        ]),
      ],
    },
    layout: GRID,
  });
  if (note) content.push({ text: note, style: 'note' });
  return content;
}
