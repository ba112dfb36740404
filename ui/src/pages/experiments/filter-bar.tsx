/** The runs filter: the API's filter text (applied on Enter), plus a builder that appends one clause at a time. */
import { type FormEvent, useEffect, useState } from 'react';
import { andFilter, ATTRIBUTE_KEYS, buildClause, type Entity, type Op, opsFor } from './filter.js';
import type { RunKeys } from './run-columns.js';

export function FilterBar({ filter, keys, onApply }: { filter: string; keys: RunKeys; onApply: (filter: string) => void }) {
  const [text, setText] = useState(filter);
  useEffect(() => setText(filter), [filter]);
  const [entity, setEntity] = useState<Entity>('metrics');
  const [key, setKey] = useState('');
  const [op, setOp] = useState<Op>('>');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const ops = opsFor(entity, key);
  const suggestions = entity === 'attributes' ? [...ATTRIBUTE_KEYS] : keys[entity];

  const apply = (e: FormEvent) => {
    e.preventDefault();
    onApply(text.trim());
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    const built = buildClause({ entity, key, op: ops.includes(op) ? op : ops[0]!, value });
    if ('error' in built) {
      setProblem(built.error);
      return;
    }
    setProblem(null);
    setValue('');
    onApply(andFilter(text, built.clause));
  };

  return (
    <div className="filter-bar">
      <form className="toolbar" onSubmit={apply} role="search" aria-label="Filter runs">
        <input
          className="grow mono"
          aria-label="Filter"
          placeholder="metrics.auc > 0.8 and params.max_depth = '4'"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="primary">
          Apply
        </button>
        <button type="button" disabled={filter === '' && text === ''} onClick={() => onApply('')}>
          Clear
        </button>
      </form>
      <form className="toolbar builder" onSubmit={add} aria-label="Add a condition">
        <select aria-label="Field kind" value={entity} onChange={(e) => setEntity(e.target.value as Entity)}>
          <option value="metrics">metric</option>
          <option value="params">param</option>
          <option value="tags">tag</option>
          <option value="attributes">attribute</option>
        </select>
        <input aria-label="Key" list="filter-keys" placeholder="key" value={key} onChange={(e) => setKey(e.target.value)} />
        <datalist id="filter-keys">
          {suggestions.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
        <select aria-label="Operator" value={ops.includes(op) ? op : ops[0]} onChange={(e) => setOp(e.target.value as Op)}>
          {ops.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <input
          aria-label="Value"
          placeholder="value"
          value={value}
          disabled={op === 'IS NULL' || op === 'IS NOT NULL'}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit">Add condition</button>
        {problem ? (
          <span className="error-inline" role="alert">
            {problem}
          </span>
        ) : null}
      </form>
    </div>
  );
}
