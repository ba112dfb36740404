/**
 * Estimated performance of a deployment per window (CBPE, binary): the answered predictions of the serving model
 * version, read from the prediction log, with the model's probabilities and predicted labels; label feedback joined
 * where it has arrived (at query time, so late labels count in their prediction's window). Estimates come from the
 * estimator fitted on the labelled reference (estimated-performance-reference.ts).
 */
import type { Static } from '@sinclair/typebox';
import type { EstimatedPerformance, EstimatedPerformanceQuery, EstimatedWindow } from '../contract/estimated-performance.js';
import { windowRange } from './window-range.js';
import { type MonitoringService, predictionsWithFeedback } from '../prediction-log/index.js';
import { CBPE_BAND_WIDTH, CBPE_METRICS, type CbpeCalibration, type CbpeFitted, cbpeEstimate } from '../stats/index.js';
import type { Store } from '../store/index.js';
import { type FittedReference, type ReferenceCache, binaryOf, probabilityOf } from './estimated-performance-reference.js';

export type EstimatedPerformanceOut = Static<typeof EstimatedPerformance>;
export type EstimatedQuery = Static<typeof EstimatedPerformanceQuery>;
type WindowOut = Static<typeof EstimatedWindow>;

/** Predictions read for one answer (held in memory). */
export const MAX_ESTIMATED_ROWS = 1_000_000;
export const MAX_ESTIMATED_WINDOWS = 1_000;

export interface ServedRow {
  ts: number;
  proba: number;
  pred: 0 | 1;
  truth: 0 | 1 | null;
}

export interface EstimatedDeps {
  store: Store;
  monitoring: Pick<MonitoringService, 'exportPages'>;
  references: ReferenceCache;
  /** The model version serving most of the deployment's traffic (throws a 4xx when it serves nothing). */
  servingModel: (deployment: string) => { name: string; version: string };
  clock?: () => number;
}

export interface ReferenceOptions {
  dataset?: string;
  label?: string;
  calibration?: CbpeCalibration;
  prediction?: string;
  probability?: string;
}

export class EstimatedPerformanceService {
  private readonly clock: () => number;

  constructor(private readonly d: EstimatedDeps) {
    this.clock = d.clock ?? Date.now;
  }

  /** The deployment's serving model version and its fitted reference. */
  async reference(deployment: string, o: ReferenceOptions): Promise<{ model: { name: string; version: string }; ref: FittedReference }> {
    // An unknown deployment is a 404 before anything is fitted.
    await this.d.monitoring.exportPages(deployment, { limit: 1 });
    const model = this.d.servingModel(deployment);
    const ref = await this.d.references.get({ model: model.name, version: model.version, calibration: o.calibration ?? 'auto', ...definedOf(o) });
    return { model, ref };
  }

  /**
   * The answered predictions of model/version in [from, to): probability, predicted label and label (if joined).
   * Rows whose outputs do not read as a probability and a 0/1 label are counted in `unreadable`.
   */
  async rows(
    deployment: string,
    model: { name: string; version: string },
    ref: FittedReference,
    from: number,
    to: number,
    withLabels = true,
  ): Promise<{ rows: ServedRow[]; otherVersions: number; unreadable: number }> {
    const pages = await this.d.monitoring.exportPages(deployment, {
      from: String(from),
      to: String(to),
      route: 'main',
      status: 'ok',
      limit: MAX_ESTIMATED_ROWS,
    });
    // Alerts read estimates only: they skip the feedback join.
    const joined = withLabels ? await predictionsWithFeedback(this.d.store.db, deployment, from, to, MAX_ESTIMATED_ROWS) : [];
    const truth = new Map<string, 0 | 1>();
    for (const j of joined) {
      if (j.kind !== 'label') continue;
      const v = binaryOf(JSON.parse(j.value) as unknown);
      if (v === 0 || v === 1) truth.set(`${j.request_id}\0${j.row}`, v);
    }
    const { prediction_output: predOut, probability_output: probOut } = ref.reference;
    const rows: ServedRow[] = [];
    let otherVersions = 0;
    let unreadable = 0;
    for await (const page of pages) {
      for (const p of page) {
        if (p.model !== model.name || p.model_version !== model.version) {
          otherVersions++;
          continue;
        }
        const pred = binaryOf(p.outputs[predOut]);
        const proba = probabilityOf(p.outputs[probOut]);
        if (pred === undefined || pred === null || proba === null || !(proba >= 0 && proba <= 1)) {
          unreadable++;
          continue;
        }
        rows.push({ ts: Date.parse(p.timestamp), proba, pred, truth: truth.get(`${p.request_id}\0${p.row}`) ?? null });
      }
    }
    return { rows, otherVersions, unreadable };
  }

  async estimated(deployment: string, q: EstimatedQuery): Promise<EstimatedPerformanceOut> {
    const { from, to, window: windowText, windowMs, count } = windowRange(q, this.clock(), MAX_ESTIMATED_WINDOWS);
    const { model, ref } = await this.reference(deployment, q);
    const { rows, otherVersions, unreadable } = await this.rows(deployment, model, ref, from, to);
    const byWindow: ServedRow[][] = Array.from({ length: count }, () => []);
    for (const r of rows) byWindow[Math.min(count - 1, Math.floor((r.ts - from) / windowMs))]!.push(r);
    const notes = [
      'CBPE assumes the model stays calibrated under covariate shift (p(y | x) unchanged); under concept drift the estimate is wrong however narrow its band.',
    ];
    if (otherVersions > 0)
      notes.push(`${otherVersions} predictions by other model versions are not estimated (the estimator is ${model.name}/${model.version}'s).`);
    if (unreadable > 0) notes.push(`${unreadable} predictions whose outputs did not read as a 0/1 label and a probability were left out.`);
    if (rows.length === 0) notes.push('No answered predictions of this model version in this range.');
    return {
      deployment,
      model,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      window: windowText,
      band_width: CBPE_BAND_WIDTH,
      reference: ref.reference,
      overall: estimateWindow(ref.fitted, rows, from, to),
      windows: byWindow.map((rs, i) => estimateWindow(ref.fitted, rs, from + i * windowMs, Math.min(to, from + (i + 1) * windowMs))),
      rows_other_versions: otherVersions,
      notes,
    };
  }
}

function definedOf(o: ReferenceOptions): Omit<ReferenceOptions, 'calibration'> {
  const out: Omit<ReferenceOptions, 'calibration'> = {};
  if (o.dataset !== undefined) out.dataset = o.dataset;
  if (o.label !== undefined) out.label = o.label;
  if (o.prediction !== undefined) out.prediction = o.prediction;
  if (o.probability !== undefined) out.probability = o.probability;
  return out;
}

/** One window: CBPE on its rows (null metrics without rows), realized on its labelled rows. */
export function estimateWindow(fitted: CbpeFitted, rows: ServedRow[], start: number, end: number): WindowOut {
  const labelled = rows.filter((r) => r.truth !== null).length;
  const base = {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    rows: rows.length,
    labelled,
    label_coverage: rows.length ? labelled / rows.length : null,
  };
  if (rows.length === 0) return { ...base, expected_confusion: null, metrics: null, outside_band: [] };
  const e = cbpeEstimate(fitted, { yProba: rows.map((r) => r.proba), yPred: rows.map((r) => r.pred), yTrue: rows.map((r) => r.truth) });
  const metrics = Object.fromEntries(
    CBPE_METRICS.map((m) => {
      const x = e.metrics[m];
      return [
        m,
        {
          estimated: x.value,
          sampling_error: x.samplingError,
          lower: x.lower,
          upper: x.upper,
          realized: x.realized,
          realized_outside_band: x.realizedOutsideBand,
        },
      ];
    }),
  ) as NonNullable<WindowOut['metrics']>;
  return {
    ...base,
    expected_confusion: e.expectedConfusion,
    metrics,
    outside_band: CBPE_METRICS.filter((m) => e.metrics[m].realizedOutsideBand === true),
  };
}
