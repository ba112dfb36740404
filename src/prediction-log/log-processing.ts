/**
 * What happens to logged requests once off the request path: PII rules applied, window profiles updated and
 * stored requests written. Runs on the monitoring thread (or in-process when there is none), in slices so no
 * single stretch of work holds the event loop for long.
 *
 * It works on the packed batch (event-codec.ts) column by column: a numeric column is profiled straight from
 * the batch's numbers (answered rows of one window and layout gathered across requests first, so that
 * one-row requests share the per-column cost), and stored requests' columns are gathered into batches
 * (prediction-batch.ts), written once per hand-over.
 */
import type { PredictionEvent } from '../serving/index.js';
import { isStoreUnavailable, type PredictionBatchTable, type PredictionRequestIdTable } from '../store/index.js';
import { BatchReader, K_LIST, K_NUM, type PackedBatch, type PackedEvent, Side, pack } from './event-codec.js';
import { inputColumnsOf, outputColumnsOf } from './flat-rows.js';
import { type MonitoringSettings, windowMs } from './monitoring-settings.js';
import type { MonitoringState } from './monitoring-state.js';
import { applyPiiFlat, hashValue } from './pii.js';
import { ColumnAcc } from './column-acc.js';
import { BatchBuilder, type StoredSide } from './prediction-batch.js';

export type LogOutcome = 'stored' | 'sampled_out' | 'dropped' | 'write_failed';
export type Count = (deployment: string, outcome: LogOutcome, rows: number) => void;
/** Writes a flush's batches and its caller ids' times (one transaction). */
export type Write = (rows: PredictionBatchTable[], requestIds: PredictionRequestIdTable[]) => Promise<void>;

/** Requests handled per slice (a few milliseconds of work). */
const SLICE = 200;

/**
 * How long a flush keeps retrying while the store is unreachable (PostgreSQL restarting): the requests were
 * answered, so their log rows wait rather than being lost. Meanwhile later flushes queue behind this one, and past
 * the log's bounded queue new requests are dropped (counted), so memory stays bounded.
 */
const STORE_RETRY_MS = 120_000;
const RETRY_DELAY_MIN_MS = 250;
const RETRY_DELAY_MAX_MS = 2_000;

/** `write`, retried with a growing delay while the store is unavailable (the write is idempotent: batch ids). */
async function writeRetrying(write: Write, rows: PredictionBatchTable[], ids: PredictionRequestIdTable[]): Promise<void> {
  const giveUpAt = Date.now() + STORE_RETRY_MS;
  for (let delay = RETRY_DELAY_MIN_MS; ; delay = Math.min(delay * 2, RETRY_DELAY_MAX_MS)) {
    try {
      return await write(rows, ids);
    } catch (err) {
      if (!isStoreUnavailable(err) || Date.now() + delay > giveUpAt) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Events straight from serving (the in-process path): packed as for the thread, then processed the same way. */
export async function processEntries(
  entries: PackedEvent[],
  state: MonitoringState,
  write: Write,
  count: Count,
  onError: (err: unknown) => void,
): Promise<void> {
  if (entries.length === 0) return;
  await processBatch(pack(entries), state, write, count, onError);
}

/** Profiles a batch slice by slice, and stores its requests in one write (one transaction: each costs WAL pages). */
export async function processBatch(batch: PackedBatch, state: MonitoringState, write: Write, count: Count, onError: (err: unknown) => void): Promise<void> {
  const ctx = new Context(new BatchReader(batch), state);
  const size = ctx.reader.size;
  const out = new BatchBuilder(ctx.reader.key);
  const stored = new Map<string, number>();
  for (let i = 0; i < size; i += SLICE) {
    if (i > 0) await new Promise<void>((r) => setImmediate(r));
    processSlice(ctx, i, Math.min(size, i + SLICE), out, stored, count);
  }
  try {
    const { batches, requestIds } = out.finishWrite();
    await writeRetrying(write, batches, requestIds);
    for (const [d, n] of stored) count(d, 'stored', n);
  } catch (err) {
    for (const [d, n] of stored) count(d, 'write_failed', n);
    onError(err);
  }
}

type Pii = MonitoringSettings['pii'];

/** Whether PII rules hash or drop a field. */
export function coversField(pii: Pii, field: string): boolean {
  return pii.hash.includes(field) || pii.drop.includes(field);
}

/** What PII rules do to one list of input names: the columns kept (in order), and which of them are hashed. */
interface PiiPlan {
  names: string[];
  keep: number[];
  hashed: boolean[];
  none: boolean;
}

/** Answered rows of one window and one column layout, gathered across requests: profiled in one go. */
interface Group {
  e: PredictionEvent;
  inNames: string[];
  outNames: string[];
  inputs: ColumnAcc[];
  outputs: ColumnAcc[];
}

/** The window a deployment's last request fell in (most requests of a batch share it). */
interface WindowCache {
  settings: MonitoringSettings;
  start: number;
  end: number;
}

/** The batch being processed, the request being looked at (its sides are reused), and caches for the batch. */
class Context {
  readonly inputs = new Side();
  readonly outputs = new Side();
  /** The current request's sides' values when they came as plain lists (stored as they were). */
  inFlat: unknown[] | null = null;
  outFlat: unknown[] | null = null;
  private plans = new Map<Pii, Map<string[], PiiPlan>>();
  private layouts = new Map<string[], Map<string[], Map<number[], string>>>();
  private outColumnNames = new Map<string[], Map<number[], string[]>>();
  private windows = new Map<string, WindowCache>();

  constructor(
    readonly reader: BatchReader,
    readonly state: MonitoringState,
  ) {}

  /** Start of the profile window `ts` falls in (as state.windowStartOf, asked again only when the window changes). */
  windowStart(deployment: string, settings: MonitoringSettings, ts: number): number {
    const w = this.windows.get(deployment);
    if (w && w.settings === settings && ts >= w.start && ts < w.end) return w.start;
    const start = this.state.windowStartOf(deployment, ts);
    this.windows.set(deployment, { settings, start, end: start + windowMs(settings) });
    return start;
  }

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

  /** Reads request k into the sides and applies the PII rules to its inputs. */
  load(k: number, pii: Pii, rows: number): void {
    const { reader, inputs, outputs } = this;
    reader.read(k, inputs, outputs);
    this.inFlat = null;
    this.outFlat = null;
    if (inputs.flat) {
      // Plain lists: handled as they always were (rules on the flat list, columns cut from it).
      const flat = applyPiiFlat({ names: inputs.names, values: inputs.flat }, pii, this.state.piiKey);
      this.inFlat = flat.values;
      inputs.names = flat.names;
      inputs.flat = null;
      const byName = inputColumnsOf(flat, rows);
      for (const n of flat.names) inputs.pushList(byName[n] ?? []);
    } else {
      const plan = this.plan(inputs.names, pii);
      if (!plan.none) {
        // Kept columns move down in place (keep is increasing); hashed ones become lists of tokens.
        const key = this.state.piiKey;
        for (let i = 0; i < plan.keep.length; i++) {
          const j = plan.keep[i]!;
          if (plan.hashed[i]) {
            const hashedValues = new Array<unknown>(rows);
            for (let r = 0; r < rows; r++) hashedValues[r] = hashValue(key, reader.valueAt(inputs, j, r));
            inputs.kind[i] = K_LIST;
            inputs.list[i] = hashedValues;
          } else {
            inputs.kind[i] = inputs.kind[j]!;
            inputs.at[i] = inputs.at[j]!;
            inputs.list[i] = inputs.list[j]!;
          }
        }
        inputs.count = plan.keep.length;
        inputs.names = plan.names;
      }
    }
    if (outputs.flat) {
      const flat = { names: outputs.names, widths: outputs.widths, values: outputs.flat };
      this.outFlat = flat.values;
      outputs.flat = null;
      const byName = outputColumnsOf(flat, rows);
      for (const n of this.outputColumnNames(outputs.names, outputs.widths)) outputs.pushList(byName[n] ?? []);
    }
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

  /** Group key part for the current request's column layout. */
  layout(): string {
    const inNames = this.inputs.names;
    const outNames = this.outputs.names;
    const widths = this.outputs.widths;
    let a = this.layouts.get(inNames);
    if (!a) this.layouts.set(inNames, (a = new Map()));
    let b = a.get(outNames);
    if (!b) a.set(outNames, (b = new Map()));
    let key = b.get(widths);
    if (key === undefined) b.set(widths, (key = `${inNames.join(',')}\0${outNames.join(',')}:${widths.join(',')}`));
    return key;
  }

  /** The current request's sides as the prediction log stores them (see stored()). */
  private rows = 0;
  private readonly storedIn: StoredSide = { names: [], widths: [], flat: null, columns: 0, fill: (accs) => this.add(accs, this.inputs, this.rows) };
  private readonly storedOut: StoredSide = { names: [], widths: [], flat: null, columns: 0, fill: (accs) => this.add(accs, this.outputs, this.rows) };

  /** The current request's inputs and outputs to store: as they came when plain lists, else its columns. */
  stored(rows: number): [StoredSide, StoredSide] {
    this.rows = rows;
    const { storedIn: i, storedOut: o } = this;
    i.names = this.inputs.names;
    i.flat = this.inFlat;
    i.columns = this.inputs.count;
    o.names = this.outputs.names;
    o.widths = this.outputs.widths;
    o.flat = this.outFlat;
    o.columns = this.outputs.count;
    return [i, o];
  }

  /** Adds the current request's answered rows to its group's columns. */
  gather(g: Group, rows: number): void {
    this.add(g.inputs, this.inputs, rows);
    this.add(g.outputs, this.outputs, rows);
  }

  private add(accs: ColumnAcc[], side: Side, rows: number): void {
    const { nums, strings } = this.reader;
    for (let j = 0; j < side.count; j++) {
      const kind = side.kind[j];
      const acc = accs[j]!;
      if (kind === K_NUM) acc.addNums(nums, side.at[j]!, rows);
      else if (kind === K_LIST) acc.addList(side.list[j]!, rows);
      else acc.addStrings(nums, strings, side.at[j]!, rows);
    }
  }
}

function columnsRecord(names: string[], accs: ColumnAcc[]): Record<string, ArrayLike<unknown>> {
  const out: Record<string, ArrayLike<unknown>> = {};
  for (let j = 0; j < names.length; j++) out[names[j]!] = accs[j]!.result();
  return out;
}

function processSlice(ctx: Context, from: number, to: number, out: BatchBuilder, stored: Map<string, number>, count: Count): void {
  const { reader, state } = ctx;
  const groups = new Map<string, Group>();
  // Consecutive requests usually share a group: its key is built only when something changes.
  let last: Group | null = null;
  let lastDeployment = '';
  let lastVersion = '';
  let lastWindow = NaN;
  let lastLayout = '';
  for (let k = from; k < to; k++) {
    const e = reader.event(k);
    const disposition = reader.disposition(k);
    if (disposition === 'dropped') {
      state.countDropped(e); // counted in the stats when it was dropped
      continue;
    }
    const settings = state.settingsFor(e.deployment);
    const rows = e.rows;
    ctx.load(k, settings.pii, rows);
    state.countTraffic(e);
    if (e.status === 'ok' && rows > 0) {
      // Per-column work has a fixed cost; one-row requests share it when profiled together.
      const window = ctx.windowStart(e.deployment, settings, e.ts);
      const layout = ctx.layout();
      if (!last || e.deployment !== lastDeployment || e.modelVersion !== lastVersion || window !== lastWindow || layout !== lastLayout) {
        const key = `${e.deployment}\0${e.modelVersion}\0${window}\0${layout}`;
        let g = groups.get(key);
        if (!g) {
          const outNames = ctx.outputColumnNames(ctx.outputs.names, ctx.outputs.widths);
          const inNames = ctx.inputs.names;
          groups.set(key, (g = { e, inNames, outNames, inputs: inNames.map(() => new ColumnAcc()), outputs: outNames.map(() => new ColumnAcc()) }));
        }
        last = g;
        lastDeployment = e.deployment;
        lastVersion = e.modelVersion;
        lastWindow = window;
        lastLayout = layout;
      }
      ctx.gather(last, rows);
    }
    if (disposition === 'sample_out') {
      count(e.deployment, 'sampled_out', Math.max(1, rows));
      state.countSampledOut(e);
      continue;
    }
    // The unit an A/B test counts is personal data when the sticky key's field is: stored keyed like that field
    // (a dropped field's too — the unit must still join with outcomes, which are keyed the same way).
    if (e.unit !== undefined && e.unitField !== undefined && coversField(settings.pii, e.unitField)) e.unit = hashValue(state.piiKey, e.unit)!;
    // Stored as the flat lists (cheap to write; the API turns them into rows when read).
    const [inputs, outputs] = ctx.stored(rows);
    out.add(e, inputs, outputs);
    stored.set(e.deployment, (stored.get(e.deployment) ?? 0) + Math.max(1, rows));
  }
  for (const g of groups.values()) state.profileColumns(g.e, columnsRecord(g.inNames, g.inputs), columnsRecord(g.outNames, g.outputs));
}
