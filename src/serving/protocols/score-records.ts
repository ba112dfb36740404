/**
 * Runs a table of records through a deployment's model outside the traffic path (not batched with live
 * requests, not logged): monitoring scores a reference table so prediction drift compares like with like.
 */
import type { DeploymentRuntime } from '../deployments/deployment-runtime.js';
import type { ModelLoader } from '../deployments/model-loader.js';
import type { ModelSignature } from '../runtime/signature.js';
import { outputRows } from '../deployments/prediction-events.js';
import { recordsToFeeds } from './records-codec.js';

const CHUNK = 1000;

/** Per row, the model's outputs (a value, or a list for per-row vectors) and the model version that scored it. */
export async function scoreRecords(
  runtime: DeploymentRuntime,
  deployment: string,
  rows: Record<string, unknown>[],
): Promise<{ version: string; outputs: Record<string, unknown>[] }> {
  const route = runtime.liveRoutes(deployment)[0]!;
  const outputs: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const { feeds, rows: n } = recordsToFeeds({ instances: chunk }, route.pool.signature, CHUNK);
    outputs.push(...outputRows(await route.pool.run(feeds), n));
  }
  return { version: route.version, outputs };
}

/**
 * Runs records through one registered model version, whether or not a deployment serves it (the loop's offline
 * gate scores candidate and champion on the same rows): loads it, scores, lets it go. Returns its signature too,
 * so a caller can compare two versions' inputs and outputs.
 */
export async function scoreVersion(
  loader: ModelLoader,
  model: string,
  version: string,
  rows: Record<string, unknown>[],
): Promise<{ signature: ModelSignature; outputs: Record<string, unknown>[] }> {
  const pool = await loader.acquire(model, version);
  try {
    const outputs: Record<string, unknown>[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const { feeds, rows: n } = recordsToFeeds({ instances: chunk }, pool.signature, CHUNK);
      outputs.push(...outputRows(await pool.run(feeds), n));
    }
    return { signature: pool.signature, outputs };
  } finally {
    await loader.release(model, version);
  }
}

/** A version's signature (its inputs and outputs), loading it for the look when nothing holds it. */
export async function versionSignature(loader: ModelLoader, model: string, version: string): Promise<ModelSignature> {
  const pool = await loader.acquire(model, version);
  try {
    return pool.signature;
  } finally {
    await loader.release(model, version);
  }
}
