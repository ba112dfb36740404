/**
 * /metrics of an app with traffic, drift, feedback, a firing alert and a queued job: the text parses by the
 * Prometheus exposition format; every name follows the conventions (ferry_ prefix, base units, _total on
 * counters, one name per label meaning); and the state gauges say what the app's own API says.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cachedFor } from '../../src/state-metrics.js';
import { HAVE_VENV, VENV_BIN } from '../jobs/support.js';
import { useTestApp } from '../support/app.js';
import { forEachStore } from '../support/stores.js';
import { DEPLOYMENT, makeBusy, scrape } from './busy-app.js';
import { type Family, parseExposition } from './exposition.js';

/** Label names with one meaning each: the other spellings of them that must not appear. */
const NOT_THESE_LABELS: Record<string, string> = {
  version: 'model_version',
  modelVersion: 'model_version',
  deployment_name: 'deployment',
  model_name: 'model',
};

/** prom-client's default Node.js metrics that are gauges named _total (its names, kept as every Node exporter has them). */
const PROM_CLIENT_TOTAL_GAUGES = ['ferry_nodejs_active_handles_total', 'ferry_nodejs_active_requests_total', 'ferry_nodejs_active_resources_total'];

forEachStore('Prometheus metrics', (kind) => {
  const t = useTestApp(kind);
  let families: Map<string, Family>;
  const value = (name: string, labels: Record<string, string>) =>
    [...families.values()].flatMap((f) => f.samples).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

  beforeAll(async () => {
    await makeBusy(t);
    families = parseExposition(await scrape(t));
  }, 120_000);

  it('parses by the text format, and every family has a type and help', () => {
    expect(families.size).toBeGreaterThan(30);
    for (const f of families.values()) {
      expect(f.type, f.name).not.toBe('untyped');
      expect(f.help.length, f.name).toBeGreaterThan(0);
    }
  });

  it.skipIf(!HAVE_VENV)("the Prometheus project's own Python parser reads the same samples", async () => {
    // prometheus_client.parser (in the repository's .venv) is the reference reader of the text format.
    const script = [
      'import sys, json, math',
      'from prometheus_client.parser import text_string_to_metric_families',
      'out = [[s.name, s.labels, "NaN" if math.isnan(s.value) else s.value] for f in text_string_to_metric_families(sys.stdin.read()) for s in f.samples]',
      'print(json.dumps(out, allow_nan=True).replace("Infinity", "1e999"))',
    ].join('\n');
    const text = await scrape(t);
    const res = spawnSync(join(VENV_BIN, 'python'), ['-c', script], { input: text, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    const theirs = (JSON.parse(res.stdout) as [string, Record<string, string>, number | 'NaN'][]).map(
      ([n, l, v]) => `${n}${JSON.stringify(Object.entries(l).sort())} ${v}`,
    );
    const ours = [...parseExposition(text).values()]
      .flatMap((f) => f.samples)
      .map((s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())} ${Number.isNaN(s.value) ? 'NaN' : s.value}`);
    expect(theirs.sort()).toEqual(ours.sort());
  });

  it('names follow the conventions: ferry_ once, base units, _total on counters only', () => {
    for (const f of families.values()) {
      expect(f.name, 'prefix').toMatch(/^ferry_[a-z][a-z0-9_]*$/);
      expect(f.name).not.toMatch(/^ferry_process_process_|^ferry_ferry_/);
      // Base units: seconds and bytes, never milli/micro or minutes.
      expect(f.name).not.toMatch(/_(ms|milliseconds|us|microseconds|minutes|hours|kilobytes|megabytes|percent)(_|$)/);
      if (f.type === 'counter') expect(f.name, 'a counter ends in _total').toMatch(/_total$/);
      else if (!PROM_CLIENT_TOTAL_GAUGES.includes(f.name)) expect(f.name, 'only counters end in _total').not.toMatch(/_total$/);
      if (f.type === 'histogram') expect(f.name).toMatch(/_(seconds|bytes|rows)$/);
      for (const s of f.samples)
        for (const label of Object.keys(s.labels)) {
          const instead = NOT_THESE_LABELS[label];
          // An _info metric's `version` is the software's (Ferry's, Node's), not a model version.
          if (instead && !(f.name.endsWith('_info') && label === 'version')) expect.fail(`${f.name} has label '${label}': use '${instead}'`);
        }
    }
    // The process metrics carry one prefix.
    expect(families.get('ferry_process_cpu_seconds_total')?.type).toBe('counter');
    expect(families.get('ferry_process_resident_memory_bytes')?.type).toBe('gauge');
    expect(families.get('ferry_nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
  });

  it('the labels of the metrics about deployments and model versions are the same names', () => {
    const want: Record<string, readonly string[]> = {
      ferry_predictions_total: ['deployment', 'model_version', 'protocol', 'outcome'],
      ferry_prediction_duration_seconds: ['deployment', 'model_version', 'protocol', 'le'],
      ferry_queue_rows: ['deployment', 'model_version'],
      ferry_model_load_duration_seconds: ['model', 'model_version', 'le'],
      ferry_prediction_log_rows_total: ['deployment', 'outcome'],
      ferry_feature_drift_statistic: ['deployment', 'feature', 'method'],
      ferry_feature_drifted: ['deployment', 'feature'],
      ferry_dataset_drifted: ['deployment'],
      ferry_drifted_features_ratio: ['deployment'],
      ferry_live_performance: ['deployment', 'model_version', 'metric'],
      ferry_live_performance_rows: ['deployment', 'model_version'],
      ferry_alert_state: ['rule', 'deployment', 'severity', 'state'],
      ferry_alert_value: ['rule', 'deployment', 'metric'],
      ferry_jobs: ['executor', 'state'],
      ferry_build_info: ['version', 'node_version'],
    };
    for (const [name, labels] of Object.entries(want)) {
      const f = families.get(name);
      expect(f, name).toBeDefined();
      expect(f!.samples.length, name).toBeGreaterThan(0);
      const s = f!.samples.find((x) => !x.name.endsWith('_sum') && !x.name.endsWith('_count'))!;
      expect(Object.keys(s.labels).sort(), name).toEqual([...labels].sort());
    }
    expect(families.get('ferry_feature_drift_statistic')!.type).toBe('gauge');
    expect(families.get('ferry_prediction_duration_seconds')!.type).toBe('histogram');
    expect(families.get('ferry_prediction_log_rows_total')!.type).toBe('counter');
  });

  it('drift per feature: the two shifted features drifted, the others did not, as the drift API says', async () => {
    const drift = (await t.call('GET', `/api/v1/deployments/${DEPLOYMENT}/drift?from=1h`)).body;
    const drifted = drift.features.filter((f: { drifted: boolean }) => f.drifted).map((f: { name: string }) => f.name);
    expect(drifted.sort()).toEqual(['home_ownership', 'income']);
    for (const f of drift.features as { name: string; drifted: boolean | null; method: string; statistic: number }[]) {
      if (f.drifted === null) continue;
      expect(value('ferry_feature_drifted', { deployment: DEPLOYMENT, feature: f.name }), f.name).toBe(f.drifted ? 1 : 0);
      expect(value('ferry_feature_drift_statistic', { deployment: DEPLOYMENT, feature: f.name, method: f.method })).toBeCloseTo(f.statistic, 12);
    }
    expect(value('ferry_dataset_drifted', { deployment: DEPLOYMENT })).toBe(drift.dataset_drift ? 1 : 0);
    expect(value('ferry_drifted_features_ratio', { deployment: DEPLOYMENT })).toBeCloseTo(drift.share_drifted, 12);
    expect(value('ferry_drift_window_rows', { deployment: DEPLOYMENT })).toBe(400);
    const start = value('ferry_drift_window_start_timestamp_seconds', { deployment: DEPLOYMENT })!;
    expect(start % 3600).toBe(0);
    expect(Date.now() / 1000 - start).toBeLessThan(3600);
  });

  it('live performance per model version, as the performance API says', async () => {
    const from = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const perf = (await t.call('GET', `/api/v1/deployments/${DEPLOYMENT}/performance?from=${from}`)).body;
    const v1 = perf.versions.find((v: { model_version: string }) => v.model_version === '1');
    expect(v1).toMatchObject({ task: 'classification', n: 400 });
    expect(value('ferry_live_performance_rows', { deployment: DEPLOYMENT, model_version: '1' })).toBe(400);
    for (const metric of ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss'])
      expect(value('ferry_live_performance', { deployment: DEPLOYMENT, model_version: '1', metric }), metric).toBeCloseTo(v1[metric], 12);
    expect(value('ferry_live_performance', { deployment: DEPLOYMENT, model_version: '1', metric: 'rmse' })).toBeUndefined(); // a classifier
  });

  it('the firing alert, by rule and severity, with its value', () => {
    const labels = { rule: 'income-drift', deployment: DEPLOYMENT, severity: 'critical' };
    expect(value('ferry_alert_state', { ...labels, state: 'firing' })).toBe(1);
    expect(value('ferry_alert_state', { ...labels, state: 'pending' })).toBe(0);
    expect(value('ferry_alert_state', { ...labels, state: 'inactive' })).toBe(0);
    expect(value('ferry_alert_value', { rule: 'income-drift', deployment: DEPLOYMENT, metric: 'feature_drift:income' })).toBe(1);
  });

  it('every metric is documented in docs/metrics.md (prom-client process and Node.js metrics as their groups)', () => {
    const docs = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    const missing = [...families.keys()].filter((name) => (/^ferry_(process|nodejs)_/.test(name) ? false : !docs.includes(`\`${name}\``)));
    expect(missing).toEqual([]);
    expect(docs).toContain('`ferry_process_*`');
    expect(docs).toContain('`ferry_nodejs_*`');
  });

  it('prediction log, queues, jobs and the build', () => {
    expect(value('ferry_prediction_log_rows_total', { deployment: DEPLOYMENT, outcome: 'stored' })).toBe(400);
    expect(value('ferry_prediction_log_rows_total', { deployment: DEPLOYMENT, outcome: 'dropped' }) ?? 0).toBe(0);
    expect(value('ferry_prediction_log_queue_rows', {})).toBeGreaterThanOrEqual(0);
    expect(value('ferry_queue_rows', { deployment: DEPLOYMENT, model_version: '1' })).toBeGreaterThanOrEqual(0);
    expect(value('ferry_predictions_total', { deployment: DEPLOYMENT, model_version: '1', protocol: 'records', outcome: 'ok' })).toBe(2);
    expect(value('ferry_jobs', { executor: 'local', state: 'queued' })).toBe(1);
    expect(value('ferry_build_info', { node_version: process.versions.node })).toBe(1);
    expect(value('ferry_state_read_errors_total', {}) ?? 0).toBe(0);
  });
});

describe('cachedFor (what keeps a scrape cheap)', () => {
  it('computes once per TTL, shares a computation in flight, and keeps no failure', async () => {
    let now = 0;
    let calls = 0;
    let fail = false;
    const read = cachedFor(
      10_000,
      async () => {
        calls++;
        if (fail) throw new Error('store down');
        return calls;
      },
      () => now,
    );
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    now = 9_999;
    expect(await read()).toBe(1);
    now = 10_000;
    fail = true;
    await expect(read()).rejects.toThrow('store down');
    fail = false;
    expect(await read()).toBe(3);
    expect(calls).toBe(3);
  });
});
