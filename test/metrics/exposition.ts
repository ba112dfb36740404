/**
 * A strict reader of Prometheus' text exposition format (version 0.0.4), for tests: every line must be a HELP or
 * TYPE comment, a sample or blank, or parseExposition throws naming the line. Beyond the grammar it checks what
 * Prometheus' own parser and promtool insist on: one TYPE per family, before its samples; a family's samples
 * together; no series twice; histograms with increasing `le` buckets ending in +Inf equal to `_count`.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface ExpoSample {
  /** With its suffix (_bucket, _sum, _count) where it has one. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help: string;
  samples: ExpoSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES: readonly string[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

/** The inside of a label set, `a="x",b="y \\"q\\""` → {a: 'x', b: 'y "q"'}; null when malformed (a bad escape, a name twice). */
export function parseLabels(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (text[i] === ',' || text[i] === ' ') i++;
    if (i >= text.length) break;
    const eq = text.indexOf('=', i);
    if (eq < 0 || text[eq + 1] !== '"') return null;
    const key = text.slice(i, eq).trim();
    if (key in out) return null;
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        const next = text[++j];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else return null;
      } else value += text[j];
    }
    if (j >= text.length) return null;
    out[key] = value;
    i = j + 1;
    if (i < text.length && text[i] !== ',') return null;
  }
  return out;
}

/** As Prometheus reads values (Go's ParseFloat: NaN and Inf in any case; prom-client writes "Nan"). */
function parseValue(s: string): number {
  const lower = s.toLowerCase();
  if (lower === '+inf' || lower === 'inf' || lower === '+infinity' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower === 'nan') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new Error(`not a number: ${JSON.stringify(s)}`);
  return Number(s);
}

/** The family a sample belongs to, given the families declared so far. */
function familyOf(name: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(name);
  if (direct) return direct;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  const f = m ? families.get(m[1]!) : undefined;
  return f && (f.type === 'histogram' || f.type === 'summary') ? f : undefined;
}

export function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  let current: Family | null = null;
  const closed = new Set<string>();
  text.split('\n').forEach((line, i) => {
    const where = `line ${i + 1} (${JSON.stringify(line.slice(0, 120))})`;
    try {
      if (line === '') return;
      if (line.startsWith('#')) {
        const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
        if (!m) return; // any other comment is allowed
        const [, kind, name, rest] = m as unknown as [string, string, string, string];
        if (!METRIC_NAME.test(name)) throw new Error(`bad metric name ${name}`);
        if (closed.has(name)) throw new Error(`family ${name} appears twice`);
        let f = families.get(name);
        if (!f) {
          if (current && current.name !== name) closed.add(current.name);
          families.set(name, (f = { name, type: 'untyped', help: '', samples: [] }));
          current = f;
        }
        if (kind === 'TYPE') {
          if (!TYPES.includes(rest)) throw new Error(`unknown type ${rest}`);
          if (f.samples.length) throw new Error(`TYPE of ${name} after its samples`);
          f.type = rest as MetricType;
        } else f.help = rest;
        return;
      }
      const brace = line.indexOf('{');
      const close = line.lastIndexOf('}');
      const name = brace < 0 ? line.slice(0, line.indexOf(' ')) : line.slice(0, brace);
      if (!METRIC_NAME.test(name)) throw new Error(`bad metric name ${JSON.stringify(name)}`);
      let labels: Record<string, string> = {};
      if (brace >= 0) {
        if (close < brace) throw new Error('unclosed label set');
        const parsed = parseLabels(line.slice(brace + 1, close));
        if (!parsed) throw new Error('malformed labels');
        for (const k of Object.keys(parsed)) if (!LABEL_NAME.test(k) || k.startsWith('__')) throw new Error(`bad label name ${k}`);
        labels = parsed;
      }
      const rest = line
        .slice(brace < 0 ? name.length : close + 1)
        .trim()
        .split(/\s+/);
      if (rest.length < 1 || rest.length > 2 || rest[0] === '') throw new Error('expected a value and an optional timestamp');
      const value = parseValue(rest[0]!);
      if (rest[1] !== undefined && !/^-?\d+$/.test(rest[1])) throw new Error(`bad timestamp ${rest[1]}`);
      let f = familyOf(name, families);
      if (!f) families.set(name, (f = { name, type: 'untyped', help: '', samples: [] }));
      if (closed.has(f.name)) throw new Error(`samples of ${f.name} are not together`);
      if (current && current !== f) closed.add(current.name);
      current = f;
      const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seen.has(key)) throw new Error(`series ${key} appears twice`);
      seen.add(key);
      f.samples.push({ name, labels, value });
    } catch (err) {
      throw new Error(`${where}: ${(err as Error).message}`);
    }
  });
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

function checkHistogram(f: Family): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number; sum?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const h = series.get(key) ?? series.set(key, { buckets: [] }).get(key)!;
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}_bucket without le`);
      h.buckets.push([parseValue(le), s.value]);
    } else if (s.name === `${f.name}_count`) h.count = s.value;
    else if (s.name === `${f.name}_sum`) h.sum = s.value;
    else throw new Error(`histogram ${f.name} has a sample named ${s.name}`);
  }
  for (const [key, h] of series) {
    const last = h.buckets[h.buckets.length - 1];
    if (!last || last[0] !== Infinity) throw new Error(`histogram ${f.name}${key} lacks its +Inf bucket`);
    for (let i = 1; i < h.buckets.length; i++)
      if (!(h.buckets[i]![0] > h.buckets[i - 1]![0]) || h.buckets[i]![1] < h.buckets[i - 1]![1])
        throw new Error(`histogram ${f.name}${key}: buckets must increase in le and count`);
    if (h.count !== last[1] || h.sum === undefined) throw new Error(`histogram ${f.name}${key}: _count must equal the +Inf bucket, and _sum be present`);
  }
}
