/** Shapes of the registry's answers, from the wire contract (MLflow's registry API and the .onnx upload). */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/registry.js';

export type ModelVersion = Static<typeof C.ModelVersion>;
export type ModelVersionStage = Static<typeof C.ModelVersionStage>;
export type ModelAlias = Static<typeof C.RegisteredModelAlias>;
export type RegisteredModel = Static<typeof C.RegisteredModel>;
export type SearchRegisteredModelsResponse = Static<typeof C.SearchRegisteredModelsResponse>;
export type SearchModelVersionsResponse = Static<typeof C.SearchModelVersionsResponse>;
export type TensorSpec = Static<typeof C.TensorSpec>;
/** What registering a plain .onnx file answers: the new version and the signature read from the model. */
export type RegisteredOnnx = Static<typeof C.RegisteredOnnx>;
