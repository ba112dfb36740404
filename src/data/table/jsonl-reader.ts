// JSON Lines as the format-neutral reader interface. Columns are the union of keys in order of first appearance;
// a key missing from a line is null; nested objects and arrays are kept as their JSON text (string columns).
import { DataFileError } from '../../errors.js';
import { classifyValue, fitsCheck, TypeVotes, typeOfClasses } from './infer.js';
import { jsonlBatches, type JsonRecord, type RawJsonBatch } from './jsonl-source.js';
import { newColumns, type ColumnValues, type FitCheck, type Mismatch, type ScanOptions, type TableBatch } from './types.js';
import { parseDatetimeText } from './values.js';
import { type WorkColumn } from './work-schema.js';

/** A record's own value for a key: undefined (a null) where the key is missing, even if Object.prototype has it. */
function cell(rec: JsonRecord, name: string): unknown {
  const v = rec[name];
  return typeof v === 'function' || v === Object.prototype ? undefined : v;
}

/** JSON text of a value that is not a plain string (numbers, booleans, nested objects and arrays). */
export function jsonText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

export async function sampleJsonl(path: string, sampleRows: number, o: Pick<ScanOptions, 'signal'>): Promise<WorkColumn[]> {
  const names = new Map<string, number>();
  const votes = new TypeVotes();
  let rows = 0;
  sampling: for await (const raw of jsonlBatches(path, { batchRows: Math.min(sampleRows, 4096), signal: o.signal })) {
    for (const rec of raw.records) {
      if (rows >= sampleRows) break sampling;
      for (const key in rec) {
        let j = names.get(key);
        if (j === undefined) {
          j = names.size;
          names.set(key, j);
          if (rows > 0) votes.add(j, 0); // missing from the rows before
        }
        votes.add(j, classifyValue(rec[key]));
      }
      // Keys this record lacks are nulls too.
      if (Object.keys(rec).length < names.size) for (const [key, j] of names) if (!Object.hasOwn(rec, key)) votes.add(j, 0);
      rows++;
    }
  }
  return votes.columns([...names.keys()]);
}

function convertColumn(raw: RawJsonBatch, col: WorkColumn, report: (i: number, v: unknown) => void, check?: FitCheck): ColumnValues {
  const { records } = raw;
  const n = records.length;
  const name = col.name;
  if (col.type === 'string') {
    const out = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const v = cell(records[i], name);
      out[i] = v === null || v === undefined ? null : jsonText(v);
      if (out[i] === null) col.nullable = true;
      else if (check && check.misfit === null && !fitsCheck(check, classifyValue(v))) check.misfit = { column: name, line: raw.lines[i], text: out[i]! };
    }
    return out;
  }
  if (col.type === 'boolean') {
    const out = new Array<boolean | null>(n);
    for (let i = 0; i < n; i++) {
      const v = cell(records[i], name);
      out[i] = typeof v === 'boolean' ? v : null;
      if (v === null || v === undefined) col.nullable = true;
      else if (typeof v !== 'boolean') report(i, v);
    }
    return out;
  }
  const out = new Float64Array(n);
  const dates = col.type === 'datetime';
  for (let i = 0; i < n; i++) {
    const v = cell(records[i], name);
    let x = NaN;
    if (v === null || v === undefined) col.nullable = true;
    else if (dates ? typeof v === 'string' && (x = parseDatetimeText(v)) === x : typeof v === 'number') {
      if (!dates) x = v as number;
      if (col.type === 'integer' && !Number.isInteger(x)) col.type = 'float'; // same numbers: no second pass
    } else report(i, v);
    out[i] = x;
  }
  return out;
}

/** A column that has only had nulls so far takes the type of its first value (see csv-convert's settle). */
function settle(raw: RawJsonBatch, col: WorkColumn): void {
  for (const rec of raw.records) {
    const cls = classifyValue(cell(rec, col.name));
    if (cls === 0) continue;
    col.type = col.settled = typeOfClasses(cls);
    col.pending = false;
    return;
  }
}

export async function* readJsonl(path: string, cols: WorkColumn[], o: ScanOptions): AsyncGenerator<TableBatch> {
  const index = new Map(cols.map((c, j) => [c.name, j]));
  for await (const raw of jsonlBatches(path, o)) {
    for (const rec of raw.records) {
      for (const key in rec) {
        if (index.has(key)) continue;
        // A key first seen after the sample: nulls before it, typed by its first values.
        index.set(key, cols.length);
        cols.push({ name: key, type: 'string', nullable: raw.firstRow > 1, pending: true }); // convertColumn sees the rest
      }
    }
    const columns = newColumns();
    for (const col of cols) {
      if (o.only && !o.only.has(col.name)) continue;
      if (col.pending) settle(raw, col);
      const report = (i: number, v: unknown): void => {
        const m: Mismatch = { column: col.name, line: raw.lines[i], text: jsonText(v) };
        if (o.onMismatch) return o.onMismatch(m);
        throw new DataFileError(`${jsonText(v)} is not ${col.type === 'integer' ? 'an' : 'a'} ${col.type} value`, { line: m.line, column: col.name });
      };
      columns[col.name] = convertColumn(raw, col, report, o.checks?.get(col.name));
    }
    yield { firstRow: raw.firstRow, rows: raw.records.length, lines: raw.lines, columns };
  }
}
