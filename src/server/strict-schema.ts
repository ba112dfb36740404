/** Schemas that refuse what they do not name: for checking answers, and for the native API's requests. */

/** A copy of a schema where every object without a stated policy refuses properties it does not list. */
export function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    // allOf parts see only their own properties; strictness there would refuse the other parts' fields.
    out[k] = k === 'allOf' ? v : k === 'properties' || k === 'patternProperties' || k === '$defs' ? mapValues(v as Record<string, unknown>, strict) : strict(v);
  }
  if (out['type'] === 'object' && out['properties'] && !('additionalProperties' in out) && !('patternProperties' in out)) out['additionalProperties'] = false;
  return out;
}

function mapValues(o: Record<string, unknown>, f: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
