/**
 * Live fairness of a deployment, per window, from the prediction log: selection rates per group as soon as the
 * predictions are logged; TPR/FPR per group over the predictions whose label feedback has joined (with the label
 * coverage per group). Everything is recomputed from the log and the feedback table at query time, so labels that
 * join late count in their prediction's window — there is no fixed look-back. The log keeps the model's inputs only
 * (after PII rules), so the sensitive feature must be a model input.
 */
import type { Static } from '@sinclair/typebox';
import type { LiveFairness, LiveWindow } from '../contract/fairness.js';
import { InvalidParameterError, isFerryError } from '../errors.js';
import { windowRange } from './window-range.js';
import { type MonitoringService, predictionsWithFeedback } from '../prediction-log/index.js';
import { DEFAULT_MIN_GROUP_SIZE, type FairnessLabel, type MetricFrameResult, metricFrame } from '../stats/index.js';
import type { Store } from '../store/index.js';
import { nanMax2, nanMin2, num } from './fairness-report.js';
import { labelOf, predictionOutput } from './fairness-service.js';

export type LiveFairnessOut = Static<typeof LiveFairness>;
type WindowOut = Static<typeof LiveWindow>;

/** Predictions (and feedback rows) read for one answer: they are held in memory. */
export const MAX_LIVE_ROWS = 1_000_000;
export const MAX_LIVE_WINDOWS = 1_000;

export const FEATURE_SOURCE_NOTE =
  'The prediction log keeps model inputs only (after PII rules): the sensitive feature is read from the logged inputs; an attribute the model does not take cannot be analysed live.';

export interface LiveRow {
  ts: number;
  group: FairnessLabel;
  pred: FairnessLabel;
  truth?: FairnessLabel;
}

export interface LiveQuery {
  feature: string;
  from?: string;
  to?: string;
  window?: string;
  pos_label?: string;
  prediction?: string;
  model_version?: string;
  min_group_size?: number;
}

/** A query's pos_label: numbers and true/false as such (logged labels are numbers or booleans), other text as text. */
export function posLabelOf(raw: string | undefined): FairnessLabel | null {
  if (raw === undefined) return null;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
}

export interface LiveDeps {
  store: Store;
  monitoring: Pick<MonitoringService, 'exportPages'>;
  clock?: () => number;
  /** Predictions read for one answer (default MAX_LIVE_ROWS). */
  maxRows?: number;
}

export class LiveFairnessService {
  private readonly clock: () => number;
  private readonly maxRows: number;

  constructor(private readonly d: LiveDeps) {
    this.clock = d.clock ?? Date.now;
    this.maxRows = d.maxRows ?? MAX_LIVE_ROWS;
  }

  /**
   * The deployment's answered predictions in [from, to) as rows of (time, group, predicted label, label if joined).
   * Rows whose sensitive value is missing are counted in `missing`.
   */
  async rows(
    deployment: string,
    feature: string,
    from: number,
    to: number,
    prediction: string | undefined,
    modelVersion?: string,
  ): Promise<{ rows: LiveRow[]; missing: number; prediction: string | null; inputs: string[]; truncatedBefore: number | null; read: number }> {
    const pages = await this.d.monitoring.exportPages(deployment, {
      from: String(from),
      to: String(to),
      route: 'main',
      status: 'ok',
      limit: this.maxRows,
      ...(modelVersion !== undefined ? { modelVersion } : {}),
    });
    const joined = await predictionsWithFeedback(this.d.store.db, deployment, from, to, this.maxRows);
    const truth = new Map<string, FairnessLabel>();
    for (const j of joined) {
      if (j.kind !== 'label') continue;
      const v = labelOf(JSON.parse(j.value) as unknown);
      if (v !== null) truth.set(`${j.request_id}\0${j.row}`, v);
    }
    const rows: LiveRow[] = [];
    let missing = 0;
    let out: string | null = null;
    const inputs = new Set<string>();
    // The log is read newest first, up to maxRows predictions: past that, the oldest part of the range is missing.
    let read = 0;
    let oldest = Infinity;
    for await (const page of pages) {
      for (const p of page) {
        read++;
        oldest = Math.min(oldest, Date.parse(p.timestamp));
        for (const k of Object.keys(p.inputs)) inputs.add(k);
        out ??= predictionOutput(p.outputs, prediction);
        if (out === null) continue;
        const pred = labelOf(p.outputs[out]);
        if (pred === null) continue;
        const group = labelOf(p.inputs[feature]);
        if (group === null) {
          missing++;
          continue;
        }
        const t = truth.get(`${p.request_id}\0${p.row}`);
        rows.push({ ts: Date.parse(p.timestamp), group, pred, ...(t !== undefined ? { truth: t } : {}) });
      }
    }
    if (rows.length + missing > 0 && !inputs.has(feature)) {
      throw new InvalidParameterError(
        'feature',
        `'feature' '${feature}' is not a logged input of deployment '${deployment}' (its inputs: ${[...inputs].join(', ')}). ${FEATURE_SOURCE_NOTE}`,
      );
    }
    // At the bound, whether anything older was left out (one request larger than the bound is read whole).
    let truncatedBefore: number | null = null;
    if (read >= this.maxRows && Number.isFinite(oldest) && oldest > from) {
      const older = await this.d.monitoring.exportPages(deployment, {
        from: String(from),
        to: String(oldest),
        route: 'main',
        status: 'ok',
        limit: 1,
        ...(modelVersion !== undefined ? { modelVersion } : {}),
      });
      for await (const page of older) {
        if (page.length > 0) truncatedBefore = oldest;
        break;
      }
    }
    return { rows, missing, prediction: out, inputs: [...inputs], truncatedBefore, read };
  }

  async live(deployment: string, q: LiveQuery): Promise<LiveFairnessOut> {
    const { from, to, window: windowText, windowMs, count } = windowRange(q, this.clock(), MAX_LIVE_WINDOWS);
    const posLabel = posLabelOf(q.pos_label);
    const minGroupSize = q.min_group_size ?? DEFAULT_MIN_GROUP_SIZE;
    const { rows, missing, prediction, truncatedBefore, read } = await this.rows(deployment, q.feature, from, to, q.prediction, q.model_version);
    const notes = [FEATURE_SOURCE_NOTE];
    if (truncatedBefore !== null)
      notes.push(
        `Only the newest ${read} predictions of the range were read (at most ${this.maxRows} per answer): windows before ${new Date(truncatedBefore).toISOString()} are incomplete (narrow 'from' and 'to').`,
      );
    const byWindow: LiveRow[][] = Array.from({ length: count }, () => []);
    for (const r of rows) byWindow[Math.min(count - 1, Math.floor((r.ts - from) / windowMs))]!.push(r);
    const windows = byWindow.map((rs, i) =>
      liveWindow(rs, from + i * windowMs, Math.min(to, from + (i + 1) * windowMs), 0, q.feature, posLabel, minGroupSize, notes),
    );
    if (rows.length === 0) notes.push('No answered predictions with the feature in this range.');
    return {
      deployment,
      feature: q.feature,
      feature_source: 'model_input',
      prediction: prediction ?? q.prediction ?? '',
      model_version: q.model_version ?? null,
      pos_label: posLabel,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      window: windowText,
      min_group_size: minGroupSize,
      overall: liveWindow(rows, from, to, missing, q.feature, posLabel, minGroupSize, notes),
      windows,
      notes: [...new Set(notes)],
    };
  }
}

const nulls = {
  demographic_parity_difference: null,
  demographic_parity_ratio: null,
  equalized_odds_difference: null,
  equalized_odds_ratio: null,
  equal_opportunity_difference: null,
  equal_opportunity_ratio: null,
};

/** Selection rates per group over every row, TPR/FPR over the labelled rows; Fairlearn's conventions (between groups). */
export function liveWindow(
  rows: LiveRow[],
  start: number,
  end: number,
  missing: number,
  feature: string,
  posLabel: FairnessLabel | null,
  minGroupSize: number,
  notes: string[],
): WindowOut {
  const labelled = rows.filter((r) => r.truth !== undefined);
  const base = {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    n: rows.length,
    labelled: labelled.length,
    missing_feature: missing,
  };
  if (rows.length === 0) return { ...base, groups: [], ...nulls, insufficient_groups: [] };
  const sel = metricFrame({
    metric: 'selection_rate',
    yPred: rows.map((r) => r.pred),
    sensitiveFeatures: [{ name: feature, values: rows.map((r) => r.group) }],
    posLabel,
    minGroupSize,
  });
  let tpr: MetricFrameResult | null = null;
  let fpr: MetricFrameResult | null = null;
  if (labelled.length > 0) {
    const input = {
      yTrue: labelled.map((r) => r.truth!),
      yPred: labelled.map((r) => r.pred),
      sensitiveFeatures: [{ name: feature, values: labelled.map((r) => r.group) }],
      posLabel,
      minGroupSize,
    };
    try {
      tpr = metricFrame({ ...input, metric: 'true_positive_rate' });
      fpr = metricFrame({ ...input, metric: 'false_positive_rate' });
    } catch (err) {
      if (!isFerryError(err) || err.status !== 400) throw err;
      notes.push(`TPR and FPR are not computed: ${err.message}`);
    }
  }
  const at = (f: MetricFrameResult | null, label: string) => {
    const g = f?.byGroup.find((x) => x.label === label);
    return g ? { value: num(g.value), n: g.n } : { value: null, n: 0 };
  };
  // Group labels as the statistics write them (booleans as 1/0, as Python's True == 1).
  const labelledBy = new Map<string, number>();
  for (const r of labelled) {
    const k = String(typeof r.group === 'boolean' ? (r.group ? 1 : 0) : r.group);
    labelledBy.set(k, (labelledBy.get(k) ?? 0) + 1);
  }
  const groups = sel.byGroup.map((g) => {
    const t = at(tpr, g.label);
    const labelledN = labelledBy.get(g.label) ?? 0;
    return {
      key: g.key[0]!,
      label: g.label,
      n: g.n,
      selection_rate: num(g.value),
      labelled: labelledN,
      label_coverage: g.n ? labelledN / g.n : null,
      true_positive_rate: t.value,
      false_positive_rate: at(fpr, g.label).value,
      insufficient: g.insufficient,
    };
  });
  return {
    ...base,
    groups,
    demographic_parity_difference: num(sel.difference.between_groups),
    demographic_parity_ratio: num(sel.ratio.between_groups),
    equalized_odds_difference: tpr && fpr ? num(nanMax2(tpr.difference.between_groups, fpr.difference.between_groups)) : null,
    equalized_odds_ratio: tpr && fpr ? num(nanMin2(tpr.ratio.between_groups, fpr.ratio.between_groups)) : null,
    equal_opportunity_difference: tpr ? num(tpr.difference.between_groups) : null,
    equal_opportunity_ratio: tpr ? num(tpr.ratio.between_groups) : null,
    insufficient_groups: sel.insufficientGroups,
  };
}
