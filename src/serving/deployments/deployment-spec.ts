/**
 * A deployment's spec: weighted routes to model versions (by number or by alias, which the deployment
 * follows when it moves), optional shadow routes (copies of traffic, results logged, never returned),
 * an optional sticky key (hash of a request field pins a caller to one route) and batching settings.
 */
import { InvalidParameterError } from '../../errors.js';
import { type Fields, optArray, optInt, optString } from '../../fields.js';
import { type BatchingOptions, DEFAULT_BATCHING } from '../runtime/batcher.js';

export interface ModelRef {
  model: string;
  version?: string;
  alias?: string;
}
export interface Route extends ModelRef {
  weight: number;
}
export interface DeploymentSpec {
  routes: Route[];
  shadow: ModelRef[];
  sticky_key?: string;
  batching: BatchingOptions;
}

/** `credit@champion` or `credit:3` / `credit/3` shorthand → a model reference. */
export function parseModelRef(text: string, field: string): ModelRef {
  const at = /^([^@:/]+)@([\w-]+)$/.exec(text);
  if (at) return { model: at[1]!, alias: at[2]! };
  const ver = /^([^@:/]+)[:/](\d+)$/.exec(text);
  if (ver) return { model: ver[1]!, version: ver[2]! };
  throw new InvalidParameterError(field, `'${text}' is not a model reference: use NAME@ALIAS or NAME:VERSION.`);
}

function refOf(f: Fields, field: string): ModelRef {
  const model = optString(f, 'model');
  if (!model) throw new InvalidParameterError(`${field}.model`, `Missing value for '${field}.model'.`);
  const version = optString(f, 'version');
  const alias = optString(f, 'alias');
  if ((version ? 1 : 0) + (alias ? 1 : 0) !== 1) throw new InvalidParameterError(field, `'${field}' needs exactly one of 'version' or 'alias'.`);
  if (version && !/^\d{1,9}$/.test(version)) throw new InvalidParameterError(`${field}.version`, `'${field}.version' must be a version number, got '${version}'.`);
  return version ? { model, version } : { model, alias: alias! };
}

export function parseDeploymentSpec(body: Fields): DeploymentSpec {
  const routesRaw = optArray(body, 'routes');
  if (routesRaw.length === 0) throw new InvalidParameterError('routes', "A deployment needs at least one route in 'routes'.");
  if (routesRaw.length > 16) throw new InvalidParameterError('routes', 'A deployment has at most 16 routes.');
  const routes = routesRaw.map((r, i) => {
    const weight = r['weight'] === undefined ? 100 : r['weight'];
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw new InvalidParameterError(`routes[${i}].weight`, `'routes[${i}].weight' must be a number ≥ 0.`);
    return { ...refOf(r, `routes[${i}]`), weight };
  });
  if (routes.reduce((a, r) => a + r.weight, 0) <= 0) throw new InvalidParameterError('routes', 'The route weights must add up to more than 0.');
  const shadow = optArray(body, 'shadow').map((r, i) => refOf(r, `shadow[${i}]`));
  if (shadow.length > 4) throw new InvalidParameterError('shadow', 'A deployment has at most 4 shadow routes.');
  const sticky = optString(body, 'sticky_key');
  const b = (body['batching'] ?? {}) as Fields;
  if (typeof b !== 'object' || Array.isArray(b)) throw new InvalidParameterError('batching', "'batching' must be an object.");
  const batching: BatchingOptions = {
    maxBatchSize: optInt(b, 'max_batch_size', { min: 1, max: 4096 }) ?? DEFAULT_BATCHING.maxBatchSize,
    maxQueueDelayMs: optInt(b, 'max_queue_delay_ms', { min: 0, max: 1000 }) ?? DEFAULT_BATCHING.maxQueueDelayMs,
    maxQueueRows: optInt(b, 'max_queue_rows', { min: 1, max: 1_000_000 }) ?? DEFAULT_BATCHING.maxQueueRows,
  };
  return { routes, shadow, ...(sticky ? { sticky_key: sticky } : {}), batching };
}

export function specJson(spec: DeploymentSpec) {
  return {
    routes: spec.routes,
    shadow: spec.shadow,
    ...(spec.sticky_key ? { sticky_key: spec.sticky_key } : {}),
    batching: { max_batch_size: spec.batching.maxBatchSize, max_queue_delay_ms: spec.batching.maxQueueDelayMs, max_queue_rows: spec.batching.maxQueueRows },
  };
}
