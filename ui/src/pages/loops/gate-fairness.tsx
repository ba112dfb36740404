/**
 * The gate's fairness conditions: per condition, the candidate's value (judged) and the champion's (shown), the
 * bounds and the result, then per group the counts and rates behind them. Groups under the gate's minimum size
 * were left out of the metric and are greyed.
 */
import { Fragment } from 'react';
import { fairnessBounds, fmt, type GateFairnessView } from './loop-format.js';

export function GateFairness({ fairness, minGroup }: { fairness: GateFairnessView[]; minGroup: number }) {
  return (
    <div className="table-scroll">
      <table className="data-table gate-table" aria-label="Gate fairness">
        <thead>
          <tr>
            <th>Fairness on the holdout</th>
            <th>Group</th>
            <th className="num">n</th>
            <th className="num">Selection rate</th>
            <th className="num">TPR</th>
            <th className="num">FPR</th>
            <th className="num">Candidate</th>
            <th className="num">Champion</th>
            <th>Bound</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {fairness.map((f, i) => (
            <Fragment key={i}>
              <tr>
                <td>
                  {f.metric} · {f.feature}
                </td>
                <td className="muted">between groups</td>
                <td colSpan={4} />
                <td className={f.passed ? 'num' : 'num cell-failed'} title={f.candidate.not_computed ?? undefined}>
                  {fmt(f.candidate.value, 4)}
                </td>
                <td className="num" title={f.champion?.not_computed ?? undefined}>
                  {f.champion ? fmt(f.champion.value, 4) : '—'}
                </td>
                <td>{fairnessBounds(f)}</td>
                <td className={f.passed ? undefined : 'cell-failed'} title={f.phrase}>
                  {f.passed ? 'pass' : f.candidate.value === null ? 'fail: not computable' : 'fail'}
                </td>
              </tr>
              {f.candidate.groups.map((g) => (
                <tr
                  key={`${i}:${String(g.value)}`}
                  className={g.insufficient ? 'not-judged' : undefined}
                  title={g.insufficient ? `under ${minGroup} rows: left out` : undefined}
                >
                  <td />
                  <td>{String(g.value)}</td>
                  <td className="num">{g.n}</td>
                  <td className="num">{fmt(g.selection_rate, 4)}</td>
                  <td className="num">{fmt(g.true_positive_rate, 4)}</td>
                  <td className="num">{fmt(g.false_positive_rate, 4)}</td>
                  <td colSpan={4}>{g.insufficient ? `left out (under ${minGroup} rows)` : null}</td>
                </tr>
              ))}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
