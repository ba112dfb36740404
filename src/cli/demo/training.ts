/**
 * Step 2: tracked training and the registry, through MLflow's REST API as the mlflow client would do it.
 * Three runs in the experiment `credit-risk` (params, tags, a loss curve per step, final metrics, the dataset
 * version each trained on as a `training` input); the two good ones log their ONNX model as an MLflow `onnx`
 * flavor folder and become versions 1 and 2 of the registered model `credit-risk`, with their source run, so
 * lineage reads both ways (model version → run → dataset version, and back).
 *
 * The ONNX files are the fixtures made by python/fixtures/make_models.py (scikit-learn pipelines with the
 * hyperparameters logged here). The demo does not train: the runs' curves are illustrative.
 */
import type { DatasetVersion, FerryClient, KeyValue, MetricInput } from '../../sdk/index.js';
import { DEMO, FEATURES, readDemoFile, round, seededRandom } from './assets.js';

interface RunPlan {
  name: string;
  params: Record<string, string | number>;
  tags: Record<string, string>;
  dataset: 'v1' | 'v2';
  daysAgo: number;
  /** Log loss at the end of training (train, validation), how fast it gets there, and late overfitting. */
  curve: { train: number; val: number; speed: number; overfit: number };
  final: { val_auc: number; val_accuracy: number; val_f1: number };
  onnx?: string;
  note: string;
}

const PLANS: RunPlan[] = [
  {
    name: 'gbdt-depth3',
    dataset: 'v1',
    daysAgo: 3,
    onnx: 'credit_gbdt.onnx',
    params: { model: 'GradientBoostingClassifier', n_estimators: 60, max_depth: 3, learning_rate: 0.1, random_state: 0 },
    tags: { team: 'risk', stage: 'baseline' },
    curve: { train: 0.43, val: 0.47, speed: 0.28, overfit: 0 },
    final: { val_auc: 0.802, val_accuracy: 0.771, val_f1: 0.598 },
    note: 'Baseline: imputer + scaler + one-hot encoder + gradient boosting, exported whole to ONNX. Registered as credit-risk v1 (serves 90%).',
  },
  {
    name: 'gbdt-depth6',
    dataset: 'v1',
    daysAgo: 2,
    params: { model: 'GradientBoostingClassifier', n_estimators: 200, max_depth: 6, learning_rate: 0.2, random_state: 0 },
    tags: { team: 'risk', stage: 'experiment', verdict: 'overfits' },
    curve: { train: 0.16, val: 0.5, speed: 0.45, overfit: 0.012 },
    final: { val_auc: 0.756, val_accuracy: 0.738, val_f1: 0.541 },
    note: 'Deeper trees and a higher learning rate: training loss keeps falling while validation loss turns up after step 8. Not registered.',
  },
  {
    name: 'gbdt-depth2-subsample',
    dataset: 'v2',
    daysAgo: 1,
    onnx: 'credit_gbdt_v2.onnx',
    params: { model: 'GradientBoostingClassifier', n_estimators: 100, max_depth: 2, learning_rate: 0.05, subsample: 0.8, random_state: 1 },
    tags: { team: 'risk', stage: 'candidate' },
    curve: { train: 0.455, val: 0.465, speed: 0.16, overfit: 0 },
    final: { val_auc: 0.811, val_accuracy: 0.776, val_f1: 0.606 },
    note: 'Shallower trees, slower learning rate, row subsampling, on the larger extract credit-risk@2. Registered as credit-risk v2 (canary at 10%).',
  },
];

const STEPS = 20;
const START_LOSS = 0.64;

function curveMetrics(plan: RunPlan, start: number, seed: number): MetricInput[] {
  const rand = seededRandom(seed);
  const noise = () => (rand() - 0.5) * 0.008;
  const out: MetricInput[] = [];
  for (let step = 0; step < STEPS; step++) {
    const decay = Math.exp(-plan.curve.speed * step);
    const timestamp = start + (step + 1) * 4000;
    const train = plan.curve.train + (START_LOSS - plan.curve.train) * decay;
    const val = plan.curve.val + (START_LOSS - plan.curve.val) * decay + plan.curve.overfit * Math.max(0, step - 8) ** 1.3;
    out.push({ key: 'train_loss', value: round(train + noise(), 4), step, timestamp });
    out.push({ key: 'val_loss', value: round(val + noise(), 4), step, timestamp });
  }
  const end = start + (STEPS + 1) * 4000;
  for (const [key, value] of Object.entries(plan.final)) out.push({ key, value, step: STEPS - 1, timestamp: end });
  return out;
}

const kv = (o: Record<string, string | number>): KeyValue[] => Object.entries(o).map(([key, value]) => ({ key, value: String(value) }));

/** The models' tensors as MLflow writes a signature (one [-1, 1] input per column; strings are `object`). */
const SIGNATURE = {
  inputs: FEATURES.map((name) => ({
    type: 'tensor',
    'tensor-spec': { dtype: name === 'home_ownership' || name === 'purpose' ? 'object' : 'float32', shape: [-1, 1] },
    name,
  })),
  outputs: [
    { type: 'tensor', 'tensor-spec': { dtype: 'int64', shape: [-1] }, name: 'label' },
    { type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 2] }, name: 'probabilities' },
  ],
};

/** The MLflow `onnx` flavor's MLmodel file: what Ferry's loader reads to find the .onnx in a run's folder. */
function mlmodel(runId: string, sizeBytes: number, created: Date): string {
  return [
    'artifact_path: model',
    'flavors:',
    '  onnx:',
    '    code: null',
    '    data: model.onnx',
    '  python_function:',
    '    data: model.onnx',
    '    loader_module: mlflow.onnx',
    `model_size_bytes: ${sizeBytes}`,
    `run_id: ${runId}`,
    'signature:',
    `  inputs: '${JSON.stringify(SIGNATURE.inputs)}'`,
    `  outputs: '${JSON.stringify(SIGNATURE.outputs)}'`,
    '  params: null',
    `utc_time_created: '${created.toISOString().replace('T', ' ').replace('Z', '')}'`,
    '',
  ].join('\n');
}

const MLFLOW_TYPES: Record<string, string> = { integer: 'long', float: 'double', string: 'string', boolean: 'boolean', datetime: 'datetime' };

/** `mlflow.log_input`'s body: the dataset version by digest, with context "training". */
function datasetInput(url: string, v: DatasetVersion) {
  return {
    tags: [{ key: 'mlflow.data.context', value: 'training' }],
    dataset: {
      name: v.dataset,
      digest: v.digest,
      source_type: 'http',
      source: JSON.stringify({ url: `${url}/api/v1/datasets/${encodeURIComponent(v.dataset)}/versions/${v.version}/file` }),
      schema: JSON.stringify({
        mlflow_colspec: v.schema.columns.map((c) => ({ type: MLFLOW_TYPES[c.type] ?? 'string', name: c.name, required: !c.nullable })),
      }),
      profile: JSON.stringify({ num_rows: v.rows, num_elements: v.rows * v.columns }),
    },
  };
}

async function putArtifact(client: FerryClient, artifactUri: string, file: string, body: Uint8Array): Promise<void> {
  const root = artifactUri.replace(/^mlflow-artifacts:\/*/, '');
  const path = [...root.split('/'), ...file.split('/')].map(encodeURIComponent).join('/');
  await client.http.request('PUT', `/api/2.0/mlflow-artifacts/artifacts/${path}`, { body });
}

export interface TrainingStep {
  experimentId: string;
  runs: { run_id: string; name: string; dataset: string; model_version: string | null }[];
}

export async function loadTraining(client: FerryClient, data: { v1: DatasetVersion; v2: DatasetVersion }): Promise<TrainingStep> {
  const experimentId = await client.experiments.create(DEMO.experiment, {
    tags: [
      {
        key: 'mlflow.note.content',
        value: 'Which loan applicants will default? Gradient-boosted trees on the credit-risk dataset (loaded by `ferry quickstart`).',
      },
    ],
  });
  await client.models.create(DEMO.model, {
    description:
      'Probability that a loan applicant defaults. Inputs: age, income, debt_ratio, credit_lines, months_employed, home_ownership, purpose. Outputs: label (0/1) and probabilities.',
    tags: [{ key: 'team', value: 'risk' }],
  });
  const runs: TrainingStep['runs'] = [];
  for (const [i, plan] of PLANS.entries()) {
    const start = Date.now() - plan.daysAgo * 86_400_000;
    const run = await client.runs.create({
      experimentId,
      runName: plan.name,
      startTime: start,
      tags: kv({ ...plan.tags, 'mlflow.source.name': 'python/fixtures/make_models.py', 'mlflow.note.content': plan.note }),
    });
    const runId = run.info.run_id;
    await client.runs.logBatch(runId, { params: kv(plan.params), metrics: curveMetrics(plan, start, 10 + i) });
    const dataset = data[plan.dataset];
    await client.runs.logInputs(runId, [datasetInput(client.url, dataset)]);
    let modelVersion: string | null = null;
    if (plan.onnx) {
      const onnx = readDemoFile(plan.onnx);
      await putArtifact(client, run.info.artifact_uri, 'model/model.onnx', onnx);
      await putArtifact(client, run.info.artifact_uri, 'model/MLmodel', new TextEncoder().encode(mlmodel(runId, onnx.length, new Date(start))));
      const mv = await client.modelVersions.create({ name: DEMO.model, source: `runs:/${runId}/model`, runId, description: plan.note });
      modelVersion = mv.version;
    }
    await client.runs.update(runId, { status: 'FINISHED', endTime: start + (STEPS + 2) * 4000 });
    runs.push({ run_id: runId, name: plan.name, dataset: dataset.ref, model_version: modelVersion });
  }
  const [v1, v2] = runs.filter((r) => r.model_version !== null);
  await client.models.setAlias(DEMO.model, 'champion', v1!.model_version!);
  await client.models.setAlias(DEMO.model, 'challenger', v2!.model_version!);
  return { experimentId, runs };
}
