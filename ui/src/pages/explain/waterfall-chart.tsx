/**
 * One row's explanation as a waterfall (SVG): from the base value (the mean output over the background), each
 * feature's φ moves the running sum right (up) or left (down) until it reaches f(x), what the model answered.
 */
import { formatNumber } from '../../format.js';
import { valueText, type Waterfall } from './waterfall.js';

const W = 720;
const ROW = 22;
const LABEL_W = 220;
const VALUE_W = 90;
const PAD = 10;
const UP = '#dc2626';
const DOWN = '#2563eb';

export function WaterfallChart({ w, output }: { w: Waterfall; output: string }) {
  const rows = w.steps.length + 2;
  const height = PAD * 2 + rows * ROW;
  const span = w.hi - w.lo || 1;
  const plotW = W - LABEL_W - VALUE_W;
  const x = (v: number) => LABEL_W + ((v - w.lo) / span) * plotW;
  const fmt = (v: number) => formatNumber(v);
  const signed = (v: number) => (v >= 0 ? `+${fmt(v)}` : fmt(v));
  const marker = (i: number, v: number, label: string, cls: string) => {
    const y = PAD + i * ROW;
    return (
      <g className={cls} data-value={v}>
        <text x={LABEL_W - 6} y={y + ROW / 2 + 4} textAnchor="end" className="tick strong">
          {label}
        </text>
        <line x1={x(v)} x2={x(v)} y1={y + 2} y2={y + ROW - 2} className="end-marker" />
        <text x={W - VALUE_W + 6} y={y + ROW / 2 + 4} className="tick strong">
          {fmt(v)}
        </text>
      </g>
    );
  };

  return (
    <figure className="waterfall" data-testid="waterfall">
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={`waterfall of φ per feature for ${output}`}>
        <line x1={x(w.base)} x2={x(w.base)} y1={PAD} y2={height - PAD} className="base-line" />
        {marker(0, w.base, 'base value E[f(x)]', 'base')}
        {w.steps.map((s, i) => {
          const y = PAD + (i + 1) * ROW;
          const x0 = Math.min(x(s.start), x(s.end));
          const value = valueText(s.value);
          return (
            <g key={s.label} className="step" data-feature={s.label} data-phi={s.phi}>
              <text x={LABEL_W - 6} y={y + ROW / 2 + 4} textAnchor="end" className="tick">
                {value ? `${s.label} = ${value}` : s.label}
              </text>
              <rect x={x0} y={y + 3} width={Math.max(1, Math.abs(x(s.end) - x(s.start)))} height={ROW - 6} fill={s.phi >= 0 ? UP : DOWN}>
                <title>{`${s.label}: φ = ${signed(s.phi)} (${fmt(s.start)} → ${fmt(s.end)})`}</title>
              </rect>
              <text x={W - VALUE_W + 6} y={y + ROW / 2 + 4} className="tick">
                {signed(s.phi)}
              </text>
            </g>
          );
        })}
        {marker(rows - 1, w.prediction, 'f(x)', 'prediction')}
      </svg>
    </figure>
  );
}
