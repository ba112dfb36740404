/**
 * Horizontal bars (SVG), one per labelled value, signed about a zero line: feature importance, a metric by group,
 * φ per feature. A null value (undefined for that group) is drawn as no bar and said in words.
 */
import { seriesColor } from './chart-data.js';
import './bar-chart.css';

export interface Bar {
  label: string;
  value: number | null;
  /** Shown after the value, e.g. `n = 12 · insufficient`. */
  note?: string;
  /** Drawn paler: a group too small to read much into. */
  faint?: boolean;
}

export interface BarChartProps {
  bars: readonly Bar[];
  title?: string;
  format?: (v: number) => string;
  /** Colours for positive and negative bars (default: one colour for both). */
  positiveColor?: string;
  negativeColor?: string;
  /** A dashed reference line (e.g. the overall value). */
  reference?: { value: number; label: string };
}

const W = 680;
const ROW = 22;
const LABEL_W = 150;
const VALUE_W = 210;
const PAD_Y = 8;

export function BarChart({ bars, title, format = String, positiveColor = seriesColor(0), negativeColor, reference }: BarChartProps) {
  const values = bars.flatMap((b) => (b.value !== null && Number.isFinite(b.value) ? [b.value] : []));
  if (reference && Number.isFinite(reference.value)) values.push(reference.value);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const plotW = W - LABEL_W - VALUE_W;
  const x = (v: number) => LABEL_W + ((v - lo) / span) * plotW;
  const height = PAD_Y * 2 + bars.length * ROW;
  const neg = negativeColor ?? positiveColor;

  return (
    <figure className="bar-chart" data-testid="bar-chart">
      {title ? <figcaption>{title}</figcaption> : null}
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={title ?? 'bar chart'}>
        <line x1={x(0)} x2={x(0)} y1={PAD_Y / 2} y2={height - PAD_Y / 2} className="axis" />
        {reference && Number.isFinite(reference.value) ? (
          <line x1={x(reference.value)} x2={x(reference.value)} y1={PAD_Y / 2} y2={height - PAD_Y / 2} className="reference">
            <title>{`${reference.label}: ${format(reference.value)}`}</title>
          </line>
        ) : null}
        {bars.map((b, i) => {
          const y = PAD_Y + i * ROW;
          const has = b.value !== null && Number.isFinite(b.value);
          const v = has ? b.value! : 0;
          const x0 = Math.min(x(0), x(v));
          const text = has ? format(v) : 'undefined';
          return (
            <g key={`${b.label}\u0000${i}`} className={b.faint ? 'bar faint' : 'bar'} data-label={b.label}>
              <text x={LABEL_W - 6} y={y + ROW / 2 + 4} textAnchor="end" className="tick">
                {b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label}
              </text>
              {has ? (
                <rect x={x0} y={y + 3} width={Math.max(1, Math.abs(x(v) - x(0)))} height={ROW - 6} fill={v < 0 ? neg : positiveColor}>
                  <title>{`${b.label}: ${text}${b.note ? ` (${b.note})` : ''}`}</title>
                </rect>
              ) : null}
              <text x={W - VALUE_W + 6} y={y + ROW / 2 + 4} className="tick value">
                {text}
                {b.note ? ` · ${b.note}` : ''}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
