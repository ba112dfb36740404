/**
 * Runs a table of records through a deployment's model outside the traffic path (not batched with live
 * requests, not logged): monitoring scores a reference table so prediction drift compares like with like.
 */
import type { DeploymentRuntime } from '../deployments/deployment-runtime.js';
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
