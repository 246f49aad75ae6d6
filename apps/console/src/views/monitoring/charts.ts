import type { Dashboard } from '@cur/contracts';
import type { ChartOption } from '../../lib/echarts';
import { COLORS, SECTION_NAMES, shortDay } from '../../lib/reports';

/**
 * The monitoring view's charts as ECharts options: pure functions of the dashboard, so the numbers
 * a chart draws are the numbers of the table beside it. Axis labels and series names are Russian.
 */

const BAR = { barMaxWidth: 40 };
const axisTooltip = { trigger: 'axis', axisPointer: { type: 'shadow' } };

export const volumeOption = (d: Dashboard): ChartOption => ({
  tooltip: axisTooltip,
  legend: { top: 0 },
  grid: { left: 36, right: 12, top: 32, bottom: 40 },
  xAxis: { type: 'category', name: 'день месяца', nameLocation: 'middle', nameGap: 24, data: d.volumeByDay.days.map((x) => x.slice(8, 10)) },
  yAxis: { type: 'value', name: 'сообщений', minInterval: 1 },
  series: d.volumeByDay.series.map((s) => ({ ...BAR, name: SECTION_NAMES[s.section], type: 'bar', stack: 'day', color: COLORS[s.section], data: s.received })),
});

export const categoriesOption = (d: Dashboard): ChartOption => ({
  tooltip: axisTooltip,
  legend: { top: 0 },
  grid: { left: 180, right: 16, top: 32, bottom: 24 },
  xAxis: { type: 'value', minInterval: 1 },
  yAxis: { type: 'category', inverse: true, data: d.topCategories.map((c) => c.categoryName), axisLabel: { width: 170, overflow: 'truncate' } },
  series: [
    { ...BAR, name: d.title, type: 'bar', color: COLORS.pos, data: d.topCategories.map((c) => c.received) },
    { ...BAR, name: 'предыдущий месяц', type: 'bar', color: COLORS.previous, data: d.topCategories.map((c) => c.previous) },
  ],
});

export const weeklyOption = (weeks: Dashboard['onTimeByWeek']): ChartOption => ({
  tooltip: axisTooltip,
  legend: { top: 0 },
  grid: { left: 40, right: 48, top: 44, bottom: 24 },
  xAxis: { type: 'category', data: weeks.map((w) => 'с ' + shortDay(w.weekStart)) },
  yAxis: [
    { type: 'value', name: 'ответов', minInterval: 1 },
    { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
  ],
  series: [
    { ...BAR, name: 'в срок', type: 'bar', stack: 'answers', color: COLORS.ok, data: weeks.map((w) => w.answeredOnTime) },
    { ...BAR, name: 'с опозданием', type: 'bar', stack: 'answers', color: COLORS.late, data: weeks.map((w) => w.answered - w.answeredOnTime) },
    {
      name: 'доля в срок, %',
      type: 'line',
      yAxisIndex: 1,
      color: COLORS.share,
      data: weeks.map((w) => (w.answered ? Math.round((w.answeredOnTime / w.answered) * 100) : null)),
      label: { show: true, formatter: '{c}%', fontSize: 11 },
    },
  ],
});

export const heatmapHeight = (d: Dashboard) => Math.max(180, d.heatmap.categories.length * 28 + 100);

export const heatmapOption = (d: Dashboard): ChartOption => {
  const h = d.heatmap;
  return {
    tooltip: { position: 'top' },
    grid: { left: 180, right: 16, top: 8, bottom: 80 },
    xAxis: { type: 'category', data: h.territories.map((t) => t.territoryName), axisLabel: { rotate: 30, width: 110, overflow: 'truncate' } },
    yAxis: { type: 'category', inverse: true, data: h.categories.map((c) => c.categoryName), axisLabel: { width: 170, overflow: 'truncate' } },
    visualMap: { min: 0, max: Math.max(1, ...h.cells.map((c) => c.received)), show: false, inRange: { color: ['#eef3ff', '#2457c5'] } },
    series: [
      {
        name: 'поступило',
        type: 'heatmap',
        label: { show: true },
        data: h.cells.map((c) => [
          h.territories.findIndex((t) => t.territoryId === c.territoryId),
          h.categories.findIndex((x) => x.categoryCode === c.categoryCode),
          c.received,
        ]),
      },
    ],
  };
};

export const organizationsHeight = (d: Dashboard) => Math.max(120, d.onTimeByOrganization.length * 26 + 80);

export const organizationsOption = (d: Dashboard): ChartOption => {
  const orgs = d.onTimeByOrganization;
  return {
    tooltip: axisTooltip,
    legend: { top: 0 },
    grid: { left: 270, right: 48, top: 32, bottom: 24 },
    xAxis: { type: 'value', name: 'ответов', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: orgs.map((o) => o.organizationName), axisLabel: { width: 260, overflow: 'truncate' } },
    series: [
      { ...BAR, name: 'в срок', type: 'bar', stack: 'answers', color: COLORS.ok, data: orgs.map((o) => o.answeredOnTime) },
      {
        ...BAR,
        name: 'с опозданием',
        type: 'bar',
        stack: 'answers',
        color: COLORS.late,
        data: orgs.map((o) => o.answered - o.answeredOnTime),
        label: {
          show: true,
          position: 'right',
          color: COLORS.share,
          formatter: (p: { dataIndex: number }) => {
            const share = orgs[p.dataIndex]?.share;
            return share === null || share === undefined ? '' : `${Math.round(share * 100)}%`;
          },
        },
      },
    ],
  };
};
