/** TreeSHAP over tree ensembles (ONNX TreeEnsembleRegressor / TreeEnsembleClassifier read into TreeEnsembleModel). */
export {
  SPLIT_MODES,
  POST_TRANSFORMS,
  LEAF as SPLIT_LEAF,
  type SplitMode,
  type PostTransform,
  type TreeEnsembleTree,
  type TreeEnsembleModel,
  treeEnsemblePredictRaw,
  treeEnsembleScores,
} from './model.js';
export { treeShapInterventional, LEAVES_MAX_FEATURES, type TreeShapOptions } from './interventional.js';
