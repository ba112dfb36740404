export { SessionPool, DEFAULT_SESSION_OPTIONS, type ModelSession, type SessionOptions } from './runtime/session-pool.js';
export { buildSignature, modelFeatures, type ModelSignature, type TensorSpec } from './runtime/signature.js';
export { readOnnxModelInfo } from './runtime/onnx-model-info.js';
export { readTreeEnsemble, type TreeEnsembleRead } from './runtime/onnx-tree-ensemble.js';
export { readLinearModel, type LinearModel, type LinearModelRead } from './runtime/onnx-linear.js';
export type { TreeEnsembleModel } from '../stats/index.js';
export { type ElementType, type TensorValue, toJsonArray, zeros } from './runtime/tensor.js';
export { DeploymentService } from './deployments/deployment-service.js';
export { DeploymentRuntime, type Assignment } from './deployments/deployment-runtime.js';
export type { FlatInputs, FlatOutputs, PredictionEvent, PredictionObserver, PredictionStatus } from './deployments/prediction-events.js';
export { ModelLoader, type OnnxSource } from './deployments/model-loader.js';
export { deploymentRoutes } from './deployments/deployment-routes.js';
export { v2Routes } from './protocols/v2-routes.js';
export { ServingMetrics } from './runtime/serving-metrics.js';
export { registerModelUploadRoute } from './deployments/model-upload-routes.js';
export { scoreRecords, scoreVersion, versionSignature } from './protocols/score-records.js';
export { splitV2Body, V2_BINARY, HEADER_LENGTH as V2_HEADER_LENGTH } from './protocols/v2-binary.js';
// Public for bench/serving: raw-ort.mjs times a thread hop through the very worker source the session pool runs,
// and log-cpu.mjs builds the prediction events serving builds (features, outputs, request ids).
export { ORT_WORKER_SOURCE } from './runtime/ort-worker-source.js';
export { featureFlat, outputFlat } from './deployments/prediction-events.js';
export { requestId } from './deployments/request-id.js';
export { StreamBindingService, StreamManager, StreamMetrics, streamConsumerName, streamRoutes, type SecretSealer } from './streams/index.js';
