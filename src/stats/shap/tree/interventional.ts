/**
 * Exact interventional TreeSHAP: for an explained row x and a background row z, the Shapley values of the game
 * v(S) = f(x_S, z_rest) (features in S take x's value, the others z's), averaged over the background. f is the
 * ensemble's raw output (before post_transform), so Σφ + E[f(background)] = f(x).
 *
 * The game is a sum over trees and leaves. A leaf with value v is reached by the hybrid row iff, for every feature u
 * its path tests, the row's value of u satisfies the path's conditions on u: x's value when u ∈ S, z's otherwise.
 * With A = the path features x satisfies and B = those z satisfies, the leaf is reachable for some S only when
 * A ∪ B covers the path, and then exactly when S ⊇ X = path∖B and S ∩ Z = ∅, Z = path∖A. That game's Shapley
 * values are v·(|X|−1)!|Z|!/(|X|+|Z|)! for each feature of X and −v·|X|!(|Z|−1)!/(|X|+|Z|)! for each of Z
 * (the rest get 0). Two exact ways to sum it, picked per tree by their cost (both give the same numbers):
 *
 * - **leaves**: the background enters only through each leaf's B masks, so count them once per leaf; for an
 *   explained row, a leaf's contribution depends only on its A mask, and is cached per (leaf, A). The cost per row
 *   is then the tree's size, not the background's: what makes a 100-row background cheap for shallow boosted trees.
 * - **pairs**: shap's algorithm (Chen et al.): walk the tree once per (x, z) pair, splitting where x and z go apart;
 *   for deep trees (paths testing more than LEAVES_MAX_FEATURES features) or few explained rows.
 */
import { InvalidParameterError } from '../../../errors.js';
import type { ShapExplanation } from '../types.js';
import { goesTrue, LEAF, modelRow, treeEnsemblePredictRaw, type TreeEnsembleModel, type TreeEnsembleTree } from './model.js';

export interface TreeShapOptions {
  /** Refuse more explained rows than this (the caller's bound on work); unbounded when absent. */
  maxRows?: number;
  /** Which exact summation to use; 'auto' (default) picks per tree by estimated cost. For tests and benchmarks. */
  algorithm?: 'auto' | 'leaves' | 'pairs';
}

/** Paths testing more distinct features than this are summed pair by pair (a leaf's A-mask cache has 2^d slots). */
export const LEAVES_MAX_FEATURES = 12;

/** wPos[nx * stride + nz] = (nx−1)! nz! / (nx+nz)! = 1 / (nx · C(nx+nz, nx)); wNeg symmetric. */
function shapleyWeights(maxD: number): { wPos: Float64Array; wNeg: Float64Array; stride: number } {
  const stride = maxD + 1;
  const wPos = new Float64Array(stride * stride);
  const wNeg = new Float64Array(stride * stride);
  for (let nx = 0; nx <= maxD; nx++) {
    for (let nz = 0; nz <= maxD; nz++) {
      // C(nx+nz, nx) as a running product, exact in float64 for the sizes trees have.
      let c = 1;
      for (let i = 1; i <= nz; i++) c = (c * (nx + i)) / i;
      if (nx > 0) wPos[nx * stride + nz] = 1 / (nx * c);
      if (nz > 0) wNeg[nx * stride + nz] = 1 / (nz * c);
    }
  }
  return { wPos, wNeg, stride };
}

/**
 * A tree's shape for the leaves method: nodes in an order where parents come first, each node's bit (the index of
 * its feature among the distinct features of the path from the root to it, in order of first appearance: the same
 * for every leaf below), and each leaf's distinct path features.
 */
interface TreeShape {
  order: Int32Array; // branch nodes, parents first
  bit: Int32Array; // per branch node: 1 << (index of its feature on its path)
  leaves: Int32Array;
  leafFeatures: Int32Array[]; // per leaf (by position in leaves): its path's distinct features
  leafIndex: Int32Array; // node → position in leaves, or −1
  maxD: number;
  sumDepth: number;
}

function treeShape(tree: TreeEnsembleTree): TreeShape {
  const n = tree.feature.length;
  const bit = new Int32Array(n);
  const leafIndex = new Int32Array(n).fill(-1);
  const order: number[] = [];
  const leaves: number[] = [];
  const leafFeatures: Int32Array[] = [];
  let maxD = 0;
  let sumDepth = 0;
  // Iterative DFS carrying the path's distinct features.
  const stack: { node: number; feats: number[]; depth: number }[] = [{ node: tree.root, feats: [], depth: 0 }];
  while (stack.length > 0) {
    const { node, feats, depth } = stack.pop()!;
    if (tree.mode[node] === LEAF) {
      leafIndex[node] = leaves.length;
      leaves.push(node);
      leafFeatures.push(Int32Array.from(feats));
      maxD = Math.max(maxD, feats.length);
      sumDepth += depth;
      continue;
    }
    const f = tree.feature[node]!;
    let idx = feats.indexOf(f);
    let next = feats;
    if (idx < 0) {
      idx = feats.length;
      next = [...feats, f];
    }
    bit[node] = idx < 31 ? 1 << idx : 0;
    order.push(node);
    stack.push({ node: tree.falseChild[node]!, feats: next, depth: depth + 1 });
    stack.push({ node: tree.trueChild[node]!, feats: next, depth: depth + 1 });
  }
  return { order: Int32Array.from(order), bit, leaves: Int32Array.from(leaves), leafFeatures, leafIndex, maxD, sumDepth };
}

/**
 * For a row, the mask of path features it satisfies, at every node (so at every leaf): all ones at the root, a
 * node's bit cleared below the side the row does not take.
 */
function pathMasks(tree: TreeEnsembleTree, shape: TreeShape, x: Float64Array, masks: Int32Array): void {
  masks[tree.root] = -1;
  const { order, bit } = shape;
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    const m = masks[node]!;
    const go = goesTrue(tree.mode[node]!, x[tree.feature[node]!]!, tree.threshold[node]!, tree.missingTracksTrue[node]!);
    const b = bit[node]!;
    masks[tree.trueChild[node]!] = go ? m : m & ~b;
    masks[tree.falseChild[node]!] = go ? m & ~b : m;
  }
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

type Weights = ReturnType<typeof shapleyWeights>;

/** Adds one tree's φ for every row into phi[row] (outputs × features), by the leaves method. */
function treeByLeaves(
  model: TreeEnsembleModel,
  tree: TreeEnsembleTree,
  shape: TreeShape,
  bg: Float64Array[],
  xs: Float64Array[],
  phi: Float64Array[],
  w: Weights,
): void {
  const nNodes = tree.feature.length;
  const masks = new Int32Array(nNodes);
  const nLeaves = shape.leaves.length;
  // Per leaf: the background's B masks (only the path's bits) with their counts. The masks are gathered leaf-major,
  // then counted per leaf in a dense scratch array of 2^d slots (d ≤ LEAVES_MAX_FEATURES), emptied as it is read.
  const nbg = bg.length;
  const fullOf = Int32Array.from(shape.leafFeatures, (f) => (1 << f.length) - 1);
  const gathered = new Int32Array(nLeaves * nbg);
  for (let i = 0; i < nbg; i++) {
    pathMasks(tree, shape, bg[i]!, masks);
    for (let l = 0; l < nLeaves; l++) gathered[l * nbg + i] = masks[shape.leaves[l]!]! & fullOf[l]!;
  }
  const scratch = new Int32Array(1 << shape.maxD);
  const patterns = Array.from({ length: nLeaves }, (_, l) => {
    const at = l * nbg;
    for (let i = 0; i < nbg; i++) scratch[gathered[at + i]!]!++;
    const ms: number[] = [];
    const cs: number[] = [];
    for (let i = 0; i < nbg; i++) {
      const b = gathered[at + i]!;
      if (scratch[b] === 0) continue;
      ms.push(b);
      cs.push(scratch[b]!);
      scratch[b] = 0;
    }
    return { masks: Int32Array.from(ms), counts: Float64Array.from(cs) };
  });
  // Per leaf, per A mask: the coefficients c_j (φ_j += v · c_j), computed on first use. slot[l][a]: −1 unknown,
  // −2 all zero, else an offset into coef.
  const slots: (Int32Array | null)[] = new Array<Int32Array | null>(nLeaves).fill(null);
  let coef = new Float64Array(1024);
  let used = 0;
  const inv = 1 / bg.length;
  const { wPos, wNeg, stride } = w;
  const K = tree.outputs.length;
  const M = model.nFeatures;
  const tmp = new Float64Array(shape.maxD);

  for (let r = 0; r < xs.length; r++) {
    pathMasks(tree, shape, xs[r]!, masks);
    const out = phi[r]!;
    for (let l = 0; l < nLeaves; l++) {
      const feats = shape.leafFeatures[l]!;
      const d = feats.length;
      if (d === 0) continue; // a one-leaf tree: a constant, no attribution
      const full = (1 << d) - 1;
      const a = masks[shape.leaves[l]!]! & full;
      let slot = slots[l];
      if (slot === null) slot = slots[l] = new Int32Array(1 << d).fill(-1);
      let off = slot[a]!;
      if (off === -1) {
        tmp.fill(0, 0, d);
        const z = full & ~a;
        const nz = popcount(z);
        let neg = 0;
        let any = false;
        const p = patterns[l]!;
        for (let i = 0; i < p.masks.length; i++) {
          const b = p.masks[i]!;
          if ((a | b) !== full) continue;
          any = true;
          const c = p.counts[i]! * inv;
          const x = full & ~b;
          const nx = popcount(x);
          if (nx > 0) {
            const wp = c * wPos[nx * stride + nz]!;
            for (let j = 0; j < d; j++) if (x & (1 << j)) tmp[j]! += wp;
          }
          if (nz > 0) neg += c * wNeg[nx * stride + nz]!;
        }
        if (nz > 0) for (let j = 0; j < d; j++) if (z & (1 << j)) tmp[j]! -= neg;
        let nonzero = false;
        for (let j = 0; j < d; j++) if (tmp[j] !== 0) nonzero = true;
        if (!any || !nonzero) off = -2;
        else {
          if (used + d > coef.length) {
            const grown = new Float64Array(Math.max(coef.length * 2, used + d));
            grown.set(coef);
            coef = grown;
          }
          off = used;
          coef.set(tmp.subarray(0, d), used);
          used += d;
        }
        slot[a] = off;
      }
      if (off === -2) continue;
      const leaf = shape.leaves[l]!;
      for (let k = 0; k < K; k++) {
        const v = tree.leafValues[leaf * K + k]!;
        if (v === 0) continue;
        const base = tree.outputs[k]! * M;
        for (let j = 0; j < d; j++) out[base + feats[j]!]! += v * coef[off + j]!;
      }
    }
  }
}

/** Adds one tree's φ for every row into phi[row], by walking the tree once per (row, background row) pair. */
function treeByPairs(
  model: TreeEnsembleModel,
  tree: TreeEnsembleTree,
  bg: Float64Array[],
  xs: Float64Array[],
  phi: Float64Array[],
  w: Weights,
  maxD: number,
): void {
  const nNodes = tree.feature.length;
  const { mode, feature, threshold, missingTracksTrue, trueChild, falseChild, leafValues, outputs } = tree;
  const dirOf = (x: Float64Array, into: Uint8Array, at: number): void => {
    for (let n = 0; n < nNodes; n++) {
      into[at + n] = mode[n] !== LEAF && goesTrue(mode[n]!, x[feature[n]!]!, threshold[n]!, missingTracksTrue[n]!) ? 1 : 0;
    }
  };
  const dirZ = new Uint8Array(bg.length * nNodes);
  bg.forEach((z, i) => dirOf(z, dirZ, i * nNodes));
  const dirX = new Uint8Array(nNodes);
  const state = new Int8Array(model.nFeatures); // 0: not yet split on, 1: taken from x, 2: taken from z
  const fromX = new Int32Array(maxD + 1);
  const fromZ = new Int32Array(maxD + 1);
  const { wPos, wNeg, stride } = w;
  const K = outputs.length;
  const M = model.nFeatures;
  const inv = 1 / bg.length;
  let nx = 0;
  let nz = 0;
  let zAt = 0;
  let out = phi[0]!;

  const walk = (n: number): void => {
    for (;;) {
      if (mode[n] === LEAF) {
        if (nx + nz === 0) return;
        for (let k = 0; k < K; k++) {
          const v = leafValues[n * K + k]! * inv;
          if (v === 0) continue;
          const base = outputs[k]! * M;
          if (nx > 0) {
            const wp = v * wPos[nx * stride + nz]!;
            for (let i = 0; i < nx; i++) out[base + fromX[i]!]! += wp;
          }
          if (nz > 0) {
            const wn = v * wNeg[nx * stride + nz]!;
            for (let i = 0; i < nz; i++) out[base + fromZ[i]!]! -= wn;
          }
        }
        return;
      }
      const dx = dirX[n]!;
      const dz = dirZ[zAt + n]!;
      const f = feature[n]!;
      const s = state[f]!;
      if (dx === dz || s === 1) n = dx ? trueChild[n]! : falseChild[n]!;
      else if (s === 2) n = dz ? trueChild[n]! : falseChild[n]!;
      else {
        state[f] = 1;
        fromX[nx++] = f;
        walk(dx ? trueChild[n]! : falseChild[n]!);
        nx--;
        state[f] = 2;
        fromZ[nz++] = f;
        walk(dz ? trueChild[n]! : falseChild[n]!);
        nz--;
        state[f] = 0;
        return;
      }
    }
  };

  for (let r = 0; r < xs.length; r++) {
    dirOf(xs[r]!, dirX, 0);
    out = phi[r]!;
    for (let i = 0; i < bg.length; i++) {
      zAt = i * nNodes;
      walk(tree.root);
    }
  }
}

function checkRows(model: TreeEnsembleModel, rows: unknown, field: string): Float64Array[] {
  if (!Array.isArray(rows)) throw new InvalidParameterError(field, `${field} must be an array of rows.`);
  return rows.map((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== model.nFeatures) {
      throw new InvalidParameterError(field, `${field}[${i}] must be an array of ${model.nFeatures} numbers (the model's input columns).`);
    }
    for (const v of row)
      if (typeof v !== 'number') throw new InvalidParameterError(field, `${field}[${i}] holds a value that is not a number (NaN marks a missing value).`);
    return modelRow(model, row as number[]);
  });
}

/**
 * Exact interventional TreeSHAP of the model's raw output (see TreeEnsembleModel.outputNames for what that is per
 * model) for each row against the background; base = the mean raw output over the background. NaN in a row is a
 * missing value, routed as the model routes it.
 */
export function treeShapInterventional(model: TreeEnsembleModel, background: number[][], rows: number[][], opts: TreeShapOptions = {}): ShapExplanation {
  const bg = checkRows(model, background, 'background');
  const xs = checkRows(model, rows, 'rows');
  if (bg.length === 0) throw new InvalidParameterError('background', 'The background needs at least one row.');
  if (opts.maxRows !== undefined && xs.length > opts.maxRows) {
    throw new InvalidParameterError('rows', `At most ${opts.maxRows} rows can be explained at once (got ${xs.length}).`);
  }
  const nOut = model.outputNames.length;
  const M = model.nFeatures;
  const phi = xs.map(() => new Float64Array(nOut * M));
  const shapes = model.trees.map(treeShape);
  // A loop, not Math.max(...): a spread of one argument per tree overflows the stack past ~120k trees.
  const maxD = shapes.reduce((d, s) => Math.max(d, s.maxD), 1);
  const w = shapleyWeights(maxD);
  const algorithm = opts.algorithm ?? 'auto';
  for (let t = 0; t < model.trees.length; t++) {
    const tree = model.trees[t]!;
    const shape = shapes[t]!;
    if (xs.length === 0 || shape.leaves.length <= 1) continue;
    let useLeaves = shape.maxD <= LEAVES_MAX_FEATURES && algorithm !== 'pairs';
    if (useLeaves && algorithm === 'auto') {
      // Rough operation counts: a pair walk visits about one path per (x, z), more where they part; the leaves
      // method routes every row once through the tree and fills a cache slot per (leaf, A mask) seen.
      const nNodes = tree.feature.length;
      const nLeaves = shape.leaves.length;
      const avgDepth = shape.sumDepth / nLeaves;
      const pairs = xs.length * bg.length * (avgDepth + 1) * 2;
      const slotsFilled = nLeaves * Math.min(xs.length, 2 ** shape.maxD) * Math.min(bg.length, 2 ** shape.maxD);
      const leaves = (bg.length + xs.length) * (nNodes + nLeaves) + slotsFilled;
      useLeaves = leaves <= pairs;
    }
    if (useLeaves) treeByLeaves(model, tree, shape, bg, xs, phi, w);
    else treeByPairs(model, tree, bg, xs, phi, w, maxD);
  }
  const base = new Array<number>(nOut).fill(0);
  for (const z of background) {
    const f = treeEnsemblePredictRaw(model, z);
    for (let o = 0; o < nOut; o++) base[o]! += f[o]!;
  }
  for (let o = 0; o < nOut; o++) base[o]! /= bg.length;
  return {
    method: 'tree_interventional',
    outputNames: model.outputNames.slice(),
    base,
    values: phi.map((p) => Array.from({ length: nOut }, (_, o) => Array.from(p.subarray(o * M, (o + 1) * M)))),
    fx: rows.map((x) => treeEnsemblePredictRaw(model, x)),
    evaluations: 0,
    truncated: false,
  };
}
