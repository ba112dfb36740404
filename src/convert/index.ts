/** Public surface of convert: ONNX conversions of model versions logged with sklearn, xgboost or lightgbm flavors. */
export { startConversions, type Conversions, type ConversionsDeps } from './conversion-runtime.js';
export { ConversionService, DEPLOY_PRINCIPAL, TAG_CHECK, TAG_JOB, TAG_STATE, type ConversionInfo } from './conversion-service.js';
export { conversionRoutes } from './conversion-routes.js';
export { builtinProjectDir } from './builtin-project.js';
export { readMlmodel, CONVERTIBLE_FLAVORS } from './mlmodel.js';
