/**
 * A section's facts as render-neutral blocks (text, key/value pairs, tables of strings), so the Markdown and HTML
 * renderers share one reading of the facts and differ only in escaping and markup. Values are stringified
 * deterministically (no locale, no clock).
 */
import type { Card, Section } from './card-types.js';
import { isoTime } from './card-time.js';

export type Block =
  { kind: 'text'; text: string } | { kind: 'pairs'; pairs: [string, string][] } | { kind: 'table'; caption: string | null; head: string[]; rows: string[][] };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const LABELS: Record<string, string> = {
  intended_use: 'Intended use',
  out_of_scope_uses: 'Out-of-scope uses',
  users: 'Users',
  owner: 'Owner',
  contact: 'Contact',
  limitations: 'Known limitations',
  ethical_considerations: 'Ethical considerations',
};

/** A policy age for people: days when at least one, else hours, minutes or seconds. */
export function formatAge(days: number): string {
  const round = (x: number) => String(Math.round(x * 100) / 100);
  if (days >= 1) return `${round(days)} days`;
  const s = days * 86_400;
  if (s >= 3600) return `${round(s / 3600)} hours`;
  if (s >= 60) return `${round(s / 60)} minutes`;
  return `${round(s)} seconds`;
}

/** A value as text: times (keys ending in _at / _time) as ISO, objects as compact JSON, null as a dash. */
export function show(value: unknown, key = ''): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number' && /(_at|_time|^at)$/.test(key) && value > 1e11) return isoTime(value) ?? String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function table(caption: string | null, items: unknown[], keys?: string[]): Block {
  const rows = items.map(obj);
  const head = keys ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { kind: 'table', caption, head, rows: rows.map((r) => head.map((k) => show(r[k], k))) };
}

function kvTable(caption: string, record: unknown): Block {
  return { kind: 'table', caption, head: ['key', 'value'], rows: Object.entries(obj(record)).map(([k, v]) => [k, show(v)]) };
}

function identity(f: Obj, card: Card | undefined): Block[] {
  const tags = Object.entries(obj(f['tags']))
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(', ');
  const pairs: [string, string][] = [
    ['Name', show(f['name'])],
    ['Version', show(f['version'])],
    ['Description', show(f['description'] || f['model_description'])],
    ['Registered', `${show(f['created_at'], 'created_at')} by ${show(f['created_by'])}`],
    ['Stage / status', `${show(f['stage'])} / ${show(f['status'])}`],
    ['Source', show(f['source'])],
    ['Source run', show(f['run_id'])],
    ['Git commit', show(f['git_commit'])],
    ['Code digest (project)', show(f['code_digest'])],
    ['Parent version', show(f['parent_version'])],
    [
      'Aliases',
      arr(f['aliases'])
        .map((a) => show(a))
        .join(', ') || '—',
    ],
    ['Tags', tags || '—'],
  ];
  if (card) pairs.push(['Card content hash', card.content_hash]);
  return [{ kind: 'pairs', pairs }];
}

function authored(f: Obj): Block[] {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(f)) {
    const entry = obj(v);
    pairs.push([
      LABELS[k] ?? k,
      v === null ? '— (not written)' : `${show(entry['text'])} (set for the ${show(entry['set_at'])} by ${show(entry['updated_by'])})`,
    ]);
  }
  return [{ kind: 'pairs', pairs }];
}

function trainingData(f: Obj): Block[] {
  const out: Block[] = [];
  for (const input of arr(f['inputs']).map(obj)) {
    out.push({ kind: 'text', text: `Input ${show(input['name'])} (${show(input['context'])}), digest ${show(input['digest'])}` });
    for (const dv of arr(input['dataset_versions']).map(obj)) {
      out.push({
        kind: 'pairs',
        pairs: [
          ['Dataset version', show(dv['ref'])],
          ['Rows', show(dv['rows'])],
          ['Created', `${show(dv['created_at'], 'created_at')} by ${show(dv['created_by'])}`],
        ],
      });
      out.push(table(`Last validation per suite of ${show(dv['ref'])}`, arr(dv['validations']), ['suite', 'success', 'evaluated', 'failed', 'created_at']));
      out.push(
        table(`Profile of ${show(dv['ref'])}`, arr(dv['columns']), ['name', 'type', 'count', 'nulls', 'null_rate', 'min', 'max', 'mean', 'std', 'unique']),
      );
    }
  }
  return out;
}

function trainingRun(f: Obj): Block[] {
  const job = obj(f['job']);
  return [
    {
      kind: 'pairs',
      pairs: [
        ['Run', `${show(f['run_id'])} (${show(f['run_name'])})`],
        ['Experiment', show(f['experiment_id'])],
        ['User', show(f['user'])],
        ['Status', show(f['status'])],
        ['Started / ended', `${show(f['start_time'], 'start_time')} / ${show(f['end_time'], 'end_time')}`],
        [
          'Job',
          f['job']
            ? `${show(job['job_id'])} on ${show(job['executor'])}, entry point ${show(job['entry_point'])}, project ${show(job['project_digest'])}`
            : '—',
        ],
      ],
    },
    kvTable('Hyperparameters', f['params']),
    kvTable('Metrics (latest)', f['metrics']),
  ];
}

function evaluation(f: Obj): Block[] {
  const out: Block[] = [];
  for (const e of arr(f['evaluations']).map(obj)) {
    out.push({ kind: 'text', text: `Loop ${show(e['loop'])} run ${show(e['run'])} at ${show(e['at'], 'at')}: ${show(e['outcome'])} — ${show(e['reason'])}` });
    const rows: unknown[] = [];
    for (const src of arr(e['sources']).map(obj))
      for (const sl of arr(src['slices']).map(obj))
        for (const m of arr(sl['metrics']).map(obj))
          rows.push({
            source: src['label'],
            slice: sl['name'],
            rows: m['rows'],
            metric: m['metric'],
            candidate: m['candidate'],
            champion: m['champion'],
            delta: m['delta'],
            passed: m['passed'],
          });
    out.push(table('Results per slice', rows, ['source', 'slice', 'rows', 'metric', 'candidate', 'champion', 'delta', 'passed']));
  }
  return out;
}

/** Facts a provider shaped: scalars as pairs, lists of records as tables, nested records under their key. */
export function generic(f: Obj, prefix = ''): Block[] {
  const pairs: [string, string][] = [];
  const rest: Block[] = [];
  for (const [k, v] of Object.entries(f)) {
    // The MCT view's copy of the numbers shown above it.
    if (k === 'mct_metrics') continue;
    const name = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) rest.push(table(name, v));
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) rest.push(...generic(v as Obj, name));
    else pairs.push([name, Array.isArray(v) ? v.map((x) => show(x)).join(', ') : show(v, k)]);
  }
  return [...(pairs.length ? [{ kind: 'pairs' as const, pairs }] : []), ...rest];
}

export function sectionBlocks(s: Section, card?: Card): Block[] {
  if (s.status !== 'present' && s.id !== 'uses' && s.id !== 'risks') return [];
  switch (s.id) {
    case 'identity':
      return identity(s.facts, card);
    case 'uses':
    case 'risks':
      return authored(s.facts);
    case 'training_data':
      return trainingData(s.facts);
    case 'training_run':
      return trainingRun(s.facts);
    case 'evaluation':
      return evaluation(s.facts);
    default:
      return generic(s.facts);
  }
}
