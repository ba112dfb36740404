/** A line chart (uPlot) for step or time series; it follows its container's width. */
import type uPlot from 'uplot';
import { alignSeries, type ChartSeries, seriesColor } from './chart-data.js';
import { type UPlotChart, useUPlot } from './use-uplot.js';

const STEP_INCREMENTS = Array.from({ length: 10 }, (_, k) => [1, 2, 5].map((m) => m * 10 ** k)).flat();

export interface ChartProps {
  series: readonly ChartSeries[];
  /** `step` numbers or `time` in epoch seconds. */
  xKind?: 'step' | 'time';
  xLabel?: string;
  yLabel?: string;
  title?: string;
  height?: number;
  /** Shaded areas between two series (indices into `series`): an estimate's band, say. */
  bands?: readonly { upper: number; lower: number; fill: string }[];
}

export function Chart({ series, xKind = 'step', xLabel, yLabel, title, height = 260, bands }: ChartProps) {
  const box = useUPlot(
    () => {
      const data = alignSeries(series) as uPlot.AlignedData;
      const opts: UPlotChart['opts'] = {
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
        // uPlot counts the x values as series 0.
        ...(bands?.length ? { bands: bands.map((b) => ({ series: [b.upper + 1, b.lower + 1] as [number, number], fill: b.fill })) } : {}),
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
      };
      return { opts, data };
    },
    height,
    [series, xKind, xLabel, yLabel, title, bands],
  );

  return <div className="chart" ref={box} data-testid="chart" />;
}
