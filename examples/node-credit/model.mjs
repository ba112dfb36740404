// The table, the split, the features and the logistic regression: plain JavaScript, deterministic (a seeded
// generator, a fixed order of operations), so the same data and parameters give the same model every time.

// ---- reading the dataset version ----

/** CSV with a header line; quoted fields may hold the delimiter, quotes ("") and line breaks. Blank = missing. */
export function parseCsv(text, delimiter = ',') {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  if (field !== '' || row.length > 0) endRow();
  const [header, ...data] = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  return data.map((r) => Object.fromEntries(header.map((name, j) => [name, r[j] === undefined || r[j] === '' ? null : r[j]])));
}

/** JSON Lines (what a loop pushes: its pinned set plus labelled traffic): one object a line, null = missing. */
export function parseJsonl(text) {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

const isMissing = (v) => v === null || v === undefined || v === '';
const asNumber = (v) => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number(String(v).trim()));

/**
 * The columns besides the target, in the table's order: numeric when every present value is a number (CSV
 * gives text, so "51100" counts), else categorical. The ONNX model takes one input per column, so the
 * order and names are the table's.
 */
export function columnsOf(rows, target) {
  const names = [];
  for (const r of rows) for (const k of Object.keys(r)) if (k !== target && !names.includes(k)) names.push(k);
  const numeric = [];
  const categorical = [];
  for (const name of names) {
    const present = rows.map((r) => r[name]).filter((v) => !isMissing(v));
    const allNumbers = present.length > 0 && present.every((v) => typeof v !== 'string' || Number.isFinite(asNumber(v)));
    (allNumbers ? numeric : categorical).push(name);
  }
  return { numeric, categorical };
}

/** The 0/1 label of a row (1, "1", true, "true"; 0, "0", false, "false"), or null when missing or not a label. */
export function labelOf(v) {
  if (isMissing(v)) return null;
  const s = String(v).trim().toLowerCase();
  if (s === '1' || s === '1.0' || s === 'true') return 1;
  if (s === '0' || s === '0.0' || s === 'false') return 0;
  return null;
}

// ---- seeded randomness: the split and the label noise ----

/** mulberry32: a tiny, well-known 32-bit generator; the seed fixes the split and the flipped labels. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items, random) {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Row indices split per class (stratified), `testShare` of each class held out; both lists in table order. */
export function split(labels, testShare, random) {
  const test = [];
  for (const cls of [0, 1]) {
    const idx = shuffle(
      labels.flatMap((y, i) => (y === cls ? [i] : [])),
      random,
    );
    test.push(...idx.slice(0, Math.round(idx.length * testShare)));
  }
  const held = new Set(test);
  return { train: labels.map((_, i) => i).filter((i) => !held.has(i)), test: [...held].sort((a, b) => a - b) };
}

/** A copy of the labels with round(share × n) of them flipped, chosen at random (the deliberately worse model). */
export function flipLabels(labels, share, random) {
  const out = [...labels];
  for (const i of shuffle(
    labels.map((_, i) => i),
    random,
  ).slice(0, Math.round(share * labels.length)))
    out[i] = 1 - out[i];
  return out;
}

// ---- features ----

// Parameters are rounded to float32, the precision the ONNX model holds them in, so the weights written next
// to the model describe it exactly and the model is fitted on the features it will compute.
const f32 = Math.fround;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The preprocessing learnt from the training rows: per numeric column its median (for missing values), mean
 * and standard deviation (after imputing); per categorical column its categories, sorted ("" is a missing one).
 */
export function fitFeatures(rows, { numeric, categorical }) {
  return {
    numeric: numeric.map((name) => {
      const present = rows
        .map((r) => r[name])
        .filter((v) => !isMissing(v))
        .map(asNumber);
      const med = f32(present.length ? median(present) : 0);
      const filled = rows.map((r) => (isMissing(r[name]) ? med : f32(asNumber(r[name]))));
      const mean = filled.reduce((s, v) => s + v, 0) / filled.length;
      const sd = Math.sqrt(filled.reduce((s, v) => s + (v - mean) ** 2, 0) / filled.length);
      // A constant column keeps std 1: its feature is 0 everywhere rather than a division by zero.
      return { name, median: med, mean: f32(mean), std: f32(sd > 0 ? sd : 1) };
    }),
    categorical: categorical.map((name) => ({ name, categories: [...new Set(rows.map((r) => categoryOf(r[name])))].sort() })),
  };
}

/** A category as the served model sees it: Ferry sends a missing string as "". */
const categoryOf = (v) => (isMissing(v) ? '' : String(v));

/** One row's feature vector, as the ONNX graph computes it (float32 inputs, unknown category = all zeros). */
export function featuresOf(row, features) {
  const x = [];
  for (const c of features.numeric) x.push(((isMissing(row[c.name]) ? c.median : f32(asNumber(row[c.name]))) - c.mean) / c.std);
  for (const c of features.categorical) for (const k of c.categories) x.push(categoryOf(row[c.name]) === k ? 1 : 0);
  return x;
}

/**
 * One row's feature vector for the trees: the same columns, numbers imputed but not standardised (a tree's
 * thresholds are then in the column's own units, and scaling changes no split).
 */
export function treeFeaturesOf(row, features) {
  const x = [];
  for (const c of features.numeric) x.push(isMissing(row[c.name]) ? c.median : f32(asNumber(row[c.name])));
  for (const c of features.categorical) for (const k of c.categories) x.push(categoryOf(row[c.name]) === k ? 1 : 0);
  return x;
}

// ---- the logistic regression ----

const sigmoid = (z) => 1 / (1 + Math.exp(-z));

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with partial pivoting. */
function solve(A, b) {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/**
 * Minimises the mean log loss + l2/2 · |w|² (the intercept is not penalised) by Newton's method: a handful of
 * exact steps on a few thousand rows and a dozen features, deterministic, no learning rate to tune. `epochs`
 * bounds the steps; it stops earlier once a step changes no weight by more than 1e-10.
 */
export function fitLogistic(X, y, { l2, epochs }) {
  const d = X[0].length + 1; // the last coefficient is the intercept
  const n = X.length;
  let beta = new Array(d).fill(0);
  let steps = 0;
  for (; steps < epochs; steps++) {
    const grad = new Array(d).fill(0);
    const H = Array.from({ length: d }, () => new Array(d).fill(0));
    for (let i = 0; i < n; i++) {
      const xi = [...X[i], 1];
      const p = sigmoid(xi.reduce((s, v, j) => s + v * beta[j], 0));
      const w = p * (1 - p);
      for (let j = 0; j < d; j++) {
        grad[j] += ((p - y[i]) * xi[j]) / n;
        for (let k = 0; k <= j; k++) H[j][k] += (w * xi[j] * xi[k]) / n;
      }
    }
    for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) H[k][j] = H[j][k];
    // A tiny ridge on the intercept too keeps H invertible when l2 is 0 and a class is perfectly separated.
    for (let j = 0; j < d; j++) {
      const lambda = j < d - 1 ? l2 : 0;
      grad[j] += lambda * beta[j];
      H[j][j] += lambda + 1e-12;
    }
    const delta = solve(H, grad);
    beta = beta.map((b, j) => b - delta[j]);
    if (Math.max(...delta.map(Math.abs)) < 1e-10) {
      steps++;
      break;
    }
  }
  return { weights: beta.slice(0, -1).map(f32), intercept: f32(beta[d - 1]), steps };
}

/** P(label = 1) for a feature vector, with the (float32-rounded) weights the ONNX model holds. */
export function predict(model, x) {
  return sigmoid(x.reduce((s, v, j) => s + v * model.weights[j], model.intercept));
}

// ---- metrics on the held-out rows ----

export function accuracy(y, p) {
  return y.filter((yi, i) => (p[i] > 0.5 ? 1 : 0) === yi).length / y.length;
}

/** Mean negative log likelihood, probabilities clipped to [1e-15, 1 − 1e-15] as scikit-learn does. */
export function logLoss(y, p) {
  const eps = 1e-15;
  return -y.reduce((s, yi, i) => s + Math.log(Math.min(1 - eps, Math.max(eps, yi ? p[i] : 1 - p[i]))), 0) / y.length;
}

/** ROC AUC as the Mann–Whitney statistic: tied scores share their average rank. Null with one class only. */
export function rocAuc(y, p) {
  const order = p.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
  const rank = new Array(p.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) rank[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const pos = y.filter((v) => v === 1).length;
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) return null;
  const sumPos = y.reduce((s, yi, i) => s + (yi === 1 ? rank[i] : 0), 0);
  return (sumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}
