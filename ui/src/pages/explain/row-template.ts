/**
 * A row to start the "Explain a row" form from when the prediction log has none (pure, tested): one key per model
 * input from the version's signature — the record features when the model takes one tensor of them — with a
 * placeholder of the input's type, for the user to overwrite.
 */
import type { ModelSignature } from '../models/signature.js';

export function rowTemplate(sig: ModelSignature | null): Record<string, unknown> | null {
  if (!sig) return null;
  if (sig.features.length > 0) return Object.fromEntries(sig.features.map((f) => [f, 0]));
  if (sig.inputs.length === 0) return null;
  return Object.fromEntries(sig.inputs.map((f) => [f.name, /str|bytes/i.test(f.type) ? '' : /bool/i.test(f.type) ? false : 0]));
}
