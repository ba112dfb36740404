/**
 * A table schema for a profile that came without one (live traffic): numerical columns are integer when every
 * value seen (min, max and the sample) is whole, else float; categorical columns are boolean when their only
 * values are true/false, else string. Nullable when nulls were seen.
 */
import type { DatasetProfile } from '../stats/index.js';
import type { ColumnSchema, TableSchema } from './table/index.js';

export function schemaOfProfile(profile: DatasetProfile): TableSchema {
  const columns: ColumnSchema[] = [];
  for (const [name, col] of profile.columns) {
    let type: ColumnSchema['type'] = 'string';
    if (col.kind === 'numerical') {
      const sample = [...(col.reservoir?.values() ?? [])] as number[];
      const whole = [col.kll?.min, col.kll?.max, ...sample].every((v) => v === undefined || Number.isInteger(v));
      type = whole ? 'integer' : 'float';
    } else if (col.kind === 'categorical') {
      const top = col.frequent?.top(3) ?? [];
      type = top.length > 0 && top.every((t) => t.value === 'true' || t.value === 'false') ? 'boolean' : 'string';
    }
    columns.push({ name, type, nullable: col.nulls > 0 });
  }
  return { format: 'jsonl', columns, warnings: [] };
}
