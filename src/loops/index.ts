/**
 * Loops (public surface): per registered model and deployment, triggers → training job → offline gate → shadow →
 * canary → promote or roll back, every step recorded with its evidence and one sentence saying why.
 */
export { startLoops, type Loops, type LoopsDeps } from './loops-runtime.js';
export { LoopService } from './loop-service.js';
export { LoopDriver } from './loop-driver.js';
export { loopRoutes } from './loop-routes.js';
export { evaluateGate, gateReason } from './gate/index.js';
export type { GateEvidence, GateSource } from './gate/index.js';
