import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, MAX_FILTER_LENGTH, parseOrderBy, parseRunFilter } from './search-filter.js';

/** Asserts that parsing throws a FilterSyntaxError whose message matches `pattern`. */
function expectFilterError(filter: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    parseRunFilter(filter);
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${JSON.stringify(filter)} to be rejected`).toBeInstanceOf(FilterSyntaxError);
  expect((caught as Error).message).toMatch(pattern);
}

const first = (filter: string) => parseRunFilter(filter)[0];

describe('parseRunFilter: basics', () => {
  it('returns [] for empty, whitespace-only or missing filters', () => {
    expect(parseRunFilter(undefined)).toEqual([]);
    expect(parseRunFilter('')).toEqual([]);
    expect(parseRunFilter('  \n\t ')).toEqual([]);
  });

  it('parses every numeric comparator on metrics, with or without spaces', () => {
    for (const op of ['=', '!=', '<', '<=', '>', '>='] as const) {
      expect(parseRunFilter(`metrics.acc ${op} 0.5`)).toEqual([{ entity: 'metric', key: 'acc', op, value: 0.5 }]);
      expect(first(`metrics.acc${op}1`)?.op).toBe(op);
    }
  });

  it('joins clauses with AND, case-insensitively', () => {
    expect(parseRunFilter("metrics.a > 1 and params.b = 'x' AnD tags.c != 'y'")).toEqual([
      { entity: 'metric', key: 'a', op: '>', value: 1 },
      { entity: 'param', key: 'b', op: '=', value: 'x' },
      { entity: 'tag', key: 'c', op: '!=', value: 'y' },
    ]);
    expect(parseRunFilter("params.a='1'AND params.b='2'")).toHaveLength(2);
  });
});

describe('parseRunFilter: identifiers', () => {
  it.each([
    ['metric', 'metric'],
    ['metrics', 'metric'],
    ['METRICS', 'metric'],
    ['param', 'param'],
    ['params', 'param'],
    ['parameter', 'param'],
    ['Parameters', 'param'],
    ['tag', 'tag'],
    ['tags', 'tag'],
    ['TAGS', 'tag'],
  ] as const)('maps prefix %s to entity %s', (prefix, entity) => {
    const [literal, value] = entity === 'metric' ? ['1', 1] : ["'1'", '1'];
    expect(parseRunFilter(`${prefix}.k = ${literal}`)).toEqual([{ entity, key: 'k', op: '=', value }]);
  });

  it.each(['attribute', 'attributes', 'attr', 'run', 'ATTRIBUTES'])('maps prefix %s to attribute', (prefix) => {
    expect(first(`${prefix}.status = 'FINISHED'`)).toEqual({
      entity: 'attribute',
      key: 'status',
      op: '=',
      value: 'FINISHED',
    });
  });

  it.each(['dataset', 'datasets', 'DataSets'])('maps prefix %s to dataset', (prefix) => {
    expect(first(`${prefix}.name = 'iris'`)?.entity).toBe('dataset');
  });

  it('allows letters, digits, _, -, . and / in bare keys, keeping their case', () => {
    expect(first('metrics.Val-loss_2/epoch.mean > 0')?.key).toBe('Val-loss_2/epoch.mean');
    expect(first("tags.mlflow.runName = 'r'")?.key).toBe('mlflow.runName');
    expect(first('metrics.genauigkeit_ü > 0')?.key).toBe('genauigkeit_ü');
  });

  it('accepts backtick- and double-quoted keys with escapes', () => {
    expect(first('metrics.`my metric` > 1')?.key).toBe('my metric');
    expect(first('tags."mlflow.runName" = \'x\'')?.key).toBe('mlflow.runName');
    expect(first("params.`a = 'b' OR 1=1` = 'v'")?.key).toBe("a = 'b' OR 1=1");
    expect(first("params.`tick``s` = 'v'")?.key).toBe('tick`s');
    expect(first('params."dq""s" = \'v\'')?.key).toBe('dq"s');
    expect(first('params."dq\\"s" = \'v\'')?.key).toBe('dq"s');
    expect(first('tags.`and` IS NULL')?.key).toBe('and');
  });
});

describe('parseRunFilter: attributes', () => {
  it.each(['status', 'run_name', 'run_id', 'artifact_uri', 'user_id', 'lifecycle_stage'])('accepts %s', (key) => {
    for (const op of ['=', '!=', 'LIKE', 'ILIKE'] as const) {
      expect(first(`attributes.${key} ${op} 'a%'`)).toEqual({ entity: 'attribute', key, op, value: 'a%' });
    }
  });

  it('normalises aliases', () => {
    expect(first('attributes.created > 5')?.key).toBe('start_time');
    expect(first('attributes.Created > 5')?.key).toBe('start_time');
    expect(first("attributes.run_uuid = 'abc'")?.key).toBe('run_id');
    expect(first("attributes.`Run name` = 'abc'")?.key).toBe('run_name');
  });

  it('takes numeric comparators with integer values for start_time / end_time', () => {
    expect(parseRunFilter('attributes.start_time >= 1700000000000 and run.end_time < 5')).toEqual([
      { entity: 'attribute', key: 'start_time', op: '>=', value: 1700000000000 },
      { entity: 'attribute', key: 'end_time', op: '<', value: 5 },
    ]);
  });

  it('accepts run_id IN / NOT IN lists', () => {
    expect(first("attributes.run_id IN ('a', 'b')")).toEqual({
      entity: 'attribute',
      key: 'run_id',
      op: 'IN',
      value: ['a', 'b'],
    });
    expect(first("attr.run_id not in ('a')")).toMatchObject({ op: 'NOT IN', value: ['a'] });
  });
});

describe('parseRunFilter: params, tags and datasets', () => {
  it.each(['=', '!=', 'LIKE', 'ILIKE'] as const)('accepts %s on params and tags', (op) => {
    expect(first(`params.lr ${op} '0.1'`)).toEqual({ entity: 'param', key: 'lr', op, value: '0.1' });
    expect(first(`tags.t ${op} "x"`)).toEqual({ entity: 'tag', key: 't', op, value: 'x' });
  });

  it('accepts IS NULL / IS NOT NULL on params and tags, case-insensitively', () => {
    expect(first('params.lr IS NULL')).toEqual({ entity: 'param', key: 'lr', op: 'IS NULL', value: null });
    expect(first('tags.t is not null')).toEqual({ entity: 'tag', key: 't', op: 'IS NOT NULL', value: null });
  });

  it('normalises LIKE / ILIKE case', () => {
    expect(first("params.a like 'x%'")?.op).toBe('LIKE');
    expect(first("params.a iLike 'x%'")?.op).toBe('ILIKE');
  });

  it('accepts every dataset comparator on name, digest and context', () => {
    const f = "datasets.name = 'iris' AND datasets.digest LIKE 'ab%' AND datasets.context ILIKE 'T' AND dataset.name != 'x'";
    expect(parseRunFilter(f).map((c) => [c.entity, c.key, c.op])).toEqual([
      ['dataset', 'name', '='],
      ['dataset', 'digest', 'LIKE'],
      ['dataset', 'context', 'ILIKE'],
      ['dataset', 'name', '!='],
    ]);
    expect(first("datasets.context IN ('train', 'eval')")).toEqual({
      entity: 'dataset',
      key: 'context',
      op: 'IN',
      value: ['train', 'eval'],
    });
    expect(first("dataset.digest NOT IN ('x')")?.op).toBe('NOT IN');
  });
});

describe('parseRunFilter: values', () => {
  it.each([
    ['1', 1],
    ['-1', -1],
    ['0.25', 0.25],
    ['-.5', -0.5],
    ['.5', 0.5],
    ['3.', 3],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['-2.5e+2', -250],
    ['007', 7],
  ])('parses number %s', (text, value) => {
    expect(first(`metrics.m > ${text}`)?.value).toBe(value);
  });

  it.each([
    ["'plain'", 'plain'],
    ['"double"', 'double'],
    ["''", ''],
    ["'it''s'", "it's"],
    ["'it\\'s'", "it's"],
    ['"say ""hi"""', 'say "hi"'],
    ['"say \\"hi\\""', 'say "hi"'],
    ["'back\\\\slash'", 'back\\slash'],
    ["'a\\_b%'", 'a\\_b%'],
    ["'multi\nline'", 'multi\nline'],
    ["'with AND, OR; -- and ( ) inside'", 'with AND, OR; -- and ( ) inside'],
  ])('parses string %s', (literal, value) => {
    expect(first(`params.p = ${literal}`)?.value).toBe(value);
  });

  it('parses lists with mixed quotes and whitespace', () => {
    expect(first(`attributes.run_id IN ( 'a' ,"b",'c''d' )`)?.value).toEqual(['a', 'b', "c'd"]);
  });

  it('passes SQL-looking text only as inert values or keys', () => {
    expect(first("params.x = 'a''; DROP TABLE runs; --'")?.value).toBe("a'; DROP TABLE runs; --");
    expect(first('tags.`x; DROP TABLE runs` IS NULL')?.key).toBe('x; DROP TABLE runs');
  });
});

describe('parseRunFilter: errors', () => {
  it.each([
    // identifiers
    ["status = 'FINISHED'", /Identifier 'status' at position 0 has no entity prefix; use metrics\.<key>/],
    ['foo.bar = 1', /Invalid entity type 'foo' at position 0; expected one of metric, param, tag, attribute, dataset/],
    ['runs.status = 1', /Invalid entity type 'runs'/],
    ['metrics. > 1', /Missing key after 'metrics\.' at position 0/],
    ['metrics.`` > 1', /Missing key after 'metrics\.'/],
    ['tags.mlflow."x" = \'a\'', /Key at position 0 mixes bare and quoted parts/],
    ['metrics.`a`b > 1', /Unexpected 'b' after quoted key at position 11/],
    ['metrics.`open > 1', /Unterminated ` quote starting at position 8/],
    ["'metrics.a' > 1", /Expected an identifier such as metrics\.<key>, found ''metrics\.a'' at position 0/],
    ['(metrics.a > 1)', /Expected an identifier.*'\(' at position 0/],
    ["attributes.colour = 'red'", /Invalid attribute key 'colour'; valid keys are .*start_time/],
    ["attributes.STATUS = 'x'", /Invalid attribute key 'STATUS'/],
    ["datasets.size = 'x'", /Invalid dataset key 'size'; valid keys are name, digest, context/],
    // comparators
    ['metrics.a', /Expected a comparator \(=, !=.*IS NOT NULL\) after 'metrics\.a', found end of input/],
    ['metrics.a BETWEEN 1', /Expected a comparator .* found 'BETWEEN' at position 10/],
    ['metrics.a == 1', /Expected a quoted string or number, found '=' at position 11/],
    ['metrics.a <> 1', /Expected a quoted string or number, found '>'/],
    ['metrics.a ! 1', /Unexpected character '!' at position 10/],
    ["params.a NOT LIKE 'x'", /Expected IN after NOT, found 'LIKE' at position 13/],
    ['params.a IS 1', /Expected NULL or NOT NULL after IS, found '1'/],
    ['params.a IS NOT', /Expected NULL or NOT NULL after IS, found end of input/],
    // entity / comparator / value type mismatches
    ["metrics.a = '1'", /Expected a numeric value for metric 'a', found ''1'' at position 12/],
    ["metrics.a LIKE '1'", /Invalid comparator 'LIKE' for metric 'a'; expected one of =, !=, <, <=, >, >=$/],
    ['metrics.a IS NULL', /Invalid comparator 'IS NULL' for metric 'a'/],
    ["metrics.a IN ('1')", /Invalid comparator 'IN' for metric 'a'/],
    ["params.lr > '1'", /Invalid comparator '>' for param 'lr'; expected one of =, !=, LIKE, ILIKE, IS NULL, IS NOT NULL/],
    ['params.lr = 0.1', /Expected a quoted string value for param 'lr', found '0\.1' at position 12/],
    ["tags.t IN ('a')", /Invalid comparator 'IN' for tag 't'/],
    ['tags.t < 3', /Invalid comparator '<' for tag 't'/],
    ['attributes.start_time > 1.5', /Expected an integer timestamp for attribute 'start_time', found '1\.5'/],
    ["attributes.end_time > '5'", /Expected a numeric value for attribute 'end_time'/],
    ["attributes.start_time LIKE '5'", /Invalid comparator 'LIKE' for attribute 'start_time'/],
    ['attributes.end_time IS NULL', /Invalid comparator 'IS NULL' for attribute 'end_time'/],
    ["attributes.status IN ('a')", /Invalid comparator 'IN' for attribute 'status'; expected one of =, !=, LIKE, ILIKE$/],
    ['attributes.status = 1', /Expected a quoted string value for attribute 'status', found '1'/],
    ["attributes.status > 'a'", /Invalid comparator '>' for attribute 'status'/],
    ["datasets.name > 'x'", /Invalid comparator '>' for dataset 'name'/],
    ['datasets.name IS NULL', /Invalid comparator 'IS NULL' for dataset 'name'/],
    ['datasets.name = 3', /Expected a quoted string value for dataset 'name'/],
    // numbers and strings
    ['metrics.m > 1abc', /Invalid number '1a' at position 12/],
    ['metrics.m > 1.2.3', /Invalid number '1\.2\.'/],
    ['metrics.m > - 1', /Unexpected character '-' at position 12/],
    ['metrics.m > .', /Unexpected character '\.' at position 12/],
    ['metrics.m > +1', /Unexpected character '\+' at position 12/],
    ["params.p = 'abc", /Unterminated ' quote starting at position 11/],
    ["params.p = 'abc\\'", /Unterminated ' quote/],
    ['params.p = "abc', /Unterminated " quote/],
    ['params.p = abc', /Expected a quoted string or number, found 'abc' at position 11/],
    ['params.p =', /Expected a quoted string or number, found end of input/],
    // lists
    ['attributes.run_id IN ()', /Expected a quoted string in list, found '\)'/],
    ["attributes.run_id IN ('a',)", /Expected a quoted string in list, found '\)'/],
    ["attributes.run_id IN ('a' 'b')", /Expected ',' or '\)' in list, found ''b''/],
    ["attributes.run_id IN ('a'", /Expected ',' or '\)' in list, found end of input/],
    ['attributes.run_id IN (1, 2)', /Expected a quoted string in list, found '1'/],
    ["attributes.run_id IN 'a'", /Expected '\(' to start a list, found ''a''/],
    ["attributes.run_id = ('a')", /A list at position 20 is only allowed with IN \/ NOT IN/],
    // structure
    ['metrics.a < 1 OR metrics.b > 2', /OR at position 14 is not supported; clauses can only be joined with AND/],
    ["params.a = 'x' or params.b = 'y'", /OR at position 15 is not supported/],
    ['metrics.a < 1 AND', /Expected an identifier.*found end of input/],
    ['metrics.a < 1 AND AND metrics.b > 1', /Identifier 'AND' at position 18 has no entity prefix/],
    ['AND metrics.a < 1', /Identifier 'AND' at position 0 has no entity prefix/],
    ['metrics.a < 1 metrics.b > 2', /Expected AND or end of filter, found 'metrics\.b' at position 14/],
  ] as const)('rejects %j', (filter, pattern) => {
    expectFilterError(filter, pattern);
  });

  it.each([
    ["params.x = 'a'; DROP TABLE runs", /Unexpected character ';' at position 14/],
    ['metrics.a < 1 OR 1=1', /OR at position 14 is not supported/],
    ["params.x = 'a' OR 'a'='a'", /OR at position 15 is not supported/],
    ["params.x = 'a' -- comment", /Unexpected character '-' at position 15/],
    ["params.x = 'a' /* c */", /Unexpected character '\/' at position 15/],
    ["params.x = 'a' UNION SELECT * FROM runs", /Expected AND or end of filter, found 'UNION' at position 15/],
    ["params.x = 'a' AND 1=1", /Expected an identifier.*'1' at position 19/],
    ["params.x = 'a' AND (SELECT 1) = 1", /Expected an identifier.*'\(' at position 19/],
    ["params.x = 'a'' OR ''1'='1'", /Expected AND or end of filter, found '='/],
    ["params.x = 'a' AND params.y = 'b'); DELETE FROM runs; --", /Expected AND or end of filter, found '\)' at position 33/],
    ["params.x = 'a'\u0000", /Unexpected character '\\u0000' at position 14/],
    ["params.x = 'a' || 'b'", /Unexpected character '\|'/],
    ['params.x = CHAR(65)', /Expected a quoted string or number, found 'CHAR'/],
    ["params.x = 'a' AND params.y IS NULL OR 1", /OR at position 36 is not supported/],
    ['metrics.a < 1; --', /Unexpected character ';' at position 13/],
  ] as const)('rejects SQL injection attempt %j', (filter, pattern) => {
    expectFilterError(filter, pattern);
  });

  it('limits filter length to MAX_FILTER_LENGTH characters', () => {
    expect(parseRunFilter(`params.a = '${'x'.repeat(MAX_FILTER_LENGTH - 13)}'`)).toHaveLength(1);
    expectFilterError(`params.a = '${'x'.repeat(MAX_FILTER_LENGTH)}'`, /Filter is 10013 characters long; the limit is 10000/);
  });

  it('truncates long tokens in error messages', () => {
    expectFilterError(`params.a = 'x' '${'y'.repeat(500)}'`, /found ''y{39}…' at position 15$/);
  });
});

describe('parseOrderBy', () => {
  it('returns [] for undefined or empty lists', () => {
    expect(parseOrderBy(undefined)).toEqual([]);
    expect(parseOrderBy([])).toEqual([]);
  });

  it('parses entities, case-insensitive directions and quoted keys', () => {
    expect(parseOrderBy(['metrics.rmse DESC', 'params.`lr`', 'attributes.start_time', 'tags."a b" asc', 'Run.status DeSc', '  PARAM.y   ASC '])).toEqual([
      { entity: 'metric', key: 'rmse', ascending: false },
      { entity: 'param', key: 'lr', ascending: true },
      { entity: 'attribute', key: 'start_time', ascending: true },
      { entity: 'tag', key: 'a b', ascending: true },
      { entity: 'attribute', key: 'status', ascending: false },
      { entity: 'param', key: 'y', ascending: true },
    ]);
  });

  it.each(['start_time', 'end_time', 'run_name', 'status', 'run_id', 'artifact_uri', 'user_id'])('accepts attribute %s', (key) => {
    expect(parseOrderBy([`attributes.${key} DESC`])).toEqual([{ entity: 'attribute', key, ascending: false }]);
  });

  it('normalises attribute aliases', () => {
    expect(parseOrderBy(['attributes.created', 'attr.run_uuid'])).toEqual([
      { entity: 'attribute', key: 'start_time', ascending: true },
      { entity: 'attribute', key: 'run_id', ascending: true },
    ]);
  });

  it.each([
    ['', /Invalid order_by clause '': Empty order_by clause/],
    ['   ', /Empty order_by clause/],
    ['metrics.rmse DOWN', /Invalid order_by clause 'metrics\.rmse DOWN': Invalid ordering 'DOWN' at position 13; expected ASC or DESC/],
    ['metrics.rmse DESC ASC', /Unexpected 'ASC' at position 18/],
    ['metrics.rmse DESC, metrics.a', /Unexpected ',' at position 17/],
    ['metrics.rmse; DROP TABLE runs', /Unexpected character ';' at position 12/],
    ['start_time DESC', /Identifier 'start_time' at position 0 has no entity prefix/],
    ['foo.bar', /Invalid entity type 'foo'/],
    ['attributes.lifecycle_stage', /Invalid attribute key 'lifecycle_stage'/],
    ['datasets.name', /Cannot order by dataset field 'name'/],
    ['metrics.`rmse', /Unterminated ` quote/],
    [`metrics.${'a'.repeat(MAX_FILTER_LENGTH)}`, /order_by clause is 10008 characters long; the limit is 10000/],
  ] as const)('rejects %j', (item, pattern) => {
    expect(() => parseOrderBy([item])).toThrow(FilterSyntaxError);
    expect(() => parseOrderBy([item])).toThrow(pattern);
  });

  it('reports the first bad item among several', () => {
    expect(() => parseOrderBy(['metrics.a', 'metrics.b sideways', 'x'])).toThrow(/'metrics\.b sideways'/);
  });
});
