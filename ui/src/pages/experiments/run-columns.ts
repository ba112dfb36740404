/** The runs table's chosen columns: which keys exist, defaults, and a run's value for a column (pure). */
import type { Run } from '../../../../src/sdk/index.js';
import { type Entity, fieldRef } from './filter.js';

export interface RunKeys {
  metrics: string[];
  params: string[];
  tags: string[];
}

/** Every metric, param and (non-system) tag key on these runs, sorted. */
export function discoverKeys(runs: readonly Run[]): RunKeys {
  const metrics = new Set<string>();
  const params = new Set<string>();
  const tags = new Set<string>();
  for (const r of runs) {
    for (const m of r.data.metrics ?? []) metrics.add(m.key);
    for (const p of r.data.params ?? []) params.add(p.key);
    for (const t of r.data.tags ?? []) if (!t.key.startsWith('mlflow.')) tags.add(t.key);
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return { metrics: sorted(metrics), params: sorted(params), tags: sorted(tags) };
}

/** Up to five metrics and five params: what the table shows before the user picks. */
export function defaultColumns(keys: RunKeys): string[] {
  return [...keys.metrics.slice(0, 5).map((k) => fieldRef('metrics', k)), ...keys.params.slice(0, 5).map((k) => fieldRef('params', k))];
}

/** `metrics.\`val loss\`` → { entity: 'metrics', key: 'val loss' }; null for anything else. */
export function parseFieldRef(ref: string): { entity: Entity; key: string } | null {
  const m = /^(metrics|params|tags|attributes)\.(.+)$/.exec(ref);
  if (!m) return null;
  const raw = m[2]!;
  const key = raw.startsWith('`') && raw.endsWith('`') && raw.length >= 2 ? raw.slice(1, -1).replace(/``/g, '`') : raw;
  return key === '' ? null : { entity: m[1] as Entity, key };
}

/** A run's value for a column: a number for metrics (or the API's "NaN" text), a string otherwise. */
export function runValue(run: Run, ref: string): number | string | undefined {
  const f = parseFieldRef(ref);
  if (!f) return undefined;
  switch (f.entity) {
    case 'metrics':
      return run.data.metrics?.find((m) => m.key === f.key)?.value;
    case 'params':
      return run.data.params?.find((p) => p.key === f.key)?.value;
    case 'tags':
      return run.data.tags?.find((t) => t.key === f.key)?.value;
    case 'attributes':
      return (run.info as unknown as Record<string, string | number | undefined>)[f.key];
  }
}

/** The run's display name: its name, else the start of its id. */
export function runLabel(run: Run): string {
  return run.info.run_name || run.info.run_id.slice(0, 8);
}
