/**
 * What happens to logged requests once off the request path: PII rules applied, window profiles updated and
 * stored requests written. Runs on the monitoring thread (or in-process when there is none), in slices so no
 * single stretch of work holds the event loop for long.
 *
 * It works on the packed batch (event-codec.ts) column by column: a numeric column is profiled straight from
 * the batch's numbers (answered rows of one window and layout gathered across requests first, so that
 * one-row requests share the per-column cost), and a stored request's values are turned into its row-major
 * JSON list once.
 */
import type { PredictionEvent } from '../serving/index.js';
import type { PredictionTable } from '../store/index.js';
import { BatchReader, type Column, type PackedBatch, type PackedEvent, pack } from './event-codec.js';
import { inputColumnsOf, outputColumnsOf } from './flat-rows.js';
import type { MonitoringSettings } from './monitoring-settings.js';
import type { MonitoringState } from './monitoring-state.js';
import { applyPiiFlat, hashValue } from './pii.js';

export type LogOutcome = 'stored' | 'sampled_out' | 'dropped' | 'write_failed';
export type Count = (deployment: string, outcome: LogOutcome, rows: number) => void;
type Write = (rows: PredictionTable[]) => Promise<void>;

/** Requests handled per slice (a few milliseconds of work). */
const SLICE = 200;

/** Events straight from serving (the in-process path): packed as for the thread, then processed the same way. */
export async function processEntries(entries: PackedEvent[], state: MonitoringState, write: Write, count: Count, onError: (err: unknown) => void): Promise<void> {
  if (entries.length === 0) return;
  await processBatch(pack(entries), state, write, count, onError);
}

export async function processBatch(batch: PackedBatch, state: MonitoringState, write: Write, count: Count, onError: (err: unknown) => void): Promise<void> {
  const reader = new BatchReader(batch);
  const ctx = new Context(reader, state);
  for (let i = 0; i < reader.size; i += SLICE) {
    if (i > 0) await new Promise<void>((r) => setImmediate(r));
    await processSlice(ctx, i, Math.min(reader.size, i + SLICE), write, count, onError);
  }
}

type Pii = MonitoringSettings['pii'];

/** What PII rules do to one list of input names: the columns kept, and which of them are hashed. */
interface PiiPlan {
  names: string[];
  keep: number[];
  hashed: boolean[];
  none: boolean;
}

/** One request's values after PII rules, as columns (`valueAt` reads them), plus its stored JSON when it came as lists. */
interface Values {
  inNames: string[];
  inputs: Column[];
  outNames: string[];
  widths: number[];
  outputs: Column[];
  /** The stored text, when the request's values came as row-major lists (kept exactly as they were). */
  inJson: string | null;
  outJson: string | null;
}

/** A column of a group's answered rows: numbers while every part is numeric (NaN: missing), else a list. */
class ColumnAcc {
  private nums: Float64Array | null = null;
  private list: unknown[] | null = null;
  private len = 0;

  addNums(src: Float64Array, at: number, rows: number): void {
    if (this.list) {
      for (let r = 0; r < rows; r++) {
        const x = src[at + r]!;
        this.list.push(x === x ? x : null);
      }
      return;
    }
    const need = this.len + rows;
    if (!this.nums || this.nums.length < need) {
      const next = new Float64Array(Math.max(need, 2 * (this.nums?.length ?? 8)));
      if (this.nums) next.set(this.nums.subarray(0, this.len));
      this.nums = next;
    }
    if (rows === 1) this.nums[this.len] = src[at]!;
    else this.nums.set(src.subarray(at, at + rows), this.len);
    this.len = need;
  }

  private toList(): unknown[] {
    if (!this.list) {
      this.list = new Array<unknown>(this.len);
      for (let i = 0; i < this.len; i++) {
        const x = this.nums![i]!;
        this.list[i] = x === x ? x : null;
      }
      this.nums = null;
    }
    return this.list;
  }

  addList(values: ArrayLike<unknown>, at: number, rows: number): void {
    const list = this.toList();
    for (let r = 0; r < rows; r++) list.push(values[at + r]);
    this.len += rows;
  }

  /** Text given as indexes into `strings` (NaN: missing). */
  addStrings(ids: Float64Array, strings: string[], at: number, rows: number): void {
    const list = this.toList();
    for (let r = 0; r < rows; r++) {
      const x = ids[at + r]!;
      list.push(x === x ? strings[x] : null);
    }
    this.len += rows;
  }

  result(): ArrayLike<unknown> {
    return this.list ?? (this.nums ? this.nums.subarray(0, this.len) : []);
  }
}

/** Answered rows of one window and one column layout, gathered across requests: profiled in one go. */
interface Group {
  e: PredictionEvent;
  inNames: string[];
  outNames: string[];
  inputs: ColumnAcc[];
  outputs: ColumnAcc[];
}

/** Caches for one batch (names lists and settings objects repeat from request to request). */
class Context {
  private plans = new Map<Pii, Map<string[], PiiPlan>>();
  private inPrefix = new Map<string[], string>();
  private outPrefix = new Map<string[], Map<number[], string>>();
  private layouts = new Map<string[], Map<string[], Map<number[], string>>>();
  private outColumnNames = new Map<string[], Map<number[], string[]>>();

  constructor(
    readonly reader: BatchReader,
    readonly state: MonitoringState,
  ) {}

  plan(names: string[], pii: Pii): PiiPlan {
    let byNames = this.plans.get(pii);
    if (!byNames) this.plans.set(pii, (byNames = new Map()));
    let plan = byNames.get(names);
    if (!plan) {
      const none = pii.drop.length === 0 && pii.hash.length === 0;
      const keep = names.map((n, j) => (pii.drop.includes(n) ? -1 : j)).filter((j) => j >= 0);
      const hashed = new Set(pii.hash);
      plan = { names: none ? names : keep.map((j) => names[j]!), keep, hashed: keep.map((j) => hashed.has(names[j]!)), none };
      byNames.set(names, plan);
    }
    return plan;
  }

  /** The request's values after PII rules. */
  values(k: number, pii: Pii): Values {
    const { cols, flatInputs, flatOutputs } = this.reader.read(k);
    const rows = this.reader.rows(k);
    let inNames = cols.inNames;
    let inputs = cols.inputs;
    let inJson: string | null = null;
    if (flatInputs) {
      const flat = applyPiiFlat(flatInputs, pii, this.state.piiKey);
      inJson = JSON.stringify(flat);
      inNames = flat.names;
      inputs = listColumns(inputColumnsOf(flat, rows), flat.names);
    } else {
      const plan = this.plan(inNames, pii);
      if (!plan.none) {
        const key = this.state.piiKey;
        inputs = plan.keep.map((j, i): Column => {
          const c = cols.inputs[j]!;
          if (!plan.hashed[i]) return c;
          const hashedValues = new Array<unknown>(rows);
          for (let r = 0; r < rows; r++) hashedValues[r] = hashValue(key, this.reader.valueAt(c, r));
          return { kind: 'any', values: hashedValues };
        });
        inNames = plan.names;
      }
    }
    let outputs = cols.outputs;
    let outJson: string | null = null;
    if (flatOutputs) {
      outJson = JSON.stringify(flatOutputs);
      const byName = outputColumnsOf(flatOutputs, rows);
      outputs = listColumns(byName, this.outputColumnNames(cols.outNames, cols.widths));
    }
    return { inNames, inputs, outNames: cols.outNames, widths: cols.widths, outputs, inJson, outJson };
  }

  /** Profile column names of the outputs: the output's name, or "name[i]" for each element of a vector output. */
  outputColumnNames(names: string[], widths: number[]): string[] {
    let byWidths = this.outColumnNames.get(names);
    if (!byWidths) this.outColumnNames.set(names, (byWidths = new Map()));
    let out = byWidths.get(widths);
    if (!out) {
      out = [];
      for (let j = 0; j < names.length; j++) for (let i = 0; i < widths[j]!; i++) out.push(widths[j] === 1 ? names[j]! : `${names[j]}[${i}]`);
      byWidths.set(widths, out);
    }
    return out;
  }

  /** Group key part for a column layout. */
  layout(inNames: string[], outNames: string[], widths: number[]): string {
    let a = this.layouts.get(inNames);
    if (!a) this.layouts.set(inNames, (a = new Map()));
    let b = a.get(outNames);
    if (!b) a.set(outNames, (b = new Map()));
    let key = b.get(widths);
    if (key === undefined) b.set(widths, (key = `${inNames.join(',')}\0${outNames.join(',')}:${widths.join(',')}`));
    return key;
  }

  /** The stored inputs: JSON {names, values} with the values row after row. */
  inputsJson(v: Values, rows: number): string {
    if (v.inJson !== null) return v.inJson;
    let prefix = this.inPrefix.get(v.inNames);
    if (prefix === undefined) this.inPrefix.set(v.inNames, (prefix = `{"names":${JSON.stringify(v.inNames)},"values":`));
    return `${prefix}${this.rowMajorJson(v.inputs, rows)}}`;
  }

  /** The stored outputs: JSON {names, widths, values}. */
  outputsJson(v: Values, rows: number): string {
    if (v.outJson !== null) return v.outJson;
    let byWidths = this.outPrefix.get(v.outNames);
    if (!byWidths) this.outPrefix.set(v.outNames, (byWidths = new Map()));
    let prefix = byWidths.get(v.widths);
    if (prefix === undefined) byWidths.set(v.widths, (prefix = `{"names":${JSON.stringify(v.outNames)},"widths":${JSON.stringify(v.widths)},"values":`));
    return `${prefix}${this.rowMajorJson(v.outputs, rows)}}`;
  }

  private rowMajorJson(columns: Column[], rows: number): string {
    const width = columns.length;
    const values = new Array<unknown>(rows * width);
    const { nums, strings } = this.reader;
    for (let j = 0; j < width; j++) {
      const c = columns[j]!;
      if (c.kind === 'num') {
        for (let r = 0, i = j; r < rows; r++, i += width) {
          const x = nums[c.at + r]!;
          values[i] = x === x ? x : null;
        }
      } else if (c.kind === 'str') {
        for (let r = 0, i = j; r < rows; r++, i += width) {
          const x = nums[c.at + r]!;
          values[i] = x === x ? strings[x] : null;
        }
      }
      else for (let r = 0, i = j; r < rows; r++, i += width) values[i] = c.values[r];
    }
    return JSON.stringify(values);
  }

  /** Adds the request's answered rows to its group's columns. */
  gather(g: Group, v: Values, rows: number): void {
    this.add(g.inputs, v.inputs, rows);
    this.add(g.outputs, v.outputs, rows);
  }

  private add(accs: ColumnAcc[], columns: Column[], rows: number): void {
    const { nums, strings } = this.reader;
    for (let j = 0; j < columns.length; j++) {
      const c = columns[j]!;
      const acc = accs[j]!;
      if (c.kind === 'num') acc.addNums(nums, c.at, rows);
      else if (c.kind === 'str') acc.addStrings(nums, strings, c.at, rows);
      else acc.addList(c.values, 0, rows);
    }
  }
}

/** Columns given by name (as the flat-rows helpers build them), in the order of `names`. */
function listColumns(byName: Record<string, unknown[]>, names: string[]): Column[] {
  return names.map((n) => ({ kind: 'any', values: byName[n] ?? [] }));
}

function columnsRecord(names: string[], accs: ColumnAcc[]): Record<string, ArrayLike<unknown>> {
  const out: Record<string, ArrayLike<unknown>> = {};
  for (let j = 0; j < names.length; j++) out[names[j]!] = accs[j]!.result();
  return out;
}

async function processSlice(ctx: Context, from: number, to: number, write: Write, count: Count, onError: (err: unknown) => void): Promise<void> {
  const { reader, state } = ctx;
  const out: PredictionTable[] = [];
  const stored = new Map<string, number>();
  const groups = new Map<string, Group>();
  for (let k = from; k < to; k++) {
    const e = reader.event(k);
    const disposition = reader.disposition(k);
    if (disposition === 'dropped') {
      state.countDropped(e); // counted in the stats when it was dropped
      continue;
    }
    const settings = state.settingsFor(e.deployment);
    const v = ctx.values(k, settings.pii);
    const rows = e.rows;
    state.countTraffic(e);
    if (e.status === 'ok' && rows > 0) {
      // Per-column work has a fixed cost; one-row requests share it when profiled together.
      const key = `${e.deployment}\0${e.modelVersion}\0${state.windowStartOf(e.deployment, e.ts)}\0${ctx.layout(v.inNames, v.outNames, v.widths)}`;
      let g = groups.get(key);
      if (!g) {
        const outNames = ctx.outputColumnNames(v.outNames, v.widths);
        groups.set(key, (g = { e, inNames: v.inNames, outNames, inputs: v.inNames.map(() => new ColumnAcc()), outputs: outNames.map(() => new ColumnAcc()) }));
      }
      ctx.gather(g, v, rows);
    }
    if (disposition === 'sample_out') {
      count(e.deployment, 'sampled_out', Math.max(1, rows));
      state.countSampledOut(e);
      continue;
    }
    // Stored as the flat lists (cheap to write; the API turns them into rows when read).
    out.push({
      request_id: e.requestId, rows, deployment: e.deployment, revision: e.revision, model: e.model, model_version: e.modelVersion,
      route: e.route, ts: e.ts, inputs: ctx.inputsJson(v, rows), outputs: ctx.outputsJson(v, rows),
      latency_us: e.latencyUs, status: e.status, error: e.error ?? null,
    });
    stored.set(e.deployment, (stored.get(e.deployment) ?? 0) + Math.max(1, rows));
  }
  for (const g of groups.values()) state.profileColumns(g.e, columnsRecord(g.inNames, g.inputs), columnsRecord(g.outNames, g.outputs));
  try {
    await write(out);
    for (const [d, n] of stored) count(d, 'stored', n);
  } catch (err) {
    for (const [d, n] of stored) count(d, 'write_failed', n);
    onError(err);
  }
}
