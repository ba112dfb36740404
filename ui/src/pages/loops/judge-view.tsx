/**
 * A shadow or canary verdict for people: the verdict and what the loop did, the primary metric's estimate and
 * interval against its margin, the serving numbers (error rates, p99) of champion and candidate, the paired
 * quality on shadow traffic, the A/B report's metrics, and what harmed or is still pending.
 */
import { href } from '../../router.js';
import { fmt, fmtChange, fmtInterval, fmtPercent, type JudgeView, primaryValue } from './loop-format.js';

const ACTION_WORDS: Record<string, string> = {
  advance: 'advance',
  rollback: 'roll back',
  hold: 'hold at this step',
  ask: 'ask a person',
};

const PENDING_WORDS: Record<string, string> = {
  serving_thin: 'too few requests on a side for the serving checks',
  units_below_min: 'fewer units than the step’s minimum',
  primary_insufficient: 'too little data for the primary metric’s interval',
  primary_not_clear: 'the primary interval does not clear its margin yet',
  no_primary: 'no primary evidence yet (no report, no paired quality)',
  guardrail_insufficient: 'a guardrail has too little data',
};

/** The line the interval must clear: −margin for a metric that should rise, +margin for a loss. */
function marginText(p: JudgeView['primary']): string {
  if (p.margin === 0) return '0';
  const m = p.basis === 'relative' ? fmtPercent(p.margin).replace(/^\+/, '') : fmt(p.margin, 4);
  return `${p.direction === 'increase' ? '−' : '+'}${m}`;
}

const ms = (x: number | null) => (x === null ? '—' : `${Number(x.toPrecision(4))} ms`);

export function JudgeEvidenceView({ judge: j }: { judge: JudgeView }) {
  const p = j.primary;
  return (
    <div className="judge-evidence">
      <p>
        Verdict <strong className={`badge verdict-${j.verdict}`}>{j.verdict.replace(/_/g, ' ')}</strong> → {ACTION_WORDS[j.action] ?? j.action}
      </p>
      {p.source !== 'none' ? (
        <p>
          Primary {p.metric ?? ''}
          {p.basis ? ` (${p.basis.replace(/_/g, ' ')})` : ''}: estimate <strong>{primaryValue(p, p.estimate)}</strong>, interval{' '}
          {fmtInterval(p.lower, p.upper, (x) => primaryValue(p, x))}, must clear {marginText(p)} — {p.clears ? 'clears' : 'does not clear'}
          {p.units !== null ? (
            <span className="muted">
              {' '}
              · {p.units} {p.units_per === 'pair' ? 'pairs' : 'units per arm'}
            </span>
          ) : null}
        </p>
      ) : null}
      {j.serving ? (
        <table className="data-table" aria-label="Serving">
          <thead>
            <tr>
              <th>Serving ({j.serving.verdict.replace(/_/g, ' ')})</th>
              <th className="num">Requests</th>
              <th className="num">Errors</th>
              <th className="num">Error rate</th>
              <th className="num">p99</th>
            </tr>
          </thead>
          <tbody>
            {(['champion', 'candidate'] as const).map((side) => {
              const s = j.serving![side];
              return (
                <tr key={side}>
                  <td>{side}</td>
                  <td className="num">{s.requests}</td>
                  <td className="num">{s.errors}</td>
                  <td className="num">{s.error_rate === null ? '—' : `${(s.error_rate * 100).toFixed(2)}%`}</td>
                  <td className="num">{ms(s.p99_ms)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {j.serving?.latency.ratio !== null && j.serving ? (
        <p className="muted">
          p99 ratio {fmt(j.serving.latency.ratio, 2)} (at most {fmt(j.serving.latency.max_ratio, 2)})
        </p>
      ) : null}
      {j.quality ? (
        <p>
          Paired quality on {j.quality.n} shadow pairs ({j.quality.metric.replace(/_/g, ' ')}): champion {fmt(j.quality.champion_loss, 4)}, candidate{' '}
          {fmt(j.quality.candidate_loss, 4)}, difference {fmtChange(j.quality.mean_difference, 4)}{' '}
          {fmtInterval(j.quality.lower, j.quality.upper, (x) => fmtChange(x, 4))} — {j.quality.verdict.replace(/_/g, ' ')}
        </p>
      ) : null}
      {j.report ? (
        <div>
          <p>
            A/B test <a href={href('/abtests/:name', { name: j.report.abtest })}>{j.report.abtest}</a>:
          </p>
          <ul>
            {j.report.metrics.map((m) => (
              <li key={`${m.role}:${m.metric}`}>
                {m.role} {m.metric}: {m.basis === 'relative' ? fmtPercent(m.estimate) : fmtChange(m.estimate, 4)}{' '}
                {fmtInterval(m.lower, m.upper, (x) => (m.basis === 'relative' ? fmtPercent(x) : fmtChange(x, 4)))} — {m.verdict.replace(/_/g, ' ')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {j.harms.length ? (
        <p className="error-inline">Harm: {j.harms.map((h) => `${h.family} ${h.check.replace(/_/g, ' ')}${h.metric ? ` (${h.metric})` : ''}`).join('; ')}</p>
      ) : null}
      {j.pending.length ? (
        <p className="muted">Pending: {j.pending.map((x) => `${PENDING_WORDS[x.reason] ?? x.reason}${x.metric ? ` (${x.metric})` : ''}`).join('; ')}</p>
      ) : null}
    </div>
  );
}
