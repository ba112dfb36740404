/**
 * What Ferry reads of a version's MLmodel file: the flavors it holds, and which one a conversion starts from.
 * MLmodel is YAML written by MLflow (`flavors: {python_function: …, sklearn: {sklearn_version: …}}`).
 */
import { parse } from 'yaml';

/** The flavors the conversion job converts, in the order it picks them (projects/onnx-convert/model_loading.py). */
export const CONVERTIBLE_FLAVORS = ['sklearn', 'xgboost', 'lightgbm'] as const;
export type ConvertibleFlavor = (typeof CONVERTIBLE_FLAVORS)[number];

export interface MlmodelFacts {
  flavors: string[];
  /** The flavor to convert from; null when none is convertible. */
  convertible: ConvertibleFlavor | null;
  hasOnnx: boolean;
}

export function readMlmodel(text: string): MlmodelFacts {
  let doc: unknown;
  try {
    doc = parse(text, { strict: false, uniqueKeys: false });
  } catch {
    doc = null;
  }
  const flavorsOf = (doc as { flavors?: unknown } | null)?.flavors;
  const flavors = flavorsOf && typeof flavorsOf === 'object' && !Array.isArray(flavorsOf) ? Object.keys(flavorsOf) : [];
  return {
    flavors,
    convertible: CONVERTIBLE_FLAVORS.find((f) => flavors.includes(f)) ?? null,
    hasOnnx: flavors.includes('onnx'),
  };
}
