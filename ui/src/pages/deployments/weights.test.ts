import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentSpec } from '../../../../src/sdk/index.js';
import { deploymentState, pct, routeRows, specSummary } from './deployment-status.js';
import { checkWeights, refLabel, sharesOf, specWithWeights, weightChanges } from './weights.js';

const spec: DeploymentSpec = {
  routes: [
    { model: 'credit', version: '1', weight: 90 },
    { model: 'credit', alias: 'challenger', weight: 10 },
  ],
  shadow: [{ model: 'credit', version: '3' }],
  sticky_key: 'customer_id',
  batching: { max_batch_size: 64, max_queue_delay_ms: 2, max_queue_rows: 10000 },
};

describe('weight editing', () => {
  it('accepts whole numbers ≥ 0 with a positive total, and gives shares', () => {
    expect(checkWeights(['50', ' 50 '])).toEqual({ weights: [50, 50], errors: [null, null], problem: null, shares: [0.5, 0.5] });
    expect(checkWeights(['3', '1']).shares).toEqual([0.75, 0.25]);
    expect(checkWeights(['0', '7']).weights).toEqual([0, 7]);
  });

  it('names what is wrong with each entry', () => {
    const c = checkWeights(['', '-1', '0.9', 'abc', '2000000']);
    expect(c.weights).toBeNull();
    expect(c.errors[0]).toMatch(/Enter a weight/);
    expect(c.errors[1]).toMatch(/negative/);
    expect(c.errors[2]).toMatch(/whole numbers/);
    expect(c.errors[3]).toMatch(/Not a number/);
    expect(c.errors[4]).toMatch(/At most 1,000,000/);
  });

  it('refuses a split that sends traffic nowhere', () => {
    const c = checkWeights(['0', '0']);
    expect(c.weights).toBeNull();
    expect(c.errors).toEqual([null, null]);
    expect(c.problem).toMatch(/above 0/);
  });

  it('lists changes by share, and keeps the rest of the spec', () => {
    expect(weightChanges(spec, [50, 50])).toEqual([
      { route: 'credit:1', from: 90, to: 50, fromShare: 0.9, toShare: 0.5 },
      { route: 'credit@challenger', from: 10, to: 50, fromShare: 0.1, toShare: 0.5 },
    ]);
    expect(weightChanges(spec, [90, 10])).toEqual([]);
    // Same shares, different numbers: still a change of weights.
    expect(weightChanges(spec, [9, 1]).map((c) => c.to)).toEqual([9, 1]);
    expect(specWithWeights(spec, [50, 50])).toEqual({
      routes: [
        { model: 'credit', version: '1', weight: 50 },
        { model: 'credit', alias: 'challenger', weight: 50 },
      ],
      shadow: [{ model: 'credit', version: '3' }],
      sticky_key: 'customer_id',
      batching: { max_batch_size: 64, max_queue_delay_ms: 2, max_queue_rows: 10000 },
    });
    expect(() => specWithWeights(spec, [1])).toThrow(/expected 2 weights/);
    expect(sharesOf([0, 0])).toEqual([0, 0]);
    expect(refLabel({ model: 'm', alias: 'prod' })).toBe('m@prod');
  });
});

describe('deployment state and routes', () => {
  const dep = (status: Deployment['status']): Deployment => ({
    name: 'credit-risk',
    revision: 2,
    spec,
    created_at: 1,
    updated_at: 2,
    created_by: 'admin',
    status,
  });
  const ready = [
    { model: 'credit', ref: { model: 'credit', version: '1' }, version: '1', state: 'ready' as const },
    { model: 'credit', ref: { model: 'credit', alias: 'challenger' }, version: '2', state: 'ready' as const },
    { model: 'credit', ref: { model: 'credit', version: '3' }, version: '3', state: 'ready' as const },
  ];

  it('says ready, updating, loading, failed or not serving', () => {
    expect(deploymentState(dep({ serving_revision: 2, applied_revision: 2, routes: ready })).label).toBe('ready');
    expect(deploymentState(dep({ serving_revision: 1, applied_revision: 2, routes: ready.map((r) => ({ ...r, state: 'loading' as const })) }))).toEqual({
      label: 'updating',
      detail: 'Revision 1 serves while revision 2 loads.',
    });
    expect(deploymentState(dep({ serving_revision: null, applied_revision: 1, routes: [{ ...ready[0]!, state: 'loading' }] })).label).toBe('loading');
    const failed = deploymentState(dep({ serving_revision: 1, applied_revision: 2, routes: [{ ...ready[0]!, state: 'failed', reason: 'no onnx' }] }));
    expect(failed).toEqual({ label: 'failed', detail: 'credit:1: no onnx (revision 1 keeps serving)' });
    expect(deploymentState(dep({ serving_revision: null, applied_revision: null, routes: [] })).label).toBe('not serving');
  });

  it('labels main, canary, off and shadow routes with their resolved versions', () => {
    const rows = routeRows(spec, ready);
    expect(rows.map((r) => [r.role, r.label, r.version, r.share, r.state])).toEqual([
      ['main', 'credit:1', '1', 0.9, 'ready'],
      ['canary', 'credit@challenger', '2', 0.1, 'ready'],
      ['shadow', 'credit:3', '3', null, 'ready'],
    ]);
    const off = routeRows(
      {
        ...spec,
        routes: [
          { model: 'credit', version: '1', weight: 0 },
          { model: 'credit', version: '2', weight: 5 },
        ],
      },
      [],
    );
    expect(off.map((r) => [r.role, r.state])).toEqual([
      ['off', 'unknown'],
      ['main', 'unknown'],
      ['shadow', 'unknown'],
    ]);
    expect(specSummary(spec)).toBe('credit:1 90% · credit@challenger 10% · shadow credit:3');
    expect(pct(1 / 3)).toBe('33.3%');
  });
});
