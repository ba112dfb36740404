import { describe, expect, it } from 'vitest';
import type { Metric, Run } from '../../../../src/sdk/index.js';
import { countDiffering, metricsDiff, paramsDiff } from './diff.js';

function run(id: string, params: Record<string, string>, metrics: Record<string, Metric['value']> = {}): Run {
  return {
    info: {
      run_id: id,
      run_uuid: id,
      run_name: id,
      experiment_id: '0',
      user_id: 'u',
      status: 'FINISHED',
      start_time: 0,
      artifact_uri: '',
      lifecycle_stage: 'active',
    },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: 0 })),
      tags: [],
    },
    inputs: { dataset_inputs: [], model_inputs: [] },
    outputs: { model_outputs: [] },
  };
}

describe('compare diff', () => {
  it('lines params up by key and marks the ones that differ', () => {
    const rows = paramsDiff([run('a', { max_depth: '4', lr: '0.1', seed: '1' }), run('b', { max_depth: '6', lr: '0.1' })]);
    expect(rows).toEqual([
      { key: 'lr', values: ['0.1', '0.1'], differs: false },
      { key: 'max_depth', values: ['4', '6'], differs: true },
      { key: 'seed', values: ['1', undefined], differs: true },
    ]);
    expect(countDiffering(rows)).toBe(2);
  });

  it('compares metric values, NaN text included', () => {
    const rows = metricsDiff([run('a', {}, { auc: 0.9, loss: 'NaN' }), run('b', {}, { auc: 0.9, loss: 'NaN' }), run('c', {}, { auc: 0.8 })]);
    expect(rows.find((r) => r.key === 'auc')).toEqual({ key: 'auc', values: [0.9, 0.9, 0.8], differs: true });
    expect(rows.find((r) => r.key === 'loss')?.differs).toBe(true);
    expect(metricsDiff([run('a', {}, { loss: 'NaN' }), run('b', {}, { loss: 'NaN' })])[0]?.differs).toBe(false);
  });

  it('handles no runs and runs without params', () => {
    expect(paramsDiff([])).toEqual([]);
    expect(paramsDiff([run('a', {}), run('b', {})])).toEqual([]);
  });
});
