import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { dropNulls, refuseNul } from './request-hygiene.js';

describe('request hygiene', () => {
  it('refuses NUL in any string or key, naming the field', () => {
    expect(() => refuseNul({ name: 'a\0b' }, '')).toThrow("parameter 'name'");
    expect(() => refuseNul({ tags: [{ key: 'k', value: 'v\0' }] }, '')).toThrow("parameter 'tags[0].value'");
    expect(() => refuseNul(['ok', 'x\0'], 'ids')).toThrow("parameter 'ids[1]'");
    expect(() => refuseNul({ ['a\0']: 1 }, '')).toThrow('Field names must not contain NUL');
    expect(() => refuseNul({ name: 'fine', n: 1, ok: true, nothing: null }, '')).not.toThrow();
  });

  it('drops nulls where the schema does not allow null, keeps them where it does, down nested objects and lists', () => {
    const schema = Type.Object({
      description: Type.Optional(Type.String()),
      end_time: Type.Optional(Type.Integer()),
      cleared: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      role: Type.Optional(Type.Union([Type.Literal('viewer'), Type.Literal('admin')])),
      payload: Type.Optional(Type.Unknown()),
      tags: Type.Optional(Type.Array(Type.Object({ key: Type.String(), value: Type.Optional(Type.String()) }))),
      spec: Type.Optional(Type.Intersect([Type.Object({ a: Type.Integer() }), Type.Object({ b: Type.Optional(Type.Integer()) })])),
    });
    const body: Record<string, unknown> = {
      description: null,
      end_time: null,
      cleared: null,
      role: null,
      payload: null,
      tags: [{ key: 'k', value: null }],
      spec: { a: 1, b: null },
      extra: null,
    };
    dropNulls(schema, body);
    expect(body).toEqual({ cleared: null, payload: null, tags: [{ key: 'k' }], spec: { a: 1 }, extra: null });
  });
});
