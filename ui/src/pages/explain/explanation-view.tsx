/**
 * One answered explanation: what explained it (method, background, output space, budget), and per row and output
 * the waterfall from the base value to f(x). `truncated` is said loudly: the values are then an estimate.
 */
import { useState } from 'react';
import type { Explanation } from '../../../../src/sdk/index.js';
import { formatNumber } from '../../format.js';
import { waterfall } from './waterfall.js';
import { WaterfallChart } from './waterfall-chart.js';

const METHOD_TEXT: Record<Explanation['method'], string> = {
  tree_interventional: 'exact interventional TreeSHAP (read from the tree ensemble)',
  kernel: 'KernelSHAP (sampled coalitions)',
  exact: 'exact enumeration of coalitions',
  permutation: 'permutation sampling',
  linear: 'exact (linear model)',
};

const SPACE_TEXT: Record<Explanation['output_space'], string> = {
  probability: 'class probability',
  margin: 'margin (log-odds / logit, before the link)',
  raw: "the regressor's value",
};

export function ExplanationFacts({ e }: { e: Explanation }) {
  const b = e.background;
  return (
    <dl className="meta explain-facts" data-testid="explanation-facts">
      <dt>Method</dt>
      <dd data-testid="explain-method">
        <code>{e.method}</code> · {METHOD_TEXT[e.method]}
        {e.truncated ? (
          <span className="badge truncated" data-testid="truncated" title="The evaluation budget ran out: an estimate, which still adds up">
            truncated
          </span>
        ) : null}
      </dd>
      <dt>Output space</dt>
      <dd>
        <code>{e.output_space}</code> · {SPACE_TEXT[e.output_space]}
      </dd>
      <dt>Background</dt>
      <dd data-testid="explain-background">
        {b.dataset}@{b.version} · {formatNumber(b.rows)} rows · from {b.source.replace(/_/g, ' ')}{' '}
        <code className="muted" title={b.digest}>
          {b.digest.slice(0, 12)}
        </code>
      </dd>
      <dt>Model</dt>
      <dd>
        {e.model} v{e.model_version} · {formatNumber(e.evaluations)} model rows evaluated · additivity error {formatNumber(e.additivity_max_error)}
      </dd>
    </dl>
  );
}

export function ExplanationView({ e, rows }: { e: Explanation; rows: readonly Record<string, unknown>[] }) {
  // A binary classifier's two probabilities mirror each other: open on the positive (second) class's.
  const [output, setOutput] = useState(e.output_space === 'probability' && e.outputs.length === 2 ? 1 : 0);
  const o = Math.min(output, e.outputs.length - 1);
  return (
    <div className="explanation" data-testid="explanation">
      <ExplanationFacts e={e} />
      {e.outputs.length > 1 ? (
        <label>
          Output{' '}
          <select aria-label="Explained output" value={o} onChange={(ev) => setOutput(Number(ev.target.value))}>
            {e.outputs.map((name, i) => (
              <option key={name} value={i}>
                {name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p className="muted">
          Output <code>{e.outputs[0]}</code>
        </p>
      )}
      {e.explanations.map((x, r) => {
        const w = waterfall(e.base_values[o] ?? 0, x.attributions[o] ?? {}, x.prediction[o] ?? 0, rows[r] ?? {});
        return (
          <div key={r}>
            {e.explanations.length > 1 ? <h4>Row {r + 1}</h4> : null}
            <WaterfallChart w={w} output={e.outputs[o] ?? ''} />
          </div>
        );
      })}
      <p className="muted">Red moves the output up, blue down; base + Σφ = f(x).</p>
    </div>
  );
}
