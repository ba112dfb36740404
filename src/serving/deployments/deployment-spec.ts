/**
 * A deployment's spec: weighted routes to model versions (by number or by alias, which the deployment
 * follows when it moves), optional shadow routes (copies of traffic, results logged, never returned),
 * an optional sticky key (hash of a request field pins a caller to one route) and batching settings.
 * The request's shape (types, bounds, list lengths) is checked by the contract's schema; this checks what a
 * schema cannot say and fills in the defaults.
 */
import type { Static } from '@sinclair/typebox';
import type * as C from '../../contract/deployments.js';
import { InvalidParameterError } from '../../errors.js';
import { type BatchingOptions, DEFAULT_BATCHING } from '../runtime/batcher.js';

export type ModelRef = { model: string; version: string; alias?: undefined } | { model: string; alias: string; version?: undefined };
export type Route = ModelRef & { weight: number };
export interface DeploymentSpec {
  routes: Route[];
  shadow: ModelRef[];
  sticky_key?: string;
  batching: BatchingOptions;
}

/** What a client sends to create or change a deployment (and what a stored revision holds). */
export type DeploymentSpecInput = Static<typeof C.DeploymentSpecInput>;
type ModelRefInput = Static<typeof C.DeploymentModelRef>;

/** Exactly one of version or alias: a rule across two fields, so here rather than in the schema. */
function refOf(r: ModelRefInput, field: string): ModelRef {
  if ((r.version !== undefined) === (r.alias !== undefined)) throw new InvalidParameterError(field, `'${field}' needs exactly one of 'version' or 'alias'.`);
  return r.version !== undefined ? { model: r.model, version: r.version } : { model: r.model, alias: r.alias! };
}

export function parseDeploymentSpec(input: DeploymentSpecInput): DeploymentSpec {
  const routes = input.routes.map((r, i) => ({ ...refOf(r, `routes[${i}]`), weight: r.weight ?? 100 }));
  if (routes.reduce((a, r) => a + r.weight, 0) <= 0) throw new InvalidParameterError('routes', 'The route weights must add up to more than 0.');
  const shadow = (input.shadow ?? []).map((r, i) => refOf(r, `shadow[${i}]`));
  const b = input.batching ?? {};
  const batching: BatchingOptions = {
    maxBatchSize: b.max_batch_size ?? DEFAULT_BATCHING.maxBatchSize,
    maxQueueDelayMs: b.max_queue_delay_ms ?? DEFAULT_BATCHING.maxQueueDelayMs,
    maxQueueRows: b.max_queue_rows ?? DEFAULT_BATCHING.maxQueueRows,
  };
  return { routes, shadow, ...(input.sticky_key ? { sticky_key: input.sticky_key } : {}), batching };
}

/** The spec as the API answers it and as a revision stores it. */
export function specJson(spec: DeploymentSpec): Static<typeof C.DeploymentSpec> {
  return {
    routes: spec.routes,
    shadow: spec.shadow,
    ...(spec.sticky_key ? { sticky_key: spec.sticky_key } : {}),
    batching: { max_batch_size: spec.batching.maxBatchSize, max_queue_delay_ms: spec.batching.maxQueueDelayMs, max_queue_rows: spec.batching.maxQueueRows },
  };
}

/** A route's model reference without its weight (what the status reports and aliases are followed by). */
export function modelRefOf(r: ModelRef): ModelRef {
  return r.version !== undefined ? { model: r.model, version: r.version } : { model: r.model, alias: r.alias };
}
