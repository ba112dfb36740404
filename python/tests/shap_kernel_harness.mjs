// Lets pytest run Ferry's model-agnostic explainers (dist/stats/shap) on an ONNX model through onnxruntime-node,
// the model shap sees through onnxruntime in Python. One JSON request per stdin line:
// {"fn": "exactShapley" | "kernelShap" | "permutationShap", "model": path, "input": name, "output": name, "args": {...}}
// or {"fn": "linearShap", "args": {...}}; one JSON answer per stdout line: {"ok": true, "result"} or {"ok": false, "error"}.
import process from 'node:process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ort from 'onnxruntime-node';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'stats', 'shap', 'index.js');
const shap = await import(pathToFileURL(DIST).href);
const sessions = new Map();

/** A batched model: float64 rows → float32 tensor → the named output (n × outputs), widened to float64. */
async function model(path, input, output, width) {
  if (!sessions.has(path)) sessions.set(path, await ort.InferenceSession.create(path, { intraOpNumThreads: 1 }));
  const session = sessions.get(path);
  return async (rows, n) => {
    const feeds = { [input]: new ort.Tensor('float32', Float32Array.from(rows), [n, width]) };
    const out = (await session.run(feeds, [output]))[output];
    return Float64Array.from(out.data);
  };
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  let answer;
  try {
    const { fn, model: path, input, output, args } = JSON.parse(line);
    if (!['exactShapley', 'kernelShap', 'permutationShap', 'linearShap'].includes(fn)) throw new Error(`no explainer ${fn}`);
    const evaluate = path ? await model(path, input, output, args.background[0].length) : undefined;
    answer = { ok: true, result: await shap[fn]({ ...args, evaluate }) };
  } catch (err) {
    answer = { ok: false, error: String(err?.stack ?? err) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
