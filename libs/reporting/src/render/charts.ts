/**
 * The monthly summary's charts as Apache ECharts options, and their server-side SVG: the PDF embeds
 * the SVG, and the console can draw the same options in the browser, so both show one picture.
 *
 * Per section: answers on time and late by organization group (bars), and what was still open at
 * the end of the month by due state (a pie). Text is set in {@link CHART_FONT_FAMILY}, the family
 * the PDF embeds, so the SVG's text is drawn with the same Cyrillic font as the tables.
 */
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import type { OrganizationGroup, ReportSection } from '@cur/contracts';
import { FIGURE_TITLES, GROUP_TITLES, rowsByGroup } from './figures';

export const CHART_FONT_FAMILY = 'PT Sans';

export const ON_TIME_COLOR = '#3f8f5f';
export const LATE_COLOR = '#d0473d';
export const NOT_DUE_COLOR = '#4a78c2';
export const NO_DUE_DATE_COLOR = '#9a9a9a';

/** Group names for an axis: the long ones on two lines. */
const GROUP_AXIS_LABELS: Readonly<Record<OrganizationGroup, string>> = {
  executive_body: 'Органы исполнительной\nвласти',
  institution: 'Подведомственные\nучреждения',
  municipality: 'Муниципальные\nобразования',
  cur: GROUP_TITLES.cur,
};

export const ON_TIME_CHART_TITLE = 'Ответы в срок и с нарушением срока по группам организаций';
export const OPEN_CHART_TITLE = 'Не отвечено на конец месяца';
export const OPEN_SLICE_NAMES = { openOverdue: 'Срок истёк', openNotDue: 'Срок не истёк', openNoDueDate: 'Срок не определён' } as const;

const BASE: EChartsOption = {
  animation: false,
  textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 10, color: '#333333' },
  title: { left: 0, top: 0, textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 11, fontWeight: 'bold', color: '#222222' } },
  legend: { bottom: 0, textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 10 } },
};

/** Answers given in the month, on time and late, summed over each group's organizations. */
export function onTimeByGroupOption(section: ReportSection): EChartsOption {
  const groups = rowsByGroup(section.byOrganization).map(({ group, rows }) => ({
    group,
    onTime: rows.reduce((sum, row) => sum + row.answeredOnTime, 0),
    late: rows.reduce((sum, row) => sum + row.answeredLate, 0),
  }));
  if (groups.length === 0)
    return withNote({ ...BASE, legend: { show: false }, title: { ...BASE.title, text: ON_TIME_CHART_TITLE } }, 'Нет строк по организациям');
  const label = { show: true, position: 'top' as const, fontFamily: CHART_FONT_FAMILY, fontSize: 9 };
  return {
    ...BASE,
    title: { ...BASE.title, text: ON_TIME_CHART_TITLE },
    grid: { left: 8, right: 8, top: 34, bottom: 30, containLabel: true },
    xAxis: {
      type: 'category',
      data: groups.map(({ group }) => GROUP_AXIS_LABELS[group]),
      axisLabel: { interval: 0, fontFamily: CHART_FONT_FAMILY, fontSize: 9 },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontFamily: CHART_FONT_FAMILY, fontSize: 9 } },
    series: [
      { name: FIGURE_TITLES.answeredOnTime, type: 'bar', data: groups.map((g) => g.onTime), itemStyle: { color: ON_TIME_COLOR }, label },
      { name: FIGURE_TITLES.answeredLate, type: 'bar', data: groups.map((g) => g.late), itemStyle: { color: LATE_COLOR }, label },
    ],
  };
}

/** Messages not answered at the end of the month: due passed, not yet due, no due date (the section's totals). */
export function openByDueOption(section: ReportSection): EChartsOption {
  const { openOverdue, openNotDue, openNoDueDate } = section.totals;
  const data = [
    // Short names: the title says these are the unanswered ones, and a long label would be cut.
    { name: OPEN_SLICE_NAMES.openOverdue, value: openOverdue, itemStyle: { color: LATE_COLOR } },
    { name: OPEN_SLICE_NAMES.openNotDue, value: openNotDue, itemStyle: { color: NOT_DUE_COLOR } },
    { name: OPEN_SLICE_NAMES.openNoDueDate, value: openNoDueDate, itemStyle: { color: NO_DUE_DATE_COLOR } },
  ];
  // The slices are labelled with their names: no legend.
  const option: EChartsOption = { ...BASE, legend: { show: false }, title: { ...BASE.title, text: OPEN_CHART_TITLE } };
  // An all-zero pie would be drawn as equal slices: say there is nothing open instead.
  if (openOverdue + openNotDue + openNoDueDate === 0) return withNote(option, 'Неотвеченных сообщений нет');
  return {
    ...option,
    series: [
      {
        type: 'pie',
        radius: ['0%', '58%'],
        center: ['50%', '52%'],
        // Zero slices would still get a label line each: leave them out.
        data: data.filter((d) => d.value > 0),
        label: { formatter: '{b}: {c}', fontFamily: CHART_FONT_FAMILY, fontSize: 10 },
      },
    ],
  };
}

/** A chart with nothing to draw: its title and a line saying why, in the middle. */
function withNote(option: EChartsOption, text: string): EChartsOption {
  return {
    ...option,
    graphic: { type: 'text', left: 'center', top: 'middle', style: { text, fontFamily: CHART_FONT_FAMILY, fontSize: 12, fill: '#555555' } },
  };
}

/** An option drawn to an SVG document of `width` × `height` (in the PDF: points). */
export function chartSvg(option: EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * The SVG made fit for pdfmake's SVG renderer (svg-to-pdfkit). ECharts outlines label text in
 * white under the fill (`paint-order="stroke"`); that renderer ignores paint-order and draws the
 * outline over the glyphs, which hid the labels of bars and pie slices. Such text loses its
 * outline; everything else is left as drawn.
 */
export function svgForPdf(svg: string): string {
  return svg.replace(/<text\b[^>]*>/g, (tag) =>
    tag.includes('paint-order="stroke"') ? tag.replace(/\s(?:stroke|stroke-width|stroke-miterlimit|stroke-linejoin|paint-order)="[^"]*"/g, '') : tag,
  );
}
