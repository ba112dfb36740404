export { RegistryService } from './registry-service.js';
export { registryRoutes } from './registry-routes.js';
