import { describe, expect, it } from 'vitest';
import { apiErrorFrom, FerryApiError, networkReason } from './errors.js';
import { defineOperation } from '../contract/operation.js';
import { HttpClient, pathOf, queryString } from './http.js';

describe('apiErrorFrom', () => {
  it('reads MLflow-style errors', () => {
    const e = apiErrorFrom(404, 'Not Found', JSON.stringify({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no such run' }));
    expect(e).toBeInstanceOf(FerryApiError);
    expect([e.status, e.code, e.message]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST', 'no such run']);
  });

  it('reads RFC 9457 problem details with field errors', () => {
    const body = {
      type: 'https://ferry.dev/errors/invalid_parameter_value',
      title: 'INVALID_PARAMETER_VALUE',
      status: 400,
      detail: "bad 'name'",
      code: 'INVALID_PARAMETER_VALUE',
      errors: [{ field: 'name', message: "bad 'name'" }],
    };
    const e = apiErrorFrom(400, 'Bad Request', JSON.stringify(body));
    expect([e.status, e.code, e.message]).toEqual([400, 'INVALID_PARAMETER_VALUE', "bad 'name'"]);
    expect(e.errors).toEqual([{ field: 'name', message: "bad 'name'" }]);
  });

  it('falls back to the status for bodies that are not Ferry errors', () => {
    const e = apiErrorFrom(502, 'Bad Gateway', '<html>upstream down</html>');
    expect([e.code, e.message]).toEqual(['HTTP_502', 'HTTP 502 Bad Gateway: <html>upstream down</html>']);
    expect(apiErrorFrom(500, '', '').message).toBe('HTTP 500');
  });
});

describe('networkReason', () => {
  it('digs the socket error out of fetch failures, AggregateErrors included', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(networkReason(new TypeError('fetch failed', { cause: refused }))).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(networkReason(new TypeError('fetch failed', { cause: new AggregateError([refused], '') }))).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(networkReason(new DOMException('timed out', 'TimeoutError'))).toBe('the request timed out');
  });
});

describe('http helpers', () => {
  it('builds query strings with repeated keys and no undefined', () => {
    expect(queryString({ a: 1, b: ['x', 'y z'], c: undefined, d: true })).toBe('?a=1&b=x&b=y+z&d=true');
    expect(queryString({})).toBe('');
  });
  it("fills an operation's path parameters, encoded, and refuses a missing one", () => {
    const op = (path: string) =>
      defineOperation({ method: 'GET', path, operationId: 'x', summary: '', tag: 't', access: 'viewer', style: 'native', responses: {} });
    expect(pathOf(op('/api/v1/suites/:name/attachments/:kind/:target'), { name: 'a b', kind: 'dataset', target: 'x/y?z' })).toBe(
      '/api/v1/suites/a%20b/attachments/dataset/x%2Fy%3Fz',
    );
    expect(pathOf(op('/api/v1/validations/:id'), { id: 7 })).toBe('/api/v1/validations/7');
    expect(pathOf(op('/files/*'), { '*': 'dir one/m#1.onnx' })).toBe('/files/dir%20one/m%231.onnx');
    expect(() => pathOf(op('/api/v1/deployments/:name'), {})).toThrow(/x: no value for the path parameter 'name'/);
  });
  it('defaults url and token from the environment and trims trailing slashes', () => {
    const env = process.env;
    try {
      process.env = { ...env, FERRY_URL: 'http://example.test:9/', FERRY_TOKEN: 'tok-from-env' };
      const c = new HttpClient();
      expect([c.url, c.token]).toEqual(['http://example.test:9', 'tok-from-env']);
      expect(new HttpClient({ url: 'http://other:1//', token: 'x' }).url).toBe('http://other:1');
      process.env = { ...env, FERRY_URL: '', FERRY_TOKEN: '' };
      expect([new HttpClient().url, new HttpClient().token]).toEqual(['http://127.0.0.1:5050', undefined]);
    } finally {
      process.env = env;
    }
  });
  it('sends the bearer token and JSON body', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fakeFetch: typeof fetch = async (url, init) => {
      seen.push({ url: String(url), init: init! });
      return new Response('{"ok":true}', { status: 200 });
    };
    const c = new HttpClient({ url: 'http://h:1', token: 'secret-token', fetch: fakeFetch });
    expect(await c.post('/p', { a: 1 })).toEqual({ ok: true });
    const headers = seen[0]!.init.headers as Record<string, string>;
    expect(seen[0]!.url).toBe('http://h:1/p');
    expect(headers['authorization']).toBe('Bearer secret-token');
    expect(headers['content-type']).toBe('application/json');
    expect(seen[0]!.init.body).toBe('{"a":1}');
  });
});
