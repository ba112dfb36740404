// Lets pytest run Ferry's TreeSHAP on an ONNX file's bytes: readTreeEnsemble (dist/serving/runtime) then
// treeShapInterventional (dist/stats/shap/tree). One JSON request per stdin line: {"model": path, "background":
// rows, "rows": rows}; one JSON answer per stdout line: {"ok": true, "result"} or {"ok": false, "error"}. result is
// {"tree": false, "reason"} when the graph is not an explainable tree ensemble, else the explanation plus the
// model's raw output and onnxruntime-style scores per row. NaN crosses as the string "NaN" (JSON has no literal).
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const { readTreeEnsemble } = await import(pathToFileURL(join(DIST, 'serving', 'runtime', 'onnx-tree-ensemble.js')).href);
const tree = await import(pathToFileURL(join(DIST, 'stats', 'shap', 'tree', 'index.js')).href);

const revive = (_k, v) => (v === 'NaN' ? NaN : v);
const replace = (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  let answer;
  try {
    const { model: path, background, rows, algorithm } = JSON.parse(line, revive);
    const read = readTreeEnsemble(readFileSync(path));
    if (!read.ok) answer = { ok: true, result: { tree: false, reason: read.reason } };
    else {
      const m = read.model;
      const started = process.hrtime.bigint();
      const e = tree.treeShapInterventional(m, background, rows, { algorithm });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const scores = rows.map((r) => tree.treeEnsembleScores(m, tree.treeEnsemblePredictRaw(m, r)));
      answer = { ok: true, result: { tree: true, ...e, scores, seconds, postTransform: m.postTransform, nTrees: m.trees.length } };
    }
  } catch (err) {
    answer = { ok: false, error: String(err?.stack ?? err) };
  }
  process.stdout.write(JSON.stringify(answer, replace) + '\n');
}
