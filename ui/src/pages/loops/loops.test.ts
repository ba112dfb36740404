import { describe, expect, it } from 'vitest';
import type { Deployment, LoopStep } from '../../../../src/sdk/index.js';
import { deploymentShares, shareText } from '../overview/overview-format.js';
import { asGate, asJudge, bandPoints, failedCells, fairnessBounds, fmt, fmtChange, lastLines, stepLabel, thresholdText, type GateView } from './loop-format.js';

const step = (o: Partial<LoopStep>): LoopStep => ({
  seq: 1,
  kind: 'triggered',
  status: 'info',
  index: null,
  of: null,
  actor: 'loop',
  at: 1000,
  links: {},
  evidence: {},
  reason: 'x.',
  ...o,
});

const judge = (estimate: number | null, lower: number | null, upper: number | null, basis: string | null) => ({
  verdict: 'pass',
  action: 'advance',
  primary: { source: 'report', metric: 'm', basis, direction: 'increase', estimate, lower, upper, margin: 0.01, clears: true, units: 10, units_per: 'arm' },
});

describe('loop display', () => {
  it('labels canary steps i/n and the rest by kind', () => {
    expect(stepLabel(step({ kind: 'canary', index: 2, of: 3 }))).toBe('canary 2/3');
    expect(stepLabel(step({ kind: 'awaiting_approval' }))).toBe('awaiting approval');
  });

  it('formats numbers as the gate writes them: a real minus, a plus on changes, tiny values not as 0', () => {
    expect(fmt(-0.0281, 4)).toBe('−0.0281');
    expect(fmtChange(0.028, 3)).toBe('+0.028');
    expect(fmtChange(-0.028)).toBe('−0.028');
    expect(fmt(0.00001)).toBe('1.00e−5');
    expect(fmt(null)).toBe('—');
    expect(thresholdText({ metric: 'accuracy', absolute: -0.01 })).toBe('accuracy change −0.010');
    expect(thresholdText({ metric: 'roc_auc', lower: 0.7, margin: 0.02 })).toBe('roc_auc ≥ 0.700, interval clears −0.020');
    expect(thresholdText({ metric: 'rmse' })).toBe('rmse (reported only)');
  });

  it('reads evidence only when it has the shape: a gate, a verdict, or neither', () => {
    expect(asGate({ error: 'boom' })).toBeNull();
    expect(asGate({ outcome: 'fail', sources: [], config: {} })).not.toBeNull();
    expect(asJudge({ weight: 50 })).toBeNull();
    expect(asJudge(judge(0.1, 0, 0.2, 'relative'))).not.toBeNull();
  });

  it("takes one band point per judged shadow or canary step, in order, skipping the phase's start", () => {
    const steps = [
      step({ seq: 1, kind: 'evaluating', status: 'passed', evidence: { outcome: 'pass', sources: [], config: {} } }),
      step({ seq: 2, kind: 'shadow', status: 'started', evidence: { duration: '1s' } }),
      step({ seq: 3, kind: 'shadow', status: 'passed', at: 3000, evidence: judge(0.002, -0.001, 0.005, 'loss_difference') }),
      step({ seq: 4, kind: 'canary', status: 'info', index: 1, of: 2, at: 4000, evidence: judge(null, null, null, null) }),
      step({ seq: 5, kind: 'canary', status: 'passed', index: 1, of: 2, at: 5000, evidence: judge(0.05, 0.01, 0.09, 'relative') }),
    ];
    const p = bandPoints(steps);
    expect(p.map((x) => x.label)).toEqual(['shadow', 'canary 1/2', 'canary 1/2']);
    expect(p[0]).toMatchObject({ at: 3000, estimate: 0.002, lower: -0.001, upper: 0.005, basis: 'loss_difference', margin: 0.01, direction: 'increase' });
    expect(p[1]!.estimate).toBeNull();
  });

  it('marks the cells a failure names: the value, the delta or the interval of that source, slice and threshold', () => {
    const g = {
      failures: [
        { source: 0, slice: 'all', threshold: 0, metric: 'accuracy', kind: 'change_absolute', phrase: '' },
        { source: 0, slice: 'all', threshold: 1, metric: 'log_loss', kind: 'statistical', phrase: '' },
        { source: 1, slice: 'all', threshold: 0, metric: 'accuracy', kind: 'value_lower', phrase: '' },
      ],
    } as unknown as GateView;
    expect([...failedCells(g, 0, 'all', 0)]).toEqual(['delta']);
    expect([...failedCells(g, 0, 'all', 1)]).toEqual(['interval']);
    expect([...failedCells(g, 1, 'all', 0)]).toEqual(['value']);
    expect(failedCells(g, 0, 'age=young', 0).size).toBe(0);
  });

  it("keeps a log's last lines", () => {
    expect(lastLines('a\nb\nc\n', 2)).toBe('b\nc');
    expect(lastLines('a', 5)).toBe('a');
  });
});

describe('overview display', () => {
  it('gives each route its share of the weights, and names shadows and aliases with what they resolved to', () => {
    const d = {
      spec: {
        routes: [
          { model: 'credit', version: '1', weight: 90 },
          { model: 'credit', alias: 'challenger', weight: 10 },
        ],
        shadow: [{ model: 'credit', version: '3' }],
      },
      status: { routes: [{ version: '1' }, { version: '2' }, { version: '3' }] },
    } as unknown as Deployment;
    const s = deploymentShares(d);
    expect(s.routes.map((r) => [r.label, shareText(r.share)])).toEqual([
      ['credit v1', '90%'],
      ['credit @challenger → v2', '10%'],
    ]);
    expect(s.shadows).toEqual(['credit v3']);
    const none = deploymentShares({ spec: { routes: [{ model: 'm', version: '1', weight: 0 }], shadow: [] }, status: { routes: [] } } as unknown as Deployment);
    expect(none.routes[0]!.share).toBe(0);
  });
});

describe('gate fairness', () => {
  it("writes a condition's bounds as the gate judges them (inclusive)", () => {
    expect(fairnessBounds({ min: 0.8, max: null })).toBe('≥ 0.8');
    expect(fairnessBounds({ min: null, max: 0.1 })).toBe('≤ 0.1');
    expect(fairnessBounds({ min: 0.5, max: 1 })).toBe('≥ 0.5 and ≤ 1');
  });
});
