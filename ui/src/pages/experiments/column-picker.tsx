/** Chooses the runs table's metric / param / tag columns. */
import { useState } from 'react';
import { type Entity, fieldRef } from './filter.js';
import type { RunKeys } from './run-columns.js';

const GROUPS: { entity: Entity; label: string; of: keyof RunKeys }[] = [
  { entity: 'metrics', label: 'Metrics', of: 'metrics' },
  { entity: 'params', label: 'Params', of: 'params' },
  { entity: 'tags', label: 'Tags', of: 'tags' },
];

export function ColumnPicker({ keys, chosen, onChange }: { keys: RunKeys; chosen: readonly string[]; onChange: (cols: string[]) => void }) {
  const [open, setOpen] = useState(false);
  const toggle = (ref: string) => onChange(chosen.includes(ref) ? chosen.filter((c) => c !== ref) : [...chosen, ref]);
  return (
    <div className="picker">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Columns ({chosen.length}) ▾
      </button>
      {open ? (
        <div className="picker-menu" role="group" aria-label="Columns">
          {GROUPS.map((g) =>
            keys[g.of].length === 0 ? null : (
              <div key={g.entity}>
                <h4>{g.label}</h4>
                {keys[g.of].map((k) => {
                  const ref = fieldRef(g.entity, k);
                  return (
                    <label key={ref}>
                      <input type="checkbox" checked={chosen.includes(ref)} onChange={() => toggle(ref)} />
                      {k}
                    </label>
                  );
                })}
              </div>
            ),
          )}
          {keys.metrics.length + keys.params.length + keys.tags.length === 0 ? <p className="muted">No metrics, params or tags on this page.</p> : null}
          <div className="toolbar">
            <button type="button" onClick={() => onChange([])}>
              None
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
