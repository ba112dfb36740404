/**
 * The offline gate as a table: per source (holdout, production window) and slice, for each threshold's metric,
 * the rows, candidate, champion, delta, the paired interval, the threshold and pass / fail. Cells that failed
 * are marked; a slice or metric that was not judged is greyed with the reason.
 */
import { Fragment } from 'react';
import { formatTime } from '../../format.js';
import { GateFairness } from './gate-fairness.js';
import { failedCells, fmt, fmtChange, fmtInterval, type GateSourceView, type GateView, thresholdText } from './loop-format.js';

function sourceTitle(s: GateSourceView): string {
  if (s.source === 'holdout') return s.dataset ? `holdout ${s.dataset.dataset} v${s.dataset.version}` : 'holdout';
  return s.window ? `production ${formatTime(s.window.from)} – ${formatTime(s.window.to)}` : 'production window';
}

export function GateTable({ gate }: { gate: GateView }) {
  const t = gate.config.thresholds;
  return (
    <div>
      <p>
        Outcome: <strong>{gate.outcome.replace(/_/g, ' ')}</strong>
        {gate.baseline ? null : <span className="muted"> · no champion yet: judged by value thresholds only</span>}
        <span className="muted"> · slices under {gate.config.min_slice_size} rows are reported, not judged</span>
      </p>
      <div className="table-scroll">
        <table className="data-table gate-table" aria-label="Gate">
          <thead>
            <tr>
              <th>Source</th>
              <th>Slice</th>
              <th>Metric</th>
              <th className="num">n</th>
              <th className="num">Candidate</th>
              <th className="num">Champion</th>
              <th className="num">Delta</th>
              <th>Interval</th>
              <th>Threshold</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {gate.sources.map((src, si) =>
              !src.judged && src.slices.length === 0 ? (
                <tr key={si} className="not-judged">
                  <td>{sourceTitle(src)}</td>
                  <td colSpan={9}>not judged: {src.not_judged ?? 'no rows'}</td>
                </tr>
              ) : (
                <Fragment key={si}>
                  {src.slices.map((sl) =>
                    !sl.judged && sl.metrics.length === 0 ? (
                      <tr key={sl.name} className="not-judged">
                        <td>{sourceTitle(src)}</td>
                        <td>{sl.name}</td>
                        <td colSpan={8}>
                          {sl.rows} rows · not judged: {sl.not_judged ?? 'too few rows'}
                        </td>
                      </tr>
                    ) : (
                      sl.metrics.map((m) => {
                        const failed = failedCells(gate, si, sl.name, m.threshold);
                        const judged = m.judged && sl.judged && src.judged;
                        const cls = (which: 'value' | 'delta' | 'interval') => (failed.has(which) ? 'num cell-failed' : 'num');
                        const stat = m.statistical;
                        return (
                          <tr
                            key={`${sl.name}:${m.threshold}`}
                            className={judged ? undefined : 'not-judged'}
                            title={judged ? undefined : (m.not_judged ?? sl.not_judged ?? undefined)}
                          >
                            <td>{sourceTitle(src)}</td>
                            <td>{sl.name}</td>
                            <td>{m.metric}</td>
                            <td className="num">{m.rows}</td>
                            <td className={cls('value')}>{fmt(m.candidate, 4)}</td>
                            <td className="num">{fmt(m.champion, 4)}</td>
                            <td className={cls('delta')}>{fmtChange(m.delta, 4)}</td>
                            <td className={failed.has('interval') ? 'cell-failed' : undefined}>
                              {stat?.interval
                                ? `${fmtInterval(stat.interval.lower, stat.interval.upper, (x) => fmtChange(x, 4))} (${Math.round(stat.level * 1000) / 10}%)`
                                : '—'}
                            </td>
                            <td>{t[m.threshold] ? thresholdText(t[m.threshold]!) : '—'}</td>
                            <td className={m.passed === false ? 'cell-failed' : undefined}>
                              {!judged
                                ? `not judged: ${m.not_judged ?? sl.not_judged ?? src.not_judged ?? ''}`
                                : m.passed === null
                                  ? '—'
                                  : m.passed
                                    ? 'pass'
                                    : 'fail'}
                            </td>
                          </tr>
                        );
                      })
                    ),
                  )}
                </Fragment>
              ),
            )}
          </tbody>
        </table>
      </div>
      {gate.fairness?.length ? <GateFairness fairness={gate.fairness} minGroup={gate.config.min_slice_size} /> : null}
      {gate.failures.length || gate.fairness?.some((f) => !f.passed) ? (
        <ul className="gate-failures">
          {gate.failures.map((f, i) => (
            <li key={i}>
              <span className="muted">
                {gate.sources[f.source] ? sourceTitle(gate.sources[f.source]!) : 'source'}, {f.slice}:
              </span>{' '}
              {f.phrase}
            </li>
          ))}
          {(gate.fairness ?? [])
            .filter((f) => !f.passed)
            .map((f, i) => (
              <li key={`fairness-${i}`}>
                <span className="muted">holdout, fairness:</span> {f.phrase}
              </li>
            ))}
        </ul>
      ) : null}
    </div>
  );
}
