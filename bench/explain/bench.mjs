// TreeSHAP benchmark: Ferry's exact interventional TreeSHAP on an ONNX GBDT (read from the model's bytes) against
// shap's TreeExplainer(model, background, feature_perturbation="interventional") on the same scikit-learn model,
// rows and background. Rounds alternate (Ferry, shap, shap, Ferry, …), each side in a fresh process timing only the
// explanation; rows/s are medians over rounds.
//
//   bench/explain/run.sh [options]        (every option also has a BENCH_* variable; see --help)
//
// Exit status 0 unless the benchmark itself breaks; a missed target is printed, not failed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseBenchOptions, smokeChecks } from '../options.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
// name: [BENCH_* variable, default, help]
const OPTS = {
  trees: ['BENCH_TREES', '300', 'boosting rounds of the GradientBoostingClassifier (binary)'],
  features: ['BENCH_FEATURES', '30', 'feature columns'],
  depth: ['BENCH_DEPTH', '3', "max_depth of each tree (scikit-learn's default, 3)"],
  rows: ['BENCH_ROWS', '1000', 'rows explained'],
  background: ['BENCH_BACKGROUND', '100', 'background rows'],
  rounds: ['BENCH_ROUNDS', '3', 'rounds (Ferry, shap, shap, Ferry, …; medians are printed)'],
  seed: ['BENCH_SEED', '7', 'seed of the data and the model'],
  algorithm: ['BENCH_ALGORITHM', 'auto', "Ferry's summation: auto, leaves or pairs (shap's pair walk)"],
  python: ['BENCH_PYTHON', '.venv/bin/python', 'Python with scikit-learn, skl2onnx and shap 0.51.0'],
  json: ['BENCH_JSON', '', 'also write every figure to this JSON file'],
};
const FLAGS = { keep: ['BENCH_KEEP', 'keep the temporary folder (model, data, both sides’ values)'] };
const SMOKE = { trees: '20', features: '8', rows: '50', background: '20', rounds: '1' };

function parse() {
  const v = parseBenchOptions('bench/explain/run.sh', OPTS, FLAGS, SMOKE);
  const int = (k) => {
    const n = Number(v[k]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${k} must be a positive integer, got '${v[k]}'`);
    return n;
  };
  if (!['auto', 'leaves', 'pairs'].includes(v.algorithm)) throw new Error(`--algorithm must be auto, leaves or pairs, got '${v.algorithm}'`);
  const n = Object.fromEntries(['trees', 'features', 'depth', 'rows', 'background', 'rounds', 'seed'].map((k) => [k, int(k)]));
  return { ...v, ...n, python: resolve(REPO, v.python) };
}

/** A file of float64s (small files share Node's buffer pool: copy out just their bytes). */
function f64(path) {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
const json = (out) => JSON.parse(out.trim().split('\n').at(-1));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (v, d = 0) => v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function ferryRound(dir, algorithm) {
  return json(execFileSync(process.execPath, [join(HERE, 'ferry-side.mjs'), dir, algorithm], { cwd: REPO, encoding: 'utf8' }));
}
function shapRound(a, dir) {
  return json(execFileSync(a.python, [join(HERE, 'peer.py'), 'explain', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
}

function main() {
  const a = parse();
  const smoke = a.smoke ? smokeChecks('explain') : null;
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-explain-'));
  const figures = { options: a, rounds: [] };
  try {
    const has = (mods) => spawnSync(a.python, ['-c', `import ${mods}`]).status === 0;
    if (!has('sklearn, skl2onnx'))
      throw new Error(`${a.python} has no scikit-learn / skl2onnx: the benchmark trains its model with them (scripts/test.sh creates .venv)`);
    const withShap = has('shap');
    console.log(
      `TreeSHAP: GradientBoostingClassifier, ${a.trees} trees of depth ≤ ${a.depth}, ${a.features} features; ${fmt(a.rows)} rows explained, ${a.background} background rows`,
    );
    const trained = json(
      execFileSync(a.python, [join(HERE, 'peer.py'), 'train', dir, a.trees, a.features, a.depth, a.rows, a.background, a.seed].map(String), {
        encoding: 'utf8',
      }),
    );
    console.log(`model: ${fmt(trained.leaves)} leaves, trained in ${trained.fit_seconds.toFixed(1)} s (not timed); node ${process.version}`);
    if (!withShap) console.log(`shap left out: not installed in ${a.python}`);
    let ferryLast = null;
    let shapLast = null;
    for (let r = 0; r < a.rounds; r++) {
      const order = r % 2 === 0 ? ['ferry', 'shap'] : ['shap', 'ferry'];
      for (const side of order) {
        if (side === 'shap' && !withShap) continue;
        const res = side === 'ferry' ? (ferryLast = ferryRound(dir, a.algorithm)) : (shapLast = shapRound(a, dir));
        figures.rounds.push({ round: r, side, seconds: res.seconds, rowsPerSecond: a.rows / res.seconds });
        console.log(`  round ${r + 1} ${side.padEnd(5)} ${res.seconds.toFixed(3)} s  ${fmt(a.rows / res.seconds)} rows/s`);
      }
    }
    const rps = (side) => median(figures.rounds.filter((x) => x.side === side).map((x) => x.rowsPerSecond));
    const ferryRps = rps('ferry');
    console.log('\nrows/s (median over rounds):');
    console.log(`  Ferry treeShapInterventional (${a.algorithm})   ${fmt(ferryRps)}`);
    figures.ferryRowsPerSecond = ferryRps;
    figures.additivity = ferryLast.additivity;
    smoke?.check(Number.isFinite(ferryRps) && ferryRps > 0, 'Ferry rows/s finite');
    smoke?.check(ferryLast.additivity < 1e-9, `Ferry additivity ${ferryLast.additivity} < 1e-9`);
    smoke?.check(ferryLast.trees === a.trees, `Ferry read ${ferryLast.trees} trees of ${a.trees}`);
    if (withShap) {
      const shapRps = rps('shap');
      const ratio = ferryRps / shapRps;
      console.log(`  shap TreeExplainer (interventional)  ${fmt(shapRps)}   (shap ${shapLast.shap})`);
      console.log(`  ratio Ferry / shap                   ${ratio.toFixed(2)}×`);
      // Agreement: both sides' values for the same rows (shap keeps float32 partial sums, hence a relative check).
      const ours = f64(join(dir, 'ferry.f64'));
      const theirs = f64(join(dir, 'shap.f64'));
      let scale = 0;
      let diff = 0;
      for (let i = 0; i < theirs.length; i++) {
        scale = Math.max(scale, Math.abs(theirs[i]));
        diff = Math.max(diff, Math.abs(ours[i] - theirs[i]));
      }
      const agreement = diff / scale;
      console.log(
        `check: Ferry = shap within ${agreement.toExponential(1)} of max |φ| (${fmt(theirs.length)} values); base ${ferryLast.base.toFixed(9)} vs ${shapLast.expected_value.toFixed(9)}`,
      );
      Object.assign(figures, { shapRowsPerSecond: shapRps, ratio, agreement });
      smoke?.check(ours.length === theirs.length && agreement <= 1e-6, `agreement with shap ${agreement} ≤ 1e-6 of max |φ|`);
      smoke?.check(Number.isFinite(ratio), 'ratio finite');
      console.log('\nTarget (from the issue):');
      console.log(`[${ratio >= 2 ? 'MET' : 'MISSED'}] Ferry ≥ 2× shap's rows/s: ${ratio.toFixed(2)}×`);
    }
    if (a.json) writeFileSync(a.json, JSON.stringify(figures, null, 2));
    smoke?.finish(`${a.trees} trees, ${a.rows} rows${withShap ? `, ratio ${figures.ratio.toFixed(2)}×` : ', shap left out'}`);
  } finally {
    if (a.keep) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main();
