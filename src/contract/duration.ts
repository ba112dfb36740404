/**
 * Ferry's one duration grammar, used by every API field, query parameter, CLI flag and setting that takes a
 * duration (docs/api.md, "Durations"). Pure and dependency-free (besides TypeBox for the schema), so the server,
 * the SDK and the CLI all parse the same way.
 *
 * A duration is `0`, or one or more `<number><unit>` parts written together: the number is an integer or a
 * decimal (`1.5`; no sign, no exponent, a digit on both sides of the point), the unit one of `ms`, `s`, `m`, `h`,
 * `d` (24 h), `w` (7 d), lowercase (`M` would read as months elsewhere), each unit at most once and from the
 * largest to the smallest (`1h30m`, never `30m1h`), as Prometheus writes them. No spaces. The value is rounded to
 * the nearest millisecond and may be at most 3650d (ten years).
 */
import { Type } from '@sinclair/typebox';

const NUM = '\\d+(\\.\\d+)?';
/** The grammar as a pattern (the schema's `pattern`; Ajv and OpenAPI clients read it as is). */
// No lookarounds, so generated clients in any language can use it; the empty string is left to minLength.
export const DURATION_PATTERN = `^(0|(${NUM}w)?(${NUM}d)?(${NUM}h)?(${NUM}m)?(${NUM}s)?(${NUM}ms)?)$`;
const DURATION_RE = new RegExp(DURATION_PATTERN);

export const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
export type DurationUnit = keyof typeof UNIT_MS;

/** Ten years of 365 days: anything longer is a typo. */
export const MAX_DURATION_MS = 3650 * UNIT_MS.d;

/** One sentence for schema descriptions and help texts. */
export const DURATION_GRAMMAR =
  'a duration: 0, or numbers (integer or decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h, 2d12h; at most 3650d, rounded to the millisecond';

/** The schema of a duration field: the grammar's pattern, with `description` followed by the grammar. */
export const Duration = (description?: string) =>
  Type.String({ pattern: DURATION_PATTERN, minLength: 1, maxLength: 64, description: description ? `${description}; ${DURATION_GRAMMAR}` : DURATION_GRAMMAR });

/** A refusal by the grammar; `message` names the field when one was given ("'window' must be ..."). */
export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

export interface DurationOptions {
  /** Named in refusals: an API field (`window`), a CLI flag (`--since`), an environment variable. */
  field?: string;
  /** Admit a zero duration (`0`, `0s`): for `for` and `keep_firing_for`; a window or a silence cannot be empty. */
  allowZero?: boolean;
}

/** The grammar's syntax (not its bounds). */
const inGrammar = (text: string) => text.length > 0 && text.length <= 64 && DURATION_RE.test(text);

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/** Milliseconds of a duration written in the grammar; throws DurationError otherwise. */
export function parseDuration(text: unknown, o: DurationOptions = {}): number {
  const name = o.field !== undefined ? `'${o.field}'` : 'The duration';
  if (typeof text !== 'string' || !inGrammar(text)) {
    throw new DurationError(`${name} must be a duration such as 90s, 5m, 1h30m or 1.5h (units ms, s, m, h, d, w, largest first), got ${JSON.stringify(text)}.`);
  }
  let ms = 0;
  for (const [, num, unit] of text.matchAll(PART)) ms += Number(num) * UNIT_MS[unit as DurationUnit];
  ms = Math.round(ms);
  if (ms > MAX_DURATION_MS) throw new DurationError(`${name} is too long (at most 3650d, ten years), got ${JSON.stringify(text)}.`);
  if (ms === 0 && !o.allowZero) throw new DurationError(`${name} must be longer than 0, got ${JSON.stringify(text)}.`);
  return ms;
}

/** Milliseconds → the shortest exact form, days down to milliseconds: 300000 → "5m", 5400000 → "1h30m", 0 → "0s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`A duration cannot be ${ms} ms.`);
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  let out = '';
  // Weeks are left out on purpose: "14d" reads better than "2w" in rule listings, and parses back the same.
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit];
    }
  }
  return out;
}

/**
 * A point in time as queries and bodies take it: epoch milliseconds (a number, or digits), a duration meaning
 * that long before `now` (`24h`, `1h30m`, `1.5h`), or an ISO 8601 time. Throws DurationError otherwise.
 */
export function parseInstant(value: unknown, now: number, o: Pick<DurationOptions, 'field'> = {}): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const s = value.trim();
    if (/^\d+$/.test(s)) return Number(s);
    // Written as a duration, it is one: a too-long one is refused as such, not tried as a date.
    if (inGrammar(s)) return now - parseDuration(s, { ...o, allowZero: true });
    const t = Date.parse(s);
    if (Number.isFinite(t)) return t;
  }
  const name = o.field !== undefined ? `'${o.field}'` : 'The time';
  throw new DurationError(`${name} must be an ISO 8601 time, epoch milliseconds or a duration ago such as 24h, 1h30m or 1.5h, got ${JSON.stringify(value)}.`);
}
