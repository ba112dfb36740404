import { describe, expect, it } from 'vitest';
import { parseSimpleFilter, parseSimpleOrder } from './simple-filter.js';

describe('parseSimpleFilter', () => {
  it('parses attribute and tag clauses joined by AND, with quoting and escapes', () => {
    expect(parseSimpleFilter(`name LIKE 'credit%' AND tags.team = "risk" and tags.\`odd key\` != 'it\\'s'`, ['name'])).toEqual([
      { kind: 'attr', key: 'name', op: 'like', value: 'credit%' },
      { kind: 'tag', key: 'team', op: '=', value: 'risk' },
      { kind: 'tag', key: 'odd key', op: '!=', value: "it's" },
    ]);
    expect(parseSimpleFilter("attribute.name ILIKE 'A and B'", ['name'])).toEqual([{ kind: 'attr', key: 'name', op: 'ilike', value: 'A and B' }]);
    expect(parseSimpleFilter('', ['name'])).toEqual([]);
  });

  it.each([
    ["owner = 'x'", 'attributes: name'],
    ["name = 'x' OR 1=1", 'Invalid filter clause'],
    ["name = 'x'; DROP TABLE experiments", 'Invalid filter clause'],
    ["name = 'unterminated", 'Unterminated'],
    ['name = 3', 'Invalid filter clause'],
  ])('rejects %j', (filter, message) => {
    expect(() => parseSimpleFilter(filter, ['name'])).toThrow(message);
  });

  it('parses order_by items against an allowed list', () => {
    expect(parseSimpleOrder(['name DESC', 'attribute.creation_time'], ['name', 'creation_time'])).toEqual([
      { key: 'name', ascending: false },
      { key: 'creation_time', ascending: true },
    ]);
    expect(() => parseSimpleOrder(['secret ASC'], ['name'])).toThrow("Invalid order_by clause 'secret ASC'");
  });
});
