/** Shaping series for uPlot (pure, tested): one shared sorted x axis, each series' y or null where it has none. */

export interface Point {
  x: number;
  y: number | null;
}

export interface ChartSeries {
  label: string;
  points: readonly Point[];
  color?: string;
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/**
 * [xs, ys1, ys2, ...] with xs the sorted union of every series' x. When a series has several points at one x
 * (a metric logged twice at one step), the last one wins, as in MLflow's charts.
 */
export function alignSeries(series: readonly ChartSeries[]): [number[], ...(number | null)[][]] {
  const xsSet = new Set<number>();
  for (const s of series) for (const p of s.points) if (Number.isFinite(p.x)) xsSet.add(p.x);
  const xs = [...xsSet].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const col: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const p of s.points) {
      const i = index.get(p.x);
      if (i !== undefined) col[i] = p.y !== null && Number.isFinite(p.y) ? p.y : null;
    }
    return col;
  });
  return [xs, ...ys];
}

/** Histogram bins as readable labels: `[0, 1, 2.5]` → `['0–1', '1–2.5']`. */
export function edgeLabels(edges: readonly number[]): string[] {
  const fmt = (v: number) => (Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4))));
  const out: string[] = [];
  for (let i = 0; i + 1 < edges.length; i++) out.push(`${fmt(edges[i]!)}–${fmt(edges[i + 1]!)}`);
  return out;
}

/** Counts as shares of their total (0 when the total is 0), so a small and a large sample compare. */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}
