/** A loop's gate spec (the contract's GateSpec) with its documented defaults, as the evaluator takes it. */
import type { Static } from '@sinclair/typebox';
import type { GateSpec } from '../../contract/loops.js';
import type { GateConfig } from './gate-evaluator.js';

export const GATE_DEFAULTS = { min_slice_size: 30, alpha: 0.05, replicates: 1000, seed: 0 } as const;

export function gateConfig(spec: Static<typeof GateSpec>): GateConfig {
  return {
    thresholds: spec.thresholds,
    slices: spec.slices ?? [],
    min_slice_size: spec.min_slice_size ?? GATE_DEFAULTS.min_slice_size,
    alpha: spec.alpha ?? GATE_DEFAULTS.alpha,
    replicates: spec.replicates ?? GATE_DEFAULTS.replicates,
    seed: spec.seed ?? GATE_DEFAULTS.seed,
    fairness: spec.fairness ?? [],
  };
}
