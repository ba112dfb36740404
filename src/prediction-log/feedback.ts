/** Ground truth arriving later: checked per item beyond its shape (the contract's); each refusal names its field. */
import type { Static } from '@sinclair/typebox';
import type { FeedbackItem as FeedbackItemSchema } from '../contract/monitoring.js';
import { InvalidParameterError } from '../errors.js';
import { instantField } from '../fields.js';

export const MAX_FEEDBACK_ITEMS = 10_000;

/** One item as the API takes it. */
export type FeedbackInput = Static<typeof FeedbackItemSchema>;

export interface FeedbackItem {
  request_id: string;
  row: number;
  kind: 'label' | 'value' | 'outcome';
  value: unknown;
  ts: number | undefined;
}

export function parseFeedback(items: readonly FeedbackInput[], now: number): FeedbackItem[] {
  if (items.length === 0) throw new InvalidParameterError('feedback', 'The feedback list is empty.');
  if (items.length > MAX_FEEDBACK_ITEMS)
    throw new InvalidParameterError('feedback', `At most ${MAX_FEEDBACK_ITEMS} feedback items per request; got ${items.length}.`);
  return items.map((f, i) => {
    const at = `feedback[${i}]`;
    const id = f.request_id;
    if (id === '' || id.includes('\0'))
      throw new InvalidParameterError(`${at}.request_id`, `${at}.request_id must be the request id a prediction answered (a non-empty string).`);
    const row = f.row ?? 0;
    const given = (['label', 'value', 'outcome'] as const).filter((k) => f[k] !== undefined);
    if (given.length !== 1)
      throw new InvalidParameterError(at, `${at} needs exactly one of label, value or outcome${given.length ? ` (got ${given.join(', ')})` : ''}.`);
    const kind = given[0]!;
    const value = f[kind];
    if (kind === 'value' && !Number.isFinite(value))
      throw new InvalidParameterError(`${at}.value`, `${at}.value must be a finite number (use label for classes).`);
    if (JSON.stringify(value).length > 10_000) throw new InvalidParameterError(`${at}.${kind}`, `${at}.${kind} is too large (10,000 characters at most).`);
    const ts = f.timestamp === undefined ? undefined : instantField(f.timestamp, `${at}.timestamp`, now);
    return { request_id: id, row, kind, value, ts };
  });
}
