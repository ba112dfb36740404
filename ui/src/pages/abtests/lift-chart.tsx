/**
 * The primary metric's relative lift over time with its interval as a shaded band (uPlot, as the other charts;
 * its bands option fills between the upper and lower series), and a line at 0: where the band leaves 0, the
 * test has a result. One treatment arm per chart.
 */
import type uPlot from 'uplot';
import { seriesColor } from '../../components/chart-data.js';
import { type UPlotChart, useUPlot } from '../../components/use-uplot.js';
import type { LiftColumns } from './abtest-format.js';

export function LiftChart({ columns, interval, height = 260 }: { columns: LiftColumns; interval: string; height?: number }) {
  const box = useUPlot(
    () => {
      const color = seriesColor(0);
      const data: uPlot.AlignedData = [columns.x, columns.estimate, columns.upper, columns.lower, columns.x.map(() => 0)];
      const opts: UPlotChart['opts'] = {
        scales: { x: { time: true } },
        axes: [{}, { label: 'relative lift (%)', size: 60, values: (_u, splits) => splits.map((v) => `${Number(v.toPrecision(3))}%`) }],
        series: [
          { label: 'time' },
          { label: `lift of ${columns.arm}`, stroke: color, width: 2, spanGaps: true, value: (_u, v) => (v === null ? '' : `${v.toFixed(2)}%`) },
          { label: `upper (${interval})`, stroke: color, width: 1, dash: [4, 4], spanGaps: true, value: (_u, v) => (v === null ? '' : `${v.toFixed(2)}%`) },
          { label: `lower (${interval})`, stroke: color, width: 1, dash: [4, 4], spanGaps: true, value: (_u, v) => (v === null ? '' : `${v.toFixed(2)}%`) },
          { label: 'no difference', stroke: '#9ca3af', width: 1, points: { show: false } },
        ],
        bands: [{ series: [2, 3], fill: 'rgba(37, 99, 235, 0.15)' }],
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
      };
      return { opts, data };
    },
    height,
    [columns, interval],
  );

  return <div className="chart" ref={box} data-testid="lift-chart" aria-label={`Relative lift of ${columns.arm} over time`} />;
}
