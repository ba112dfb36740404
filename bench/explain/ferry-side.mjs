// bench/explain's Ferry side, run as its own process per round: reads the ONNX model's bytes into a tree ensemble
// (readTreeEnsemble, through the package's `ferry/serving` entry point) and times treeShapInterventional (`ferry/stats`)
// over the rows against the background; writes the values for the agreement check and prints one JSON line.
// Loading and reading the model are not timed (shap's side does not time its model load either).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { readTreeEnsemble } from 'ferry/serving';
import { treeShapInterventional } from 'ferry/stats';

const [dir, algorithm = 'auto'] = process.argv.slice(2);
const read = readTreeEnsemble(readFileSync(join(dir, 'model.onnx')));
if (!read.ok) throw new Error(`not a tree ensemble: ${read.reason}`);
const m = read.model;
const matrix = (file) => {
  const b = readFileSync(join(dir, file)); // small files share Node's buffer pool: copy out just their bytes
  const f = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return Array.from({ length: f.length / m.nFeatures }, (_, i) => Array.from(f.subarray(i * m.nFeatures, (i + 1) * m.nFeatures)));
};
const rows = matrix('rows.f32');
const background = matrix('background.f32');
const started = process.hrtime.bigint();
const e = treeShapInterventional(m, background, rows, { algorithm });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
writeFileSync(join(dir, 'ferry.f64'), Buffer.from(Float64Array.from(e.values.flatMap((r) => r[0])).buffer));
let additivity = 0;
e.values.forEach((r, i) => {
  const sum = r[0].reduce((a, b) => a + b, e.base[0]);
  additivity = Math.max(additivity, Math.abs(sum - e.fx[i][0]) / Math.max(1, Math.abs(e.fx[i][0])));
});
console.log(JSON.stringify({ seconds, trees: m.trees.length, outputs: e.outputNames, base: e.base[0], additivity }));
