/** A line chart (uPlot) for step or time series; it follows its container's width. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { alignSeries, type ChartSeries, seriesColor } from './chart-data.js';

const STEP_INCREMENTS = Array.from({ length: 10 }, (_, k) => [1, 2, 5].map((m) => m * 10 ** k)).flat();

export interface ChartProps {
  series: readonly ChartSeries[];
  /** `step` numbers or `time` in epoch seconds. */
  xKind?: 'step' | 'time';
  xLabel?: string;
  yLabel?: string;
  title?: string;
  height?: number;
}

export function Chart({ series, xKind = 'step', xLabel, yLabel, title, height = 260 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data = alignSeries(series) as uPlot.AlignedData;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      ...(title ? { title } : {}),
      scales: { x: { time: xKind === 'time' } },
      // Steps are whole numbers: no 0.25 ticks between them.
      axes: [
        { ...(xLabel ? { label: xLabel } : {}), ...(xKind === 'step' ? { incrs: STEP_INCREMENTS } : {}) },
        { ...(yLabel ? { label: yLabel } : {}), size: 60 },
      ],
      series: [
        { label: xLabel ?? (xKind === 'time' ? 'time' : 'step') },
        ...series.map((s, i) => ({ label: s.label, stroke: s.color ?? seriesColor(i), width: 1.5, spanGaps: true, points: { show: data[0].length < 60 } })),
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    };
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series, xKind, xLabel, yLabel, title, height]);

  return <div className="chart" ref={box} data-testid="chart" />;
}
