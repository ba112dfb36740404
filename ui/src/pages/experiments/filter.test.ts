import { describe, expect, it } from 'vitest';
import { andFilter, buildClause, fieldRef, opsFor, orderByFor, parseOrder, quoteKey, quoteString } from './filter.js';

describe('run filter building', () => {
  it('builds numeric metric clauses and refuses non-numbers', () => {
    expect(buildClause({ entity: 'metrics', key: 'auc', op: '>', value: ' 0.8 ' })).toEqual({ clause: 'metrics.auc > 0.8' });
    expect(buildClause({ entity: 'metrics', key: 'auc', op: '>=', value: '1e-3' })).toEqual({ clause: 'metrics.auc >= 0.001' });
    expect(buildClause({ entity: 'metrics', key: 'auc', op: '>', value: 'high' })).toEqual({ error: "metrics.auc compares with a number; 'high' is not one." });
    expect(buildClause({ entity: 'metrics', key: 'auc', op: 'LIKE', value: '1' })).toHaveProperty('error');
  });

  it('quotes param values and keys that are not plain words', () => {
    expect(buildClause({ entity: 'params', key: 'max_depth', op: '=', value: '4' })).toEqual({ clause: "params.max_depth = '4'" });
    expect(buildClause({ entity: 'params', key: 'learning rate', op: '=', value: "it's" })).toEqual({ clause: "params.`learning rate` = 'it\\'s'" });
    expect(buildClause({ entity: 'tags', key: 'team', op: 'IS NULL', value: 'ignored' })).toEqual({ clause: 'tags.team IS NULL' });
    expect(buildClause({ entity: 'attributes', key: 'start_time', op: '>', value: '1700000000000' })).toEqual({
      clause: 'attributes.start_time > 1700000000000',
    });
    expect(buildClause({ entity: 'attributes', key: 'status', op: '=', value: 'FINISHED' })).toEqual({ clause: "attributes.status = 'FINISHED'" });
    expect(buildClause({ entity: 'params', key: ' ', op: '=', value: 'x' })).toEqual({ error: 'Choose a key.' });
  });

  it('quotes keys and strings like the grammar reads them', () => {
    expect(quoteKey('a.b-c/d_1')).toBe('a.b-c/d_1');
    expect(quoteKey('1abc')).toBe('`1abc`');
    expect(quoteKey('a`b')).toBe('`a``b`');
    expect(quoteString('a\\b')).toBe("'a\\\\b'");
    expect(fieldRef('metrics', 'val loss')).toBe('metrics.`val loss`');
  });

  it('offers the operators the API accepts', () => {
    expect(opsFor('metrics', 'x')).not.toContain('LIKE');
    expect(opsFor('params', 'x')).toContain('IS NULL');
    expect(opsFor('attributes', 'end_time')).toContain('<');
    expect(opsFor('attributes', 'run_name')).toContain('ILIKE');
  });

  it('joins clauses with and', () => {
    expect(andFilter('', 'metrics.auc > 0.8')).toBe('metrics.auc > 0.8');
    expect(andFilter(' metrics.auc > 0.8 ', "params.max_depth = '4'")).toBe("metrics.auc > 0.8 and params.max_depth = '4'");
  });

  it('turns table sorts into order_by and back', () => {
    expect(orderByFor({ column: 'metrics.auc', dir: 'desc' })).toEqual(['metrics.auc DESC']);
    expect(orderByFor(null)).toBeUndefined();
    expect(parseOrder('metrics.`val loss` asc')).toEqual({ column: 'metrics.`val loss`', dir: 'asc' });
    expect(parseOrder('nonsense')).toBeNull();
    expect(parseOrder(null)).toBeNull();
  });
});
