/** Reading Prometheus' text exposition format (pure): the samples of chosen metric families. */

export interface Sample {
  /** The sample's name, with its `_bucket` / `_sum` / `_count` suffix when it has one. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** `a="x",b="y \"q\""` → {a: 'x', b: 'y "q"'}; null when malformed. */
export function parseLabels(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (text[i] === ',' || text[i] === ' ') i++;
    if (i >= text.length) break;
    const eq = text.indexOf('=', i);
    if (eq < 0 || text[eq + 1] !== '"') return null;
    const key = text.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\' && j + 1 < text.length) {
        j++;
        value += text[j] === 'n' ? '\n' : text[j];
      } else value += text[j];
    }
    if (j >= text.length) return null;
    out[key] = value;
    i = j + 1;
  }
  return out;
}

function parseValue(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/**
 * Samples whose family (the name without a histogram suffix) is in `families` and whose labels match `where`
 * exactly. Lines of other families are skipped before any parsing.
 */
export function parsePrometheus(text: string, families: readonly string[], where: Record<string, string> = {}): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (!families.some((f) => line.startsWith(f))) continue;
    const brace = line.indexOf('{');
    const space = brace < 0 ? line.indexOf(' ') : line.lastIndexOf('}') + 1;
    if (space <= 0) continue;
    const name = brace < 0 ? line.slice(0, space) : line.slice(0, brace);
    const family = name.replace(/_(bucket|sum|count)$/, '');
    if (!families.includes(name) && !families.includes(family)) continue;
    const labels = brace < 0 ? {} : parseLabels(line.slice(brace + 1, space - 1));
    if (!labels) continue;
    if (Object.entries(where).some(([k, v]) => labels[k] !== v)) continue;
    const rest = line.slice(space).trim().split(/\s+/);
    const value = parseValue(rest[0] ?? '');
    if (Number.isNaN(value)) continue;
    out.push({ name, labels, value });
  }
  return out;
}
