/**
 * Bars per bin (SVG), several series side by side in each bin — reference vs current, say. With `normalize`
 * bars show shares of each series' total, so samples of different sizes compare.
 */
import { seriesColor, shares } from './chart-data.js';

export interface HistogramSeries {
  label: string;
  counts: readonly number[];
  color?: string;
}

export interface HistogramProps {
  /** One label per bin (see edgeLabels for numeric edges). */
  bins: readonly string[];
  series: readonly HistogramSeries[];
  normalize?: boolean;
  height?: number;
  title?: string;
}

const W = 640;
const PAD = { left: 48, right: 8, top: 12, bottom: 36 };

export function Histogram({ bins, series, normalize = false, height = 220, title }: HistogramProps) {
  const values = series.map((s) => (normalize ? shares(s.counts) : [...s.counts]));
  const max = Math.max(0, ...values.flat());
  const plotW = W - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const binW = bins.length > 0 ? plotW / bins.length : plotW;
  const barW = Math.max(1, (binW * 0.8) / Math.max(1, series.length));
  const y = (v: number) => PAD.top + plotH - (max > 0 ? (v / max) * plotH : 0);
  const fmt = (v: number) => (normalize ? `${(v * 100).toFixed(1)}%` : v.toLocaleString());
  const labelEvery = Math.max(1, Math.ceil(bins.length / 8));

  return (
    <figure className="histogram">
      {title ? <figcaption>{title}</figcaption> : null}
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={title ?? 'histogram'} preserveAspectRatio="none">
        <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} className="axis" />
        <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" className="tick">
          {fmt(max)}
        </text>
        <text x={PAD.left - 6} y={PAD.top + plotH} textAnchor="end" className="tick">
          {fmt(0)}
        </text>
        {bins.map((bin, b) => (
          <g key={b}>
            {values.map((vals, s) => {
              const v = vals[b] ?? 0;
              const x = PAD.left + b * binW + binW * 0.1 + s * barW;
              return (
                <rect key={s} x={x} y={y(v)} width={barW} height={PAD.top + plotH - y(v)} fill={series[s]!.color ?? seriesColor(s)}>
                  <title>{`${series[s]!.label} · ${bin}: ${fmt(v)}`}</title>
                </rect>
              );
            })}
            {b % labelEvery === 0 ? (
              <text x={PAD.left + b * binW + binW / 2} y={height - PAD.bottom + 16} textAnchor="middle" className="tick">
                {bin}
              </text>
            ) : null}
          </g>
        ))}
      </svg>
      {series.length > 1 ? (
        <div className="legend">
          {series.map((s, i) => (
            <span key={s.label} className="legend-item">
              <span className="swatch" style={{ background: s.color ?? seriesColor(i) }} />
              {s.label}
            </span>
          ))}
        </div>
      ) : null}
    </figure>
  );
}
