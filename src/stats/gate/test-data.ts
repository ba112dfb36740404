/** Deterministic rows for the gate's unit tests (a linear congruential stream: no test depends on Math.random). */
export function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Binary labels and two models' probabilities of the positive class; the candidate separates better by `edge`. */
export function binaryRows(n: number, seed: number, edge = 0.05): { y: number[]; candidate: number[]; champion: number[] } {
  const next = lcg(seed);
  const y: number[] = [];
  const candidate: number[] = [];
  const champion: number[] = [];
  for (let i = 0; i < n; i++) {
    const pos = next() < 0.4;
    y.push(pos ? 1 : 0);
    const noise = next() - 0.5;
    candidate.push(Math.round(100 * Math.min(0.99, Math.max(0.01, (pos ? 0.6 + edge : 0.4 - edge) + 0.5 * noise))) / 100);
    champion.push(Math.round(100 * Math.min(0.99, Math.max(0.01, (pos ? 0.6 : 0.4) + 0.5 * (next() - 0.5)))) / 100);
  }
  return { y, candidate, champion };
}
