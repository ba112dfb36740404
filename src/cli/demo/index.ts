/**
 * The quickstart's demo project, loaded through the public API only (the SDK over HTTP): a credit-risk
 * dataset with two versions and a validation suite, three tracked training runs, two registered model
 * versions, a deployment with a 90/10 canary, an A/B test of the canary on model quality, replayed traffic
 * whose later windows drift, feedback labels, and alert rules of which one is firing at the end. Each step is its own module.
 */
import { FerryApiError, type FerryClient, type AlertStatus } from '../../sdk/index.js';
import { type AbTestSummary, readAbTest, startAbTest } from './abtest.js';
import { DEMO } from './assets.js';
import { createAlertRules, evaluateAlerts } from './alerts.js';
import { loadDataset } from './dataset.js';
import { loadDeployment, WINDOW, WINDOW_MS } from './deployment.js';
import { readMonitoring, type MonitoringSummary } from './summary.js';
import { DRIFT_FROM, replayTraffic, type TrafficStep } from './traffic.js';
import { loadTraining } from './training.js';
import { LOOP, type LoopSummary, createLoop, readLoop, registerWorseVersion, uploadTrainingProject, waitForLoopRun } from './loop.js';

export { DEMO } from './assets.js';
export { startLiveTraffic, type LiveTraffic } from './live.js';

/** Seconds of replayed traffic by default: four or five 10-second monitoring windows. */
export const DEFAULT_REPLAY_SECONDS = 40;

export interface DemoOptions {
  /** A short line per step, as it starts. */
  onStep?(msg: string): void;
  /** Replay progress: requests answered so far of the total. */
  onProgress?(done: number, total: number): void;
  /** How long the traffic replay lasts (default 40 s). */
  replaySeconds?: number;
}

export interface DemoSummary {
  seconds: number;
  dataset: {
    name: string;
    versions: { ref: string; rows: number; digest: string }[];
    suite: string;
    v2_validation: { success: boolean; evaluated: number; failed: number } | null;
  };
  experiment: { id: string; name: string; runs: { run_id: string; name: string; dataset: string; model_version: string | null }[] };
  model: { name: string; versions: { version: string; run_id: string; weight: number }[] };
  deployment: { name: string; revision: number; window: string; reference: { rows: number; source: Record<string, unknown> }; traffic_suite: string };
  traffic: TrafficStep;
  monitoring: MonitoringSummary;
  abtest: AbTestSummary;
  loop: LoopSummary;
  alerts: Pick<AlertStatus, 'rule' | 'metric' | 'comparison' | 'threshold' | 'state' | 'value' | 'severity'>[];
}

const notFound = (err: unknown) => err instanceof FerryApiError && err.status === 404;

async function exists(probe: Promise<unknown>): Promise<boolean> {
  return probe.then(
    () => true,
    (err: unknown) => {
      if (notFound(err)) return false;
      throw err;
    },
  );
}

/**
 * 'loaded': a complete demo is there (its experiment carries the marker tag, set last, with the time it was
 * loaded); 'partial': some of its objects exist without the marker (an interrupted load, or a data dir with
 * its own credit-risk project); 'absent': none of them.
 */
export async function demoState(client: FerryClient): Promise<{ state: 'absent' | 'loaded' | 'partial'; loadedAt: string | null }> {
  const experiment = await client.experiments.getByName(DEMO.experiment).catch((err: unknown) => {
    if (notFound(err)) return null;
    throw err;
  });
  if (experiment) {
    const marker = experiment.tags.find((t) => t.key === DEMO.loadedTag);
    return marker ? { state: 'loaded', loadedAt: marker.value } : { state: 'partial', loadedAt: null };
  }
  const others = await Promise.all([
    exists(client.data.get(DEMO.dataset)),
    exists(client.models.get(DEMO.model)),
    exists(client.deployments.get(DEMO.deployment)),
  ]);
  return { state: others.some(Boolean) ? 'partial' : 'absent', loadedAt: null };
}

export async function loadDemo(client: FerryClient, opts: DemoOptions = {}): Promise<DemoSummary> {
  const t0 = Date.now();
  const step = (msg: string) => opts.onStep?.(msg);

  step('dataset credit-risk: version 1 (2,000 loan applications), a validation suite, version 2');
  const data = await loadDataset(client);

  step('experiment credit-risk: 3 training runs; model credit-risk versions 1 and 2 from their runs');
  const training = await loadTraining(client, data);
  const registered = training.runs.filter((r) => r.model_version !== null);
  const versions = { v1: registered[0]!.model_version!, v2: registered[1]!.model_version! };

  step('deployment credit-risk: v1 90%, v2 10% (canary); 10 s monitoring windows; reference = training data');
  const dep = await loadDeployment(client, versions, data.suite);
  step(`A/B test ${DEMO.abtest}: v2 against v1 on the same split, judged on accuracy and log loss from feedback labels`);
  await startAbTest(client);
  step('alert rules: data drift (fires at once), error rate');
  await createAlertRules(client);

  step(`loop ${LOOP}: on drift, retrain (examples/node-credit, a Node job) → gate → shadow → canary → promote; every new version is judged`);
  const project = await uploadTrainingProject(client);
  await createLoop(client, project);
  step('a worse version (trained on 40% flipped labels) is registered; the loop judges it');
  const worse = await registerWorseVersion(client, project);
  const rejected = await waitForLoopRun(client, 1, (r) => r.ended_at !== null);
  step(`  loop run 1 (version ${worse}): ${rejected?.state ?? 'still running'} — ${rejected?.reason ?? ''}`);

  const seconds = opts.replaySeconds ?? DEFAULT_REPLAY_SECONDS;
  step(`traffic: replaying applicants for ${seconds} s; the population shifts from ${Math.round(seconds * DRIFT_FROM)} s on`);
  const traffic = await replayTraffic(client, data.rows, { seconds, windowMs: WINDOW_MS, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });

  const abtest = await readAbTest(client);
  // The A/B test has its verdict; the loop's canary runs its own test on the deployment (one at a time).
  await client.abtests.stop(DEMO.abtest, 'concluded; the loop takes over the deployment').catch(() => {});

  step('alerts: evaluating now (the drift alert fires and triggers the loop)');
  const alerts = await evaluateAlerts(client);
  const monitoring = await readMonitoring(client, traffic.started_at);
  const retrain = await waitForLoopRun(client, 2, (r) => r.steps.some((s) => s.kind === 'evaluating') || r.ended_at !== null);
  step(`  loop run 2: ${retrain ? (retrain.steps.find((s) => s.kind === 'evaluating')?.reason ?? retrain.reason ?? '') : 'not started yet'}`);
  const loop = await readLoop(client);

  // Last: the marker that says the demo is complete (a data dir with it is reused, not loaded again).
  const experimentId = training.experimentId;
  await client.http.post('/api/2.0/mlflow/experiments/set-experiment-tag', {
    experiment_id: experimentId,
    key: DEMO.loadedTag,
    value: new Date().toISOString(),
  });

  return {
    seconds: Math.round((Date.now() - t0) / 100) / 10,
    dataset: {
      name: DEMO.dataset,
      versions: [data.v1, data.v2].map((v) => ({ ref: v.ref, rows: v.rows, digest: v.digest })),
      suite: DEMO.datasetSuite,
      v2_validation: data.v2Validation && { success: data.v2Validation.success, evaluated: data.v2Validation.evaluated, failed: data.v2Validation.failed },
    },
    experiment: { id: experimentId, name: DEMO.experiment, runs: training.runs },
    model: {
      name: DEMO.model,
      versions: registered.map((r) => ({
        version: r.model_version!,
        run_id: r.run_id,
        weight: dep.deployment.spec.routes.find((x) => x.version === r.model_version)?.weight ?? 0,
      })),
    },
    deployment: {
      name: DEMO.deployment,
      revision: dep.deployment.revision,
      window: WINDOW,
      reference: { rows: dep.reference.rows, source: dep.reference.source },
      traffic_suite: dep.trafficSuite,
    },
    traffic,
    monitoring,
    abtest,
    loop,
    alerts: alerts.map((a) => ({
      rule: a.rule,
      metric: a.metric,
      comparison: a.comparison,
      threshold: a.threshold,
      state: a.state,
      value: a.value,
      severity: a.severity,
    })),
  };
}
