/**
 * Step 3: the deployment `credit-risk` — version 1 takes 90% of requests, version 2 a 10% canary — watched in
 * 10-second windows (the shortest, so a minute of traffic spans several), with the training data as the drift
 * reference and the dataset's rules (less those about the table's size and the label) checking each window.
 */
import type { Deployment, FerryClient, ReferenceInfo, Suite } from '../../sdk/index.js';
import { DEMO } from './assets.js';

export const WINDOW = '10s';
export const WINDOW_MS = 10_000;

export interface DeploymentStep {
  deployment: Deployment;
  reference: ReferenceInfo;
  trafficSuite: string;
}

/** The dataset's inferred rules that make sense for one window of live requests. */
export function trafficRules(suite: Suite): Suite {
  const expectations = suite.expectations.filter((e) => {
    if (e.type === 'expect_table_row_count_to_be_between') return false; // a window holds fewer rows than the table
    if (e.type === 'expect_column_mean_to_be_between') return false; // too tight for a partial window's sample
    return e.kwargs['column'] !== 'default'; // the label is not an input
  });
  return {
    name: DEMO.trafficSuite,
    expectations,
    meta: { notes: `The rules of ${DEMO.datasetSuite} that apply to live requests (no row count, means or label).` },
  };
}

export async function loadDeployment(client: FerryClient, versions: { v1: string; v2: string }, datasetSuite: Suite): Promise<DeploymentStep> {
  const deployment = await client.deployments.create(DEMO.deployment, {
    routes: [
      { model: DEMO.model, version: versions.v1, weight: 90 },
      { model: DEMO.model, version: versions.v2, weight: 10 },
    ],
  });
  await client.monitoring.updateSettings(DEMO.deployment, { window: WINDOW });
  // The serving version's training data (found through lineage: v1 ← its run ← credit-risk@1), scored by the live model.
  const reference = await client.monitoring.setReference(DEMO.deployment, { trainingData: true });
  const traffic = trafficRules(datasetSuite);
  await client.data.putSuite(DEMO.trafficSuite, traffic);
  await client.data.attach(DEMO.trafficSuite, { deployment: DEMO.deployment });
  return { deployment, reference, trafficSuite: DEMO.trafficSuite };
}
