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
