/** A uniform sample of whole rows of a data file (reservoir sampling, Algorithm R, seeded so it repeats). */
import { Rng } from '../stats/index.js';
import { type TableSchema, readTable } from './table/index.js';

export async function sampleRows(file: string, schema: TableSchema, n: number, seed = 0x5eed): Promise<Record<string, unknown>[]> {
  const rng = new Rng(seed);
  const sample: Record<string, unknown>[] = [];
  const types = new Map(schema.columns.map((c) => [c.name, c.type]));
  let seen = 0;
  for await (const batch of readTable(file, schema, { format: schema.format })) {
    const names = Object.keys(batch.columns);
    for (let i = 0; i < batch.rows; i++) {
      seen++;
      const slot = seen <= n ? seen - 1 : rng.nextInt(seen);
      if (slot >= n) continue;
      const row: Record<string, unknown> = {};
      for (const name of names) {
        const v = batch.columns[name]![i];
        if (typeof v === 'number') row[name] = Number.isNaN(v) ? null : types.get(name) === 'datetime' ? new Date(v).toISOString() : v;
        else row[name] = v ?? null;
      }
      sample[slot] = row;
    }
  }
  return sample;
}
