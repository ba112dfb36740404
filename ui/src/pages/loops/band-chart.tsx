/**
 * The primary metric across a loop run's judged steps: each verdict's estimate with its interval, the interval
 * shaded as a band between the steps (uPlot's bands, as the A/B test page draws its lift), and the line the
 * interval must clear (−margin for a lift, +margin for a loss difference). One chart per basis: a shadow's paired
 * loss difference and a canary's relative lift are not on one scale.
 */
import type uPlot from 'uplot';
import { seriesColor } from '../../components/chart-data.js';
import { type UPlotChart, useUPlot } from '../../components/use-uplot.js';
import type { BandPoint } from './loop-format.js';

export function basisName(basis: string | null): string {
  if (basis === 'relative') return 'relative lift (%)';
  if (basis === 'loss_difference') return 'loss difference (candidate − champion)';
  if (basis === 'absolute') return 'difference (candidate − champion)';
  return 'estimate';
}

export function BandChart({ points, metric, height = 220 }: { points: readonly BandPoint[]; metric: string; height?: number }) {
  const box = useUPlot(
    () => {
      if (points.length === 0) return null;
      const scale = points[0]!.basis === 'relative' ? 100 : 1;
      const v = (x: number | null) => (x === null ? null : x * scale);
      const labels = points.map((p) => p.label);
      const line = points.map((p) => (p.direction === 'increase' ? -p.margin : p.margin) * scale);
      const data: uPlot.AlignedData = [
        points.map((_, i) => i + 1),
        points.map((p) => v(p.estimate)),
        points.map((p) => v(p.upper)),
        points.map((p) => v(p.lower)),
        line,
      ];
      const color = seriesColor(0);
      const show = (_u: uPlot, x: number | null) => (x === null ? '' : String(Number(x.toPrecision(4))));
      const opts: UPlotChart['opts'] = {
        scales: { x: { time: false, range: [0.5, points.length + 0.5] } },
        axes: [
          { incrs: [1], values: (_u, splits) => splits.map((s) => labels[s - 1] ?? '') },
          // The heading above names the basis; a long axis label would be cut.
          { size: 60, values: (_u, splits) => splits.map((x) => (scale === 100 ? `${Number(x.toPrecision(3))}%` : String(Number(x.toPrecision(3))))) },
        ],
        series: [
          { label: 'step', value: (_u, x) => labels[x - 1] ?? '' },
          { label: metric, stroke: color, width: 2, spanGaps: true, points: { show: true, size: 8 }, value: show },
          { label: 'upper', stroke: color, width: 1, dash: [4, 4], spanGaps: true, points: { show: true, size: 5 }, value: show },
          { label: 'lower', stroke: color, width: 1, dash: [4, 4], spanGaps: true, points: { show: true, size: 5 }, value: show },
          { label: 'must clear', stroke: '#b91c1c', width: 1, dash: [2, 3], points: { show: false }, value: show },
        ],
        bands: [{ series: [2, 3], fill: 'rgba(37, 99, 235, 0.15)' }],
        legend: { live: true },
        // The band needs two verdicts to fill between; each verdict's interval is also drawn as a bar of its own, so
        // a single verdict (or one between steps with no interval) still shows its interval.
        hooks: {
          draw: [
            (u) => {
              const ctx = u.ctx;
              ctx.save();
              ctx.strokeStyle = color;
              ctx.lineWidth = 3 * devicePixelRatio;
              ctx.globalAlpha = 0.5;
              points.forEach((p, i) => {
                const lo = v(p.lower);
                const hi = v(p.upper);
                if (lo === null || hi === null) return;
                const x = u.valToPos(i + 1, 'x', true);
                ctx.beginPath();
                ctx.moveTo(x, u.valToPos(lo, 'y', true));
                ctx.lineTo(x, u.valToPos(hi, 'y', true));
                ctx.stroke();
              });
              ctx.restore();
            },
          ],
        },
      };
      return { opts, data };
    },
    height,
    [points, metric],
  );

  return <div className="chart" ref={box} data-testid="band-chart" aria-label={`${metric} with its interval across the run`} />;
}
