// Seeded test streams and exact-rank helpers shared by the sketch tests (not exported from index.ts).
import { Rng } from './rng.js';

export type StreamKind = 'sorted' | 'reversed' | 'random' | 'duplicates' | 'normal';
export const STREAM_KINDS: StreamKind[] = ['sorted', 'reversed', 'random', 'duplicates', 'normal'];

export function makeStream(kind: StreamKind, n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    switch (kind) {
      case 'sorted':
        out[i] = i;
        break;
      case 'reversed':
        out[i] = n - i;
        break;
      case 'random':
        out[i] = rng.nextFloat() * 1000 - 500;
        break;
      case 'duplicates':
        out[i] = rng.nextInt(7) * 10; // seven distinct values, very uneven ranks
        break;
      case 'normal': {
        const u = rng.nextOpenFloat();
        const v = rng.nextFloat();
        out[i] = 1e9 + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        break;
      }
    }
  }
  return out;
}

/** Exact ranks over a sorted copy: [fraction < x, fraction <= x]. */
export class ExactRanks {
  readonly sorted: Float64Array;
  constructor(data: ArrayLike<number>) {
    this.sorted = Float64Array.from(data).sort();
  }

  private firstAbove(x: number, inclusive: boolean): number {
    const v = this.sorted;
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (inclusive ? v[mid] <= x : v[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  countBelow(x: number): number {
    return this.firstAbove(x, false);
  }

  countAtOrBelow(x: number): number {
    return this.firstAbove(x, true);
  }

  /** How far normalized rank q is from the exact rank interval of value x (0 when inside). */
  rankError(q: number, x: number): number {
    const n = this.sorted.length;
    const lo = this.countBelow(x) / n;
    const hi = this.countAtOrBelow(x) / n;
    return q < lo ? lo - q : q > hi ? q - hi : 0;
  }
}
