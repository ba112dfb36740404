// Lets pytest run Ferry's exact linear explanation as the explain API runs it: readLinearModel (dist/serving) on an
// ONNX model's bytes, then explainLinear (dist/analysis: float32 rounding where the graph reads float32, linearShap).
// One JSON request per stdin line: {"model": path, "features": [...], "background": [[...]], "rows": [[...]]};
// one JSON answer per stdout line: {"ok": true, "result": {model, explanation}} or {"ok": false, "error"}.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const { readLinearModel } = await import(pathToFileURL(join(DIST, 'serving', 'runtime', 'onnx-linear.js')).href);
const { explainLinear } = await import(pathToFileURL(join(DIST, 'analysis', 'explain-linear.js')).href);

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  let answer;
  try {
    const { model: path, features, background, rows } = JSON.parse(line);
    const read = readLinearModel(new Uint8Array(readFileSync(path)));
    answer = read.ok
      ? { ok: true, result: { model: read.model, explanation: explainLinear(read.model, features, background, rows) } }
      : { ok: true, result: { refused: read.reason } };
  } catch (err) {
    answer = { ok: false, error: String(err?.stack ?? err) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
