/** Shapley-value explanations: TreeSHAP over tree ensembles, model-agnostic (kernel, exact, permutation), linear. */
export * from './types.js';
export * from './tree/index.js';
export * from './kernel/index.js';
