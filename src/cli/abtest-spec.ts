/**
 * The `ferry abtest create` flags as an A/B test to create (pure; the flags' grammar is documented here, in the
 * command's help and in README.md).
 *
 * A metric flag (`--metric`, `--guardrail`) is `METRIC:KIND:WINDOW[:OPTION...]`:
 *   - METRIC: the outcome metric's name (as sent to /api/v1/outcomes);
 *   - KIND: proportion | mean | ratio;
 *   - WINDOW: the attribution window, a duration (7d, 12h, 1h30m);
 *   - OPTIONs, in any order: `increase` | `decrease` (which way is better; default increase),
 *     `delay=DURATION` (events this soon after the first exposure are not counted),
 *     `cuped=DURATION` (CUPED with this lookback before the first exposure),
 *     `over=METRIC` or `over=$requests` (ratio only: the denominator).
 * e.g. `conversion:proportion:7d`, `revenue:mean:14d:cuped=14d`, `revenue:ratio:7d:over=$requests`,
 * `complaints:proportion:7d:decrease` (in a shell, single-quote a flag holding $requests). A metric name may itself hold ':' (the first KIND word ends it); for
 * anything this grammar cannot say, `--spec file.json` takes the API's body as is.
 */
import type { AbEngineSettings, AbMetric, AbTestCreate } from '../sdk/index.js';
import { durationFlag } from './context.js';

export const METRIC_KINDS = ['proportion', 'mean', 'ratio'] as const;
export const ENGINE_METHODS = ['sequential', 'fixed', 'bayesian'] as const;
export const CORRECTIONS = ['holm', 'benjamini-hochberg', 'none'] as const;

type Kind = (typeof METRIC_KINDS)[number];

const isKind = (s: string): s is Kind => (METRIC_KINDS as readonly string[]).includes(s);

/** `conversion:proportion:7d[:options]` → the API's metric; `flag` names the flag in a refusal. */
export function parseMetricFlag(text: string, flag = '--metric'): AbMetric {
  const parts = text.split(':');
  const at = parts.findIndex((p, i) => i > 0 && isKind(p));
  const example = `e.g. ${flag} conversion:proportion:7d`;
  if (at < 0) throw new Error(`${flag} '${text}' must be METRIC:KIND:WINDOW with KIND one of ${METRIC_KINDS.join(', ')} (${example})`);
  const metric = parts.slice(0, at).join(':');
  const kind = parts[at] as Kind;
  const window = parts[at + 1];
  if (window === undefined || window === '') throw new Error(`${flag} '${text}' needs an attribution window after the kind (${example})`);
  const out: AbMetric = { metric, kind, window: durationFlag(window, `${flag} ${metric} window`) };
  for (const opt of parts.slice(at + 2)) {
    const eq = opt.indexOf('=');
    const key = eq < 0 ? opt : opt.slice(0, eq);
    const value = eq < 0 ? undefined : opt.slice(eq + 1);
    const twice = (field: keyof AbMetric) => {
      if (out[field] !== undefined) throw new Error(`${flag} '${text}': ${key} is given twice`);
    };
    if ((key === 'increase' || key === 'decrease') && value === undefined) {
      twice('direction');
      out.direction = key;
    } else if (key === 'delay' && value) {
      twice('delay');
      out.delay = durationFlag(value, `${flag} ${metric} delay`);
    } else if (key === 'cuped' && value) {
      twice('cuped_lookback');
      out.cuped_lookback = durationFlag(value, `${flag} ${metric} cuped`);
    } else if (key === 'over' && value) {
      twice('denominator');
      out.denominator = value;
    } else {
      throw new Error(`${flag} '${text}': unknown option '${opt}' (options: increase, decrease, delay=DURATION, cuped=DURATION, over=METRIC)`);
    }
  }
  if (kind === 'ratio' && out.denominator === undefined)
    throw new Error(
      `${flag} '${text}': a ratio needs its denominator, e.g. '${metric}:ratio:${window}:over=$requests' (in single quotes, so the shell leaves $requests alone)`,
    );
  if (kind !== 'ratio' && out.denominator !== undefined) throw new Error(`${flag} '${text}': over= is for ratio metrics only`);
  return out;
}

/** `--arm VERSION=WEIGHT` → the arm; weights are percent. */
export function parseArmFlag(text: string): { version: string; weight: number } {
  const eq = text.lastIndexOf('=');
  const weight = Number(text.slice(eq + 1));
  if (eq <= 0 || text.slice(eq + 1).trim() === '' || !Number.isFinite(weight) || weight < 0 || weight > 100)
    throw new Error(`--arm '${text}' must be VERSION=WEIGHT with the weight in percent (0 to 100), e.g. --arm 2=50`);
  return { version: text.slice(0, eq), weight };
}

export interface CreateFlags {
  deployment?: string;
  description?: string;
  metric?: string;
  guardrail?: string[];
  arm?: string[];
  control?: string;
  method?: (typeof ENGINE_METHODS)[number];
  alpha?: number;
  correction?: (typeof CORRECTIONS)[number];
  tuning?: number;
  /** commander's `--no-start`: false when given. */
  start?: boolean;
}

/**
 * The body to send: the spec file's (when given) with the flags on top — a flag given replaces that field
 * (guardrails and arms as a whole), engine settings merge field by field. The name argument wins over the file's.
 */
export function createBody(name: string | undefined, flags: CreateFlags, spec: Partial<AbTestCreate> = {}): AbTestCreate {
  const settings: AbEngineSettings = {
    ...(spec.settings ?? {}),
    ...(flags.method !== undefined ? { method: flags.method } : {}),
    ...(flags.alpha !== undefined ? { alpha: flags.alpha } : {}),
    ...(flags.correction !== undefined ? { correction: flags.correction } : {}),
    ...(flags.tuning !== undefined ? { sequential_tuning: flags.tuning } : {}),
  };
  const body: Partial<AbTestCreate> = {
    ...spec,
    ...(name !== undefined ? { name } : {}),
    ...(flags.deployment !== undefined ? { deployment: flags.deployment } : {}),
    ...(flags.description !== undefined ? { description: flags.description } : {}),
    ...(flags.metric !== undefined ? { primary_metric: parseMetricFlag(flags.metric) } : {}),
    ...(flags.guardrail?.length ? { guardrails: flags.guardrail.map((g) => parseMetricFlag(g, '--guardrail')) } : {}),
    ...(flags.arm?.length ? { arms: flags.arm.map(parseArmFlag) } : {}),
    ...(flags.control !== undefined ? { control: flags.control } : {}),
    ...(Object.keys(settings).length ? { settings } : {}),
    // Only --no-start says anything: otherwise the file's choice, else the server's default (start at once).
    ...(flags.start === false ? { start: false } : {}),
  };
  const missing = [
    body.name === undefined ? 'a NAME (argument, or "name" in --spec)' : '',
    body.deployment === undefined ? '--deployment' : '',
    body.primary_metric === undefined ? '--metric METRIC:KIND:WINDOW' : '',
  ].filter(Boolean);
  if (missing.length) throw new Error(`ferry abtest create needs ${missing.join(', ')} (or a --spec file with them)`);
  return body as AbTestCreate;
}

/** A --spec file's content: a JSON object (the API's create body). */
export function parseSpecFile(text: string, file: string): Partial<AbTestCreate> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`--spec ${file}: not valid JSON (${(err as Error).message})`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`--spec ${file}: must be a JSON object (the body of POST /api/v1/abtests)`);
  return v as Partial<AbTestCreate>;
}
