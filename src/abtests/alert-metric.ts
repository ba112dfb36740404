/**
 * The A/B tests' number for alert rules: `abtest_guardrail_worse` is 1 while a running test of the deployment
 * has a guardrail significantly worse than its control (after the correction across metrics), 0 while its
 * tests have none, and null (no data: the rule's condition is false) without a running test. The rule's window
 * is not used: the report reads the test from its start. Every other metric goes to the source it wraps.
 */
import type { AlertMetricSource } from '../alerts/index.js';
import type { AbTestService } from './abtest-service.js';

export const GUARDRAIL_WORSE_METRIC = 'abtest_guardrail_worse';

export class AbTestAlertMetrics implements AlertMetricSource {
  constructor(
    private readonly inner: AlertMetricSource,
    private readonly abtests: Pick<AbTestService, 'running' | 'report'>,
  ) {}

  async value(deployment: string, metric: string, windowMs: number, now: number): Promise<number | null> {
    if (metric !== GUARDRAIL_WORSE_METRIC) return this.inner.value(deployment, metric, windowMs, now);
    const names = await this.abtests.running(deployment);
    if (names.length === 0) return null;
    for (const name of names) {
      const r = await this.abtests.report(name, { at: String(now) });
      if (r.metrics.some((m) => m.role === 'guardrail' && m.comparisons.some((c) => c.verdict === 'worse'))) return 1;
    }
    return 0;
  }
}
