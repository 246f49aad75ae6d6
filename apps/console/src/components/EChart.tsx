import { useEffect, useRef } from 'react';
import { echarts, type ChartOption } from '../lib/echarts';

/** What a click on a bar, a slice or a cell gives: which series and which item. */
export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
  seriesType: string;
  data: unknown;
}

interface Props {
  option: ChartOption;
  /** Says what the chart shows, for a screen reader; the same numbers are in a table beside it. */
  label: string;
  height: number;
  onItemClick?: (item: ChartClick) => void;
  id?: string;
}

const DEFAULTS = { animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' } };

/**
 * An ECharts chart that lives as long as its element: created on mount, given a new option when the
 * data changes, resized with the window and disposed on unmount.
 */
export function EChart({ option, label, height, onItemClick, id }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onItemClick);
  click.current = onItemClick;

  useEffect(() => {
    const instance = echarts.init(el.current, null, { renderer: 'svg' });
    chart.current = instance;
    instance.on('click', (p) => click.current?.(p as unknown as ChartClick));
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ ...DEFAULTS, ...option }, { notMerge: true });
  }, [option]);

  useEffect(() => {
    chart.current?.resize();
  }, [height]);

  return <div className="echart" id={id} ref={el} role="img" aria-label={label} style={{ height }} />;
}
