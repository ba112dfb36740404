/**
 * Every operation the contract declares, found by loading each module of src/contract/ and keeping the exports that
 * are operations (not a hand list: a new operation joins the matrix by being declared), and a plausible request to
 * each route: path parameters filled in, a minimal JSON body where one may be sent.
 */
import { readdirSync } from 'node:fs';
import type { Operation, OperationSpec } from '../../../src/contract/index.js';

const CONTRACT_DIR = new URL('../../../src/contract/', import.meta.url);

function isOperation(v: unknown): v is Operation {
  const spec = (v as { spec?: Partial<OperationSpec> } | null)?.spec;
  return typeof spec?.operationId === 'string' && typeof spec.method === 'string' && typeof spec.path === 'string' && 'responses' in (v as object);
}

/** The contract's operations by operationId, each with the module that declares it. */
export async function contractOperations(): Promise<Map<string, { spec: OperationSpec; module: string }>> {
  const out = new Map<string, { spec: OperationSpec; module: string }>();
  const files = readdirSync(CONTRACT_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const file of files.sort()) {
    const mod = (await import(new URL(file, CONTRACT_DIR).href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (!isOperation(value)) continue;
      const prior = out.get(value.spec.operationId);
      if (prior && prior.spec !== value.spec) throw new Error(`operationId ${value.spec.operationId} is declared twice (${prior.module}, ${file})`);
      out.set(value.spec.operationId, { spec: value.spec, module: file });
    }
  }
  return out;
}

/** `METHOD /template`, the key a Fastify route and a contract operation share (HEAD kept apart). */
export const routeKey = (method: string, template: string) => `${method} ${template}`;

/**
 * A concrete URL for a path template. Any value will do for the auth decision (it is taken before the handler
 * runs); numbers where the name suggests one, so allowed callers mostly reach the handler rather than a 400.
 * `overrides` pins chosen parameters (a scoped token's deployment).
 */
export function sampleUrl(template: string, overrides: Record<string, string> = {}): string {
  return template
    .replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(overrides[name] ?? (/^(version|seq|id)$/.test(name) ? '1' : `matrix-${name}`)))
    .replace(/\*$/, 'matrix/file.txt');
}

/** A minimal body: `{}` where the operation takes one (any POST, PUT or PATCH, a DELETE whose contract has a body). */
export function samplePayload(method: string, spec: OperationSpec | undefined): object | undefined {
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') return {};
  return method === 'DELETE' && (spec?.body || spec?.rawBody) ? {} : undefined;
}

/**
 * The router's own list of routes, read from `app.printRoutes({ commonPrefix: false })`: a tree whose child lines
 * continue their parent's path (`├── /api/x (GET, HEAD)` then `│   └── -y (POST)` is `/api/x-y`). A second source
 * next to the app's onRoute record, so a route registered before that hook cannot escape the matrix. The printout
 * drops the static part before a wildcard (`/a/b/*` under `/a` prints as `/a*`), so compare with `recordedAs`.
 */
export function routerRoutes(printed: string): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    const indent = line.search(/[^│├└─\s]/);
    if (indent < 0) continue;
    const depth = Math.max(0, indent / 4 - 1);
    const m = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.slice(indent))!;
    const path = (stack[depth - 1] ?? '') + m[1]!;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of m[2]?.split(', ') ?? []) out.push({ method, path });
  }
  return out;
}

/**
 * Whether a route as the router prints it is one recorded by the onRoute hook: the same path, the recorded path's
 * trailing-slash twin (Fastify registers `/docs/` with `/docs`), or a wildcard route the printout shortened.
 */
export function recordedAs(printed: { method: string; path: string }, recorded: { method: string; url: string }): boolean {
  if (printed.method !== recorded.method) return false;
  if (printed.path === recorded.url || printed.path === `${recorded.url}/`) return true;
  return printed.path.endsWith('*') && recorded.url.endsWith('*') && recorded.url.startsWith(printed.path.slice(0, -1));
}
