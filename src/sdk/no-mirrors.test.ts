/**
 * The SDK declares no wire shape of its own: its types are Static<> of the contract (src/contract/), so the
 * server and the SDK cannot disagree. This parses every SDK module and fails on a hand-written shape: an
 * interface, a type alias that is (or joins) an object literal, or an object literal in a method's return type,
 * unless it is an SDK-only type listed below with the reason it is not a wire shape.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('.', import.meta.url));

/** SDK-only types, `file:Name` (a method as `file:Class.method`), each with why it is not a mirror. */
const ALLOWED: Record<string, string> = {
  'http.ts:ClientOptions': "the client's own settings (URL, token, timeout, fetch)",
  'loops-api.ts:WatchLoopRunOptions': 'how often watch() polls, and the signal that stops it (no wire shape)',
  'http.ts:LooseInput': 'the untyped view of CallInput inside HttpClient.call',
  'http.ts:HttpClient.send': "the transport's answer (text, status), whatever the body",
  'tracking-api.ts:SearchExperimentsOptions': "camel-cased options; each field's type is the contract body's",
  'tracking-api.ts:SearchRunsOptions': "camel-cased options; each field's type is the contract body's",
  'tracking-api.ts:CreateRunOptions': "camel-cased options; each field's type is the contract body's",
  'tracking-api.ts:LogBatchInput': 'logBatch without the run id; params/tags typed from the contract, metrics as MetricInput',
  'tracking-api.ts:RunsApi.metricHistory': 'the points of every page joined, and whether a bound cut them short (not an answer of the server)',
  'tracking-types.ts:MetricInput': "the contract's metric with JS numbers (NaN, ±Infinity) and defaults for timestamp and step",
  'registry-api.ts:SearchRegistryOptions': "camel-cased options; each field's type is the contract query's",
  'registry-api.ts:CreateModelVersionOptions': "camel-cased options; each field's type is the contract body's",
  'auth-api.ts:AuditOptions': "camel-cased options; each field's type is the contract query's",
  'data-api.ts:FileOptions': 'how a file is sent (name, format, content type)',
  'monitoring-api.ts:WindowQuery': "camel-cased options; each field's type is the contract query's",
  'monitoring-api.ts:PredictionQuery': "camel-cased options; each field's type is the contract query's",
  'alerts-api.ts:AlertHistoryOptions': "camel-cased options; each field's type is the contract query's",
  'jobs-api.ts:ListJobsOptions': 'camel-cased options of listJobs (state typed by the contract)',
  'deployments-types.ts:PredictRequest': "the contract's request plus the other top-level fields that travel along (a sticky key)",
  'estimated-performance-api.ts:EstimatedPerformanceQuery': "the contract's query with from/to also as epoch ms (numbers), each other field the contract's",
  'monitoring-types.ts:FeatureDriftRow': 'a drift table row read loosely (judged or not) by the CLI and the UI, built from FeatureDrift',
};

function hasObjectLiteral(node: ts.TypeNode): boolean {
  if (ts.isTypeLiteralNode(node) || ts.isMappedTypeNode(node)) return true;
  if (ts.isIntersectionTypeNode(node) || ts.isUnionTypeNode(node)) return node.types.some(hasObjectLiteral);
  if (ts.isParenthesizedTypeNode(node)) return hasObjectLiteral(node.type);
  // Promise<{...}>, Array<{...}>: the literal is the shape all the same.
  if (ts.isTypeReferenceNode(node)) return (node.typeArguments ?? []).some(hasObjectLiteral);
  if (ts.isArrayTypeNode(node)) return hasObjectLiteral(node.elementType);
  return false;
}

/** The hand-written shapes of one module, as `file:Name`. */
export function handWrittenShapes(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st)) found.push(`${file}:${st.name.text}`);
    else if (ts.isTypeAliasDeclaration(st)) {
      // Generic helpers (CallInput<S>, QueryOf<Q>) compute from the contract; they describe no shape themselves.
      if (!st.typeParameters?.length && hasObjectLiteral(st.type)) found.push(`${file}:${st.name.text}`);
    } else if (ts.isClassDeclaration(st) && st.name) {
      for (const m of st.members) {
        if (ts.isMethodDeclaration(m) && m.type && ts.isIdentifier(m.name) && hasObjectLiteral(m.type)) found.push(`${file}:${st.name.text}.${m.name.text}`);
      }
    } else if (ts.isFunctionDeclaration(st) && st.name && st.type && hasObjectLiteral(st.type)) found.push(`${file}:${st.name.text}`);
  }
  return found;
}

const modules = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('the SDK has no hand-written wire types', () => {
  it('declares no interface or object type outside the list of SDK-only types', () => {
    const found = modules.flatMap((f) => handWrittenShapes(f, readFileSync(`${DIR}${f}`, 'utf8')));
    expect(found.filter((name) => !(name in ALLOWED))).toEqual([]);
    // An entry whose type went away goes too, so the list stays the list of what exists.
    expect(Object.keys(ALLOWED).filter((name) => !found.includes(name))).toEqual([]);
  });

  it('finds the shapes it looks for', () => {
    const src = `
      export interface Run { run_id: string }
      type Page = { runs: Run[] } & { next?: string };
      export type Ok = Static<typeof C.Run>;
      export type Helper<T> = { [K in keyof T]: string };
      export class Api { get(): Promise<{ run: Run }> { return null!; } list(): Promise<Ok[]> { return null!; } }
      export function f(): Array<{ a: 1 }> { return []; }`;
    expect(handWrittenShapes('x.ts', src)).toEqual(['x.ts:Run', 'x.ts:Page', 'x.ts:Api.get', 'x.ts:f']);
  });
});
