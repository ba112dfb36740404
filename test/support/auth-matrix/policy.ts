/**
 * The access policy as docs/security.md states it ("Who may call what"), read from the document itself so that the
 * prose users read and the rules the auth matrix checks cannot drift apart. Deliberately independent of the
 * contract's `access` declarations: the matrix compares the two.
 */
import { readFileSync } from 'node:fs';

export type Access = 'public' | 'viewer' | 'editor' | 'admin';

export interface PolicyRule {
  /** The table row as written, to name it in failures. */
  text: string;
  methods: readonly string[];
  patterns: readonly string[];
  access: Access;
}

const SECTION = '## Who may call what';
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];
const ALL = ['GET', ...WRITES];
const ACCESS = new Set<string>(['public', 'viewer', 'editor', 'admin']);

/** The rows of the section's table whose header starts with `header`, as [method, paths, third column] cells. */
function tableRows(section: string, header: string): { line: string; cells: string[] }[] {
  const lines = section.split('\n');
  const at = lines.findIndex((l) => l.startsWith(header));
  if (at < 0 || !lines[at + 1]?.startsWith('|---')) throw new Error(`the '${SECTION}' section has no table headed '${header}'`);
  const out: { line: string; cells: string[] }[] = [];
  for (const line of lines.slice(at + 2)) {
    if (!line.startsWith('|')) break;
    out.push({
      line,
      cells: line
        .split('|')
        .map((c) => c.trim())
        .slice(1, 4),
    });
  }
  return out;
}

function methodsOf(cell: string, line: string): readonly string[] {
  const methods = cell === 'any' ? ALL : cell === 'writes' ? WRITES : [cell];
  if (!methods.every((m) => ALL.includes(m))) throw new Error(`policy row '${line}': unknown method '${cell}'`);
  return methods;
}

function patternsOf(cell: string, line: string): string[] {
  const patterns = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  if (patterns.length === 0 || !patterns.every((p) => p.startsWith('/'))) throw new Error(`policy row '${line}': no path patterns`);
  return patterns;
}

export interface Policy {
  /** Who may call what, first match wins. */
  rules: PolicyRule[];
  /** What a prediction-only token may call besides public routes; `{deployment}` in a pattern is its own deployment. */
  scoped: PolicyRule[];
}

/** The section's two tables; throws, saying why, when the section or a row cannot be read. */
export function parsePolicy(markdown: string): Policy {
  const start = markdown.indexOf(`\n${SECTION}\n`);
  if (start < 0) throw new Error(`docs/security.md has no '${SECTION}' section`);
  const rest = markdown.slice(start + SECTION.length + 2);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const rules = tableRows(section, '| Method | Paths | Least role |').map(({ line, cells: [method = '', paths = '', access = ''] }) => {
    if (!ACCESS.has(access)) throw new Error(`policy row '${line}': unknown role '${access}'`);
    return { text: line.slice(0, 160), methods: methodsOf(method, line), patterns: patternsOf(paths, line), access: access as Access };
  });
  const scoped = tableRows(section, '| Method | Paths | For a scoped token |').map(({ line, cells: [method = '', paths = ''] }) => ({
    text: line.slice(0, 160),
    methods: methodsOf(method, line),
    patterns: patternsOf(paths, line),
    access: 'viewer' as const,
  }));
  return { rules, scoped };
}

export function readPolicy(): Policy {
  return parsePolicy(readFileSync(new URL('../../../docs/security.md', import.meta.url), 'utf8'));
}

/**
 * Whether a path template (`/api/v1/models/:name`, `/docs/static/*`) matches a pattern: `*` is one segment, a
 * trailing `**` any number, `{deployment}` one path parameter (returned, so the caller knows which one holds the
 * deployment). False when it does not match; true, or the parameter's name, when it does.
 */
export function pathMatches(pattern: string, template: string): boolean | string {
  const p = pattern.split('/').slice(1);
  const t = template.split('/').slice(1);
  let param: string | undefined;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '**' && i === p.length - 1) return param ?? true;
    if (i >= t.length) return false;
    if (p[i] === '{deployment}') {
      if (!t[i]!.startsWith(':')) return false;
      param = t[i]!.slice(1);
    } else if (p[i] !== '*' && p[i] !== t[i]) return false;
  }
  return p.length === t.length && (param ?? true);
}

/** The first rule that covers a route; HEAD is answered as GET. Undefined: the policy says nothing (a failure). */
export function ruleFor(rules: readonly PolicyRule[], method: string, template: string): PolicyRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return rules.find((r) => r.methods.includes(m) && r.patterns.some((p) => pathMatches(p, template) !== false));
}

/**
 * What the policy lets a prediction-only token do on a route: 'any' (whatever the deployment), the name of the path
 * parameter that must be its deployment, or 'refused'.
 */
export function scopedAccess(scoped: readonly PolicyRule[], method: string, template: string): 'any' | 'refused' | { deploymentParam: string } {
  const m = method === 'HEAD' ? 'GET' : method;
  for (const r of scoped.filter((x) => x.methods.includes(m))) {
    for (const p of r.patterns) {
      const hit = pathMatches(p, template);
      if (hit === true) return 'any';
      if (typeof hit === 'string') return { deploymentParam: hit };
    }
  }
  return 'refused';
}
