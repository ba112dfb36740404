/** The OpenAPI document speaks JSON Schema 2020-12 (OpenAPI 3.1), while the contract stays draft 7 for Ajv. */
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.js';
import { toJsonSchema202012 } from './openapi.js';

/** Every schema node in a document that still has an array-valued `items` (draft 7's tuple), by path. */
function draft7Tuples(node: unknown, path = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((x, i) => draft7Tuples(x, `${path}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const here = Array.isArray(o['items']) || 'additionalItems' in o ? [path] : [];
  const schemas = Object.entries(o).filter(([k]) => !['const', 'default', 'enum', 'example', 'examples'].includes(k));
  return [...here, ...schemas.flatMap(([k, v]) => draft7Tuples(v, `${path}/${k}`))];
}

describe('the OpenAPI document as JSON Schema 2020-12', () => {
  it('spells a tuple with prefixItems, leaving the contract schema and data values untouched', () => {
    const pair = Type.Tuple([Type.Number(), Type.Union([Type.String(), Type.Null()])]);
    const schema = Type.Object({ ranges: Type.Array(pair), default: pair, note: Type.String({ default: 'x', examples: [{ items: [1] }] }) });
    const before = JSON.stringify(schema);
    const out = toJsonSchema202012(schema) as any;
    const plain = JSON.parse(JSON.stringify(pair.items));
    expect(out.properties.ranges.items).toEqual({ type: 'array', prefixItems: plain, items: false, minItems: 2, maxItems: 2 });
    expect(Object.keys(out.properties.ranges.items)).not.toContain('additionalItems');
    // A field called `default` is a schema like any other; a keyword's data is not.
    expect(out.properties.default.prefixItems).toEqual(plain);
    expect(out.properties.note.examples).toEqual([{ items: [1] }]);
    expect(JSON.stringify(schema)).toBe(before);
    expect(draft7Tuples(out)).toEqual([]);
  });

  const t = useTestApp('sqlite');

  it('served at /openapi.json has no draft-7 tuple anywhere', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(draft7Tuples(doc)).toEqual([]);
    // A suite's quantile ranges are [min, max] pairs: a two-item array, which every 3.1 reader takes.
    const suite = doc.paths['/api/v1/suites/{name}'].get.responses['200'].content['application/json'].schema.properties.suite;
    const pairs = suite.properties.suite.properties.expectations.items.properties.kwargs.properties.quantile_ranges.properties.value_ranges;
    expect(pairs.items).toMatchObject({ type: 'array', minItems: 2, maxItems: 2, items: { anyOf: [{ type: 'number' }, { type: 'null' }] } });
  });
});
