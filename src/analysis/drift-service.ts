/**
 * References and drift for a deployment: a reference is a profile of the training data (a CSV / JSON Lines
 * file, or a past window of the deployment's own traffic); drift compares a window of live traffic to it.
 */
import { InvalidParameterError, NotFoundError } from '../errors.js';
import { instantField } from '../fields.js';
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
import type { FeatureSource, ModelFeatures, ReferenceInput, ReferenceScorer, ReferenceSource, WindowQuery } from './analysis-types.js';

export type { FeatureSource, ModelFeatures, ReferenceInput, ReferenceScorer, ReferenceSource, WindowQuery } from './analysis-types.js';
import { referenceFromDataset, referenceFromTable, referenceFromWindows } from './reference-builder.js';

export interface DriftQuery extends WindowQuery {
  /** Only this model version's traffic. */
  modelVersion?: string;
  /** Share of drifted features at which the dataset counts as drifted, in (0, 1]. */
  driftShare?: number;
  /** The drift test per feature. */
  methods?: Record<string, DriftMethod>;
}

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
      ({ profile, source } = await referenceFromTable(input.table, input.predictionColumn, model, schema, (rows) => this.score(name, rows)));
    } else if (input.dataset !== undefined || input.trainingData !== undefined) {
      ({ profile, source } = await referenceFromDataset(this.data, name, input, model, schema, (rows) => this.score(name, rows)));
    } else if (input.from !== undefined) {
      const w = this.window(input, 86_400_000);
      const merged = await this.state.profiles(name, w.from, w.to);
      if (merged.size === 0)
        throw new InvalidParameterError(
          'from',
          `No traffic of '${name}' was profiled between ${new Date(w.from).toISOString()} and ${new Date(w.to).toISOString()}.`,
        );
      profile = referenceFromWindows([...merged.values()], model);
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
      ...(await performanceReport(rows, model.prediction, span)),
    };
  }
}
