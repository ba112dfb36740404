/**
 * Step 3b: an A/B test of the canary against the serving version, on the deployment's 90/10 split, judged on
 * model quality from the feedback labels the traffic sends: accuracy per labelled row (primary) and log loss
 * (guardrail). No sticky key: each request is a unit. Windows of 15 s, so units of the replay's first 25 s are
 * mature at its end; the live traffic keeps adding to it afterwards.
 */
import type { AbTestReport, FerryClient } from '../../sdk/index.js';
import { DEMO } from './assets.js';

export const ABTEST_WINDOW = '15s';

export async function startAbTest(client: FerryClient): Promise<void> {
  await client.abtests.create({
    name: DEMO.abtest,
    deployment: DEMO.deployment,
    description: 'Is the canary v2 as good as v1 on real outcomes? Accuracy and log loss per labelled row, from feedback.',
    primary_metric: { metric: 'model:accuracy', kind: 'ratio', window: ABTEST_WINDOW },
    guardrails: [{ metric: 'model:log_loss', kind: 'ratio', window: ABTEST_WINDOW }],
  });
}

export interface AbTestSummary {
  name: string;
  verdict: AbTestReport['decision']['verdict'];
  reason: string;
  /** The primary metric per arm: mature units and the arm's accuracy. */
  arms: { arm: string; units: number; pending_units: number; mean: number | null }[];
  srm_flagged: boolean;
}

export async function readAbTest(client: FerryClient): Promise<AbTestSummary> {
  const r = await client.abtests.report(DEMO.abtest);
  const primary = r.metrics.find((m) => m.role === 'primary')!;
  return {
    name: DEMO.abtest,
    verdict: r.decision.verdict,
    reason: r.decision.reason,
    arms: primary.arms.map((a) => ({ arm: a.arm, units: a.units, pending_units: a.pending_units, mean: a.mean })),
    srm_flagged: r.srm.flagged,
  };
}
