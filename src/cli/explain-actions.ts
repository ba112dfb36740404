/** What `ferry deployments explain`, `ferry models explain` and `ferry models importance` do (definitions in explain-command.ts). */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ExplainRequest, Explanation, FeatureImportance } from '../sdk/index.js';
import { clientFor, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { formatDetails, formatTable, heading } from './table.js';

export interface ExplainOptions extends OutputOptions {
  row?: string[];
  rows?: string;
  background?: string;
  backgroundRows?: number;
  method?: ExplainRequest['method'];
  maxEvaluations?: number;
  timeoutMs?: number;
  seed?: number;
  top?: number;
}

export interface ImportanceOptions extends OutputOptions {
  background?: string;
  rows?: number;
  method?: ExplainRequest['method'];
}

function parseObject(text: string, where: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where} is not valid JSON: ${(err as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${where} must be a JSON object of feature values, e.g. '{"age": 41}'`);
  return v as Record<string, unknown>;
}

function splitRef(ref: string, flag: string): { dataset: string; version: string } {
  const at = ref.lastIndexOf('@');
  if (at <= 0 || !/^[1-9][0-9]*$/.test(ref.slice(at + 1))) throw new Error(`${flag} must be DATASET@VERSION (a version number), got '${ref}'`);
  return { dataset: ref.slice(0, at), version: ref.slice(at + 1) };
}

/** The request body from the flags. */
export async function explainBody(opts: ExplainOptions): Promise<ExplainRequest> {
  const instances = (opts.row ?? []).map((r, i) => parseObject(r, `--row ${i + 1}`));
  if (opts.rows) {
    const text = opts.rows === '-' ? await readStdin() : await readFile(opts.rows, 'utf8');
    text.split('\n').forEach((line, i) => {
      if (line.trim()) instances.push(parseObject(line, `${opts.rows} line ${i + 1}`));
    });
  }
  if (instances.length === 0) throw new Error('Give the rows to explain: --row \'{"feature": value, ...}\' (repeatable) or --rows FILE.jsonl');
  const body: ExplainRequest = { instances };
  if (opts.background) body.background = { ...splitRef(opts.background, '--background'), ...(opts.backgroundRows ? { rows: opts.backgroundRows } : {}) };
  else if (opts.backgroundRows) throw new Error('--background-rows needs --background');
  if (opts.method) body.method = opts.method;
  if (opts.maxEvaluations || opts.timeoutMs)
    body.budget = { ...(opts.maxEvaluations ? { max_evaluations: opts.maxEvaluations } : {}), ...(opts.timeoutMs ? { timeout_ms: opts.timeoutMs } : {}) };
  if (opts.seed !== undefined) body.seed = opts.seed;
  return body;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const num = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4));

/** A summary, then per row a table of features by |φ| (largest first), one φ column per output. */
export function formatExplanation(e: Explanation, instances: Record<string, unknown>[], top?: number): string {
  let out = formatDetails([
    ['Model', `${e.model} version ${e.model_version}`],
    ['Method', e.method],
    ['Output space', e.output_space],
    ['Background', `${e.background.dataset}@${e.background.version} (${e.background.rows} rows, ${e.background.source.replace('_', ' ')})`],
    ['Base values', e.outputs.map((o, i) => `${o} ${num(e.base_values[i]!)}`).join(', ')],
    ['Evaluations', e.evaluations],
    ['Truncated', e.truncated ? 'yes: the budget ran out, the values are an estimate (they still add up)' : 'no'],
  ]);
  e.explanations.forEach((x, r) => {
    const features = Object.keys(x.attributions[0] ?? {});
    const weight = (f: string) => x.attributions.reduce((s, a) => s + Math.abs(a[f] ?? 0), 0);
    const shown = features.sort((a, b) => weight(b) - weight(a)).slice(0, top ?? features.length);
    out += `\n${heading(`Row ${r}: prediction ${e.outputs.map((o, i) => `${o} = ${num(x.prediction[i]!)}`).join(', ')}`)}`;
    out += formatTable(
      [
        { header: 'FEATURE', value: (f: string) => f },
        { header: 'VALUE', value: (f: string) => JSON.stringify(instances[r]?.[f] ?? null), maxWidth: 30 },
        ...e.outputs.map((o, i) => ({
          header: e.outputs.length > 1 ? `φ ${o}` : 'φ',
          value: (f: string) => num(x.attributions[i]![f]!),
          align: 'right' as const,
        })),
      ],
      shown,
    );
  });
  return out;
}

export function formatImportance(imp: FeatureImportance): string {
  return (
    formatDetails([
      ['Model', `${imp.model} version ${imp.model_version}`],
      ['Method', `${imp.method} (${imp.output_space})`],
      ['Rows explained', imp.rows],
      ['Background', `${imp.background.dataset}@${imp.background.version} (${imp.background.rows} rows)`],
      ['Truncated', imp.truncated ? 'yes (an estimate)' : 'no'],
    ]) +
    '\n' +
    formatTable(
      [
        { header: 'FEATURE', value: (f) => f.feature },
        { header: 'MEAN |φ|', value: (f) => num(f.mean_abs), align: 'right' },
      ],
      imp.features,
    )
  );
}

export async function explainDeployment(name: string, opts: ExplainOptions, cmd: Command): Promise<void> {
  const body = await explainBody(opts);
  const e = await clientFor(cmd).explain.deployment(name, body);
  if (opts.json) return printJson(e);
  print(formatExplanation(e, body.instances, opts.top));
}

export async function explainVersion(model: string, version: string, opts: ExplainOptions, cmd: Command): Promise<void> {
  const body = await explainBody(opts);
  const e = await clientFor(cmd).explain.modelVersion(model, version, body);
  if (opts.json) return printJson(e);
  print(formatExplanation(e, body.instances, opts.top));
}

export async function importance(model: string, version: string, opts: ImportanceOptions, cmd: Command): Promise<void> {
  const bg = opts.background ? splitRef(opts.background, '--background') : undefined;
  const imp = await clientFor(cmd).explain.importance(model, version, {
    ...(bg ? { dataset: bg.dataset, dataset_version: bg.version } : {}),
    ...(opts.rows ? { rows: opts.rows } : {}),
    ...(opts.method ? { method: opts.method } : {}),
  });
  if (opts.json) return printJson(imp);
  print(formatImportance(imp));
}
