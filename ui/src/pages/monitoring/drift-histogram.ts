/**
 * A feature's reference-vs-current histogram from its drift answer (pure). Numbers: the reference's fixed
 * bins, with a `< min` / `> max` bar for current values outside them when there are any. Categories: the
 * union of both sides' categories, an `unseen` bar for categories the reference never had, and the rest
 * folded into one `other` bar past MAX_CATEGORIES so a high-cardinality column stays readable.
 */
import type { FeatureDrift } from '../../../../src/sdk/index.js';
import type { HistogramSeries } from '../../components/histogram.js';
import type { DriftBins } from './monitoring-data.js';

export const MAX_CATEGORIES = 30;

export interface HistogramData {
  bins: string[];
  series: HistogramSeries[];
}

const SIDES = [
  { key: 'reference', label: 'reference', color: '#9ca3af' },
  { key: 'current', label: 'current', color: '#2563eb' },
] as const;

export function driftHistogram(f: Partial<Pick<FeatureDrift, 'reference' | 'current'>>): HistogramData | null {
  const sides = SIDES.map((s) => ({ ...s, bins: f[s.key] as DriftBins | undefined }));
  if (sides.some((s) => !s.bins)) return null;
  const ref = sides[0]!.bins!;
  if (ref.edges && ref.edges.length > 1)
    return numeric(
      ref.edges,
      sides.map((s) => ({ label: s.label, color: s.color, bins: s.bins! })),
    );
  if (sides.every((s) => s.bins!.categories)) return categorical(sides.map((s) => ({ label: s.label, color: s.color, bins: s.bins! })));
  return null;
}

interface Side {
  label: string;
  color: string;
  bins: DriftBins;
}

/** A short number for an axis label: `950`, `2.5`, `20.2k`, `1.5M`, `3e-5`. */
export function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e12 || a < 1e-3) return v.toExponential(1).replace('.0e', 'e').replace('e+', 'e');
  for (const [div, unit] of [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const)
    if (a >= div) return `${Number((v / div).toPrecision(3))}${unit}`;
  return String(Number(v.toPrecision(3)));
}

/** Bin labels for numeric edges, short enough to sit under narrow bars: `[0, 1500, 3000]` → `0–1.5k`, `1.5k–3k`. */
export function binLabels(edges: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < edges.length; i++) out.push(`${shortNumber(edges[i]!)}–${shortNumber(edges[i + 1]!)}`);
  return out;
}

function numeric(edges: readonly number[], sides: readonly Side[]): HistogramData {
  const labels = binLabels(edges);
  const under = sides.some((s) => (s.bins.underflow?.count ?? 0) > 0);
  const over = sides.some((s) => (s.bins.overflow?.count ?? 0) > 0);
  const bins = [...(under ? [`< ${shortNumber(edges[0]!)}`] : []), ...labels, ...(over ? [`> ${shortNumber(edges.at(-1)!)}`] : [])];
  const series = sides.map((s) => ({
    label: s.label,
    color: s.color,
    counts: [...(under ? [s.bins.underflow?.count ?? 0] : []), ...labels.map((_, i) => s.bins.counts[i] ?? 0), ...(over ? [s.bins.overflow?.count ?? 0] : [])],
  }));
  return { bins, series };
}

function categorical(sides: readonly Side[]): HistogramData {
  // Union of categories, ordered by their combined share so the biggest bars come first.
  const share = new Map<string, number>();
  const counts = sides.map((s) => {
    const m = new Map<string, number>();
    const total = s.bins.counts.reduce((a, b) => a + b, 0) + (s.bins.unseen?.count ?? 0);
    (s.bins.categories ?? []).forEach((c, i) => {
      const key = String(c);
      const n = s.bins.counts[i] ?? 0;
      m.set(key, (m.get(key) ?? 0) + n);
      share.set(key, (share.get(key) ?? 0) + (total > 0 ? n / total : 0));
    });
    return m;
  });
  const ordered = [...share.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  const shown = ordered.length > MAX_CATEGORIES ? ordered.slice(0, MAX_CATEGORIES - 1) : ordered;
  const rest = ordered.slice(shown.length);
  const unseen = sides.some((s) => (s.bins.unseen?.count ?? 0) > 0);
  const bins = [...shown, ...(rest.length > 0 ? [`other (${rest.length})`] : []), ...(unseen ? ['unseen'] : [])];
  const series = sides.map((s, i) => {
    const m = counts[i]!;
    return {
      label: s.label,
      color: s.color,
      counts: [
        ...shown.map((k) => m.get(k) ?? 0),
        ...(rest.length > 0 ? [rest.reduce((n, k) => n + (m.get(k) ?? 0), 0)] : []),
        ...(unseen ? [s.bins.unseen?.count ?? 0] : []),
      ],
    };
  });
  return { bins, series };
}
