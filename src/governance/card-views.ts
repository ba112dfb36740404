/**
 * The card seen through two public schemas: Google's Model Card Toolkit v0.0.2 (`model_details`,
 * `model_parameters`, `quantitative_analysis`, `considerations`; metric values and bounds are strings there) and
 * Hugging Face's `model-index` (EvalResult: task type, dataset type and name, metric type and value required).
 * Both views read the card's sections, so they say nothing the card does not.
 */
import type { Section } from './card-types.js';
import { isoTime } from './card-time.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const factsOf = (sections: Section[], id: Section['id']) => sections.find((s) => s.id === id)?.facts ?? {};
/** An authored field's text, or null. */
const field = (facts: Obj, name: string) => str(obj(facts[name])['text']);

const CLASSIFICATION_METRICS = new Set(['accuracy', 'log_loss', 'roc_auc', 'f1', 'precision', 'recall']);

interface EvalMetric {
  source: string;
  dataset: string | null;
  slice: string;
  metric: string;
  value: number;
}

/** The newest gate evaluation's candidate values, per source, slice and metric. */
export function latestEvaluationMetrics(sections: Section[]): { metrics: EvalMetric[]; loop: string | null; run: number | null } {
  const evaluations = arr(factsOf(sections, 'evaluation')['evaluations']).map(obj);
  const latest = evaluations[evaluations.length - 1];
  if (!latest) return { metrics: [], loop: null, run: null };
  const metrics: EvalMetric[] = [];
  for (const src of arr(latest['sources']).map(obj))
    for (const sl of arr(src['slices']).map(obj))
      for (const m of arr(sl['metrics']).map(obj)) {
        if (typeof m['candidate'] !== 'number') continue;
        metrics.push({
          source: String(src['label'] ?? src['source']),
          dataset: str(src['dataset']),
          slice: String(sl['name']),
          metric: String(m['metric']),
          value: m['candidate'],
        });
      }
  return { metrics, loop: str(latest['loop']), run: typeof latest['run'] === 'number' ? latest['run'] : null };
}

export function mctCard(model: string, version: string, sections: Section[]): Obj {
  const id = factsOf(sections, 'identity');
  const uses = factsOf(sections, 'uses');
  const risks = factsOf(sections, 'risks');
  const run = factsOf(sections, 'training_run');
  const data = factsOf(sections, 'training_data');
  const owner = field(uses, 'owner');
  // MCT's version.date is a JSON-schema `date` (YYYY-MM-DD).
  const created = isoTime(id['created_at'] as number | null)?.slice(0, 10) ?? null;
  const datasets = arr(data['inputs']).flatMap((input) =>
    arr(obj(input)['dataset_versions']).map((dv) => ({
      name: String(obj(dv)['ref']),
      description: `${String(obj(dv)['rows'])} rows, digest ${String(obj(dv)['digest'])}${str(obj(input)['context']) ? `, context ${String(obj(input)['context'])}` : ''}`,
    })),
  );
  const performance = latestEvaluationMetrics(sections).metrics.map((m) => ({ type: m.metric, value: String(m.value), slice: `${m.source}: ${m.slice}` }));
  for (const [k, v] of Object.entries(obj(run['metrics']))) performance.push({ type: k, value: String(v), slice: 'training run' });
  for (const m of arr(factsOf(sections, 'fairness')['mct_metrics']).map(obj))
    if (str(m['type']) && m['value'] !== undefined) performance.push({ type: String(m['type']), value: String(m['value']), slice: String(m['slice'] ?? '') });
  const text = (s: string | null) => (s ? [{ description: s }] : []);
  const outOfScope = field(uses, 'out_of_scope_uses');
  const ethical = field(risks, 'ethical_considerations');
  return {
    schema_version: '0.0.2',
    model_details: {
      name: model,
      overview: str(id['description']) ?? str(id['model_description']) ?? '',
      version: { name: version, ...(created ? { date: created } : {}) },
      owners: owner ? [{ name: owner, contact: field(uses, 'contact') ?? '' }] : [],
      ...(str(id['source']) ? { path: String(id['source']) } : {}),
    },
    model_parameters: { data: datasets },
    quantitative_analysis: { performance_metrics: performance },
    considerations: {
      users: text(field(uses, 'users')),
      use_cases: text(field(uses, 'intended_use')),
      // MCT has no out-of-scope field; it is a limitation of use, labelled as such.
      limitations: [...text(field(risks, 'limitations')), ...(outOfScope ? [{ description: `Out of scope: ${outOfScope}` }] : [])],
      ethical_considerations: ethical ? [{ name: ethical, mitigation_strategy: '' }] : [],
    },
  };
}

export function hfModelIndex(model: string, sections: Section[]): unknown[] {
  const { metrics, loop, run } = latestEvaluationMetrics(sections);
  if (metrics.length === 0) return [];
  const groups = new Map<string, EvalMetric[]>();
  for (const m of metrics) {
    const key = `${m.source}\u0000${m.dataset ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const classification = metrics.some((m) => CLASSIFICATION_METRICS.has(m.metric));
  const results = [...groups.values()].map((ms) => ({
    task: { type: classification ? 'tabular-classification' : 'tabular-regression' },
    dataset: { type: ms[0]!.dataset ?? 'ferry-production-window', name: ms[0]!.dataset ?? ms[0]!.source },
    metrics: ms.map((m) => ({ type: m.metric, value: m.value, name: m.slice === 'all' ? m.metric : `${m.metric} (${m.slice})`, verified: false })),
    source: { name: `Ferry offline gate${loop ? ` (loop ${loop}, run ${run})` : ''}` },
  }));
  return [{ name: model, results }];
}
