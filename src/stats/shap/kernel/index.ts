/** Model-agnostic Shapley values over a batched model function: exact enumeration, KernelSHAP, permutations; linear models exactly. */
export { type BatchModel, type ShapBudget, type AgnosticInput } from './model.js';
export { exactShapley, kernelShap, permutationShap, linearShap, EXACT_MAX_FEATURES, type KernelOptions, type PermutationOptions } from './explainers.js';
export { kernelPlan, binomial, combinations, type KernelPlan } from './coalitions.js';
