// The serving benchmark's BentoML peer: `bentoml serve service:Credit` (service.py, next to this file) from
// bench/serving/.venv-peers, its workers and batching limits passed in the environment service.py reads.
import { join } from 'node:path';
import { REPO } from '../common.mjs';
import * as S from '../servers.mjs';

/** Starts the BentoML service on a free port; resolves with the server handle once /readyz answers 200. */
export async function startBentoml(tmp, { venv, modelFile, workers, maxBatchSize, maxLatencyMs, timeoutS = 180 }) {
  const port = await S.freePort();
  const logPath = join(tmp, 'bentoml.log');
  const bin = join(venv, 'bin');
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    BENTOML_DO_NOT_TRACK: 'True',
    BENTOML_HOME: join(tmp, 'bentoml-home'),
    BENCH_MODEL: modelFile,
    BENCH_WORKERS: String(workers),
    BENCH_MAX_BATCH_SIZE: String(maxBatchSize),
    BENCH_MAX_LATENCY_MS: String(maxLatencyMs),
  };
  const dir = join(REPO, 'bench', 'serving', 'bentoml');
  const proc = S.spawnLogged(join(bin, 'bentoml'), ['serve', 'service:Credit', '--host', '127.0.0.1', '--port', String(port)], logPath, env, dir);
  const url = `http://127.0.0.1:${port}`;
  const srv = { name: 'bentoml', url, proc, logPath, headers: {}, workers, maxBatchSize, maxLatencyMs };
  try {
    await S.waitFor('bentoml', proc, logPath, timeoutS, async () => (await fetch(`${url}/readyz`)).ok);
  } catch (err) {
    await S.stop(srv);
    throw err;
  }
  return srv;
}
