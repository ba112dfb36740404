/**
 * The auth matrix (issue 21): every route the server registers × every kind of caller → the answer the policy in
 * docs/security.md ("Who may call what") says it must get. The policy is read from that document, not from the
 * route config the server uses, and is compared both with each contract operation's declared `access` and with the
 * live answers; any difference fails with the operation named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationSpec } from '../src/contract/index.js';
import { startMatrixApp, type MatrixApp } from './support/auth-matrix/app.js';
import { type Call, expectedFor, type RouteCase, routeCase, runMatrix, summary, violation } from './support/auth-matrix/matrix.js';
import { contractOperations, recordedAs, routeKey, routerRoutes } from './support/auth-matrix/operations.js';
import { parsePolicy, pathMatches, type Policy, readPolicy, ruleFor, scopedAccess } from './support/auth-matrix/policy.js';
import { makePrincipals, type Principal } from './support/auth-matrix/principals.js';
import { forEachStore } from './support/stores.js';

/**
 * Routes registered outside the contract, each with the access it must have (and the policy must agree): the API
 * description and the reference page its plugin serves. Anything else outside the contract fails the test.
 */
const OUTSIDE_CONTRACT: Record<string, 'public'> = { '/openapi.json': 'public', '/docs': 'public', '/docs/**': 'public' };

const SCOPED_DEPLOYMENT = 'matrix-scoped';

describe('the policy table of docs/security.md', () => {
  const policy = readPolicy();

  it('parses, with patterns that match what they say', () => {
    expect(policy.rules.length).toBeGreaterThan(10);
    expect(pathMatches('/api/v1/tokens/**', '/api/v1/tokens')).toBe(true);
    expect(pathMatches('/api/v1/tokens/**', '/api/v1/tokens/:token_id')).toBe(true);
    expect(pathMatches('/api/v1/tokens/**', '/api/v1/tokenss')).toBe(false);
    expect(pathMatches('/api/v1/deployments/*/predict', '/api/v1/deployments/:name/predict')).toBe(true);
    expect(pathMatches('/api/v1/deployments/*/predict', '/api/v1/deployments/:name/predict/x')).toBe(false);
    expect(pathMatches('/v2/models/{deployment}/infer', '/v2/models/:name/infer')).toBe('name');
    expect(pathMatches('/v2/models/{deployment}/infer', '/v2/models/x/infer')).toBe(false);
    // First match wins: the admin rule for tokens comes before the catch-all reads.
    expect(ruleFor(policy.rules, 'GET', '/api/v1/tokens')?.access).toBe('admin');
    expect(ruleFor(policy.rules, 'HEAD', '/api/v1/deployments/:name')?.access).toBe('viewer');
    expect(ruleFor(policy.rules, 'DELETE', '/api/v1/deployments/:name')?.access).toBe('editor');
    expect(scopedAccess(policy.scoped, 'POST', '/api/v1/deployments/:name/predict')).toEqual({ deploymentParam: 'name' });
    expect(scopedAccess(policy.scoped, 'GET', '/api/v1/whoami')).toBe('any');
    expect(scopedAccess(policy.scoped, 'GET', '/api/v1/deployments/:name')).toBe('refused');
  });

  it('refuses a table it cannot read rather than checking nothing', () => {
    expect(() => parsePolicy('# Security\n')).toThrow(/no '## Who may call what' section/);
    const bad = '\n## Who may call what\n\n| Method | Paths | Least role | Why |\n|---|---|---|---|\n| GET | `/x` | superuser | no |\n';
    expect(() => parsePolicy(bad)).toThrow(/unknown role 'superuser'/);
  });
});

forEachStore('auth matrix', (kind) => {
  let t: MatrixApp;
  let ops: Map<string, { spec: OperationSpec; module: string }>;
  let routes: RouteCase[];
  let principals: Principal[];
  const policy = readPolicy();
  const problems: string[] = [];

  beforeAll(async () => {
    t = await startMatrixApp(kind);
    ops = await contractOperations();
    const byRoute = new Map([...ops.values()].map((o) => [routeKey(o.spec.method, o.spec.path), o.spec]));
    routes = [];
    for (const r of t.app.ferry.routes) {
      const spec = byRoute.get(routeKey(r.method === 'HEAD' ? 'GET' : r.method, r.url));
      if (r.contract && !spec) problems.push(`${r.method} ${r.url}: served from a contract operation the contract modules do not export`);
      if (!r.contract && !Object.keys(OUTSIDE_CONTRACT).some((p) => pathMatches(p, r.url) !== false))
        problems.push(`${r.method} ${r.url}: registered outside the contract and not in the matrix's list of such routes`);
      const c = routeCase(policy, r.method, r.url, spec);
      if (typeof c === 'string') problems.push(c);
      else routes.push(c);
    }
    principals = await makePrincipals(t.app, t.store, t.adminToken, SCOPED_DEPLOYMENT);
  });
  afterAll(async () => t?.close());

  it('finds every contract operation served, and every served route in the contract or the list of routes outside it', () => {
    expect(ops.size).toBeGreaterThan(150);
    const served = new Set(t.app.ferry.routes.map((r) => routeKey(r.method, r.url)));
    const unserved = [...ops.values()].filter((o) => !served.has(routeKey(o.spec.method, o.spec.path))).map((o) => `${o.spec.operationId} (${o.module})`);
    expect(unserved, 'declared in the contract but not served').toEqual([]);
    const printed = routerRoutes(t.app.printRoutes({ commonPrefix: false }));
    expect(printed.length).toBeGreaterThanOrEqual(t.app.ferry.routes.length);
    const unrecorded = printed.filter((p) => !t.app.ferry.routes.some((r) => recordedAs(p, r))).map((p) => `${p.method} ${p.path}`);
    expect(unrecorded, "in the router but not in the app's route record, so outside the matrix").toEqual([]);
    expect(problems).toEqual([]);
    for (const [pattern, access] of Object.entries(OUTSIDE_CONTRACT)) {
      const r = routes.find((x) => !x.spec && pathMatches(pattern, x.template) !== false);
      expect(r, `${pattern} is listed as outside the contract but not served`).toBeDefined();
      expect(r!.rule.access, pattern).toBe(access);
    }
  });

  it("declares in every contract operation the access (and prediction-only scope) that docs/security.md's policy gives it", () => {
    expect(contractDifferences(ops.values(), policy)).toEqual([]);
  });

  it('uses every rule of the policy for some route (no rule that checks nothing)', () => {
    const used = new Set(routes.map((r) => r.rule));
    expect(policy.rules.filter((r) => !used.has(r)).map((r) => r.text)).toEqual([]);
    const scopedUsed = policy.scoped.filter((r) =>
      routes.some((x) => r.methods.includes(x.method) && r.patterns.some((p) => pathMatches(p, x.template) !== false)),
    );
    expect(scopedUsed.length).toBe(policy.scoped.length);
  });

  it('answers every route × caller as the policy says', { timeout: 180_000 }, async () => {
    const calls = await runMatrix(t.app, routes, principals);
    const broken = violations(calls);
    // The handler's answer to an allowed caller is no auth matter, but a 5xx for a plausible request is a bug.
    const failed = calls.filter((c) => c.expected !== 'unauthenticated' && c.expected !== 'denied' && c.status >= 500).map(describeCall);
    console.log(`[${kind}] ${summary(calls, principals, routes)}`);
    expect(broken).toEqual([]);
    expect(failed).toEqual([]);
    // Every caller kind took part, and each refused caller was refused somewhere (a matrix of all-allowed proves nothing).
    expect(principals.map((p) => p.kind).sort()).toEqual(
      [...'anonymous role role role role role role refused refused refused refused refused scoped scoped scoped'.split(' ')].sort(),
    );
    for (const p of principals.filter((x) => x.kind !== 'role' || x.role !== 'admin'))
      expect(
        calls.some((c) => c.principal === p && expectedFor(c.route, p) !== 'allowed' && c.expected !== 'public'),
        p.name,
      ).toBe(true);
  });

  it('refuses an admin route spelled another way (slashes, case, dot segments, escapes) as it refuses the route itself', async () => {
    const anonymous = principals.find((p) => p.kind === 'anonymous')!;
    const viewer = principals.find((p) => p.name === 'viewer token')!;
    const spellings = [
      '/api/v1/tokens/',
      '/API/V1/TOKENS',
      '/api/v1//tokens',
      '//api/v1/tokens',
      '/api/v1/./tokens',
      '/api/v1/x/../tokens',
      '/api/v1/%74okens',
      '/api/v1/tokens%2F',
      '/api/v1/tokens;x',
      '/health/../api/v1/tokens',
      '/metrics/../api/v1/users',
      '/api/v1/audit/',
    ];
    for (const url of spellings)
      for (const p of [anonymous, viewer])
        for (const method of ['GET', 'HEAD'] as const) {
          const res = await t.app.inject({ method, url, headers: p.headers });
          // Refused or unknown to the API, or (a path outside the API's prefixes, `//api/…`) the web UI's answer: its
          // page, or its plain-text 404 where the UI is not built. Never the listing itself.
          const type = String(res.headers['content-type']);
          const name = `${method} ${url} as ${p.name}: ${res.statusCode} ${type}`;
          if (type.includes('json')) expect([401, 403, 404].includes(res.statusCode) && (p !== anonymous || res.statusCode === 401), name).toBe(true);
          else expect((res.statusCode === 200 && type.startsWith('text/html')) || (res.statusCode === 404 && type.startsWith('text/plain')), name).toBe(true);
        }
  });

  it('objects when the server and the policy differ (the matrix has teeth)', async () => {
    // The same policy with token management relaxed to editor, the deployments list made public, and a prediction-only
    // token let read its deployment: both the contract comparison and the live answers must object to each change.
    const tokens = policy.rules.find((r) => r.patterns.includes('/api/v1/tokens/**'))!;
    const altered: Policy = {
      rules: [
        { text: 'altered: deployments list public', methods: ['GET'], patterns: ['/api/v1/deployments'], access: 'public' },
        ...policy.rules.map((r) => (r === tokens ? { ...r, access: 'editor' as const } : r)),
      ],
      scoped: [
        ...policy.scoped,
        { text: 'altered: scoped reads its deployment', methods: ['GET'], patterns: ['/api/v1/deployments/{deployment}'], access: 'viewer' },
      ],
    };
    const differences = contractDifferences(ops.values(), altered);
    expect(differences.some((d) => d.startsWith('listTokens ') && d.includes('the contract says admin, the policy editor'))).toBe(true);
    expect(differences.some((d) => d.startsWith('listDeployments ') && d.includes('the contract says viewer, the policy public'))).toBe(true);
    const cases = ['listTokens', 'listDeployments', 'getDeployment'].map((id) => {
      const spec = ops.get(id)!.spec;
      return routeCase(altered, spec.method, spec.path, spec) as RouteCase;
    });
    const calls = await runMatrix(t.app, cases, principals);
    const broken = violations(calls);
    expect(broken.some((b) => b.includes('GET /api/v1/tokens as editor token: expected to pass the auth check, got 403'))).toBe(true);
    expect(broken.some((b) => b.includes('GET /api/v1/deployments as anonymous: a public route refused the caller: 401'))).toBe(true);
    expect(broken.some((b) => b.includes('as scoped token, its deployment: expected to pass the auth check, got 403'))).toBe(true);
  });
});

function describeCall(c: Call): string {
  return `${c.route.spec?.operationId ?? '(outside the contract)'} ${c.route.method} ${c.url} as ${c.principal.name}: ${c.status} ${c.body}`;
}

/** Each call whose answer breaks the policy, named by operation, route and caller. */
function violations(calls: readonly Call[]): string[] {
  const anonymous = new Map(calls.filter((c) => c.principal.kind === 'anonymous').map((c) => [c.route, c.status]));
  return calls
    .map((c) => [c, violation(c, anonymous.get(c.route))] as const)
    .filter(([, why]) => why !== null)
    .map(([c, why]) => `${c.route.spec?.operationId ?? '(outside the contract)'} ${c.route.method} ${c.url} as ${c.principal.name}: ${why}`);
}

/** Each contract operation whose declared access (or prediction-only scope) differs from the policy's, named. */
function contractDifferences(ops: Iterable<{ spec: OperationSpec; module: string }>, policy: Policy): string[] {
  const wrong: string[] = [];
  for (const { spec, module } of ops) {
    const name = `${spec.operationId} (${spec.method} ${spec.path}, ${module})`;
    const rule = ruleFor(policy.rules, spec.method, spec.path);
    if (!rule) wrong.push(`${name}: no rule of the policy covers it`);
    else if (rule.access !== spec.access) wrong.push(`${name}: the contract says ${spec.access}, the policy ${rule.access} (${rule.text})`);
    const declared = spec.tokenScope ?? 'refused';
    const stated = scopedAccess(policy.scoped, spec.method, spec.path);
    if (JSON.stringify(declared) !== JSON.stringify(stated))
      wrong.push(`${name}: for a prediction-only token the contract says ${JSON.stringify(declared)}, the policy ${JSON.stringify(stated)}`);
  }
  return wrong;
}
