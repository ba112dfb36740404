/**
 * A client generated from /openapi.json by a third-party generator (openapi-typescript + openapi-fetch) compiles
 * under strict TypeScript and talks to a live Ferry: proof that the description is usable as it is published.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';

const ROOT = resolve(import.meta.dirname, '..');

/** What a platform engineer would write against the generated types; it must compile and it runs below. */
const USAGE = `
import createClient from 'openapi-fetch';
import type { paths } from './ferry-api.js';

export async function tour(baseUrl: string, token: string) {
  const ferry = createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${token}\` } });
  const me = await ferry.GET('/api/v1/whoami');
  const role: 'viewer' | 'editor' | 'admin' | undefined = me.data?.role;
  const created = await ferry.POST('/api/v1/tokens', { body: { name: 'generated-client', role: 'viewer' } });
  const secret: string | undefined = created.data?.token;
  const listed = await ferry.GET('/api/v1/tokens');
  const names: string[] = (listed.data?.tokens ?? []).map((t) => t.name);
  const audit = await ferry.GET('/api/v1/audit', { params: { query: { limit: 5 } } });
  const revoked = await ferry.DELETE('/api/v1/tokens/{token_id}', { params: { path: { token_id: created.data?.token_id ?? '' } } });
  const refused = await ferry.POST('/api/v1/tokens', { body: { name: '' } });
  const problem: string | undefined = refused.error?.errors[0]?.field;
  return { role, secret, names, auditCount: audit.data?.entries.length, revokedStatus: revoked.response.status, problem };
}
`;

describe('a client generated from the OpenAPI description', () => {
  let t: TestApp;
  let baseUrl: string;
  let dir: string;

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    // Inside the repository, so the generated code resolves openapi-fetch from node_modules.
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'ferry-generated-client-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('generates, compiles under strict TypeScript, and works against a live server', async () => {
    const doc = await (await fetch(`${baseUrl}/openapi.json`)).json();
    const types = astToString(await openapiTS(doc));
    expect(types).toContain('"/api/v1/tokens"');
    writeFileSync(join(dir, 'ferry-api.ts'), types);
    writeFileSync(join(dir, 'tour.ts'), USAGE);

    const program = ts.createProgram([join(dir, 'tour.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    // The same calls at run time (types are erased, so the client is the generator's runtime as is).
    const ferry = createClient<any>({ baseUrl, headers: { authorization: `Bearer ${t.adminToken}` } });
    const me = await ferry.GET('/api/v1/whoami', {});
    expect(me.data).toMatchObject({ role: 'admin' });
    const created = await ferry.POST('/api/v1/tokens', { body: { name: 'generated-client', role: 'viewer' } });
    expect(created.data.token).toMatch(/^fry_/);
    const revoked = await ferry.DELETE('/api/v1/tokens/{token_id}', { params: { path: { token_id: created.data.token_id } } });
    expect(revoked.response.status).toBe(200);
    const refused = await ferry.POST('/api/v1/tokens', { body: { name: '' } });
    expect(refused.response.status).toBe(400);
    expect(refused.error.errors[0].field).toBe('name');
  });
});
