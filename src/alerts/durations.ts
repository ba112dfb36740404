/** Durations as rules and silences write them: "30s", "5m", "1h", "1d" (also "500ms", "1w", "1h30m"). */
import { InvalidParameterError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PART = /(\d+)(ms|s|m|h|d|w)/y;
/** Ten years: anything longer is a typo. */
const MAX_MS = 10 * 365 * 86_400_000;

/** Parses a duration; `allowZero` admits "0" / "0s" (for `for` and `keep_firing_for`). Errors name the field. */
export function parseDuration(raw: unknown, field: string, opts: { allowZero?: boolean } = {}): number {
  const bad = () => new InvalidParameterError(field, `'${field}' must be a duration such as 30s, 5m, 1h or 1d, got ${JSON.stringify(raw)}.`);
  if (typeof raw !== 'string') throw bad();
  const s = raw.trim();
  let ms = 0;
  if (s === '0') ms = 0;
  else {
    if (s === '') throw bad();
    PART.lastIndex = 0;
    let pos = 0;
    while (pos < s.length) {
      PART.lastIndex = pos;
      const m = PART.exec(s);
      if (!m) throw bad();
      ms += Number(m[1]) * UNIT_MS[m[2]!]!;
      pos = PART.lastIndex;
    }
  }
  if (!Number.isSafeInteger(ms) || ms > MAX_MS) throw new InvalidParameterError(field, `'${field}' is too long (at most 10 years).`);
  if (ms === 0 && !opts.allowZero) throw new InvalidParameterError(field, `'${field}' must be longer than 0.`);
  return ms;
}

/** Milliseconds → the shortest exact form: 300000 → "5m", 5400000 → "1h30m", 0 → "0s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = UNIT_MS[unit]!;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
