/** Ground truth arriving later: parsed and checked per item; each item names its field when refused. */
import { InvalidParameterError } from '../errors.js';
import type { Fields } from '../fields.js';
import { parseInstant } from './duration.js';

export const MAX_FEEDBACK_ITEMS = 10_000;

export interface FeedbackItem {
  request_id: string;
  row: number;
  kind: 'label' | 'value' | 'outcome';
  value: unknown;
  ts: number | undefined;
}

export function parseFeedback(items: unknown, now: number): FeedbackItem[] {
  if (!Array.isArray(items)) throw new InvalidParameterError('feedback', 'Send a JSON list of feedback items (or {"feedback": [...]}).');
  if (items.length === 0) throw new InvalidParameterError('feedback', 'The feedback list is empty.');
  if (items.length > MAX_FEEDBACK_ITEMS) throw new InvalidParameterError('feedback', `At most ${MAX_FEEDBACK_ITEMS} feedback items per request; got ${items.length}.`);
  return items.map((raw, i) => {
    const at = `feedback[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidParameterError(at, `${at} must be an object with request_id and one of label, value, outcome.`);
    const f = raw as Fields;
    const id = f['request_id'];
    if (typeof id !== 'string' || id === '' || id.length > 128 || id.includes('\0')) throw new InvalidParameterError(`${at}.request_id`, `${at}.request_id must be the request id a prediction answered (a non-empty string).`);
    const row = f['row'] ?? 0;
    if (typeof row !== 'number' || !Number.isInteger(row) || row < 0 || row > 1_000_000) throw new InvalidParameterError(`${at}.row`, `${at}.row must be a row index (0 or more).`);
    const given = (['label', 'value', 'outcome'] as const).filter((k) => f[k] !== undefined);
    if (given.length !== 1) throw new InvalidParameterError(at, `${at} needs exactly one of label, value or outcome${given.length ? ` (got ${given.join(', ')})` : ''}.`);
    const kind = given[0]!;
    const value = f[kind];
    if (kind === 'value' && (typeof value !== 'number' || !Number.isFinite(value))) throw new InvalidParameterError(`${at}.value`, `${at}.value must be a finite number (use label for classes).`);
    if (kind === 'label' && typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new InvalidParameterError(`${at}.label`, `${at}.label must be a class: a string, number or boolean.`);
    }
    if (JSON.stringify(value).length > 10_000) throw new InvalidParameterError(`${at}.${kind}`, `${at}.${kind} is too large (10,000 characters at most).`);
    const ts = f['timestamp'] === undefined ? undefined : parseInstant(f['timestamp'], `${at}.timestamp`, now);
    return { request_id: id, row, kind, value, ts };
  });
}
