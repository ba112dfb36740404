/**
 * The Grafana dashboards in deploy/grafana/ are importable (a dashboard model with a Prometheus data source
 * variable, unique ids, PromQL targets) and query only what Ferry exports: every metric name in every panel's
 * expression (and in every variable's label_values query) is a family in the /metrics text of a started app
 * with traffic, drift, feedback, a firing alert and a job. The one allowance: a histogram family's series
 * suffixes (_bucket, _sum, _count), and only on families whose TYPE is histogram. Label matchers must name
 * labels the metric has.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
import { makeBusy, scrape } from './busy-app.js';
import { type Family, parseExposition } from './exposition.js';

const DIR = new URL('../../deploy/grafana/', import.meta.url);
const DASHBOARDS = ['serving.json', 'monitoring.json', 'tracking-jobs.json'];
/** The series a histogram family exposes besides its name: the only names allowed that are not families. */
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];
const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

interface Selector {
  name: string;
  /** Label names its matchers use. */
  labels: string[];
}

/** Drops string literals, keeping the quotes, so nothing inside one is read as a name. */
const withoutStrings = (expr: string) => expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');

/** The metric selectors of a PromQL expression: names (never functions, keywords or grouping labels) and matcher labels. */
export function selectorsOf(expr: string): Selector[] {
  let e = withoutStrings(expr);
  const matchers = new Map<number, string[]>();
  // Label matchers, remembered by position, then removed with range and subquery brackets.
  e = e.replace(/\{([^}]*)\}/g, (_m, inner: string, at: number) => {
    matchers.set(
      at,
      [...inner.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)].map((m) => m[1]!),
    );
    return ' '.repeat(inner.length + 2);
  });
  e = e.replace(/\[[^\]]*\]/g, (m) => ' '.repeat(m.length));
  e = e.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, (m) => ' '.repeat(m.length));
  const out: Selector[] = [];
  for (const m of e.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const at = m.index;
    if (at > 0 && /[0-9.]/.test(e[at - 1]!)) continue; // the exponent or unit of a number
    const after = e.slice(at + m[0].length).trimStart();
    if (after.startsWith('(') || PROMQL_KEYWORDS.has(m[0].toLowerCase())) continue;
    out.push({ name: m[0], labels: matchers.get(at + m[0].length) ?? [] });
  }
  return out;
}

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { refId: string; expr: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}

const load = (file: string) => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));
const panelsOf = (board: { panels: Panel[] }): Panel[] => board.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

describe('Grafana dashboards', () => {
  it('are the three dashboards, each importable: schema, uid, a Prometheus data source variable, unique panel ids', () => {
    expect(
      readdirSync(DIR)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual([...DASHBOARDS].sort());
    const uids = new Set<string>();
    for (const file of DASHBOARDS) {
      const board = load(file);
      expect(board.schemaVersion, file).toBeGreaterThanOrEqual(36);
      expect(board.title, file).toMatch(/^Ferry \/ /);
      expect(board.uid, file).toMatch(/^[a-z0-9-]{1,40}$/);
      expect(uids.has(board.uid), `${file}: uid ${board.uid} is used twice`).toBe(false);
      uids.add(board.uid);
      expect(board.id, file).toBeNull(); // an import assigns it
      const ds = board.templating.list.find((v: { type: string }) => v.type === 'datasource');
      expect(ds, file).toMatchObject({ name: 'datasource', query: 'prometheus' });
      const ids = new Set<number>();
      for (const p of panelsOf(board)) {
        expect(ids.has(p.id), `${file}: panel id ${p.id} twice`).toBe(false);
        ids.add(p.id);
        expect(p.gridPos.x + p.gridPos.w, `${file}: ${p.title}`).toBeLessThanOrEqual(24);
        if (p.type === 'row') continue;
        expect(p.datasource, `${file}: ${p.title}`).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(p.targets?.length, `${file}: ${p.title}`).toBeGreaterThan(0);
        const refs = p.targets!.map((t) => t.refId);
        expect(new Set(refs).size, `${file}: ${p.title}`).toBe(refs.length);
        for (const t of p.targets!) {
          expect(t.expr.trim().length, `${file}: ${p.title}`).toBeGreaterThan(0);
          expect(t.datasource?.uid ?? '${datasource}').toBe('${datasource}');
        }
      }
    }
  });

  it('the serving and monitoring dashboards have a deployment variable', () => {
    for (const file of ['serving.json', 'monitoring.json']) {
      const v = load(file).templating.list.find((x: { name: string }) => x.name === 'deployment');
      expect(v, file).toMatchObject({ type: 'query', includeAll: true, multi: true });
      expect(v.definition).toMatch(/^label_values\(ferry_[a-z_]+, deployment\)$/);
    }
  });

  it('reads metric names out of PromQL (functions, keywords, grouping labels and strings are not names)', () => {
    expect(
      selectorsOf('histogram_quantile(0.99, sum by (le, model_version) (rate(ferry_x_seconds_bucket{deployment=~"$deployment",a!="b{c}"}[$__rate_interval])))'),
    ).toEqual([{ name: 'ferry_x_seconds_bucket', labels: ['deployment', 'a'] }]);
    expect(selectorsOf('sum(a) / on (x) group_left(y) b offset 5m > bool 1e3 and c')).toEqual([
      { name: 'a', labels: [] },
      { name: 'b', labels: [] },
      { name: 'c', labels: [] },
    ]);
    expect(selectorsOf('60 * max by (loop) (increase(ferry_loop_runs_total{loop=~"$loop"}[24h])) == 1')).toEqual([
      { name: 'ferry_loop_runs_total', labels: ['loop'] },
    ]);
  });
});

describe('Grafana dashboards against a running Ferry', () => {
  const t = useTestApp('sqlite');
  let families: Map<string, Family>;
  beforeAll(async () => {
    await makeBusy(t);
    families = parseExposition(await scrape(t));
  }, 120_000);

  /** The family a name in a query stands for: itself, or a histogram's series. */
  const familyOf = (name: string): Family | undefined => {
    const direct = families.get(name);
    if (direct) return direct;
    const suffix = HISTOGRAM_SUFFIXES.find((s) => name.endsWith(s));
    const base = suffix ? families.get(name.slice(0, -suffix.length)) : undefined;
    return base?.type === 'histogram' ? base : undefined;
  };
  /** Label names the family's samples carry (none known while it has no samples). */
  const labelsOf = (f: Family) => new Set(f.samples.flatMap((s) => Object.keys(s.labels)));

  it('every panel queries metrics Ferry exports, with labels they have', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const file of DASHBOARDS) {
      const board = load(file);
      for (const p of panelsOf(board)) {
        for (const target of p.targets ?? []) {
          const selectors = selectorsOf(target.expr);
          if (selectors.length === 0) problems.push(`${file} "${p.title}": no metric in ${target.expr}`);
          for (const s of selectors) {
            checked++;
            const f = familyOf(s.name);
            if (!f) {
              problems.push(`${file} "${p.title}": ${s.name} is not exported`);
              continue;
            }
            const known = labelsOf(f);
            for (const l of s.labels) if (known.size && !known.has(l)) problems.push(`${file} "${p.title}": ${s.name} has no label ${l}`);
            // A panel on a per-deployment metric follows the dashboard's deployment variable.
            const hasVariable = board.templating.list.some((v: { name: string }) => v.name === 'deployment');
            if (hasVariable && known.has('deployment') && !s.labels.includes('deployment'))
              problems.push(`${file} "${p.title}": ${s.name} is not filtered by $deployment`);
          }
        }
      }
      for (const v of board.templating.list) {
        if (v.type !== 'query') continue;
        const m = /^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*), ([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(v.definition);
        if (!m) {
          problems.push(`${file} variable ${v.name}: unexpected query ${v.definition}`);
          continue;
        }
        const f = familyOf(m[1]!);
        if (!f) problems.push(`${file} variable ${v.name}: ${m[1]} is not exported`);
        else if (labelsOf(f).size && !labelsOf(f).has(m[2]!)) problems.push(`${file} variable ${v.name}: ${m[1]} has no label ${m[2]}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('the checker would catch a wrong name: a suffix on a non-histogram, a renamed metric', () => {
    expect(familyOf('ferry_prediction_duration_seconds_bucket')?.type).toBe('histogram');
    expect(familyOf('ferry_predictions_total_count')).toBeUndefined();
    expect(familyOf('ferry_process_process_cpu_seconds_total')).toBeUndefined();
    expect(familyOf('ferry_model_load_seconds_count')).toBeUndefined();
  });
});
