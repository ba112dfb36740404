/**
 * Offline drift and validation (POST /api/v1/drift, POST /api/v1/validate) on both stores: the answers equal a
 * dataset diff and a suite validation of the same data pushed as files, nothing is stored, and bad tables are
 * refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { MAX_INLINE_ROWS } from '../src/contract/data.js';
import { FerryClient } from '../src/sdk/index.js';
import { forEachStore } from './support/stores.js';
import { useTestApp, type TestApp } from './support/app.js';

type Cell = string | number | boolean | null;
type Columns = Record<string, Cell[]>;

/** A table with a numeric, a categorical, a boolean and a nullable column; `shift` moves income and adds a category. */
function table(rows: number, shift = 0): Columns {
  const purposes = ['car', 'home', 'edu'];
  const out: Columns = { id: [], income: [], purpose: [], approved: [], score: [] };
  for (let i = 0; i < rows; i++) {
    out['id']!.push(i);
    out['income']!.push(30_000 + ((i * 7919) % 50_000) + shift);
    out['purpose']!.push(shift && i % 10 === 0 ? 'crypto' : purposes[i % 3]!);
    out['approved']!.push(i % 2 === 0);
    out['score']!.push(i % 7 === 0 ? null : ((i * 37) % 101) / 10 + shift / 10_000);
  }
  return out;
}

function jsonl(t: Columns): string {
  const names = Object.keys(t);
  const n = t[names[0]!]!.length;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify(Object.fromEntries(names.map((c) => [c, t[c]![i]]))));
  return lines.join('\n') + '\n';
}

async function push(t: TestApp, name: string, body: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${name}/versions?filename=data.jsonl`,
    headers: { ...t.auth, 'content-type': 'application/x-ndjson' },
    payload: body,
  });
  expect(res.statusCode).toBe(201);
}

const fieldOf = (r: { status: number; body: { errors?: { field: string }[] } }) => [r.status, r.body.errors?.[0]?.field];

forEachStore('offline drift and validation', (kind) => {
  const t = useTestApp(kind);

  it('answers what the dataset diff of the same data pushed as two versions answers', async () => {
    const a = table(600);
    const b = table(450, 20_000);
    await push(t, 'offline-a', jsonl(a));
    await push(t, 'offline-a', jsonl(b));
    const diff = (await t.call('GET', '/api/v1/datasets/offline-a/diff?from=1&to=2')).body.diff;
    const res = await t.call('POST', '/api/v1/drift', { reference: { columns: a }, current: { columns: b } });
    expect(res.status).toBe(200);
    expect(res.body.reference).toEqual({ rows: 600, columns: 5, warnings: [] });
    expect(res.body.current).toEqual({ rows: 450, columns: 5, warnings: [] });
    expect(res.body.schema).toEqual(diff.schema);
    expect(res.body.drift).toEqual(diff.drift);
    expect(res.body.skipped).toEqual(diff.skipped);
    expect(res.body.summary).toEqual(diff.summary);
    const drifted = Object.fromEntries(res.body.drift.map((f: { name: string; drifted: boolean }) => [f.name, f.drifted]));
    expect(drifted).toMatchObject({ income: true, purpose: true, approved: false });
    // Rows form: the same table, the same answer.
    const rows = (c: Columns) => c['id']!.map((_, i) => Object.fromEntries(Object.keys(c).map((k) => [k, c[k]![i]])));
    const byRows = await t.call('POST', '/api/v1/drift', { reference: { rows: rows(a) }, current: { columns: b } });
    expect(byRows.body.drift).toEqual(res.body.drift);
    // Nothing was stored: the dataset list holds the pushed one only.
    expect((await t.call('GET', '/api/v1/datasets')).body.datasets.map((d: { name: string }) => d.name)).toEqual(['offline-a']);
  });

  it('takes method, drift_share and columns as the deployment drift does', async () => {
    const res = await t.call('POST', '/api/v1/drift', {
      reference: { columns: table(300) },
      current: { columns: table(300, 5_000) },
      method: 'income:psi,score:wasserstein',
      drift_share: 0.9,
      columns: ['income', 'score', 'purpose'],
    });
    expect(res.status).toBe(200);
    expect(res.body.drift.map((f: { name: string; method: string }) => `${f.name}:${f.method}`)).toEqual([
      'income:psi',
      'score:wasserstein',
      'purpose:chisquare',
    ]);
    expect(res.body.summary).toMatchObject({ drift_share: 0.9, number_of_features: 3 });
    expect(res.body.schema).toMatchObject({ added: [], removed: [], unchanged: 3 });
  });

  it('reports schema changes and columns no test can compare', async () => {
    const res = await t.call('POST', '/api/v1/drift', {
      reference: { columns: { x: [1, 2, 3], gone: ['a', 'b', 'c'], k: [1, 2, 3], e: [null, null, null] } },
      current: { columns: { x: [1.5, 2, null], k: ['a', 'b', 'c'], e: [1, 2, 3], new: [true, false, true] } },
    });
    expect(res.status).toBe(200);
    expect(res.body.schema.removed).toEqual([{ name: 'gone', type: 'string', nullable: false }]);
    expect(res.body.schema.added).toEqual([{ name: 'new', type: 'boolean', nullable: false }]);
    expect(res.body.schema.retyped).toEqual([
      { name: 'x', from: 'integer', to: 'float' },
      { name: 'k', from: 'integer', to: 'string' },
      { name: 'e', from: 'string', to: 'integer' },
    ]);
    expect(res.body.skipped).toEqual([
      { name: 'k', reason: 'profiled as numerical in the reference and as categorical in the current table' },
      { name: 'e', reason: 'no values on one side' },
    ]);
    // JSON reads 1.0 as 1: floats keeps a whole-valued float column float, as its CSV would be.
    const floats = await t.call('POST', '/api/v1/drift', {
      reference: { columns: { x: [1, 2, 3] }, floats: ['x'] },
      current: { columns: { x: [1, 2, 3] } },
    });
    expect(floats.body.schema.retyped).toEqual([{ name: 'x', from: 'float', to: 'integer' }]);
  });

  it('validates a table against an inline suite as a suite validation of the same file does', async () => {
    const suite = {
      expectations: [
        { type: 'expect_column_to_exist', kwargs: { column: 'income' } },
        { type: 'expect_column_values_to_be_between', kwargs: { column: 'income', min_value: 30_000, max_value: 60_000 } },
        { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'purpose', value_set: ['car', 'home', 'edu'] } },
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'score', mostly: 0.8 } },
      ],
    };
    const data = table(200, 20_000);
    expect((await t.call('PUT', '/api/v1/suites/offline-rules', suite)).status).toBe(200);
    const stored = await t.app.inject({
      method: 'POST',
      url: '/api/v1/suites/offline-rules/validate?filename=x.jsonl',
      headers: { ...t.auth, 'content-type': 'application/x-ndjson' },
      payload: jsonl(data),
    });
    const res = await t.call('POST', '/api/v1/validate', { suite: { ...suite, name: 'offline-rules' }, data: { columns: data } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...stored.json(), file: { ...stored.json().file, filename: null } });
    expect(res.body.result.success).toBe(false);
    expect(res.body.result.statistics).toMatchObject({ evaluated_expectations: 4, unsuccessful_expectations: 2 });
    // Unnamed suites are called 'inline'; nothing was recorded.
    const unnamed = await t.call('POST', '/api/v1/validate', { suite, data: { columns: data } });
    expect(unnamed.body.result.suite).toBe('inline');
    expect((await t.call('GET', '/api/v1/validations')).body.validations).toEqual([]);
  });

  it('refuses bad tables naming the field', async () => {
    const ok = { columns: { x: [1, 2] } };
    const drift = (body: object) => t.call('POST', '/api/v1/drift', body);
    expect(fieldOf(await drift({ reference: { columns: { x: [1, 'a'] } }, current: ok }))).toEqual([400, 'reference.columns.x']);
    expect(fieldOf(await drift({ reference: ok, current: { columns: { x: [1, 2], y: [1] } } }))).toEqual([400, 'current.columns.y']);
    expect(fieldOf(await drift({ reference: ok, current: { columns: { x: [1, [2, 3]] } } }))).toEqual([400, 'current.columns.x[1]']);
    expect(fieldOf(await drift({ reference: ok, current: { columns: { x: [1, { y: 2 }] } } }))).toEqual([400, 'current.columns.x[1]']);
    expect(fieldOf(await drift({ reference: {}, current: ok }))).toEqual([400, 'reference']);
    expect(fieldOf(await drift({ reference: { columns: ok.columns, rows: [] }, current: ok }))).toEqual([400, 'reference']);
    expect(fieldOf(await drift({ reference: { columns: { x: [] } }, current: ok }))).toEqual([400, 'reference']);
    expect(fieldOf(await drift({ reference: { columns: {} }, current: ok }))).toEqual([400, 'reference']);
    expect(fieldOf(await drift({ reference: { rows: [{ x: 1 }, { x: 'b' }] }, current: ok }))).toEqual([400, 'reference.rows']);
    expect(fieldOf(await drift({ reference: ok, current: ok, columns: ['x', 'y'] }))).toEqual([400, 'columns[1]']);
    expect(fieldOf(await drift({ reference: ok, current: ok, columns: ['x', 'x'] }))).toEqual([400, 'columns[1]']);
    // Nothing to compare: no shared column, or every shared one skipped (the reasons are given).
    expect(fieldOf(await drift({ reference: ok, current: { columns: { y: [1] } } }))).toEqual([400, 'current']);
    const none = await drift({ reference: { columns: { s: [null, null] } }, current: { columns: { s: ['a'] } } });
    expect([none.status, none.body.detail]).toEqual([400, "No column of the two tables could be compared ('s': no values on one side)."]);
    expect(fieldOf(await drift({ reference: { ...ok, floats: ['y'] }, current: ok }))).toEqual([400, 'reference.floats[0]']);
    expect(fieldOf(await drift({ reference: ok, current: ok, method: 'y:psi' }))).toEqual([400, 'method']);
    expect(fieldOf(await drift({ reference: ok, current: ok, method: 'x:magic' }))).toEqual([400, 'method']);
    expect(fieldOf(await drift({ reference: ok, current: ok, drift_share: 0 }))).toEqual([400, 'drift_share']);
    expect(fieldOf(await drift({ reference: ok }))).toEqual([400, 'current']);
    // NaN is not JSON; a number past a double's range parses as Infinity, which no data file holds.
    const raw = (payload: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/drift', headers: { ...t.auth, 'content-type': 'application/json' }, payload });
    const nan = await raw('{"reference":{"columns":{"x":[1,NaN]}},"current":{"columns":{"x":[1]}}}');
    expect([nan.statusCode, nan.json().code]).toEqual([400, 'MALFORMED_REQUEST']);
    const inf = await raw('{"reference":{"columns":{"x":[1,2]}},"current":{"columns":{"x":[1,1e999]}}}');
    expect(fieldOf({ status: inf.statusCode, body: inf.json() })).toEqual([400, 'current.columns.x']);
    const validate = (body: object) => t.call('POST', '/api/v1/validate', body);
    expect(fieldOf(await validate({ suite: { expectations: [{ type: 'expect_column_to_exist', kwargs: {} }] }, data: ok }))).toEqual([
      400,
      'suite.expectations[0].kwargs.column',
    ]);
    expect(fieldOf(await validate({ suite: { expectations: [] }, data: { columns: { x: [true, 1] } } }))).toEqual([400, 'data.columns.x']);
  });

  it('refuses a table past the row cap with 413 naming it, and bodies past the body limit with 413', async () => {
    const long = { columns: { x: new Array(MAX_INLINE_ROWS + 1).fill(0) } };
    const res = await t.call('POST', '/api/v1/drift', { reference: long, current: { columns: { x: [1] } } });
    expect(res.status).toBe(413);
    expect(res.body.detail).toContain('reference.columns.x');
    // Wider than a row cap can count: 70 MiB of text.
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/v1/drift',
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ reference: { columns: { x: [new Array(70).fill('y'.repeat(1024 ** 2)).join('')] } }, current: { columns: { x: ['a'] } } }),
    });
    expect(big.statusCode).toBe(413);
  });

  it('is called by the SDK (data.drift, data.validateTable)', async () => {
    // The SDK's requests go to the app in process: a fetch answered by inject.
    const fetchApp: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      const res = await t.app.inject({
        method: (init?.method ?? 'GET') as 'POST',
        url: url.pathname + url.search,
        headers: init?.headers as Record<string, string>,
        ...(init?.body ? { payload: init.body as string } : {}),
      });
      return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type']) } });
    };
    const client = new FerryClient({ url: 'http://ferry.test', token: t.auth.authorization.slice('Bearer '.length), fetch: fetchApp });
    const drift = await client.data.drift({ reference: { columns: table(200) }, current: { columns: table(200, 20_000) }, columns: ['income'] });
    expect(drift.drift.map((f) => [f.name, f.drifted])).toEqual([['income', true]]);
    const v = await client.data.validateTable({
      suite: { expectations: [{ type: 'expect_column_to_exist', kwargs: { column: 'nope' } }] },
      data: { columns: table(5) },
    });
    expect([v.result.success, v.file.rows]).toEqual([false, 5]);
  });

  it('needs a token: viewers may call, anonymous callers may not', async () => {
    const body = { reference: { columns: { x: [1] } }, current: { columns: { x: [1] } } };
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/drift', payload: body });
    expect(res.statusCode).toBe(401);
    const viewer = (await t.call('POST', '/api/v1/tokens', { name: 'offline-viewer', role: 'viewer' })).body.token as string;
    const as = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${viewer}` }, payload });
    expect((await as('/api/v1/drift', body)).statusCode).toBe(200);
    expect((await as('/api/v1/validate', { suite: { expectations: [] }, data: body.current })).statusCode).toBe(200);
  });
});

describe('the offline routes are in the OpenAPI description', () => {
  const t = useTestApp('sqlite');
  it('lists POST /api/v1/drift and POST /api/v1/validate', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.paths['/api/v1/drift']?.['post']?.operationId).toBe('tableDrift');
    expect(doc.paths['/api/v1/validate']?.['post']?.operationId).toBe('validateTable');
  });
});
