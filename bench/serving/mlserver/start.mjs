// The serving benchmark's MLServer peer (Seldon's server, mlserver + mlserver-sklearn from bench/serving/.venv-peers):
// writes its settings.json and the model's model-settings.json into a folder of the run and starts `mlserver start`
// on it, configured as MLServer's docs recommend for throughput: parallel inference on (parallel_workers = the cores
// the server may use: one worker process per core, each with its own copy of the model) and adaptive batching on
// (max_batch_size requests coalesced for at most max_batch_time), the same limits as Ferry's batching in the run.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as S from '../servers.mjs';

/**
 * Starts MLServer serving `modelFile` (a joblib scikit-learn pipeline) as model `name` over V2 REST on a free port;
 * resolves with the server handle once /v2/models/<name>/ready answers 200.
 */
export async function startMlserver(tmp, { venv, modelFile, name, workers, maxBatchSize, maxBatchTimeMs, timeoutS = 180 }) {
  const dir = join(tmp, 'mlserver');
  mkdirSync(join(dir, name), { recursive: true });
  cpSync(modelFile, join(dir, name, 'model.joblib'));
  const [http, grpc, metrics] = [await S.freePort(), await S.freePort(), await S.freePort()];
  const settings = {
    host: '127.0.0.1',
    http_port: http,
    grpc_port: grpc,
    metrics_port: metrics,
    parallel_workers: workers,
    debug: false,
  };
  const modelSettings = {
    name,
    implementation: 'mlserver_sklearn.SKLearnModel',
    parameters: { uri: './model.joblib' },
    max_batch_size: maxBatchSize,
    max_batch_time: maxBatchTimeMs / 1000,
  };
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
  writeFileSync(join(dir, name, 'model-settings.json'), JSON.stringify(modelSettings, null, 2));
  const logPath = join(tmp, 'mlserver.log');
  const bin = join(venv, 'bin');
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const proc = S.spawnLogged(join(bin, 'mlserver'), ['start', dir], logPath, env, dir);
  const url = `http://127.0.0.1:${http}`;
  const srv = { name: 'mlserver', url, proc, logPath, headers: {}, settings, modelSettings };
  try {
    await S.waitFor('mlserver', proc, logPath, timeoutS, async () => (await fetch(`${url}/v2/models/${name}/ready`)).ok);
  } catch (err) {
    await S.stop(srv);
    throw err;
  }
  return srv;
}
