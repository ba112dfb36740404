export { StreamBindingService, type SecretSealer } from './binding-service.js';
export { StreamManager } from './stream-manager.js';
export { StreamMetrics } from './stream-metrics.js';
export { streamRoutes } from './stream-routes.js';
export { streamConsumerName } from './consumer-name.js';
