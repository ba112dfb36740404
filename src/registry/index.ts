export { RegistryService } from './registry-service.js';
export { registryRoutes } from './registry-routes.js';
export type { AliasActor, AliasGuard } from './alias-guard.js';
