// A profile per feature for a whole table (one window of one deployment × model version, or a dataset
// version). Invariant: every column has seen exactly `rows` values, so a feature missing from a record,
// or first seen after some rows, counts as null for those rows — and that survives merges.
import { ByteReader, ByteWriter, TAG } from './codec.js';
import { ColumnProfile, type ColumnKind, type ColumnProfileJSON, type ColumnProfileOptions, type ColumnSummary } from './column-profile.js';
import { DEFAULT_SEED } from './rng.js';

export interface DatasetProfileOptions extends Omit<ColumnProfileOptions, 'kind'> {
  /** Kinds fixed per feature; others are inferred from their first value. */
  schema?: Record<string, ColumnKind>;
}

export interface DatasetProfileJSON {
  version: 1;
  rows: number;
  columns: Record<string, ColumnProfileJSON>;
}

export interface DatasetSummary {
  rows: number;
  columns: Record<string, ColumnSummary>;
}

/** FNV-1a: gives each feature its own random stream from one dataset seed. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class DatasetProfile {
  rows = 0;
  readonly columns = new Map<string, ColumnProfile>();

  constructor(readonly options: DatasetProfileOptions = {}) {
    this.addSchemaColumns();
  }

  /** Features named in the schema are profiled (as all-null) even before they appear. */
  private addSchemaColumns(): void {
    for (const name of Object.keys(this.options.schema ?? {})) this.column(name);
  }

  /** The column's profile, created (null for the `earlierRows` rows it missed) if new. */
  column(name: string, earlierRows = this.rows): ColumnProfile {
    let col = this.columns.get(name);
    if (col === undefined) {
      const { schema, seed, ...rest } = this.options;
      col = new ColumnProfile({
        ...rest,
        kind: schema && Object.hasOwn(schema, name) ? schema[name] : undefined,
        seed: ((seed ?? DEFAULT_SEED) ^ hashName(name)) >>> 0,
      });
      col.addNulls(earlierRows);
      this.columns.set(name, col);
    }
    return col;
  }

  updateRow(record: Readonly<Record<string, unknown>>): void {
    const row = ++this.rows;
    let seen = 0;
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
      const col = this.columns.get(key) ?? this.column(key, row - 1);
      col.update(record[key]);
      seen++;
    }
    if (seen < this.columns.size) this.fillNulls();
  }

  /** Column-oriented batch: every array has the same length; Float64Arrays take the fast path. */
  updateColumns(batch: Readonly<Record<string, ArrayLike<unknown>>>): void {
    const names = Object.keys(batch);
    if (names.length === 0) return;
    const len = batch[names[0]].length;
    for (const name of names) {
      if (batch[name].length !== len) throw new Error(`column ${name} has ${batch[name].length} values, expected ${len}`);
    }
    for (const name of names) this.column(name).updateMany(batch[name]);
    this.rows += len;
    if (names.length < this.columns.size) this.fillNulls();
  }

  private fillNulls(): void {
    for (const col of this.columns.values()) if (col.count < this.rows) col.addNulls(this.rows - col.count);
  }

  merge(other: DatasetProfile): this {
    if (other === this) other = this.clone();
    for (const [name, col] of other.columns) {
      const mine = this.column(name);
      if (other.rows > col.count) mine.addNulls(other.rows - col.count);
      mine.merge(col);
    }
    this.rows += other.rows;
    this.fillNulls();
    return this;
  }

  summary(topN = 10): DatasetSummary {
    const columns: Record<string, ColumnSummary> = {};
    for (const [name, col] of this.columns) columns[name] = col.summary(topN);
    return { rows: this.rows, columns };
  }

  clone(): DatasetProfile {
    return DatasetProfile.fromBytes(this.toBytes(), this.options);
  }

  toJSON(): DatasetProfileJSON {
    const columns: Record<string, ColumnProfileJSON> = {};
    for (const [name, col] of this.columns) columns[name] = col.toJSON();
    return { version: 1, rows: this.rows, columns };
  }

  /** Stored columns keep their own options; `options` shape columns created later. */
  static fromJSON(j: DatasetProfileJSON, options: DatasetProfileOptions = {}): DatasetProfile {
    if (j.version !== 1) throw new Error(`unsupported dataset profile version ${j.version}`);
    const p = new DatasetProfile(options);
    p.columns.clear();
    p.rows = j.rows;
    for (const [name, col] of Object.entries(j.columns)) p.columns.set(name, ColumnProfile.fromJSON(col));
    p.addSchemaColumns();
    return p;
  }

  /** Binary: tag, version, rows, column count, then (name, column profile bytes) sorted by name. */
  toBytes(): Uint8Array {
    const w = new ByteWriter(4096);
    w.u8(TAG.dataset).u8(1).f64(this.rows).u32(this.columns.size);
    for (const name of [...this.columns.keys()].sort()) {
      w.str(name);
      this.columns.get(name)!.writeTo(w);
    }
    return w.finish();
  }

  static fromBytes(bytes: Uint8Array, options: DatasetProfileOptions = {}): DatasetProfile {
    const r = new ByteReader(bytes);
    r.header(TAG.dataset, 'dataset profile', 1);
    const p = new DatasetProfile(options);
    p.columns.clear();
    p.rows = r.f64();
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const name = r.str();
      p.columns.set(name, ColumnProfile.readFrom(r));
    }
    r.end('dataset profile');
    p.addSchemaColumns();
    return p;
  }
}
