/** Outcome events as the API takes them: checked per item beyond their shape (the contract's); each refusal names its field. */
import type { Static } from '@sinclair/typebox';
import { MAX_OUTCOMES, type OutcomeItem as OutcomeItemSchema } from '../contract/abtests.js';
import { InvalidParameterError } from '../errors.js';
import { instantField } from '../fields.js';
import { isQualityName } from './quality-metrics.js';

export type OutcomeInput = Static<typeof OutcomeItemSchema>;

export interface OutcomeEvent {
  index: number;
  /** Exactly one of unit (raw, as sent) and request_id. */
  unit?: string;
  request_id?: string;
  metric: string;
  value: number;
  ts: number;
}

export function parseOutcomes(items: readonly OutcomeInput[], now: number): OutcomeEvent[] {
  if (items.length === 0) throw new InvalidParameterError('outcomes', 'The outcomes list is empty.');
  if (items.length > MAX_OUTCOMES) throw new InvalidParameterError('outcomes', `At most ${MAX_OUTCOMES} outcome events per request; got ${items.length}.`);
  return items.map((o, index) => {
    const at = `outcomes[${index}]`;
    if ((o.unit === undefined) === (o.request_id === undefined))
      throw new InvalidParameterError(at, `${at} needs exactly one of unit or request_id${o.unit !== undefined ? ' (got both)' : ''}.`);
    for (const k of ['unit', 'request_id'] as const) {
      const v = o[k];
      if (v !== undefined && (v === '' || v.includes('\0')))
        throw new InvalidParameterError(`${at}.${k}`, `${at}.${k} must be a non-empty string without NUL characters.`);
    }
    if (isQualityName(o.metric))
      throw new InvalidParameterError(
        `${at}.metric`,
        `${at}.metric '${o.metric}': 'model:' metrics are derived from feedback (POST /api/v1/feedback), not sent as outcomes.`,
      );
    const value = o.value ?? 1;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidParameterError(`${at}.value`, `${at}.value must be a finite number.`);
    const ts = o.timestamp === undefined ? now : instantField(o.timestamp, `${at}.timestamp`, now);
    return { index, ...(o.unit !== undefined ? { unit: o.unit } : { request_id: o.request_id! }), metric: o.metric, value, ts };
  });
}
