/** The card's staleness policy from the environment: FERRY_CARD_STALE_MONITORING and FERRY_CARD_STALE_VALIDATION. */
import { durationField } from '../fields.js';
import type { CardPolicy } from './card-types.js';

/** Ages as durations (`30d`, `52w`); unset keeps the default (monitoring 30 days, validation 365 days). */
export function cardPolicyFromEnv(env: NodeJS.ProcessEnv): Partial<CardPolicy> {
  const out: Partial<CardPolicy> = {};
  const m = env['FERRY_CARD_STALE_MONITORING'];
  const v = env['FERRY_CARD_STALE_VALIDATION'];
  if (m) out.monitoring_ms = durationField(m, 'FERRY_CARD_STALE_MONITORING');
  if (v) out.validation_ms = durationField(v, 'FERRY_CARD_STALE_VALIDATION');
  return out;
}
