/**
 * Step 5: alert rules on the deployment, written before the traffic starts (as a team would). One watches data
 * drift over the last minute and fires at once (`for: 0s`); one watches server errors and stays quiet.
 * After the replay the rules are evaluated right away, so the drift alert is firing when the demo finishes
 * (the server also evaluates every 30 s on its own).
 */
import type { AlertStatus, FerryClient } from '../../sdk/index.js';
import { DEMO, sleep } from './assets.js';

export async function createAlertRules(client: FerryClient): Promise<string[]> {
  const drift = await client.alerts.createRule({
    name: DEMO.driftRule,
    deployment: DEMO.deployment,
    metric: 'dataset_drift',
    comparison: '>=',
    threshold: 1,
    window: '1m',
    for: '0s',
    keep_firing_for: '5m',
    severity: 'warning',
    labels: { team: 'risk' },
  });
  const errors = await client.alerts.createRule({
    name: DEMO.errorRule,
    deployment: DEMO.deployment,
    metric: 'error_rate',
    comparison: '>',
    threshold: 0.05,
    window: '5m',
    for: '1m',
    severity: 'critical',
    labels: { team: 'risk' },
  });
  return [drift.name, errors.name];
}

/** Evaluates now (again, briefly, while the last requests are still being profiled) until the drift alert fires. */
export async function evaluateAlerts(client: FerryClient, attempts = 5): Promise<AlertStatus[]> {
  for (let i = 0; ; i++) {
    await client.alerts.evaluate();
    const all = await client.alerts.list({ deployment: DEMO.deployment, state: 'all' });
    if (all.some((a) => a.rule === DEMO.driftRule && a.state === 'firing') || i + 1 >= attempts) return all;
    await sleep(1000);
  }
}
