/** Deployments and predictions (native API): the wire contract's types (src/contract/deployments.ts). */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/deployments.js';

/** A model version by number or by alias (exactly one of the two); an alias is followed when it moves. */
export type DeploymentModelRef = Static<typeof C.DeploymentModelRef>;
/** A weighted route: weights are relative (a 90/10 canary is `90` and `10`). */
export type DeploymentRoute = Static<typeof C.DeploymentRoute>;
export type DeploymentBatching = Static<typeof C.DeploymentBatching>;
/** A deployment's spec as the server stores it (defaults filled in). */
export type DeploymentSpec = Static<typeof C.DeploymentSpec>;
/** A spec to create or change a deployment with: only `routes` is required (a route's weight defaults to 100). */
export type DeploymentSpecInput = Static<typeof C.DeploymentSpecInput>;
export type RouteState = Static<typeof C.RouteState>;
export type DeploymentRouteStatus = Static<typeof C.DeploymentRouteStatus>;
export type DeploymentStatus = Static<typeof C.DeploymentStatus>;
export type Deployment = Static<typeof C.Deployment>;
export type DeploymentRevision = Static<typeof C.DeploymentRevision>;
/**
 * A predict request in one of MLflow's scoring formats; other top-level fields travel along (the
 * deployment's sticky key is read from there).
 */
export type PredictRequest = Static<typeof C.PredictRequest> & { [field: string]: unknown };
export type PredictResponse = Static<typeof C.PredictResponse>;
