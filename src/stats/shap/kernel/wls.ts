/**
 * KernelSHAP's solve (shap `_kernel.py` `solve`): weighted least squares of the coalition values on the masks,
 * with the efficiency constraint Σφ = f(x) − base built in by eliminating the last feature, so additivity holds
 * exactly whatever the samples. The normal equations are solved by a pseudo-inverse (symmetric Jacobi
 * eigen-decomposition), which gives lstsq's minimum-norm answer when few coalitions leave them singular.
 */

/**
 * Symmetric n×n (row-major) pseudo-inverse. `stats.sweeps` (when given) receives the Jacobi sweeps it took.
 * An off-diagonal element is left alone once it is at rounding level (eps · the Frobenius norm: the backward error
 * numpy's lstsq has too), and the sweeps end when one rotates nothing: with an absolute cut-off of 1e-300 instead,
 * rounding noise kept every sweep rotating to the cap of 100 (6 s for 300 features, per explained row, on the
 * event loop).
 */
export function pinvSymmetric(a: Float64Array, n: number, stats?: { sweeps: number }): Float64Array {
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let norm = 0;
  for (let i = 0; i < n * n; i++) norm += A[i]! ** 2;
  norm = Math.sqrt(norm);
  const eps = Number.EPSILON;
  let sweeps = 0;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    sweeps = sweep + 1;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (Math.abs(apq) <= eps * norm) continue;
        rotated = true;
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    if (!rotated) break;
  }
  if (stats) stats.sweeps = sweeps;
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(A[i * n + i]!));
  // numpy's lstsq/pinv cut: singular values below eps · n · the largest are taken as zero.
  const cut = max * n * 2.220446049250313e-16;
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const lambda = A[k * n + k]!;
    if (Math.abs(lambda) <= cut) continue;
    for (let i = 0; i < n; i++) {
      const vik = V[i * n + k]! / lambda;
      for (let j = 0; j < n; j++) out[i * n + j]! += vik * V[j * n + k]!;
    }
  }
  return out;
}

/**
 * φ (O × M) from K coalitions: masks[k], weights[k], v (K × O, the coalition values), base (O), fx (O).
 * With no coalitions the constraint alone answers: (f(x) − base) shared equally.
 */
export function solveConstrained(masks: Uint8Array[], weights: ArrayLike<number>, v: ArrayLike<number>, base: number[], fx: number[], M: number): number[][] {
  const O = base.length;
  const K = masks.length;
  if (M === 1) return fx.map((f, o) => [f - base[o]!]);
  if (K === 0) return fx.map((f, o) => new Array<number>(M).fill((f - base[o]!) / M));
  const n = M - 1;
  const last = M - 1;
  // etmp[k][j] = mask[k][j] − mask[k][last]
  const XtWX = new Float64Array(n * n);
  for (let k = 0; k < K; k++) {
    const m = masks[k]!;
    const w = weights[k]!;
    for (let i = 0; i < n; i++) {
      const ei = m[i]! - m[last]!;
      if (ei === 0) continue;
      for (let j = 0; j < n; j++) XtWX[i * n + j]! += w * ei * (m[j]! - m[last]!);
    }
  }
  const P = pinvSymmetric(XtWX, n);
  return base.map((b0, o) => {
    const total = fx[o]! - b0;
    const rhs = new Float64Array(n);
    for (let k = 0; k < K; k++) {
      const m = masks[k]!;
      const y = v[k * O + o]! - b0 - m[last]! * total;
      const w = weights[k]!;
      for (let i = 0; i < n; i++) rhs[i]! += w * (m[i]! - m[last]!) * y;
    }
    const phi = new Array<number>(M).fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += P[i * n + j]! * rhs[j]!;
      phi[i] = s;
      sum += s;
    }
    phi[last] = total - sum;
    return phi;
  });
}
