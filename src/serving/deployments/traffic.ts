import { createHash } from 'node:crypto';

/**
 * Picks a route index by weight. With a sticky value the choice is a stable hash of it, so one caller
 * always lands on the same route while the weights stay the same (consistent A/B assignment).
 */
export function pickRoute(weights: number[], sticky?: string): number {
  const total = weights.reduce((a, w) => a + w, 0);
  let point: number;
  if (sticky !== undefined) {
    const h = createHash('sha256').update(sticky).digest();
    point = (h.readUInt32BE(0) / 0x1_0000_0000) * total;
  } else {
    point = Math.random() * total;
  }
  for (let i = 0; i < weights.length; i++) {
    point -= weights[i]!;
    if (point < 0) return i;
  }
  return weights.length - 1;
}
