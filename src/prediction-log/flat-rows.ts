/** Flat, row-major values (what serving reports and what crosses to the monitoring thread) → row objects. */
import type { FlatInputs, FlatOutputs } from '../serving/index.js';

export function inputRowsOf(flat: FlatInputs, rows: number): Record<string, unknown>[] {
  const { names, values } = flat;
  if (names.length === 0) return [];
  const out = new Array<Record<string, unknown>>(rows);
  for (let r = 0, k = 0; r < rows; r++) {
    const row: Record<string, unknown> = {};
    for (let j = 0; j < names.length; j++) row[names[j]!] = values[k++];
    out[r] = row;
  }
  return out;
}

export function outputRowsOf(flat: FlatOutputs, rows: number): Record<string, unknown>[] {
  const { names, widths, values } = flat;
  if (names.length === 0) return [];
  const out = new Array<Record<string, unknown>>(rows);
  for (let r = 0, k = 0; r < rows; r++) {
    const row: Record<string, unknown> = {};
    for (let j = 0; j < names.length; j++) {
      const w = widths[j]!;
      if (w === 1) row[names[j]!] = values[k++];
      else {
        row[names[j]!] = values.slice(k, k + w);
        k += w;
      }
    }
    out[r] = row;
  }
  return out;
}

/** Flat inputs → one array per feature (what window profiles take). */
export function inputColumnsOf(flat: FlatInputs, rows: number): Record<string, unknown[]> {
  const { names, values } = flat;
  const cols: Record<string, unknown[]> = {};
  for (let j = 0; j < names.length; j++) {
    const col = new Array<unknown>(rows);
    for (let r = 0; r < rows; r++) col[r] = values[r * names.length + j];
    cols[names[j]!] = col;
  }
  return cols;
}

/** Flat outputs → one array per output element ("probabilities[1]" for a vector output). */
export function outputColumnsOf(flat: FlatOutputs, rows: number): Record<string, unknown[]> {
  const { names, widths, values } = flat;
  const perRow = widths.reduce((a, b) => a + b, 0);
  const cols: Record<string, unknown[]> = {};
  for (let j = 0, offset = 0; j < names.length; offset += widths[j]!, j++) {
    for (let i = 0; i < widths[j]!; i++) {
      const col = new Array<unknown>(rows);
      for (let r = 0; r < rows; r++) col[r] = values[r * perRow + offset + i];
      cols[widths[j] === 1 ? names[j]! : `${names[j]}[${i}]`] = col;
    }
  }
  return cols;
}
