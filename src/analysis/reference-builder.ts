/**
 * Building a deployment's reference profile from what the user names: a table sent in the request (CSV / JSON
 * Lines), a dataset version, or past windows of the deployment's own traffic. The model's features decide the
 * columns; the prediction column comes from the data, or the live model scores it (\`score\`).
 */
import { InvalidParameterError, NotFoundError } from '../errors.js';
import { readTableRows } from '../data/index.js';
import { PROFILE_OPTIONS, type WindowProfile } from '../prediction-log/index.js';
import { DatasetProfile, type ProfileKind } from '../stats/index.js';
import type { MonitoringDataHooks } from './data-hooks.js';
import type { ModelFeatures, ReferenceInput, ReferenceSource } from './analysis-types.js';

/** Rows a reference table may have (they are held in memory while profiled). */
export const MAX_TABLE_ROWS = 5_000_000;

/** Rows of a dataset version the live model scores for the reference's prediction column. */
const REFERENCE_SCORE_ROWS = 5000;

/** Columns a reference file may use for the prediction besides the output's own name. */
const PREDICTION_ALIASES = ['prediction', 'target'];

/** A cell that would be a number (or missing) in a column read as numbers. */
const numberLike = (v: unknown) => v === null || typeof v === 'number' || (typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v));

/** The live model scoring feature rows: its version and one output record per row. */
type Score = (rows: Record<string, unknown>[]) => Promise<{ version: string; outputs: Record<string, unknown>[] }>;

interface Built {
  profile: DatasetProfile;
  source: ReferenceSource;
}

/** A table sent in the request; refuses one whose columns do not fit the model. */
export async function referenceFromTable(
  table: { format: 'csv' | 'jsonl'; text: string },
  predictionColumn: string | undefined,
  model: ModelFeatures,
  schema: Record<string, ProfileKind>,
  score: Score,
): Promise<Built> {
  const { format, text } = table;
  // The data capability's reader, so a file `data push` takes is a reference too (delimiters, quoting, BOM)
  // and a malformed one is refused with the same message, naming line and column.
  const read = await readTableRows(text, { format, maxRows: MAX_TABLE_ROWS });
  const rows = read.rows;
  if (rows.length === 0) throw new InvalidParameterError('reference', 'The reference table has no rows.');
  const cols = new Set(read.columns.map((c) => c.name));
  const missing = model.features.map((x) => x.name).filter((c) => !cols.has(c));
  if (missing.length)
    throw new InvalidParameterError(
      'reference',
      `The reference lacks the model's feature${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (it has ${[...cols].join(', ')}).`,
    );
  const asked = predictionColumn || undefined;
  if (asked !== undefined && !cols.has(asked)) throw new InvalidParameterError('prediction_column', `The reference has no column '${asked}'.`);
  const predCol = asked ?? [model.prediction, ...PREDICTION_ALIASES].find((c) => c !== null && cols.has(c!));
  const profile = new DatasetProfile({ ...PROFILE_OPTIONS, schema });
  for (const r of rows) {
    const rec: Record<string, unknown> = {};
    for (const x of model.features) rec[x.name] = r[x.name];
    profile.updateRow(rec);
  }
  for (const x of model.features) {
    const type = read.columns.find((c) => c.name === x.name)?.type;
    if (x.kind === 'numerical' && type !== 'integer' && type !== 'float') {
      // One word in a numeric column makes the reader type the whole column as text: count and point at the
      // values that are not numbers, not at every cell.
      const bad = rows.flatMap((r, i) => (numberLike(r[x.name]) ? [] : [i]));
      const first = bad.length ? ` (first at ${read.where(bad[0]!)}: ${JSON.stringify(rows[bad[0]!]![x.name])})` : '';
      throw new InvalidParameterError(
        'reference',
        `Column '${x.name}' has ${bad.length} value(s) that are not numbers${first}; the model takes numerical values there.`,
      );
    }
    const bad = profile.column(x.name).typeErrors;
    if (bad > 0)
      throw new InvalidParameterError(
        'reference',
        `Column '${x.name}' has ${bad} value(s) that are not ${x.kind === 'numerical' ? 'numbers' : 'categories'}; the model takes ${x.kind} values there.`,
      );
  }
  // Without a prediction column, the live model scores the table, so prediction drift compares like with like.
  const scored = !predCol && model.prediction ? await score(rows.map((r) => Object.fromEntries(model.features.map((x) => [x.name, r[x.name]])))) : null;
  if (model.prediction) {
    const col = profile.column(model.prediction, 0);
    rows.forEach((r, i) => col.update(predCol ? r[predCol] : scored?.outputs[i]?.[model.prediction!]));
  }
  const source: ReferenceSource = {
    kind: 'file',
    format,
    rows: rows.length,
    prediction: predCol ? { column: predCol } : scored ? { scored_by_model_version: scored.version } : null,
  };
  return { profile, source };
}

/**
 * A dataset version as the reference: `dataset: NAME@VERSION`, or `training_data: true` for the version the
 * serving model version was trained on (lineage). Its stored profile gives the features; the prediction comes
 * from `prediction_column` if the file has it, else the live model scores a uniform sample of its rows.
 */
export async function referenceFromDataset(
  data: MonitoringDataHooks | null,
  name: string,
  input: ReferenceInput,
  model: ModelFeatures,
  schema: Record<string, ProfileKind>,
  score: Score,
): Promise<Built> {
  if (!data) throw new InvalidParameterError('dataset', 'This server has no datasets.');
  const field = input.dataset !== undefined ? 'dataset' : 'training_data';
  let spec: Parameters<MonitoringDataHooks['datasetReference']>[0];
  if (input.dataset !== undefined) {
    if (input.dataset === '') throw new InvalidParameterError('dataset', "'dataset' must be NAME@VERSION.");
    spec = { dataset: input.dataset };
  } else {
    if (input.trainingData !== true) throw new InvalidParameterError('training_data', "'training_data' must be true.");
    if (!model.model) throw new InvalidParameterError('training_data', `Deployment '${name}' serves no model version yet.`);
    spec = { trainingOf: { model: model.model.name, version: model.model.version } };
  }
  const ds = await data.datasetReference(spec).catch((err: unknown) => {
    // An unknown dataset or version is a bad field of this request, not a missing deployment.
    if (err instanceof NotFoundError) throw new InvalidParameterError(field, err.message);
    throw err;
  });
  const p = new DatasetProfile({ ...PROFILE_OPTIONS, schema });
  p.columns.clear();
  p.rows = ds.rows;
  for (const x of model.features) {
    const col = ds.profile.columns.get(x.name);
    if (!col) throw new InvalidParameterError(field, `${ds.ref} lacks the model's feature '${x.name}' (it has ${[...ds.profile.columns.keys()].join(', ')}).`);
    if (col.kind !== 'unknown' && col.kind !== x.kind)
      throw new InvalidParameterError(field, `Column '${x.name}' of ${ds.ref} is ${col.kind}; the model takes ${x.kind} values there.`);
    p.columns.set(x.name, col.clone());
  }
  let prediction: Extract<ReferenceSource, { kind: 'dataset' }>['prediction'] = null;
  const asked = input.predictionColumn || undefined;
  if (asked !== undefined && !ds.profile.columns.has(asked)) throw new InvalidParameterError('prediction_column', `${ds.ref} has no column '${asked}'.`);
  if (model.prediction && asked) {
    p.columns.set(model.prediction, ds.profile.columns.get(asked)!.clone());
    prediction = { column: asked };
  } else if (model.prediction) {
    const rows = await ds.sampleRows(REFERENCE_SCORE_ROWS);
    const scored = await score(rows.map((r) => Object.fromEntries(model.features.map((x) => [x.name, r[x.name]]))));
    const col = p.column(model.prediction, 0);
    // A sample's predictions stand for the whole version: drift tests use shares, not counts.
    for (const o of scored.outputs) col.update(o[model.prediction]);
    col.addNulls(Math.max(0, p.rows - col.count));
    prediction = { scored_by_model_version: scored.version, sample_rows: rows.length };
  }
  return {
    profile: p,
    source: {
      kind: 'dataset',
      dataset: ds.ref,
      rows: ds.rows,
      ...(field === 'training_data' ? { training_data_of: `${model.model!.name}/${model.model!.version}` } : {}),
      prediction,
    },
  };
}

/** Traffic profiles as one reference: inputs, plus the prediction column from the outputs. */
export function referenceFromWindows(windows: WindowProfile[], model: ModelFeatures): DatasetProfile {
  const acc = windows.reduce((a, w) => a.merge(w));
  const p = acc.inputs.clone();
  if (model.prediction && acc.outputs.columns.has(model.prediction)) p.columns.set(model.prediction, acc.outputs.column(model.prediction).clone());
  return p;
}
