/**
 * The auth matrix: every route the server registered × every caller, each call's answer compared with what the
 * policy (docs/security.md) says it must be. Pure bookkeeping around app.inject(); the test decides what to assert.
 */
import type { FastifyInstance } from 'fastify';
import type { OperationSpec } from '../../../src/contract/index.js';
import { type Access, type Policy, type PolicyRule, ruleFor, scopedAccess } from './policy.js';
import { samplePayload, sampleUrl } from './operations.js';
import type { Principal } from './principals.js';

export interface RouteCase {
  method: string;
  template: string;
  /** The contract operation serving it (a HEAD route: its GET's); undefined for a route outside the contract. */
  spec?: OperationSpec;
  rule: PolicyRule;
  scoped: ReturnType<typeof scopedAccess>;
}

export type Expected = 'public' | 'allowed' | 'unauthenticated' | 'denied';

export interface Call {
  route: RouteCase;
  principal: Principal;
  url: string;
  expected: Expected;
  status: number;
  code: string | undefined;
  wwwAuthenticate: boolean;
  body: string;
}

const RANK: Record<Access, number> = { public: 0, viewer: 1, editor: 2, admin: 3 };

export function routeCase(policy: Policy, method: string, template: string, spec: OperationSpec | undefined): RouteCase | string {
  const rule = ruleFor(policy.rules, method, template);
  if (!rule) return `${method} ${template}: no rule of docs/security.md covers it`;
  return { method, template, spec, rule, scoped: scopedAccess(policy.scoped, method, template) };
}

/** What the policy says this caller gets on this route. */
export function expectedFor(r: RouteCase, p: Principal): Expected {
  if (r.rule.access === 'public') return 'public';
  switch (p.kind) {
    case 'anonymous':
    case 'refused':
      return 'unauthenticated';
    case 'role':
      return RANK[p.role] >= RANK[r.rule.access] ? 'allowed' : 'denied';
    case 'scoped': {
      // A scoped token's role is viewer; the scope narrows it to the routes its table lists.
      if (RANK[r.rule.access] > RANK.viewer || r.scoped === 'refused') return 'denied';
      return r.scoped === 'any' || p.target === p.deployment ? 'allowed' : 'denied';
    }
  }
}

/**
 * The deployment a scoped caller names in the URL: on the parameter the policy says holds it, and on every `:name`
 * (so a deployment's other routes, its settings or drift, are asked about the token's own deployment, and must
 * still be refused).
 */
function overridesFor(r: RouteCase, p: Principal): Record<string, string> {
  if (p.kind !== 'scoped') return {};
  return { name: p.target, ...(typeof r.scoped === 'object' ? { [r.scoped.deploymentParam]: p.target } : {}) };
}

async function call(app: FastifyInstance, r: RouteCase, p: Principal): Promise<Call> {
  const url = sampleUrl(r.template, overridesFor(r, p));
  const payload = samplePayload(r.method, r.spec);
  const res = await app.inject({ method: r.method as 'GET', url, headers: p.headers, ...(payload ? { payload } : {}) });
  let code: string | undefined;
  try {
    const body = res.json() as { code?: unknown; error_code?: unknown };
    const c = body.error_code ?? body.code;
    code = typeof c === 'string' ? c : undefined;
  } catch {
    code = undefined;
  }
  return {
    route: r,
    principal: p,
    url,
    expected: expectedFor(r, p),
    status: res.statusCode,
    code,
    wwwAuthenticate: typeof res.headers['www-authenticate'] === 'string',
    body: res.body.slice(0, 300),
  };
}

/** Every route × every caller, a few calls at a time (in process: the store is the only thing waited on). */
export async function runMatrix(app: FastifyInstance, routes: readonly RouteCase[], principals: readonly Principal[], parallel = 8): Promise<Call[]> {
  const jobs = routes.flatMap((r) => principals.map((p) => () => call(app, r, p)));
  const out: Call[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      out.push(await job());
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}

/** Why a call's answer breaks the policy, or null when it keeps it. */
export function violation(c: Call, anonymousStatus: number | undefined): string | null {
  const head = c.route.method === 'HEAD';
  // A HEAD answer has no body to carry the code; its status and headers still must match.
  const codeIs = (want: string) => head || c.code === want;
  switch (c.expected) {
    case 'public':
      if (c.code === 'UNAUTHENTICATED' || c.code === 'PERMISSION_DENIED' || c.wwwAuthenticate)
        return `a public route refused the caller: ${c.status} ${c.code ?? ''}`;
      if (anonymousStatus !== undefined && c.status !== anonymousStatus) return `a public route answered ${c.status}, anonymous got ${anonymousStatus}`;
      return null;
    case 'unauthenticated':
      if (c.status !== 401 || !codeIs('UNAUTHENTICATED')) return `expected 401 UNAUTHENTICATED, got ${c.status} ${c.code ?? ''}`;
      // RFC 9110: a 401 carries the challenge, for a refused credential as for none.
      if (!c.wwwAuthenticate) return '401 without WWW-Authenticate';
      return null;
    case 'denied':
      return c.status === 403 && codeIs('PERMISSION_DENIED') ? null : `expected 403 PERMISSION_DENIED, got ${c.status} ${c.code ?? ''}`;
    case 'allowed':
      return c.status === 401 || c.status === 403 ? `expected to pass the auth check, got ${c.status} ${c.code ?? ''}` : null;
  }
}

/** A compact table: per caller, how many routes answered as allowed, public, 401 and 403. */
export function summary(calls: readonly Call[], principals: readonly Principal[], routes: readonly RouteCase[]): string {
  const operations = routes.filter((r) => r.spec && r.method !== 'HEAD').length;
  const twins = routes.filter((r) => r.spec && r.method === 'HEAD').length;
  const outside = routes.length - operations - twins;
  const lines = [
    `auth matrix: ${routes.length} routes (${operations} contract operations, ${twins} HEAD twins of their GETs, ${outside} outside the contract: ` +
      `/openapi.json, /docs) × ${principals.length} callers = ${calls.length} calls`,
  ];
  lines.push(`${'caller'.padEnd(42)} ${'allowed'.padStart(7)} ${'public'.padStart(7)} ${'401'.padStart(5)} ${'403'.padStart(5)}`);
  for (const p of principals) {
    const mine = calls.filter((c) => c.principal === p);
    const n = (e: Expected) => String(mine.filter((c) => c.expected === e).length);
    lines.push(`${p.name.padEnd(42)} ${n('allowed').padStart(7)} ${n('public').padStart(7)} ${n('unauthenticated').padStart(5)} ${n('denied').padStart(5)}`);
  }
  return lines.join('\n');
}
