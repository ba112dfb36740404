/**
 * Explanations of a deployment's or a model version's predictions: picks the background (the request's dataset
 * version, else the deployment's monitoring reference, else the version's training data), samples it, runs the
 * chosen Shapley explainer on the served model in batches, and answers attributions that add up, with the method,
 * the output space, the background's digest and whether the budget cut it short. Global importance (mean |φ|) per
 * model version is cached per (version, background digest, method, rows, seed), and each one computed is stored
 * (explanation_summaries) so the model card can show it as a dated fact.
 */
import { createHash } from 'node:crypto';
import { InvalidParameterError, NotFoundError } from '../errors.js';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { readTreeEnsemble } from '../serving/index.js';
import {
  EXACT_MAX_FEATURES,
  exactShapley,
  kernelShap,
  permutationShap,
  Rng,
  treeShapInterventional,
  type AgnosticInput,
  type ShapExplanation,
  type TreeEnsembleModel,
} from '../stats/index.js';
import type { DatasetReference, MonitoringDataHooks } from './data-hooks.js';
import { explainLinear, linearModelOf, linearSpace } from './explain-linear.js';
import { batchModel, type ExplainTarget, FeatureCodec, type OutputSpace } from './explain-model.js';
import type { ExplanationSummary, ExplanationSummaryRepo } from './explain-repo.js';

export type ExplainMethod = 'auto' | 'tree' | 'linear' | 'kernel' | 'exact' | 'permutation';

/** Up to this many features, `auto` enumerates every coalition (2^10 − 2 per row). */
export const AUTO_EXACT_FEATURES = 10;
const DEFAULT_MAX_EVALUATIONS = 5_000_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_BACKGROUND_ROWS = 100;
/** TreeSHAP's cost is linear in the background, and it (like a linear model's) evaluates nothing: the full allowance by default. */
const DEFAULT_TREE_BACKGROUND_ROWS = 1000;
/** Rows TreeSHAP explains between two yields to the event loop. */
const TREE_ROWS_PER_TURN = 10;
const DEFAULT_IMPORTANCE_ROWS = 50;
const IMPORTANCE_CACHE = 64;

export interface ExplainRequestInput {
  instances: Record<string, unknown>[];
  background?: { dataset: string; version: string; rows?: number };
  method?: ExplainMethod;
  budget?: { max_evaluations?: number; timeout_ms?: number };
  seed?: number;
}

/** A model version held for one explanation (released after). */
export interface HeldTarget extends ExplainTarget {
  release(): Promise<void>;
}

export interface ExplainDeps {
  /** The version taking most of the deployment's traffic (NotFoundError when it serves none). */
  deploymentTarget(name: string): Promise<HeldTarget>;
  versionTarget(model: string, version: string): Promise<HeldTarget>;
  /** The dataset version (NAME@VERSION) behind the deployment's monitoring reference, if it is one. */
  monitoringReference(deployment: string): Promise<string | null>;
  data: MonitoringDataHooks | null;
  /** Where computed importance is stored; without it (unit tests) nothing is. */
  summaries?: Pick<ExplanationSummaryRepo, 'insert' | 'latest'>;
  now?: () => number;
}

type BackgroundSource = 'request' | 'monitoring_reference' | 'training_data';

interface Background {
  ref: DatasetReference;
  source: BackgroundSource;
}

export interface ExplainAnswer {
  method: ShapExplanation['method'];
  output_space: OutputSpace;
  outputs: string[];
  base_values: number[];
  explanations: { attributions: Record<string, number>[]; prediction: number[] }[];
  model: string;
  model_version: string;
  background: { dataset: string; version: string; rows: number; digest: string; source: BackgroundSource };
  evaluations: number;
  truncated: boolean;
  additivity_max_error: number;
}

export interface Importance {
  model: string;
  model_version: string;
  method: ShapExplanation['method'];
  output_space: OutputSpace;
  outputs: string[];
  features: { feature: string; mean_abs: number; per_output: number[] }[];
  rows: number;
  background: ExplainAnswer['background'];
  truncated: boolean;
  seed: number;
  /** The stored summary these figures are, or null when this service stores none. */
  summary: { id: number; created_at: number; created_by: string } | null;
}

export interface ImportanceQueryInput {
  dataset?: string;
  dataset_version?: string;
  method?: ExplainMethod;
  rows?: number;
  seed?: number;
  stored?: boolean;
}

const TREE_CACHE_SIZE = 8;

export class ExplainService {
  private readonly importanceCache = new Map<string, Importance>();
  /** Tree ensembles read per model version (a version's files never change): read and parsed once, not per request. */
  private readonly treeReads = new Map<string, Promise<ReturnType<typeof readTreeEnsemble>>>();

  constructor(private readonly deps: ExplainDeps) {}

  async explainDeployment(name: string, req: ExplainRequestInput): Promise<ExplainAnswer> {
    const target = await this.deps.deploymentTarget(name);
    try {
      const bg = await this.background(req.background, target, name);
      return await this.explain(target, bg, req);
    } finally {
      await target.release();
    }
  }

  async explainVersion(model: string, version: string, req: ExplainRequestInput): Promise<ExplainAnswer> {
    const target = await this.deps.versionTarget(model, version);
    try {
      const bg = await this.background(req.background, target, null);
      return await this.explain(target, bg, req);
    } finally {
      await target.release();
    }
  }

  /**
   * Mean |φ| per feature over a seeded sample of the background's rows explained against the background; each one
   * computed (not a cache hit) is stored with `actor` as its author. `stored`: the latest stored one, computing nothing.
   */
  async importance(model: string, version: string, q: ImportanceQueryInput, actor = 'system'): Promise<Importance & { cached: boolean }> {
    if (q.stored === true) return { ...(await this.storedImportance(model, version, q)), cached: true };
    if ((q.dataset === undefined) !== (q.dataset_version === undefined))
      throw new InvalidParameterError(q.dataset === undefined ? 'dataset' : 'dataset_version', "Give both 'dataset' and 'dataset_version', or neither.");
    const target = await this.deps.versionTarget(model, version);
    try {
      const asked = q.dataset !== undefined ? { dataset: q.dataset, version: q.dataset_version! } : undefined;
      const bg = await this.background(asked, target, null);
      const rows = q.rows ?? DEFAULT_IMPORTANCE_ROWS;
      const seed = q.seed ?? 0;
      const codec = new FeatureCodec(target.signature);
      const sample = await this.sampleBackground(bg.ref, codec, DEFAULT_BACKGROUND_ROWS);
      const key = [model, version, sample.digest, q.method ?? 'auto', rows, seed].join('\0');
      const hit = this.importanceCache.get(key);
      if (hit) return { ...hit, cached: true };
      // The rows explained: a seeded choice among the background sample.
      const order = shuffle(sample.records.length, new Rng(seed ^ 0x1a2b3c));
      const instances = order.slice(0, Math.min(rows, sample.records.length)).map((i) => sample.records[i]!);
      const answer = await this.explain(target, bg, { instances, method: q.method, seed }, sample);
      const M = codec.features.length;
      const per = codec.features.map((f) =>
        answer.outputs.map((_, o) => answer.explanations.reduce((s, e) => s + Math.abs(e.attributions[o]![f]!), 0) / instances.length),
      );
      const features = codec.features
        .map((feature, j) => ({ feature, mean_abs: per[j]!.reduce((a, b) => a + b, 0) / per[j]!.length, per_output: per[j]! }))
        .sort((a, b) => b.mean_abs - a.mean_abs || a.feature.localeCompare(b.feature));
      const computed: Omit<Importance, 'summary'> = {
        model,
        model_version: version,
        method: answer.method,
        output_space: answer.output_space,
        outputs: answer.outputs,
        features: features.slice(0, M),
        rows: instances.length,
        background: answer.background,
        truncated: answer.truncated,
        seed,
      };
      const out: Importance = { ...computed, summary: await this.store(computed, actor) };
      this.importanceCache.set(key, out);
      if (this.importanceCache.size > IMPORTANCE_CACHE) this.importanceCache.delete(this.importanceCache.keys().next().value!);
      return { ...out, cached: false };
    } finally {
      await target.release();
    }
  }

  /** Stores a computed importance as the version's newest summary (what its model card shows). */
  private async store(imp: Omit<Importance, 'summary'>, actor: string): Promise<Importance['summary']> {
    if (!this.deps.summaries) return null;
    const s = await this.deps.summaries.insert({
      model: imp.model,
      version: imp.model_version,
      method: imp.method,
      output_space: imp.output_space,
      outputs: imp.outputs,
      background: imp.background,
      rows: imp.rows,
      seed: imp.seed,
      truncated: imp.truncated,
      features: imp.features,
      created_at: (this.deps.now ?? Date.now)(),
      created_by: actor,
    });
    return { id: s.id, created_at: s.created_at, created_by: s.created_by };
  }

  private async storedImportance(model: string, version: string, q: ImportanceQueryInput): Promise<Importance> {
    // The stored summary was computed with its own background, method, rows and seed: asking for others with it
    // would answer figures that are not what was asked.
    const other = (['dataset', 'dataset_version', 'method', 'rows', 'seed'] as const).find((k) => q[k] !== undefined);
    if (other !== undefined)
      throw new InvalidParameterError(other, `'stored=true' answers the latest stored summary as it was computed; leave '${other}' out, or drop 'stored'.`);
    const s = this.deps.summaries ? await this.deps.summaries.latest(model, version) : null;
    if (!s)
      throw new NotFoundError(
        `No importance summary is stored for model '${model}' version ${version}; compute one with GET /api/v1/models/{name}/versions/{version}/importance (without stored=true).`,
      );
    return summaryAsImportance(s);
  }

  /** The request's dataset version, else the deployment's monitoring reference, else the version's training data. */
  private async background(asked: ExplainRequestInput['background'], target: ExplainTarget, deployment: string | null): Promise<Background> {
    const data = this.deps.data;
    if (!data) throw new InvalidParameterError('background', 'This server has no datasets to draw a background from.');
    const read = (spec: Parameters<MonitoringDataHooks['datasetReference']>[0], source: BackgroundSource) =>
      data.datasetReference(spec).then(
        (ref) => ({ ref, source }),
        (err: unknown) => {
          // An unknown dataset, or no training data on record, is a problem of this request's background.
          if (err instanceof NotFoundError || err instanceof InvalidParameterError) {
            const why = source === 'training_data' ? ` Name one: "background": {"dataset": ..., "version": ...}.` : '';
            throw new InvalidParameterError('background', `${err.message}${why}`);
          }
          throw err;
        },
      );
    if (asked) return read({ dataset: `${asked.dataset}@${asked.version}` }, 'request');
    if (deployment !== null) {
      const ref = await this.deps.monitoringReference(deployment);
      if (ref) return read({ dataset: ref }, 'monitoring_reference');
    }
    return read({ trainingOf: { model: target.model, version: target.version } }, 'training_data');
  }

  /** readTreeEnsemble of the version's graph, kept for the last few versions explained (most recently used last). */
  private treeRead(target: ExplainTarget, bytes: () => Promise<Uint8Array>): Promise<ReturnType<typeof readTreeEnsemble>> {
    const key = `${target.model}\0${target.version}`;
    let read = this.treeReads.get(key);
    if (read) this.treeReads.delete(key);
    else {
      read = bytes().then((b) => readTreeEnsemble(b));
      read.catch(() => this.treeReads.delete(key));
    }
    this.treeReads.set(key, read);
    while (this.treeReads.size > TREE_CACHE_SIZE) this.treeReads.delete(this.treeReads.keys().next().value!);
    return read;
  }

  /** The graph's tree ensemble when TreeSHAP can explain it exactly; with `required`, a refusal saying why not. */
  private async treeModel(target: ExplainTarget, M: number, required: boolean): Promise<TreeEnsembleModel | null> {
    const refuse = (why: string) => {
      if (required) throw new InvalidParameterError('method', `TreeSHAP cannot explain ${target.model} version ${target.version}: ${why}`);
      return null;
    };
    if (!target.bytes) return refuse('this server does not read model graphs for explanations.');
    if (target.signature.layout !== 'single-tensor') return refuse('its features arrive as separate inputs (a preprocessing graph in front of the trees).');
    const read = await this.treeRead(target, target.bytes);
    if (!read.ok) return refuse(`${read.reason}.`);
    if (read.model.nFeatures !== M) return refuse(`its trees read ${read.model.nFeatures} features, its input has ${M}.`);
    return read.model;
  }

  private async sampleBackground(ref: DatasetReference, codec: FeatureCodec, n: number) {
    // A column the file lacks would be read as missing in every row (NaN for a float input): an explanation against
    // a background the model never sees, answered as if it were one.
    const lacking = codec.features.filter((f) => !ref.profile.columns.has(f));
    if (lacking.length > 0)
      throw new InvalidParameterError(
        'background',
        `${ref.ref} lacks the model's input${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')}; name a dataset version with every feature (${codec.features.join(', ')}).`,
      );
    const records = (await ref.sampleRows(n)).map((r) => Object.fromEntries(codec.features.map((f) => [f, r[f] ?? null])));
    if (records.length === 0) throw new InvalidParameterError('background', `${ref.ref} has no rows.`);
    const rows = codec.encode(records, 'background');
    const digest = createHash('sha256')
      .update(JSON.stringify({ features: codec.features, rows: records.map((r) => codec.features.map((f) => r[f])) }))
      .digest('hex');
    return { records, rows, digest };
  }

  private async explain(
    target: ExplainTarget,
    bg: Background,
    req: ExplainRequestInput,
    sampled?: { records: Record<string, unknown>[]; rows: number[][]; digest: string },
  ): Promise<ExplainAnswer> {
    const codec = new FeatureCodec(target.signature);
    const M = codec.features.length;
    let method = req.method ?? 'auto';
    const tree = method === 'tree' || method === 'auto' ? await this.treeModel(target, M, method === 'tree') : null;
    const linear = method === 'linear' || (method === 'auto' && !tree) ? await linearModelOf(target, M, method === 'linear') : null;
    if (method === 'auto') method = tree ? 'tree' : linear ? 'linear' : M <= AUTO_EXACT_FEATURES ? 'exact' : 'kernel';
    if (method === 'exact' && M > EXACT_MAX_FEATURES)
      throw new InvalidParameterError(
        'method',
        `Exact enumeration takes at most ${EXACT_MAX_FEATURES} features; this model has ${M}. Use 'kernel' or 'permutation'.`,
      );
    const rows = codec.encode(req.instances, 'instances');
    const defaultRows = tree || linear ? DEFAULT_TREE_BACKGROUND_ROWS : DEFAULT_BACKGROUND_ROWS;
    const sample = sampled ?? (await this.sampleBackground(bg.ref, codec, req.background?.rows ?? defaultRows));
    // Categorical codes of the background are assigned after the instances' when sampled here; re-encode so
    // both share one dictionary (the codec grows as it meets values).
    const background = sampled ? codec.encode(sample.records, 'background') : sample.rows;
    let e: ShapExplanation;
    let space: OutputSpace;
    if (tree) {
      e = await treeShap(tree, background, rows);
      space = tree.outputNames[0]!.startsWith('margin') ? 'margin' : tree.outputNames[0]!.startsWith('probability') ? 'probability' : 'raw';
    } else if (linear) {
      e = explainLinear(linear, codec.features, background, rows);
      space = linearSpace(linear);
    } else {
      const model = await batchModel(target, codec, rows);
      space = model.space;
      const input: AgnosticInput = {
        evaluate: model.evaluate,
        background,
        rows,
        outputNames: model.outputNames,
        seed: req.seed ?? 0,
        budget: { maxEvaluations: req.budget?.max_evaluations ?? DEFAULT_MAX_EVALUATIONS, deadlineMs: req.budget?.timeout_ms ?? DEFAULT_TIMEOUT_MS },
      };
      e = method === 'exact' ? await exactShapley(input) : method === 'kernel' ? await kernelShap(input) : await permutationShap(input);
    }
    const [dataset, version] = splitRef(bg.ref.ref);
    return {
      method: e.method,
      output_space: space,
      outputs: e.outputNames,
      base_values: e.base,
      explanations: e.values.map((perOutput, r) => ({
        attributions: perOutput.map((phi) => Object.fromEntries(codec.features.map((f, j) => [f, phi[j]!]))),
        prediction: e.fx[r]!,
      })),
      model: target.model,
      model_version: target.version,
      background: { dataset, version, rows: background.length, digest: sample.digest, source: bg.source },
      evaluations: e.evaluations,
      truncated: e.truncated,
      additivity_max_error: additivityError(e),
    };
  }
}

/** max over rows and outputs of |base + Σφ − f(x)| / max(1, |f(x)|). */
export function additivityError(e: Pick<ShapExplanation, 'values' | 'base' | 'fx'>): number {
  let worst = 0;
  e.values.forEach((perOutput, r) =>
    perOutput.forEach((phi, o) => {
      const fx = e.fx[r]![o]!;
      worst = Math.max(worst, Math.abs(phi.reduce((a, b) => a + b, e.base[o]!) - fx) / Math.max(1, Math.abs(fx)));
    }),
  );
  return worst;
}

/** TreeSHAP a few rows at a time, yielding to the event loop in between (it runs on the main thread). */
async function treeShap(model: TreeEnsembleModel, background: number[][], rows: number[][]): Promise<ShapExplanation> {
  let out: ShapExplanation | null = null;
  for (let i = 0; i < rows.length; i += TREE_ROWS_PER_TURN) {
    if (i > 0) await yieldToLoop();
    const part = treeShapInterventional(model, background, rows.slice(i, i + TREE_ROWS_PER_TURN));
    if (!out) out = part;
    else {
      out.values.push(...part.values);
      out.fx.push(...part.fx);
    }
  }
  return out!;
}

export function summaryAsImportance(s: ExplanationSummary): Importance {
  return {
    model: s.model,
    model_version: s.version,
    method: s.method as Importance['method'],
    output_space: s.output_space as OutputSpace,
    outputs: s.outputs,
    features: s.features,
    rows: s.rows,
    background: s.background,
    truncated: s.truncated,
    seed: s.seed,
    summary: { id: s.id, created_at: s.created_at, created_by: s.created_by },
  };
}

function splitRef(ref: string): [string, string] {
  const at = ref.lastIndexOf('@');
  return at < 0 ? [ref, ''] : [ref.slice(0, at), ref.slice(at + 1)];
}

function shuffle(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
