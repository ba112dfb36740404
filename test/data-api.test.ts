/** Datasets over real HTTP semantics (app.inject) on both stores: push, dedupe, profile, tags, diff, download, delete, suites. */
import { describe, expect, it } from 'vitest';
import { forEachStore } from './support/stores.js';
import { useTestApp, type TestApp } from './support/app.js';

function csv(rows: number, opts: { shift?: number; newCategory?: boolean; nullEvery?: number } = {}): string {
  const lines = ['id,income,purpose,approved'];
  const purposes = ['car', 'home', 'edu'];
  for (let i = 0; i < rows; i++) {
    const income = opts.nullEvery && i % opts.nullEvery === 0 ? '' : String(30_000 + ((i * 7919) % 50_000) + (opts.shift ?? 0));
    const purpose = opts.newCategory && i % 10 === 0 ? 'crypto' : purposes[i % 3];
    lines.push(`${i},${income},${purpose},${i % 2 === 0 ? 'true' : 'false'}`);
  }
  return lines.join('\n') + '\n';
}

async function push(t: TestApp, name: string, body: string | Buffer, query = 'filename=train.csv', contentType = 'text/csv') {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${name}/versions?${query}`,
    headers: { ...t.auth, 'content-type': contentType },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() };
}

forEachStore('data API', (kind) => {
  const t = useTestApp(kind);

  it('pushes a CSV as version 1, answers the same version for the same bytes, and profiles it', async () => {
    const first = await push(t, 'credit', csv(500));
    expect(first.status).toBe(201);
    expect(first.body.version).toMatchObject({ dataset: 'credit', version: 1, ref: 'credit@1', rows: 500, columns: 4, format: 'csv', filename: 'train.csv' });
    expect(first.body.version.digest).toMatch(/^[0-9a-f]{64}$/);
    const again = await push(t, 'credit', csv(500));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, version: { version: 1, digest: first.body.version.digest } });

    const v = await t.call('GET', '/api/v1/datasets/credit/versions/1');
    expect(v.status).toBe(200);
    const cols = Object.fromEntries(v.body.version.profile.columns.map((c: { name: string }) => [c.name, c]));
    expect(v.body.version.schema.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual([
      'id:integer',
      'income:integer',
      'purpose:string',
      'approved:boolean',
    ]);
    expect(cols.id.summary).toMatchObject({ count: 500, nulls: 0, min: 0, max: 499, mean: 249.5 });
    expect(cols.purpose.summary.top.map((x: { value: string }) => x.value).sort()).toEqual(['car', 'edu', 'home']);
    expect(cols.income.histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(500, 0);
  });

  it('numbers new bytes as the next version; tags, digests and latest resolve', async () => {
    const second = await push(t, 'credit', csv(400, { shift: 20_000, newCategory: true, nullEvery: 5 }));
    expect(second.status).toBe(201);
    expect(second.body.version.version).toBe(2);
    expect((await t.call('PUT', '/api/v1/datasets/credit/tags/prod', { version: '1' })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/datasets/credit/versions/prod?profile=false')).body.version).toMatchObject({ version: 1, tags: ['prod'] });
    expect((await t.call('GET', '/api/v1/datasets/credit/versions/latest?profile=false')).body.version.version).toBe(2);
    const digest = second.body.version.digest as string;
    expect((await t.call('GET', `/api/v1/datasets/credit/versions/sha256:${digest.slice(0, 10)}?profile=false`)).body.version.version).toBe(2);
    const list = await t.call('GET', '/api/v1/datasets');
    expect(list.body.datasets).toEqual([expect.objectContaining({ name: 'credit', versions: 2, latest_version: 2 })]);
    const versions = await t.call('GET', '/api/v1/datasets/credit/versions');
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('diffs two versions: schema, and drift with monitoring’s tests', async () => {
    const d = await t.call('GET', '/api/v1/datasets/credit/diff?from=1&to=2');
    expect(d.status).toBe(200);
    expect(d.body.diff.schema.nullability).toEqual([{ name: 'income', from: false, to: true }]);
    const drift = Object.fromEntries(d.body.diff.drift.map((f: { name: string }) => [f.name, f]));
    expect(drift.income.drifted).toBe(true);
    expect(drift.purpose.drifted).toBe(true);
    expect(drift.approved.drifted).toBe(false);
  });

  it('downloads the exact bytes it stored', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/datasets/credit/versions/1/file', headers: t.auth });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(csv(500));
    expect(res.headers['content-disposition']).toContain('train.csv');
  });

  it('answers a bad file with INVALID_DATA_FILE naming the line, and bad names with 400', async () => {
    const ragged = await push(t, 'messy', 'a,b\n1,2\n3,4,5\n');
    expect(ragged.status).toBe(400);
    expect(ragged.body.code).toBe('INVALID_DATA_FILE');
    expect(ragged.body.detail).toMatch(/line 3/);
    expect((await push(t, 'empty', '')).body.code).toBe('INVALID_DATA_FILE');
    const badName = await push(t, '..%2Fetc', 'a\n1\n');
    expect(badName.status).toBe(400);
    expect((await t.call('GET', '/api/v1/datasets/nope/versions/1')).status).toBe(404);
    expect((await t.call('GET', '/api/v1/datasets/credit/versions/9')).body.detail).toMatch(/no version 9/);
  });

  it('runs a suite attached to a dataset on every pushed version and records the result', async () => {
    const suite = {
      expectations: [
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'income' } },
        { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'purpose', value_set: ['car', 'home', 'edu'] } },
        { type: 'expect_column_values_to_be_unique', kwargs: { column: 'id' } },
      ],
    };
    expect((await t.call('PUT', '/api/v1/suites/credit-rules', suite)).status).toBe(200);
    expect((await t.call('POST', '/api/v1/suites/credit-rules/attachments', { dataset: 'credit' })).status).toBe(200);
    const bad = await push(t, 'credit', csv(100, { newCategory: true, nullEvery: 7 }));
    expect(bad.status).toBe(201);
    expect(bad.body.validations).toEqual([expect.objectContaining({ suite: 'credit-rules', success: false, evaluated: 3, failed: 2 })]);
    const good = await push(t, 'credit', csv(90));
    expect(good.body.validations).toEqual([expect.objectContaining({ success: true, failed: 0 })]);
    const recorded = await t.call('GET', `/api/v1/datasets/credit/versions/${bad.body.version.version}/validations`);
    expect(recorded.body.validations).toHaveLength(1);
    const whole = await t.call('GET', `/api/v1/validations/${recorded.body.validations[0].id}`);
    const byType = Object.fromEntries(
      whole.body.validation.result.results.map((r: { expectation_config: { type: string } }) => [r.expectation_config.type, r]),
    );
    expect(byType.expect_column_values_to_not_be_null.result.unexpected_count).toBe(15);
    expect(byType.expect_column_values_to_be_in_set.result.partial_unexpected_list[0]).toBe('crypto');
  });

  it('validates an ad-hoc file without storing it, and infers a suite that passes its own data', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/suites/credit-rules/validate?filename=x.csv',
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: csv(50, { nullEvery: 10 }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ file: { rows: 50, format: 'csv' }, result: { success: false } });
    const inferred = await t.call('POST', '/api/v1/suites/infer', { dataset: 'credit@1', name: 'credit-inferred', save: true });
    expect(inferred.status).toBe(200);
    expect(inferred.body.suite.expectations.length).toBeGreaterThan(4);
    const check = await t.call('POST', '/api/v1/suites/credit-inferred/validations', { dataset: 'credit@1' });
    expect(check.status).toBe(200);
    expect(check.body.result.success).toBe(true);
  });

  it('deletes versions and datasets (unused ones need no force)', async () => {
    const del = await t.call('DELETE', '/api/v1/datasets/credit/versions/2');
    expect(del.status).toBe(200);
    expect((await t.call('GET', '/api/v1/datasets/credit/versions/2')).status).toBe(404);
    expect((await t.call('DELETE', '/api/v1/datasets/credit')).status).toBe(200);
    expect((await t.call('GET', '/api/v1/datasets/credit')).status).toBe(404);
  });
});

describe('data API request checks (from the contract)', () => {
  const t = useTestApp('sqlite');
  const fieldOf = (r: { status: number; body: { errors?: { field: string }[] } }) => [r.status, r.body.errors?.[0]?.field];

  it('refuses malformed params, queries and bodies before the handler, naming the field', async () => {
    const badFormat = await t.app.inject({
      method: 'POST',
      url: '/api/v1/datasets/x/versions?format=xml',
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: 'a\n1\n',
    });
    expect([badFormat.statusCode, badFormat.json().errors[0].field]).toEqual([400, 'format']);
    expect(fieldOf(await t.call('GET', '/api/v1/validations/abc'))).toEqual([400, 'id']);
    expect(fieldOf(await t.call('GET', '/api/v1/models/m/versions/0/lineage'))).toEqual([400, 'version']);
    expect(fieldOf(await t.call('GET', '/api/v1/datasets?max_results=5000'))).toEqual([400, 'max_results']);
    expect(fieldOf(await t.call('GET', '/api/v1/validations?target_kind=file'))).toEqual([400, 'target_kind']);
    expect(fieldOf(await t.call('GET', '/api/v1/datasets/x/diff?from=1'))).toEqual([400, 'to']);
    expect(fieldOf(await t.call('POST', '/api/v1/suites/infer', { name: 's' }))).toEqual([400, 'dataset']);
    expect(fieldOf(await t.call('PUT', '/api/v1/suites/s', { expectations: [{ type: 'expect_nothing' }] }))).toEqual([400, 'expectations[0].type']);
    expect(fieldOf(await t.call('PATCH', '/api/v1/datasets/x', { description: 'a\u0000b' }))).toEqual([400, 'description']);
    // Semantic checks stay with the service: a kwarg the type does not take.
    expect(fieldOf(await t.call('PUT', '/api/v1/suites/s', { expectations: [{ type: 'expect_column_to_exist', kwargs: { col: 'a' } }] }))).toEqual([
      400,
      'expectations[0].kwargs.col',
    ]);
  });
});

describe('data API permissions', () => {
  const t = useTestApp('sqlite');
  it('refuses anonymous pushes and reads', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/datasets/x/versions', headers: { 'content-type': 'text/csv' }, payload: 'a\n1\n' });
    expect(res.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/datasets' })).statusCode).toBe(401);
  });
});
