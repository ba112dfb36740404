import { createHash } from 'node:crypto';

/**
 * Picks a route index by weight. With a sticky value the choice is a stable hash of it, so one caller
 * always lands on the same route while the weights stay the same (consistent A/B assignment).
 *
 * With a salt (an A/B test's), the point is the hash of `salt + '\0' + sticky`: each test splits its units
 * afresh, so being in one test's treatment says nothing of a unit's arm in another (with the bare hash, every
 * deployment with the same weights would put the same users in the same arm). Without a salt the choice is
 * what it always was, so callers pinned before any test keep their route.
 */
export function pickRoute(weights: number[], sticky?: string, salt?: string): number {
  const total = weights.reduce((a, w) => a + w, 0);
  let point: number;
  if (sticky !== undefined) {
    const hash = createHash('sha256');
    if (salt !== undefined) hash.update(salt).update('\0');
    const h = hash.update(sticky).digest();
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
