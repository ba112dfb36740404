export { SessionPool, DEFAULT_SESSION_OPTIONS, type ModelSession, type SessionOptions } from './session-pool.js';
export { buildSignature, type ModelSignature, type TensorSpec } from './signature.js';
export { readOnnxModelInfo } from './onnx-model-info.js';
export { type ElementType, type TensorValue, toJsonArray, zeros } from './tensor.js';
export { DeploymentService } from './deployment-service.js';
export { DeploymentRuntime, type ShadowSink } from './deployment-runtime.js';
export { ModelLoader } from './model-loader.js';
export { deploymentRoutes } from './deployment-routes.js';
export { v2Routes } from './v2-routes.js';
