/**
 * The inference worker, as source text run with `new Worker(src, { eval: true })`: onnxruntime-node's
 * session.run() is synchronous native work on the calling thread, so each worker owns one session and the
 * main event loop stays free. Kept as a string so the same code runs from src/ (tests) and dist/.
 */
export const ORT_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
let session = null;

function toOrt(t) {
  return new ort.Tensor(t.type, t.data, t.dims);
}
function fromOrt(t) {
  return { type: t.type, dims: Array.from(t.dims), data: t.data };
}
function transferables(outputs) {
  const list = [];
  for (const o of Object.values(outputs)) if (o.data && o.data.buffer && !list.includes(o.data.buffer)) list.push(o.data.buffer);
  return list;
}

parentPort.on('message', async (msg) => {
  if (msg.kind === 'init') {
    try {
      session = await ort.InferenceSession.create(new Uint8Array(msg.model), msg.options);
      const meta = (list) => list.map((m) => ({ name: m.name, isTensor: m.isTensor, type: m.type, shape: m.shape ? Array.from(m.shape) : [] }));
      parentPort.postMessage({ kind: 'ready', inputs: meta(session.inputMetadata), outputs: meta(session.outputMetadata) });
    } catch (err) {
      parentPort.postMessage({ kind: 'failed', error: String(err && err.message ? err.message : err) });
    }
    return;
  }
  if (msg.kind === 'run') {
    try {
      const feeds = {};
      for (const [name, t] of Object.entries(msg.feeds)) feeds[name] = toOrt(t);
      const result = await session.run(feeds, msg.fetches);
      const outputs = {};
      for (const [name, t] of Object.entries(result)) outputs[name] = fromOrt(t);
      parentPort.postMessage({ kind: 'result', id: msg.id, outputs }, transferables(outputs));
    } catch (err) {
      parentPort.postMessage({ kind: 'error', id: msg.id, error: String(err && err.message ? err.message : err) });
    }
    return;
  }
  if (msg.kind === 'time') {
    // Median single-run time, measured here so no thread hop is counted (decides inline eligibility).
    try {
      const feeds = {};
      for (const [name, t] of Object.entries(msg.feeds)) feeds[name] = toOrt(t);
      const times = [];
      for (let i = 0; i < msg.repeat; i++) {
        const t0 = performance.now();
        await session.run(feeds, msg.fetches);
        times.push((performance.now() - t0) * 1000);
      }
      times.sort((a, b) => a - b);
      parentPort.postMessage({ kind: 'timed', id: msg.id, us: times[times.length >> 1] });
    } catch (err) {
      parentPort.postMessage({ kind: 'error', id: msg.id, error: String(err && err.message ? err.message : err) });
    }
    return;
  }
  if (msg.kind === 'release') {
    if (session) await session.release();
    session = null;
    parentPort.postMessage({ kind: 'released' });
  }
});
`;
