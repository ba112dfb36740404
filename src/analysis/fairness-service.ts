/**
 * Offline fairness: a dataset version scored by a model version (serving's scoreVersion, as the loops' offline gate
 * scores a holdout), analysed by group (fairness-report.ts) and stored in fairness_reports with its request and the
 * scored rows, so the model card and the approval gates read the evidence as computed — never a silent recompute.
 */
import type { Static } from '@sinclair/typebox';
import {
  FAIRNESS_METRIC_ALIASES,
  FAIRNESS_METRICS,
  MISSING_GROUP,
  type FairnessReport,
  type FairnessReportSummary,
  type FairnessRequest,
  type FairnessSpec,
} from '../contract/fairness.js';
import { type DatasetService, readTableRows } from '../data/index.js';
import { InvalidParameterError, NotFoundError } from '../errors.js';
import { type ModelLoader, scoreVersion, versionSignature } from '../serving/index.js';
import { DEFAULT_BOOTSTRAP_REPLICATES, DEFAULT_BOOTSTRAP_SEED, DEFAULT_MIN_GROUP_SIZE, type FairnessLabel, type MetricName } from '../stats/index.js';
import type { Store } from '../store/index.js';
import type { ScoredColumns } from './fairness-report.js';
import { analysesInThread } from './fairness-thread.js';
import { FairnessRepo, type StoredFairnessReport } from './fairness-repo.js';

export type FairnessReportOut = Static<typeof FairnessReport>;
export type FairnessReportSummaryOut = Static<typeof FairnessReportSummary>;
export type FairnessRequestIn = Static<typeof FairnessRequest>;
type Spec = Static<typeof FairnessSpec>;

export const DEFAULT_FAIRNESS_METRICS: MetricName[] = ['selection_rate', 'accuracy', 'true_positive_rate', 'false_positive_rate'];
/** Rows a dataset version may have to be analysed (they are scored and held in memory). */
export const DEFAULT_MAX_FAIRNESS_ROWS = 200_000;
/** The largest id fairness_reports.id (a serial: int4 on PostgreSQL) can hold. */
const MAX_REPORT_ID = 2_147_483_647;

export interface FairnessDeps {
  store: Store;
  loader: ModelLoader;
  datasets: DatasetService;
  clock?: () => number;
  maxRows?: number;
}

const isLabel = (v: unknown): v is FairnessLabel => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** The model's predicted label in one row of outputs: the named output, else the first scalar one (skl2onnx's `label`). */
export function predictionOutput(outputs: Record<string, unknown>, named: string | undefined): string | null {
  if (named !== undefined) return Object.hasOwn(outputs, named) ? named : null;
  for (const [k, v] of Object.entries(outputs)) if (isLabel(v) || (Array.isArray(v) && v.length === 1 && isLabel(v[0]))) return k;
  return null;
}

export const labelOf = (v: unknown): FairnessLabel | null => (isLabel(v) ? v : Array.isArray(v) && v.length === 1 && isLabel(v[0]) ? v[0] : null);

function metricsOf(raw: string[] | undefined): MetricName[] {
  if (raw === undefined) return DEFAULT_FAIRNESS_METRICS;
  const out: MetricName[] = [];
  raw.forEach((m, i) => {
    const name = (FAIRNESS_METRIC_ALIASES as Record<string, string>)[m] ?? m;
    if (!(FAIRNESS_METRICS as readonly string[]).includes(name))
      throw new InvalidParameterError(`metrics[${i}]`, `'metrics[${i}]' '${m}' is not a fairness metric.`);
    if (!out.includes(name as MetricName)) out.push(name as MetricName);
  });
  return out;
}

const kinds = (xs: FairnessLabel[]) => [...new Set(xs.map((x) => typeof x))].sort().join('/');

export class FairnessService {
  readonly repo: FairnessRepo;
  private readonly clock: () => number;
  private readonly maxRows: number;

  constructor(private readonly d: FairnessDeps) {
    this.repo = new FairnessRepo(d.store);
    this.clock = d.clock ?? Date.now;
    this.maxRows = d.maxRows ?? DEFAULT_MAX_FAIRNESS_ROWS;
  }

  /** Scores the dataset version with the model version, analyses it by group, stores and answers the report. */
  async create(model: string, version: string, body: FairnessRequestIn, by: string): Promise<FairnessReportOut> {
    await this.d.loader.resolve({ model, version }); // 404 for a model or version that does not exist
    const metrics = metricsOf(body.metrics);
    const features = body.sensitive_features;
    if (features.includes(body.label))
      throw new InvalidParameterError('sensitive_features', `'sensitive_features' must not include the label '${body.label}'.`);
    const bootstrap = body.bootstrap
      ? {
          samples: body.bootstrap.samples ?? DEFAULT_BOOTSTRAP_REPLICATES,
          seed: body.bootstrap.seed ?? DEFAULT_BOOTSTRAP_SEED,
          level: body.bootstrap.level ?? 0.95,
        }
      : null;
    const minGroupSize = body.min_group_size ?? DEFAULT_MIN_GROUP_SIZE;
    const posLabel = body.pos_label ?? null;

    const ref = String(body.dataset_version);
    const row = await this.d.datasets.resolve(body.dataset, ref, 'dataset_version');
    const datasetVersion = Number(row.version);
    // From the recorded row count, before the file is buffered: a large version would exhaust memory first.
    if (Number(row.rows) > this.maxRows)
      throw new InvalidParameterError(
        'dataset_version',
        `${body.dataset} version ${datasetVersion} has ${Number(row.rows)} rows; a fairness report scores at most ${this.maxRows}.`,
      );
    const opened = await this.d.datasets.open(body.dataset, String(datasetVersion));
    const chunks: Buffer[] = [];
    for await (const c of opened.stream) chunks.push(c as Buffer);
    const table = await readTableRows(Buffer.concat(chunks), { format: opened.format as 'csv', maxRows: this.maxRows });
    const columns = new Set(table.columns.map((c) => c.name));
    if (!columns.has(body.label))
      throw new InvalidParameterError('label', `'label' '${body.label}' is not a column of ${body.dataset} version ${datasetVersion}.`);
    features.forEach((f, i) => {
      if (!columns.has(f))
        throw new InvalidParameterError(
          `sensitive_features[${i}]`,
          `'sensitive_features[${i}]' '${f}' is not a column of ${body.dataset} version ${datasetVersion}.`,
        );
    });

    const weightColumn = body.sample_weight;
    if (weightColumn !== undefined) {
      if (!columns.has(weightColumn))
        throw new InvalidParameterError('sample_weight', `'sample_weight' '${weightColumn}' is not a column of ${body.dataset} version ${datasetVersion}.`);
      if (weightColumn === body.label || features.includes(weightColumn))
        throw new InvalidParameterError('sample_weight', `'sample_weight' '${weightColumn}' is the label or a sensitive feature; name a column of weights.`);
    }

    const sig = await versionSignature(this.d.loader, model, version);
    const missing = sig.features.filter((f) => !columns.has(f));
    if (missing.length) throw new InvalidParameterError('dataset', `${body.dataset} version ${datasetVersion} lacks the model's inputs ${missing.join(', ')}.`);
    const missingSensitive = body.missing_sensitive ?? 'group';
    const withLabel = table.rows.filter((r) => isLabel(r[body.label]));
    const rowsWithoutLabel = table.rows.length - withLabel.length;
    const isMissing = (r: Record<string, unknown>) => features.some((f) => !isLabel(r[f]));
    const rowsMissingSensitive = withLabel.filter(isMissing).length;
    // 'refuse' passes missing values on: the statistics refuse them, naming the feature and row (as Fairlearn raises).
    const labelled = missingSensitive === 'drop' ? withLabel.filter((r) => !isMissing(r)) : withLabel;
    const sensitiveOf = (v: unknown) => (missingSensitive === 'group' && !isLabel(v) ? MISSING_GROUP : (v as FairnessLabel));
    if (labelled.length === 0)
      throw new InvalidParameterError(
        'label',
        `No row of ${body.dataset} version ${datasetVersion} has a value in '${body.label}'${missingSensitive === 'drop' ? ' and every sensitive feature' : ''}.`,
      );
    // Weights are read before scoring: a bad one is refused without running the model.
    const weights =
      weightColumn === undefined
        ? undefined
        : labelled.map((r, i) => {
            const w = r[weightColumn];
            if (typeof w !== 'number' || !Number.isFinite(w) || w < 0)
              throw new InvalidParameterError(
                'sample_weight',
                `'sample_weight' column '${weightColumn}' must hold a finite number ≥ 0 in every row scored; scored row ${i + 1} holds ${JSON.stringify(w ?? null)}.`,
              );
            return w;
          });
    const inputs = labelled.map((r) => Object.fromEntries(sig.features.map((f) => [f, r[f]])));
    const { outputs } = await scoreVersion(this.d.loader, model, version, inputs);
    const prediction = predictionOutput(outputs[0] ?? {}, body.prediction);
    if (prediction === null) {
      throw new InvalidParameterError(
        'prediction',
        body.prediction !== undefined
          ? `'prediction' '${body.prediction}' is not an output of ${model} version ${version} (it answers ${Object.keys(outputs[0] ?? {}).join(', ')}).`
          : `${model} version ${version} answers no scalar output to read as the predicted label; name one in 'prediction'.`,
      );
    }
    const yPred = outputs.map((o, i) => {
      const v = labelOf(o[prediction]);
      if (v === null) throw new InvalidParameterError('prediction', `Output '${prediction}' of row ${i} is not a label.`);
      return v;
    });
    const cols: ScoredColumns = {
      yTrue: labelled.map((r) => r[body.label] as FairnessLabel),
      yPred,
      sensitive: Object.fromEntries(features.map((f) => [f, labelled.map((r) => sensitiveOf(r[f]))])),
      ...(weights ? { weights } : {}),
    };
    const { analyses: result, notes } = await analysesInThread(cols, features, { metrics, posLabel, minGroupSize, bootstrap });
    if (rowsWithoutLabel > 0) notes.push(`${rowsWithoutLabel} rows without a value in '${body.label}' were left out.`);
    if (rowsMissingSensitive > 0) {
      notes.push(
        missingSensitive === 'drop'
          ? `${rowsMissingSensitive} rows with a missing sensitive value were left out.`
          : `${rowsMissingSensitive} rows with a missing sensitive value are in the group '${MISSING_GROUP}'.`,
      );
    }
    if (kinds(cols.yTrue) !== kinds(cols.yPred)) {
      notes.push(`The labels are ${kinds(cols.yTrue)} and the predictions ${kinds(cols.yPred)}: values of different kinds never match (as in Fairlearn).`);
    }

    const spec: Spec = {
      dataset: body.dataset,
      dataset_version: datasetVersion,
      label: body.label,
      prediction,
      sensitive_features: features,
      metrics,
      pos_label: posLabel,
      min_group_size: minGroupSize,
      missing_sensitive: missingSensitive,
      sample_weight: weightColumn ?? null,
      bootstrap,
    };
    const stored = {
      n_rows: cols.yPred.length,
      rows_without_label: rowsWithoutLabel,
      rows_missing_sensitive: rowsMissingSensitive,
      analyses: result,
      notes,
    };
    const rows = { y_true: cols.yTrue, y_pred: cols.yPred, sensitive: cols.sensitive, ...(weights ? { sample_weight: weights } : {}) };
    const createdAt = this.clock();
    const id = await this.repo.insert({
      model,
      version,
      dataset: body.dataset,
      dataset_version: datasetVersion,
      spec: JSON.stringify(spec),
      result: JSON.stringify(stored),
      scored_rows: JSON.stringify(rows),
      created_at: createdAt,
      created_by: by,
    });
    return this.reportOf(
      { id, model, version, dataset: body.dataset, dataset_version: datasetVersion, spec: '', result: '', created_at: createdAt, created_by: by },
      spec,
      { ...stored, rows },
    );
  }

  private reportOf(
    r: StoredFairnessReport,
    spec: Spec,
    stored: Omit<FairnessReportOut, 'id' | 'model' | 'version' | 'dataset' | 'dataset_version' | 'created_at' | 'created_by' | 'spec'>,
  ): FairnessReportOut {
    return {
      id: r.id,
      model: r.model,
      version: r.version,
      dataset: r.dataset,
      dataset_version: r.dataset_version,
      created_at: new Date(r.created_at).toISOString(),
      created_by: r.created_by,
      spec,
      ...stored,
    };
  }

  /** A stored report as answered, without its scored rows. */
  parse(r: StoredFairnessReport): FairnessReportOut {
    return this.reportOf(r, JSON.parse(r.spec) as Spec, JSON.parse(r.result) as Omit<FairnessReportOut, 'rows'>);
  }

  async get(model: string, version: string, id: number, withRows = false): Promise<FairnessReportOut> {
    // Ids are a serial (32-bit integer on PostgreSQL, which refuses a larger parameter with an error): none is larger.
    const r = id <= MAX_REPORT_ID ? await this.repo.get(model, version, id) : null;
    if (!r) throw new NotFoundError(`Fairness report ${id} of ${model} version ${version} does not exist.`);
    const report = this.parse(r);
    if (withRows) report.rows = JSON.parse((await this.repo.scoredRows(id))!) as FairnessReportOut['rows'];
    return report;
  }

  async list(model: string, version: string): Promise<FairnessReportSummaryOut[]> {
    await this.d.loader.resolve({ model, version });
    return (await this.repo.list(model, version)).map((r) => {
      const rep = this.parse(r);
      const first = rep.analyses[0]!;
      return {
        id: rep.id,
        model: rep.model,
        version: rep.version,
        dataset: rep.dataset,
        dataset_version: rep.dataset_version,
        sensitive_features: rep.spec.sensitive_features,
        n_rows: rep.n_rows,
        demographic_parity_ratio: first.parity.demographic_parity_ratio.between_groups,
        four_fifths_flagged: first.four_fifths.flagged,
        created_at: rep.created_at,
        created_by: rep.created_by,
      };
    });
  }
}
