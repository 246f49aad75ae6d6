import { useEffect, useRef } from 'react';
import { init, use, type ComposeOption } from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { SlaSummary } from '@cur/contracts';
import { weekLabel } from './weeks';

// Only what this chart draws: the console's bundle carries no other part of ECharts.
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/**
 * Answers per week, on time and late stacked, with the on-time share as a line. A click on a
 * week's bar drills into the breaches due that week.
 */
export function WeeklyChart({ weeks, onWeek }: { weeks: SlaSummary['weekly']; onWeek: (weekStart: string) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const click = useRef(onWeek);
  click.current = onWeek;

  useEffect(() => {
    if (!el.current) return;
    const chart = init(el.current, null, { renderer: 'svg' });
    const option: Option = {
      animation: false,
      textStyle: { fontFamily: 'system-ui, sans-serif' },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 40, right: 48, top: 36, bottom: 24 },
      xAxis: { type: 'category', data: weeks.map((w) => weekLabel(w.weekStart)) },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
      ],
      series: [
        { name: 'в срок', type: 'bar', stack: 'answers', color: '#2e7d32', barMaxWidth: 40, data: weeks.map((w) => w.met) },
        { name: 'с опозданием', type: 'bar', stack: 'answers', color: '#c62828', barMaxWidth: 40, data: weeks.map((w) => w.late) },
        {
          name: 'доля в срок, %',
          type: 'line',
          yAxisIndex: 1,
          color: '#1d2330',
          data: weeks.map((w) => (w.onTimeShare === null ? null : Math.round(w.onTimeShare * 100))),
          label: { show: true, formatter: '{c}%', fontSize: 11 },
        },
      ],
    };
    chart.setOption(option);
    chart.on('click', (p) => {
      const week = weeks[p.dataIndex];
      if (p.seriesType === 'bar' && week) click.current(week.weekStart);
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [weeks]);

  return <div ref={el} className="weekly-chart" role="img" aria-label="Доля ответов в срок по неделям" />;
}
