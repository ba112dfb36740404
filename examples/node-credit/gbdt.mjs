// Gradient-boosted trees for log loss, histogram-based (like scikit-learn's HistGradientBoostingClassifier):
// each numeric column is cut at up to 32 quantile thresholds, a one-hot column at 0.5; trees grow depth-first to
// `maxDepth`, each split the one with the best Newton gain; a leaf holds −Σg / (Σh + λ), shrunk by the
// learning rate. Deterministic: no sampling, ties go to the first feature and threshold.

const f32 = Math.fround;
const sigmoid = (z) => 1 / (1 + Math.exp(-z));

/** The L2 penalty on leaf values (λ in Σg / (Σh + λ)): a leaf with few rows cannot take an extreme value. */
export const LAMBDA = 1;
/** The most thresholds a numeric column is cut at. */
export const MAX_THRESHOLDS = 32;

/**
 * Up to `max` thresholds for one column's training values (float32 numbers): between each pair of neighbouring
 * distinct values when there are few, else at quantiles of the rows. A threshold is a midpoint in float32, kept
 * strictly between its two neighbours so that `x <= t` separates them in float32 as ONNX compares.
 */
export function thresholdsOf(values, max = MAX_THRESHOLDS) {
  const sorted = Float64Array.from(values).sort();
  const distinct = [];
  const upTo = []; // rows with a value <= distinct[k]
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
    upTo[distinct.length - 1] = i + 1;
  }
  let cuts; // indices k: a threshold between distinct[k] and distinct[k + 1]
  if (distinct.length <= max + 1) cuts = distinct.slice(0, -1).map((_, k) => k);
  else {
    cuts = [];
    let k = 0;
    for (let q = 1; q <= max; q++) {
      const rank = (q * sorted.length) / (max + 1);
      while (upTo[k] < rank) k++;
      if (k < distinct.length - 1 && cuts[cuts.length - 1] !== k) cuts.push(k);
    }
  }
  return cuts.map((k) => {
    const lo = distinct[k];
    const mid = f32((lo + distinct[k + 1]) / 2);
    return mid >= lo && mid < distinct[k + 1] ? mid : lo;
  });
}

/** The bin of a value: how many thresholds it exceeds (x <= thresholds[b] ⇔ bin <= b). */
function binOf(x, thresholds) {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x > thresholds[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Fits the ensemble on feature rows X (numbers, float32 values) and 0/1 labels y. `binary[j]` marks a one-hot
 * column (one threshold, 0.5). Answers { init, trees, thresholds }: `init` the log-odds of the training
 * prevalence; each tree flat arrays indexed by node id (0 the root, preorder): feature, threshold, left, right
 * (−1 at a leaf) and value (the leaf's shrunk score, float32, 0 elsewhere).
 */
export function fitGbdt(X, y, { nEstimators, maxDepth, learningRate, minSamplesLeaf, binary }) {
  const n = X.length;
  const d = X[0].length;
  const thresholds = [];
  const bins = [];
  for (let j = 0; j < d; j++) {
    const column = X.map((x) => x[j]);
    const t = binary[j] ? [0.5] : thresholdsOf(column);
    thresholds.push(t);
    bins.push(Uint8Array.from(column, (v) => binOf(v, t)));
  }
  const prevalence = y.reduce((s, v) => s + v, 0) / n;
  const init = f32(Math.log(prevalence / (1 - prevalence)));
  const score = new Float64Array(n).fill(init);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const trees = [];
  for (let m = 0; m < nEstimators; m++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(score[i]);
      g[i] = p - y[i];
      h[i] = p * (1 - p);
    }
    const tree = { feature: [], threshold: [], left: [], right: [], value: [] };
    grow(
      tree,
      Array.from({ length: n }, (_, i) => i),
      0,
    );
    trees.push(tree);
    for (let i = 0; i < n; i++) score[i] += leafValue(tree, X[i]);
  }
  return { init, trees, thresholds };

  /** Adds the node for `rows` (and its subtree) in preorder; answers its id. */
  function grow(tree, rows, depth) {
    const id = tree.feature.length;
    let G = 0;
    let H = 0;
    for (const i of rows) {
      G += g[i];
      H += h[i];
    }
    tree.feature.push(0);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(f32((-learningRate * G) / (H + LAMBDA)));
    const best = depth < maxDepth && rows.length >= 2 * minSamplesLeaf ? bestSplit(rows, G, H) : null;
    if (!best) return id;
    const goLeft = rows.filter((i) => bins[best.feature][i] <= best.bin);
    const goRight = rows.filter((i) => bins[best.feature][i] > best.bin);
    tree.feature[id] = best.feature;
    tree.threshold[id] = thresholds[best.feature][best.bin];
    tree.value[id] = 0;
    tree.left[id] = grow(tree, goLeft, depth + 1);
    tree.right[id] = grow(tree, goRight, depth + 1);
    return id;
  }

  /** The split of `rows` with the largest gain in Σg²/(Σh + λ), each side with minSamplesLeaf rows; null if none gains. */
  function bestSplit(rows, G, H) {
    const parent = (G * G) / (H + LAMBDA);
    let best = null;
    let bestGain = 1e-12; // a split must gain something
    for (let j = 0; j < d; j++) {
      const nb = thresholds[j].length + 1;
      if (nb < 2) continue;
      const hg = new Float64Array(nb);
      const hh = new Float64Array(nb);
      const hc = new Int32Array(nb);
      const b = bins[j];
      for (const i of rows) {
        hg[b[i]] += g[i];
        hh[b[i]] += h[i];
        hc[b[i]]++;
      }
      let GL = 0;
      let HL = 0;
      let CL = 0;
      for (let k = 0; k < nb - 1; k++) {
        GL += hg[k];
        HL += hh[k];
        CL += hc[k];
        if (CL < minSamplesLeaf) continue;
        if (rows.length - CL < minSamplesLeaf) break;
        const GR = G - GL;
        const HR = H - HL;
        const gain = (GL * GL) / (HL + LAMBDA) + (GR * GR) / (HR + LAMBDA) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: j, bin: k };
        }
      }
    }
    return best;
  }
}

/** The leaf value one tree gives a feature row (x <= threshold goes left, as BRANCH_LEQ's true branch). */
export function leafValue(tree, x) {
  let node = 0;
  while (tree.left[node] !== -1) node = x[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return tree.value[node];
}

/** P(label = 1) for a feature row: sigmoid(init + Σ leaf values). */
export function predictGbdt(model, x) {
  return sigmoid(model.trees.reduce((s, tree) => s + leafValue(tree, x), model.init));
}
