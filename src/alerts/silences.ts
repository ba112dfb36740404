/**
 * Silence matchers (pure): each names a field of an alert — deployment, rule (the rule's name), severity, metric,
 * or one of the rule's labels — and an exact value or a regular expression that must match the whole value.
 * A silence mutes an alert when every one of its matchers matches and the silence is active.
 */
import { InvalidParameterError } from '../errors.js';

export interface Matcher {
  name: string;
  value: string;
  is_regex: boolean;
}

export interface SilenceWindow {
  matchers: Matcher[];
  starts_at: number;
  ends_at: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const MAX_MATCHERS = 16;
const MAX_REGEX = 256;

function parseOne(raw: unknown, field: string): Matcher {
  if (typeof raw === 'string') {
    // The CLI form: name=value or name=~regex.
    const m = /^([^=~!]+)(=~|=)(.*)$/s.exec(raw);
    if (!m) throw new InvalidParameterError(field, `Invalid matcher ${JSON.stringify(raw)}: write name=value or name=~regex.`);
    return parseOne({ name: m[1]!.trim(), value: m[3]!, is_regex: m[2] === '=~' }, field);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new InvalidParameterError(field, `'${field}' must be an object {name, value, is_regex}.`);
  const { name, value, is_regex: isRegex } = raw as Record<string, unknown>;
  if (typeof name !== 'string' || !NAME.test(name))
    throw new InvalidParameterError(`${field}.name`, `'${field}.name' must be deployment, rule, severity, metric or a label name.`);
  if (typeof value !== 'string') throw new InvalidParameterError(`${field}.value`, `'${field}.value' must be a string.`);
  if (isRegex !== undefined && typeof isRegex !== 'boolean') throw new InvalidParameterError(`${field}.is_regex`, `'${field}.is_regex' must be true or false.`);
  if (isRegex) {
    if (value.length > MAX_REGEX) throw new InvalidParameterError(`${field}.value`, `'${field}.value' is longer than ${MAX_REGEX} characters.`);
    try {
      new RegExp(`^(?:${value})$`, 'u');
    } catch (err) {
      throw new InvalidParameterError(`${field}.value`, `'${field}.value' is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  return { name, value, is_regex: Boolean(isRegex) };
}

/** Matchers from a list of objects or `name=value` / `name=~regex` strings, or one object {name: value, ...} of exact matches. */
export function parseMatchers(raw: unknown, field = 'matchers'): Matcher[] {
  let list: unknown[];
  if (Array.isArray(raw)) list = raw;
  else if (raw !== null && typeof raw === 'object') list = Object.entries(raw).map(([name, value]) => ({ name, value }));
  else throw new InvalidParameterError(field, `'${field}' must be a non-empty list of matchers.`);
  if (list.length === 0) throw new InvalidParameterError(field, `'${field}' must be a non-empty list of matchers (a silence of everything is refused).`);
  if (list.length > MAX_MATCHERS) throw new InvalidParameterError(field, `'${field}' has more than ${MAX_MATCHERS} matchers.`);
  return list.map((m, i) => parseOne(m, `${field}[${i}]`));
}

export function matcherMatches(m: Matcher, fields: Record<string, string>): boolean {
  const actual = fields[m.name] ?? '';
  return m.is_regex ? new RegExp(`^(?:${m.value})$`, 'u').test(actual) : actual === m.value;
}

export function silenceActive(s: SilenceWindow, now: number): boolean {
  return s.starts_at <= now && now < s.ends_at;
}

/** The first active silence muting an alert with these fields, if any. */
export function silencedBy<T extends SilenceWindow>(silences: readonly T[], fields: Record<string, string>, now: number): T | undefined {
  return silences.find((s) => silenceActive(s, now) && s.matchers.every((m) => matcherMatches(m, fields)));
}
