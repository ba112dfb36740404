/**
 * Live performance: logged predictions joined with their feedback, scored per model version (so an A/B
 * split compares variants) and per profile window. `label` feedback makes a classification report, `value`
 * feedback a regression report.
 */
import type { Static } from '@sinclair/typebox';
import type { PerformanceMetrics as PerformanceMetricsSchema } from '../contract/monitoring.js';
import { InvalidParameterError } from '../errors.js';
import type { FlatOutputs } from '../serving/index.js';
import { classificationReport, type Label, regressionReport } from '../stats/index.js';
import { type JoinedRow, outputRowsOf } from '../prediction-log/index.js';

/** Most joined rows scored in one call (the rows are read into memory). */
export const MAX_JOINED_ROWS = 1_000_000;

/**
 * The class probabilities of a row, when the model answers them: the first list-valued output. Their columns
 * follow the model's sorted classes; labels 0..k-1 index them directly, other labels cannot be mapped.
 */
function probabilitiesOf(outputs: Record<string, unknown>): number[] | null {
  for (const v of Object.values(outputs)) if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  return null;
}

/** One group's report: classification (label feedback), regression (value feedback), or n = 0. */
export type PerformanceMetrics = Static<typeof PerformanceMetricsSchema>;

/** A joined row as scored: its group (model version, window start), the ground truth and its outputs. */
interface ParsedRow {
  version: string;
  start: number;
  kind: string;
  truth: unknown;
  outputs: Record<string, unknown>;
}

/** Rows parsed between yields to the event loop: a busy window's join must not hold other requests up. */
const PARSE_STEP = 2_000;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Parses every row once (a request's outputs once, however many of its rows have feedback), yielding as it goes. */
async function parseRows(rows: readonly JoinedRow[], windowMs: number): Promise<ParsedRow[]> {
  const cache = new Map<string, Record<string, unknown>[]>();
  const outputsOf = (r: JoinedRow) =>
    cache.get(r.outputs) ?? cache.set(r.outputs, outputRowsOf(JSON.parse(r.outputs) as FlatOutputs, Number(r.rows))).get(r.outputs)!;
  const out: ParsedRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % PARSE_STEP === 0) {
      await yieldToIo();
      // A request's rows are next to each other, so earlier requests' outputs are not needed again.
      cache.clear();
    }
    const r = rows[i]!;
    out.push({
      version: r.model_version,
      start: Math.floor(Number(r.ts) / windowMs) * windowMs,
      kind: r.kind,
      truth: JSON.parse(r.value) as unknown,
      outputs: outputsOf(r)[Number(r.row)] ?? {},
    });
  }
  return out;
}

function scoreRows(parsed: readonly ParsedRow[], prediction: string): PerformanceMetrics {
  const kinds = new Set(parsed.map((p) => p.kind));
  if (kinds.has('value')) {
    const usable = parsed.filter((p) => p.kind === 'value' && typeof p.outputs[prediction] === 'number');
    if (usable.length === 0) return { task: 'regression', n: 0 };
    return {
      task: 'regression',
      ...regressionReport(
        usable.map((p) => p.truth as number),
        usable.map((p) => p.outputs[prediction] as number),
      ),
    };
  }
  const usable = parsed.filter((p) => p.kind === 'label' && p.outputs[prediction] !== undefined && p.outputs[prediction] !== null);
  if (usable.length === 0) return { task: kinds.size ? 'outcome' : 'classification', n: 0 };
  const yTrue = usable.map((p) => p.truth as Label);
  const yPred = usable.map((p) => p.outputs[prediction] as Label);
  const probs = usable.map((p) => probabilitiesOf(p.outputs));
  const k = probs[0]?.length ?? 0;
  const indexable =
    k > 1 && probs.every((p) => p && p.length === k) && [...yTrue, ...yPred].every((l) => Number.isInteger(l) && (l as number) >= 0 && (l as number) < k);
  const classes = indexable ? Array.from({ length: k }, (_, i) => i) : undefined;
  const report = classificationReport(yTrue, yPred, indexable ? { probabilities: probs as number[][], classes: classes! } : {});
  return { task: 'classification', ...report };
}

/** Groups rows per model version, and per window start. */
export async function performanceReport(rows: readonly JoinedRow[], prediction: string | null, windowMs: number) {
  if (!prediction) throw new InvalidParameterError('deployment', 'The model has no output to compare with feedback.');
  if (rows.length > MAX_JOINED_ROWS)
    throw new InvalidParameterError('from', `More than ${MAX_JOINED_ROWS} predictions with feedback in this range; ask for a shorter one.`);
  const parsed = await parseRows(rows, windowMs);
  const byVersion = new Map<string, ParsedRow[]>();
  const byWindow = new Map<number, Map<string, ParsedRow[]>>();
  for (const r of parsed) {
    const v = r.version;
    (byVersion.get(v) ?? byVersion.set(v, []).get(v)!).push(r);
    const w = byWindow.get(r.start) ?? byWindow.set(r.start, new Map()).get(r.start)!;
    (w.get(v) ?? w.set(v, []).get(v)!).push(r);
  }
  const overall = parsed.length ? scoreRows(parsed, prediction) : null;
  // A group holding every row (one version, one window: the common case) is the overall report, in the same order.
  const score = (rs: ParsedRow[]) => (overall && rs.length === parsed.length ? overall : scoreRows(rs, prediction));
  const versions = async (m: Map<string, ParsedRow[]>) => {
    const out = [];
    for (const [model_version, rs] of [...m].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))) {
      await yieldToIo();
      out.push({ model_version, ...score(rs) });
    }
    return out;
  };
  const perVersion = await versions(byVersion);
  const windows = [];
  for (const [start, m] of [...byWindow].sort(([a], [b]) => a - b)) windows.push({ start: new Date(start).toISOString(), versions: await versions(m) });
  return {
    n: rows.length,
    overall,
    versions: perVersion,
    windows,
  };
}
