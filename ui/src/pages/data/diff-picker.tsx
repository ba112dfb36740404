/** Two versions of a dataset to compare; Compare opens the diff page. */
import { useState } from 'react';
import { href, navigate } from '../../router.js';
import { defaultDiffPair } from './data-shapes.js';

export function DiffPicker({ name, versions, from, to }: { name: string; versions: readonly number[]; from?: number; to?: number }) {
  const pair = defaultDiffPair(versions);
  const [a, setA] = useState(from ?? pair?.from);
  const [b, setB] = useState(to ?? pair?.to);
  if (!pair && from === undefined) return <p className="muted">One version only: push another to compare.</p>;
  const options = [...new Set([...versions, ...(from !== undefined ? [from] : []), ...(to !== undefined ? [to] : [])])].sort((x, y) => y - x);
  const select = (label: string, value: number | undefined, set: (v: number) => void) => (
    <label>
      {label}{' '}
      <select aria-label={`${label} version`} value={value ?? ''} onChange={(e) => set(Number(e.target.value))}>
        {options.map((v) => (
          <option key={v} value={v}>
            v{v}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form
      className="toolbar diff-picker"
      aria-label="Compare versions"
      onSubmit={(e) => {
        e.preventDefault();
        if (a !== undefined && b !== undefined) navigate(href('/data/:name/diff', { name }, { from: a, to: b }));
      }}
    >
      <strong>Compare</strong>
      {select('From', a, setA)}
      {select('To', b, setB)}
      <button type="submit" className="primary" disabled={a === undefined || b === undefined || a === b}>
        Compare versions
      </button>
    </form>
  );
}
