/**
 * Shaping one explanation for the waterfall (pure, tested): φ per feature from the base value to f(x), the largest
 * |φ| first, the smallest folded into one step so a wide model still reads at a glance — and still adds up.
 */

export interface WaterfallStep {
  /** The feature, or `N other features` for the folded rest. */
  label: string;
  phi: number;
  /** Where the running sum stands before and after this step. */
  start: number;
  end: number;
  /** The feature's value in the explained row (absent for the folded step). */
  value?: unknown;
  folded?: number;
}

export interface Waterfall {
  base: number;
  prediction: number;
  steps: WaterfallStep[];
  /** The x range every bar and both ends fit in. */
  lo: number;
  hi: number;
}

/** Steps ordered by |φ| (ties by name), at most `maxSteps` with the rest folded into the last. */
export function waterfall(
  base: number,
  attributions: Readonly<Record<string, number>>,
  prediction: number,
  row: Readonly<Record<string, unknown>> = {},
  maxSteps = 12,
): Waterfall {
  const sorted = Object.entries(attributions).sort(([a, x], [b, y]) => Math.abs(y) - Math.abs(x) || (a < b ? -1 : a > b ? 1 : 0));
  const shown = sorted.length > maxSteps ? sorted.slice(0, Math.max(1, maxSteps - 1)) : sorted;
  const rest = sorted.slice(shown.length);
  const steps: WaterfallStep[] = [];
  let at = base;
  for (const [feature, phi] of shown) {
    steps.push({ label: feature, phi, start: at, end: at + phi, value: row[feature] });
    at += phi;
  }
  if (rest.length > 0) {
    const phi = rest.reduce((s, [, v]) => s + v, 0);
    steps.push({ label: `${rest.length} other features`, phi, start: at, end: at + phi, folded: rest.length });
  }
  const xs = [base, prediction, ...steps.flatMap((s) => [s.start, s.end])];
  return { base, prediction, steps, lo: Math.min(...xs), hi: Math.max(...xs) };
}

/** A feature's value as a short text for a label (`null` for a missing value). */
export function valueText(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (typeof v === 'number') return String(Number(v.toPrecision(6)));
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 24 ? `${s.slice(0, 23)}…` : s;
}

/**
 * A JSON object typed into the "Explain a row" form, or why not (the server would refuse it anyway; this says it
 * before a round trip, in the form's words).
 */
export function parseRow(text: string): { ok: true; row: Record<string, unknown> } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The row is not JSON: ${(e as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ok: false, error: 'The row must be one JSON object, {"feature": value, …}.' };
  if (Object.keys(parsed).length === 0) return { ok: false, error: 'The row has no features.' };
  return { ok: true, row: parsed as Record<string, unknown> };
}

/** `NAME@VERSION` typed for a background or a reference, or null when it does not read as one. */
export function parseDatasetRef(text: string): { dataset: string; version: string } | null {
  const m = /^(.+)@([1-9][0-9]{0,8})$/.exec(text.trim());
  return m ? { dataset: m[1]!, version: m[2]! } : null;
}
