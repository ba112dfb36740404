/**
 * References and drift for a deployment: a reference is a profile of the training data (a CSV / JSON Lines
 * file, or a past window of the deployment's own traffic); drift compares a window of live traffic to it.
 */
import { InvalidParameterError, NotFoundError } from '../errors.js';
import { instantField } from '../fields.js';
import type { Static } from '@sinclair/typebox';
import type { ReferenceSource as ReferenceSourceSchema } from '../contract/monitoring.js';
import {
  DatasetProfile,
  type DatasetProfileJSON,
  type DriftMethod,
  type FeatureDrift,
  type ProfileDriftOptions,
  type ProfileKind,
  featureDrift,
  profileDriftSummary,
} from '../stats/index.js';
import type { Store } from '../store/index.js';
import { datasetQuality } from './data-quality.js';
import type { MonitoringDataHooks } from './data-hooks.js';
import {
  type DeploymentExists,
  type MonitoringState,
  PROFILE_OPTIONS,
  type WindowProfile,
  predictionsWithFeedback,
  windowMs,
} from '../prediction-log/index.js';
import { MAX_JOINED_ROWS, performanceReport } from './performance.js';
import * as repo from './reference-repo.js';
import { readTableRows } from '../data/index.js';

export interface ModelFeatures {
  features: { name: string; kind: 'numerical' | 'categorical' }[];
  /** The output that is "the prediction" (the model's first output), if any. */
  prediction: string | null;
  /** The model version serving most of the traffic (whose training data can be the reference). */
  model?: { name: string; version: string };
}
/** What the live deployment's model takes and answers (throws when the deployment is not serving). */
export type FeatureSource = (deployment: string) => ModelFeatures;
/** Scores rows with the deployment's (first) model: the reference's predictions, when the table has none. */
export type ReferenceScorer = (deployment: string, rows: Record<string, unknown>[]) => Promise<{ version: string; outputs: Record<string, unknown>[] }>;

/** Where a reference came from (stored with it, answered as is). */
export type ReferenceSource = Static<typeof ReferenceSourceSchema>;

/** A time range: ISO 8601, epoch ms, or a duration ago; default the 24 h before `to` (default now). */
export interface WindowQuery {
  from?: string | number;
  to?: string | number;
}

export interface DriftQuery extends WindowQuery {
  /** Only this model version's traffic. */
  modelVersion?: string;
  /** Share of drifted features at which the dataset counts as drifted, in (0, 1]. */
  driftShare?: number;
  /** The drift test per feature. */
  methods?: Record<string, DriftMethod>;
}

/** The reference to build: a table (CSV / JSON Lines text), a dataset version, or a past window of traffic. */
export interface ReferenceInput extends WindowQuery {
  table?: { format: 'csv' | 'jsonl'; text: string };
  /** NAME@VERSION. */
  dataset?: string;
  /** The dataset version the serving model version was trained on. */
  trainingData?: boolean;
  /** The column holding predictions (else the live model scores the rows). */
  predictionColumn?: string;
}

/** A cell that would be a number (or missing) in a column read as numbers. */
const numberLike = (v: unknown) => v === null || typeof v === 'number' || (typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v));

/** Rows a reference table may have (they are held in memory while profiled). */
export const MAX_TABLE_ROWS = 5_000_000;

/** Rows of a dataset version the live model scores for the reference's prediction column. */
const REFERENCE_SCORE_ROWS = 5000;

/** Columns a reference file may use for the prediction besides the output's own name. */
const PREDICTION_ALIASES = ['prediction', 'target'];

export class DriftService {
  constructor(
    private readonly store: Store,
    private readonly state: MonitoringState,
    private readonly exists: DeploymentExists,
    private readonly featuresOf: FeatureSource,
    /** Writes the prediction log's queue, so a feedback join sees every request answered so far (profile reads sync through the state). */
    private readonly flush: () => Promise<void>,
    private readonly score: ReferenceScorer,
    private readonly clock: () => number = Date.now,
    private readonly data: MonitoringDataHooks | null = null,
  ) {}

  private async known(name: string): Promise<ModelFeatures> {
    if (!(await this.exists(name))) throw new NotFoundError(`Deployment '${name}' does not exist.`);
    return this.featuresOf(name);
  }

  private window(q: WindowQuery, defaultSpanMs: number): { from: number; to: number } {
    const now = this.clock();
    const to = q.to !== undefined && q.to !== '' ? instantField(q.to, 'to', now) : now;
    const from = q.from !== undefined && q.from !== '' ? instantField(q.from, 'from', now) : to - defaultSpanMs;
    if (from >= to) throw new InvalidParameterError('from', "'from' must be before 'to'.");
    return { from, to };
  }

  /** Builds and stores the deployment's reference; refuses a table whose columns do not fit the model. */
  async putReference(name: string, input: ReferenceInput, by: string): Promise<{ rows: number; columns: string[]; source: ReferenceSource }> {
    const model = await this.known(name);
    const schema: Record<string, ProfileKind> = Object.fromEntries(model.features.map((x) => [x.name, x.kind]));
    let profile: DatasetProfile;
    let source: ReferenceSource;
    if (input.table) {
      const { format, text } = input.table;
      // The data capability's reader, so a file `data push` takes is a reference too (delimiters, quoting, BOM)
      // and a malformed one is refused with the same message, naming line and column.
      const table = await readTableRows(text, { format, maxRows: MAX_TABLE_ROWS });
      const rows = table.rows;
      if (rows.length === 0) throw new InvalidParameterError('reference', 'The reference table has no rows.');
      const cols = new Set(table.columns.map((c) => c.name));
      const missing = model.features.map((x) => x.name).filter((c) => !cols.has(c));
      if (missing.length)
        throw new InvalidParameterError(
          'reference',
          `The reference lacks the model's feature${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (it has ${[...cols].join(', ')}).`,
        );
      const asked = input.predictionColumn || undefined;
      if (asked !== undefined && !cols.has(asked)) throw new InvalidParameterError('prediction_column', `The reference has no column '${asked}'.`);
      const predCol = asked ?? [model.prediction, ...PREDICTION_ALIASES].find((c) => c !== null && cols.has(c!));
      profile = new DatasetProfile({ ...PROFILE_OPTIONS, schema });
      for (const r of rows) {
        const rec: Record<string, unknown> = {};
        for (const x of model.features) rec[x.name] = r[x.name];
        profile.updateRow(rec);
      }
      for (const x of model.features) {
        const type = table.columns.find((c) => c.name === x.name)?.type;
        if (x.kind === 'numerical' && type !== 'integer' && type !== 'float') {
          // One word in a numeric column makes the reader type the whole column as text: count and point at the
          // values that are not numbers, not at every cell.
          const bad = rows.flatMap((r, i) => (numberLike(r[x.name]) ? [] : [i]));
          const first = bad.length ? ` (first at ${table.where(bad[0]!)}: ${JSON.stringify(rows[bad[0]!]![x.name])})` : '';
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
      const scored =
        !predCol && model.prediction
          ? await this.score(
              name,
              rows.map((r) => Object.fromEntries(model.features.map((x) => [x.name, r[x.name]]))),
            )
          : null;
      if (model.prediction) {
        const col = profile.column(model.prediction, 0);
        rows.forEach((r, i) => col.update(predCol ? r[predCol] : scored?.outputs[i]?.[model.prediction!]));
      }
      source = {
        kind: 'file',
        format,
        rows: rows.length,
        prediction: predCol ? { column: predCol } : scored ? { scored_by_model_version: scored.version } : null,
      };
    } else if (input.dataset !== undefined || input.trainingData !== undefined) {
      ({ profile, source } = await this.fromDataset(name, input, model, schema));
    } else if (input.from !== undefined) {
      const w = this.window(input, 86_400_000);
      const merged = await this.state.profiles(name, w.from, w.to);
      if (merged.size === 0)
        throw new InvalidParameterError(
          'from',
          `No traffic of '${name}' was profiled between ${new Date(w.from).toISOString()} and ${new Date(w.to).toISOString()}.`,
        );
      profile = this.asReference([...merged.values()], model);
      source = { kind: 'window', from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() };
    } else {
      throw new InvalidParameterError(
        'reference',
        'Send the reference as a CSV (text/csv) or JSON Lines (application/x-ndjson) body, or {"from": ..., "to": ...} for a past window of this deployment.',
      );
    }
    await repo.putReference(this.store.db, {
      deployment: name,
      source: JSON.stringify(source),
      rows: profile.rows,
      profile: JSON.stringify(profile.toJSON()),
      created_at: this.clock(),
      created_by: by,
    });
    return { rows: profile.rows, columns: [...profile.columns.keys()], source };
  }

  /**
   * A dataset version as the reference: `dataset: NAME@VERSION`, or `training_data: true` for the version the
   * serving model version was trained on (lineage). Its stored profile gives the features; the prediction comes
   * from `prediction_column` if the file has it, else the live model scores a uniform sample of its rows.
   */
  private async fromDataset(
    name: string,
    input: ReferenceInput,
    model: ModelFeatures,
    schema: Record<string, ProfileKind>,
  ): Promise<{ profile: DatasetProfile; source: ReferenceSource }> {
    if (!this.data) throw new InvalidParameterError('dataset', 'This server has no datasets.');
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
    const ds = await this.data.datasetReference(spec).catch((err: unknown) => {
      // An unknown dataset or version is a bad field of this request, not a missing deployment.
      if (err instanceof NotFoundError) throw new InvalidParameterError(field, err.message);
      throw err;
    });
    const p = new DatasetProfile({ ...PROFILE_OPTIONS, schema });
    p.columns.clear();
    p.rows = ds.rows;
    for (const x of model.features) {
      const col = ds.profile.columns.get(x.name);
      if (!col)
        throw new InvalidParameterError(field, `${ds.ref} lacks the model's feature '${x.name}' (it has ${[...ds.profile.columns.keys()].join(', ')}).`);
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
      const scored = await this.score(
        name,
        rows.map((r) => Object.fromEntries(model.features.map((x) => [x.name, r[x.name]]))),
      );
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
  private asReference(windows: WindowProfile[], model: ModelFeatures): DatasetProfile {
    const acc = windows.reduce((a, w) => a.merge(w));
    const p = acc.inputs.clone();
    if (model.prediction && acc.outputs.columns.has(model.prediction)) p.columns.set(model.prediction, acc.outputs.column(model.prediction).clone());
    return p;
  }

  async getReference(name: string) {
    await this.known(name);
    const row = await repo.getReference(this.store.db, name);
    if (!row) throw new NotFoundError(`Deployment '${name}' has no reference yet (PUT /api/v1/deployments/${name}/reference).`);
    return {
      row,
      source: JSON.parse(row.source) as ReferenceSource,
      profile: DatasetProfile.fromJSON(JSON.parse(row.profile) as DatasetProfileJSON, PROFILE_OPTIONS),
    };
  }

  /** The reference as answered: source, rows and a per-column summary. */
  async describeReference(name: string) {
    const { row, source, profile } = await this.getReference(name);
    return {
      rows: Number(row.rows),
      source,
      created_at: new Date(Number(row.created_at)).toISOString(),
      created_by: row.created_by,
      columns: profile.summary().columns,
    };
  }

  private options(q: DriftQuery): ProfileDriftOptions {
    const out: ProfileDriftOptions = {};
    if (q.driftShare !== undefined) {
      if (!(q.driftShare > 0 && q.driftShare <= 1)) throw new InvalidParameterError('drift_share', "'drift_share' must be a number in (0, 1].");
      out.driftShare = q.driftShare;
    }
    if (q.methods) out.methods = q.methods;
    return out;
  }

  private compare(ref: DatasetProfile, cur: WindowProfile, model: ModelFeatures, opts: ProfileDriftOptions) {
    const features: (FeatureDrift | { name: string; drifted: null; note: string })[] = [];
    for (const x of model.features) {
      const r = ref.columns.get(x.name);
      const d = r ? featureDrift(x.name, r, cur.inputs.column(x.name), opts) : null;
      features.push(d ?? { name: x.name, drifted: null, note: r ? 'no values in the reference or the current window' : 'not in the reference' });
    }
    const p = model.prediction;
    const prediction = p && ref.columns.has(p) ? featureDrift(p, ref.columns.get(p)!, cur.outputs.column(p), opts) : null;
    const judged = features.filter((x): x is FeatureDrift => x.drifted !== null);
    return { ...profileDriftSummary(judged, opts.driftShare ?? 0.5), features, prediction };
  }

  /** Drift of [from, to) (default the last 24 h) against the stored reference, per feature and for the prediction. */
  async drift(name: string, q: DriftQuery = {}) {
    const model = await this.known(name);
    const { profile: ref, row, source } = await this.getReference(name);
    const w = this.window(q, 86_400_000);
    const version = q.modelVersion || undefined;
    const merged = [...(await this.state.profiles(name, w.from, w.to, version)).values()];
    if (merged.length === 0)
      throw new NotFoundError(`No traffic of '${name}' was profiled between ${new Date(w.from).toISOString()} and ${new Date(w.to).toISOString()}.`);
    const cur = merged.reduce((a, b) => a.merge(b));
    return {
      deployment: name,
      from: new Date(w.from).toISOString(),
      to: new Date(w.to).toISOString(),
      ...(version ? { model_version: version } : {}),
      reference: { rows: Number(row.rows), source, created_at: new Date(Number(row.created_at)).toISOString() },
      current: { rows: cur.inputs.rows, requests: cur.counts.requests },
      ...this.compare(ref, cur, model, this.options(q)),
    };
  }

  /** The same per window, for charts: statistic and verdict per feature and window. */
  async driftWindows(name: string, q: Omit<DriftQuery, 'modelVersion'> = {}) {
    const model = await this.known(name);
    const { profile: ref } = await this.getReference(name);
    const w = this.window(q, 86_400_000);
    const opts = this.options(q);
    const series = await this.state.windowSeries(name, w.from, w.to);
    return {
      deployment: name,
      windows: series.map(({ start, profile }) => {
        const r = this.compare(ref, profile, model, opts);
        return {
          start: new Date(start).toISOString(),
          rows: profile.inputs.rows,
          dataset_drift: r.dataset_drift,
          share_drifted: r.share_drifted,
          features: r.features.map((x) => ({
            name: x.name,
            method: 'method' in x ? x.method : null,
            statistic: 'statistic' in x ? x.statistic : null,
            drifted: x.drifted,
          })),
          prediction: r.prediction ? { statistic: r.prediction.statistic, drifted: r.prediction.drifted } : null,
        };
      }),
    };
  }

  /** Data quality per feature for the whole range and per window; range and category checks need a reference. */
  async quality(name: string, q: WindowQuery = {}) {
    const model = await this.known(name);
    const ref = (await repo.getReference(this.store.db, name)) ? (await this.getReference(name)).profile : null;
    const w = this.window(q, 86_400_000);
    const series = await this.state.windowSeries(name, w.from, w.to);
    const names = model.features.map((x) => x.name);
    const span = windowMs(this.state.settingsFor(name));
    const now = this.clock();
    const windows = [];
    for (const { start, profile } of series) {
      // Attached suites run on each window; a finished window's result is recorded (once) for history and alerts.
      const validations = this.data ? await this.data.validateTraffic(name, { start, end: start + span, complete: start + span <= now }, profile.inputs) : [];
      windows.push({ start: new Date(start).toISOString(), rows: profile.inputs.rows, features: datasetQuality(names, profile.inputs, ref), validations });
    }
    // Merging mutates the first window's profile, so the total comes after the per-window figures.
    const total = series.length ? series.map((s) => s.profile).reduce((a, b) => a.merge(b)) : null;
    const validations = total && this.data ? await this.data.validateTraffic(name, { start: w.from, end: w.to, complete: false }, total.inputs) : [];
    return {
      deployment: name,
      from: new Date(w.from).toISOString(),
      to: new Date(w.to).toISOString(),
      has_reference: ref !== null,
      features: total ? datasetQuality(names, total.inputs, ref) : [],
      validations,
      windows,
    };
  }

  /** Runs the deployment's attached suites on its recently finished windows (each recorded once). */
  async validateFinishedWindows(name: string): Promise<void> {
    if (!this.data || !(await this.data.hasSuites(name))) return;
    const span = windowMs(this.state.settingsFor(name));
    const now = this.clock();
    // The last few windows: enough to catch up after a pause of the job, few enough to stay cheap.
    for (const { start, profile } of await this.state.windowSeries(name, now - 4 * span, now)) {
      if (start + span <= now) await this.data.validateTraffic(name, { start, end: start + span, complete: true }, profile.inputs);
    }
  }

  /** Live performance from feedback, per model version and per profile window (default: the last 24 h). */
  async performance(name: string, q: WindowQuery = {}) {
    const model = await this.known(name);
    const w = this.window(q, 86_400_000);
    await this.flush();
    const rows = await predictionsWithFeedback(this.store.db, name, w.from, w.to, MAX_JOINED_ROWS + 1);
    const span = windowMs(this.state.settingsFor(name));
    return {
      deployment: name,
      from: new Date(w.from).toISOString(),
      to: new Date(w.to).toISOString(),
      prediction: model.prediction,
      ...performanceReport(rows, model.prediction, span),
    };
  }
}
