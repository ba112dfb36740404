// Trains a credit-risk model (gradient-boosted trees by default, or a logistic regression) on a Ferry dataset
// version and registers it in Ferry as an ONNX model — with nothing but Node (20+, its standard library only), so
// a fresh machine runs it in seconds.
//
// Run by `ferry jobs submit` (or `mlflow run`), which set MLFLOW_RUN_ID: the run they made is the one used.
// On its own, with MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN set, it makes (and finishes) a run itself.
/* global fetch */
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { fitGbdt, predictGbdt } from './gbdt.mjs';
import { logisticOnnx, treeEnsembleOnnx } from './onnx.mjs';
import {
  accuracy,
  columnsOf,
  featuresOf,
  fitFeatures,
  fitLogistic,
  flipLabels,
  labelOf,
  logLoss,
  parseCsv,
  parseJsonl,
  predict,
  rng,
  rocAuc,
  split,
  treeFeaturesOf,
} from './model.mjs';

const TEST_SHARE = 0.25;

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string' },
    'dataset-version': { type: 'string', default: 'latest' },
    target: { type: 'string', default: 'default' },
    'registered-model': { type: 'string', default: 'credit-risk-node' },
    model: { type: 'string', default: 'gbdt' },
    'n-estimators': { type: 'string', default: '100' },
    'max-depth': { type: 'string', default: '3' },
    'learning-rate': { type: 'string', default: '0.1' },
    'min-samples-leaf': { type: 'string', default: '20' },
    l2: { type: 'string', default: '0.01' },
    epochs: { type: 'string', default: '200' },
    'label-noise': { type: 'string', default: '0' },
    seed: { type: 'string', default: '0' },
  },
});

function fail(message) {
  process.stderr.write(`node-credit: ${message}\n`);
  process.exit(1);
}

function numberArg(name, { min, max, integer = false }) {
  const v = Number(args[name]);
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v)))
    fail(`--${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got '${args[name]}'.`);
  return v;
}

if (!args.dataset) fail('--dataset is required (a Ferry dataset name).');
if (args.model !== 'gbdt' && args.model !== 'logreg') fail(`--model must be gbdt or logreg, got '${args.model}'.`);
const nEstimators = numberArg('n-estimators', { min: 1, max: 10000, integer: true });
const maxDepth = numberArg('max-depth', { min: 1, max: 12, integer: true });
const learningRate = numberArg('learning-rate', { min: 1e-6, max: 10 });
const minSamplesLeaf = numberArg('min-samples-leaf', { min: 1, max: 1e9, integer: true });
const l2 = numberArg('l2', { min: 0, max: 1e6 });
const epochs = numberArg('epochs', { min: 1, max: 10000, integer: true });
const labelNoise = numberArg('label-noise', { min: 0, max: 1 });
const seed = numberArg('seed', { min: 0, max: 2 ** 32 - 1, integer: true });

const TRACKING = (process.env.MLFLOW_TRACKING_URI ?? process.env.FERRY_URL ?? '').replace(/\/+$/, '');
if (!/^https?:\/\//.test(TRACKING)) fail('MLFLOW_TRACKING_URI must be the Ferry server (http://…); a Ferry job sets it.');
const TOKEN = process.env.MLFLOW_TRACKING_TOKEN ?? process.env.FERRY_TOKEN;

// ---- Ferry and MLflow's REST API, with the job's own token ----

async function call(method, path, body) {
  const headers = TOKEN ? { authorization: `Bearer ${TOKEN}` } : {};
  let payload;
  if (body instanceof Uint8Array) {
    payload = body;
    headers['content-type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(TRACKING + path, { method, headers, body: payload });
  const text = await res.text();
  if (!res.ok) {
    // Ferry's errors are problem+json (detail) and MLflow's {error_code, message}; say what the server said.
    let said = text.slice(0, 500);
    try {
      const j = JSON.parse(text);
      said = j.detail ?? j.message ?? said;
    } catch {
      // not JSON: the text as is
    }
    const err = new Error(`${method} ${path.split('?')[0]} answered ${res.status}: ${said}`);
    err.status = res.status;
    err.body = text;
    throw err;
  }
  return text;
}
const getJson = async (path) => JSON.parse(await call('GET', path));
const postJson = async (path, body) => JSON.parse((await call('POST', path, body)) || '{}');
const q = encodeURIComponent;

/** The version's metadata (number, digest, format) and its rows; `ref` may be latest, a number, a tag or a digest prefix. */
async function loadDataset(name, ref) {
  const { version } = await getJson(`/api/v1/datasets/${q(name)}/versions/${q(ref)}?profile=false`);
  // The file by version number, so a push between the two calls cannot swap the data under the digest.
  const text = await call('GET', `/api/v1/datasets/${q(name)}/versions/${version.version}/file`);
  if (version.format === 'csv') return { version, rows: parseCsv(text, version.schema?.delimiter || ',') };
  if (version.format === 'jsonl') return { version, rows: parseJsonl(text) };
  fail(`dataset ${name}@${version.version} is ${version.format}; this project reads csv and jsonl (use examples/sklearn-credit for parquet).`);
}

/** Puts a file under the run's artifact root through the mlflow-artifacts proxy. */
async function putArtifact(artifactUri, file, body) {
  const root = artifactUri.replace(/^mlflow-artifacts:\/*/, '');
  const path = [...root.split('/'), ...file.split('/')].map(q).join('/');
  await call('PUT', `/api/2.0/mlflow-artifacts/artifacts/${path}`, body);
}

/** The MLflow `onnx` flavor's MLmodel: what Ferry's loader reads to find the .onnx in the run's `model/` folder. */
function mlmodelText(runId, size, features) {
  const inputs = [
    ...features.numeric.map((c) => ({ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 1] }, name: c.name })),
    ...features.categorical.map((c) => ({ type: 'tensor', 'tensor-spec': { dtype: 'object', shape: [-1, 1] }, name: c.name })),
  ];
  const outputs = [
    { type: 'tensor', 'tensor-spec': { dtype: 'int64', shape: [-1] }, name: 'label' },
    { type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 2] }, name: 'probabilities' },
  ];
  const json = (v) => `'${JSON.stringify(v).replace(/'/g, "''")}'`; // a single-quoted YAML scalar
  return [
    'artifact_path: model',
    'flavors:',
    '  onnx:',
    '    code: null',
    '    data: model.onnx',
    '  python_function:',
    '    data: model.onnx',
    '    loader_module: mlflow.onnx',
    `model_size_bytes: ${size}`,
    `run_id: ${runId}`,
    'signature:',
    `  inputs: ${json(inputs)}`,
    `  outputs: ${json(outputs)}`,
    '  params: null',
    `utc_time_created: '${new Date().toISOString().replace('T', ' ').replace('Z', '')}'`,
    '',
  ].join('\n');
}

// ---- the run ----

async function main() {
  const started = Date.now();
  const { version, rows: all } = await loadDataset(args.dataset, args['dataset-version']);
  const ref = `${args.dataset}@${version.version}`;
  if (!all.some((r) => args.target in r)) fail(`dataset ${ref} has no column '${args.target}' (columns: ${Object.keys(all[0] ?? {}).join(', ')}).`);
  const rows = all.filter((r) => labelOf(r[args.target]) !== null);
  const labels = rows.map((r) => labelOf(r[args.target]));
  if (new Set(labels).size < 2) fail(`dataset ${ref}: column '${args.target}' needs both labels 0 and 1 (rows with a 0/1 label: ${rows.length}).`);

  // One generator, used in a fixed order (split, then noise): the seed fixes both.
  const random = rng(seed);
  const { train, test } = split(labels, TEST_SHARE, random);
  const trainRows = train.map((i) => rows[i]);
  const trainY = flipLabels(
    train.map((i) => labels[i]),
    labelNoise,
    random,
  );
  const features = fitFeatures(trainRows, columnsOf(rows, args.target));
  const fitStarted = Date.now();
  const fitted =
    args.model === 'gbdt'
      ? trainGbdt(trainRows, trainY, features)
      : fitLogistic(
          trainRows.map((r) => featuresOf(r, features)),
          trainY,
          { l2, epochs },
        );
  const fitMs = Date.now() - fitStarted;
  const testY = test.map((i) => labels[i]);
  const testP = test.map((i) =>
    args.model === 'gbdt' ? predictGbdt(fitted, treeFeaturesOf(rows[i], features)) : predict(fitted, featuresOf(rows[i], features)),
  );
  const metrics = { accuracy: accuracy(testY, testP), log_loss: logLoss(testY, testP), roc_auc: rocAuc(testY, testP) };

  // Attach to the launcher's run, or make one (then this script also finishes it).
  let runId = process.env.MLFLOW_RUN_ID;
  const ownRun = !runId;
  if (ownRun) {
    const made = await postJson('/api/2.0/mlflow/runs/create', {
      experiment_id: process.env.MLFLOW_EXPERIMENT_ID ?? '0',
      start_time: started,
      run_name: 'node-credit',
    });
    runId = made.run.info.run_id;
  }
  const run = (await getJson(`/api/2.0/mlflow/runs/get?run_id=${runId}`)).run;

  // A launcher logs the entry point's parameters as given; a parameter cannot be logged twice with another value
  // (1e-2 vs 0.01), so only the ones the run lacks are logged, plus what this script resolved.
  const have = new Set((run.data.params ?? []).map((p) => p.key));
  const params = {
    dataset: args.dataset,
    dataset_version: args['dataset-version'],
    target: args.target,
    registered_model: args['registered-model'],
    model: args.model,
    ...(args.model === 'gbdt'
      ? {
          n_estimators: args['n-estimators'],
          max_depth: args['max-depth'],
          learning_rate: args['learning-rate'],
          min_samples_leaf: args['min-samples-leaf'],
        }
      : { l2: args.l2, epochs: args.epochs }),
    label_noise: args['label-noise'],
    seed: args.seed,
    dataset_ref: ref,
    estimator: args.model === 'gbdt' ? 'GradientBoostedTrees' : 'LogisticRegression',
    n_train: train.length,
    n_test: test.length,
    ...(args.model === 'gbdt' ? { n_leaves: fitted.trees.reduce((s, t) => s + t.left.filter((l) => l === -1).length, 0) } : { newton_steps: fitted.steps }),
  };
  const now = Date.now();
  await postJson('/api/2.0/mlflow/runs/log-batch', {
    run_id: runId,
    params: Object.entries(params)
      .filter(([k]) => !have.has(k))
      .map(([key, value]) => ({ key, value: String(value) })),
    // roc_auc is null when the test rows hold one class only; never NaN in JSON.
    metrics: Object.entries(metrics)
      .filter(([, v]) => v !== null && Number.isFinite(v))
      .map(([key, value]) => ({ key, value, timestamp: now, step: 0 })),
  });

  // The dataset version as the run's training input, by Ferry's digest: Ferry's lineage joins them.
  await postJson('/api/2.0/mlflow/runs/log-inputs', {
    run_id: runId,
    datasets: [
      {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: {
          name: args.dataset,
          digest: version.digest,
          source_type: 'http',
          source: JSON.stringify({ url: `${TRACKING}/api/v1/datasets/${q(args.dataset)}/versions/${version.version}/file` }),
          profile: JSON.stringify({ num_rows: version.rows, num_elements: version.rows * version.columns }),
        },
      },
    ],
  });

  // The model: model.onnx, its MLmodel, and the weights in JSON (an independent check can recompute it).
  const onnx = args.model === 'gbdt' ? treeEnsembleOnnx({ ...features, ...fitted }) : logisticOnnx({ ...features, ...fitted });
  // test_rows: the held-out rows (0-based, among the rows with a label, in table order), so the metrics can be redone.
  const weights = {
    model: args.model,
    ...(args.model === 'gbdt'
      ? {
          // The trees read columns in this order: the numbers (imputed, not standardised), then the one-hot blocks.
          numeric: features.numeric.map(({ name, median }) => ({ name, median })),
          categorical: features.categorical,
          init: fitted.init,
          trees: fitted.trees,
          n_estimators: nEstimators,
          max_depth: maxDepth,
          learning_rate: learningRate,
          min_samples_leaf: minSamplesLeaf,
        }
      : { ...features, weights: fitted.weights, intercept: fitted.intercept, l2 }),
    target: args.target,
    dataset: ref,
    label_noise: labelNoise,
    test_rows: test,
  };
  await putArtifact(run.info.artifact_uri, 'model/model.onnx', onnx);
  await putArtifact(run.info.artifact_uri, 'model/weights.json', Buffer.from(JSON.stringify(weights, null, 2)));
  await putArtifact(run.info.artifact_uri, 'model/MLmodel', Buffer.from(mlmodelText(runId, onnx.length, features)));

  const model = args['registered-model'];
  try {
    await postJson('/api/2.0/mlflow/registered-models/create', { name: model });
  } catch (err) {
    if (!String(err.body).includes('RESOURCE_ALREADY_EXISTS')) throw err; // another run made it first: fine
  }
  const { model_version: mv } = await postJson('/api/2.0/mlflow/model-versions/create', { name: model, source: `runs:/${runId}/model`, run_id: runId });
  if (ownRun) await postJson('/api/2.0/mlflow/runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });

  const fmt = (v) => (v === null ? 'n/a' : v.toFixed(3));
  process.stdout.write(
    `run ${runId}: trained on ${ref} (${version.digest.slice(0, 12)}), ${train.length} train / ${test.length} test rows` +
      `${labelNoise > 0 ? `, ${Math.round(labelNoise * train.length)} training labels flipped` : ''}, ` +
      `${args.model === 'gbdt' ? `${fitted.trees.length} trees` : `${fitted.steps} Newton steps`} in ${fitMs} ms, ${Date.now() - started} ms in all; ` +
      `accuracy ${fmt(metrics.accuracy)}, log_loss ${fmt(metrics.log_loss)}, roc_auc ${fmt(metrics.roc_auc)}\n`,
  );
  process.stdout.write(`registered ${model} version ${mv.version}\n`);
}

/** The boosted trees on the training rows' tree features (one-hot columns split at 0.5 only). */
function trainGbdt(trainRows, trainY, features) {
  const binary = [...features.numeric.map(() => false), ...features.categorical.flatMap((c) => c.categories.map(() => true))];
  return fitGbdt(
    trainRows.map((r) => treeFeaturesOf(r, features)),
    trainY,
    { nEstimators, maxDepth, learningRate, minSamplesLeaf, binary },
  );
}

// A refusal from Ferry (no such dataset, no permission) ends the job with one line naming it, not a stack.
main().catch((err) => fail(err.message));
