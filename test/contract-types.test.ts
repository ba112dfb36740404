/**
 * The contract's types survive its helpers. A helper that returns a plain `TSchema` (or a responses map typed
 * as `Record<number, …>`) makes `Static<>` of it `unknown`: handlers may then answer anything and the SDK's
 * types say nothing, while every runtime test still passes. This file is checked by `npm run typecheck`
 * (tsconfig includes test/): for every operation of every contract module, each success answer, the request
 * body, query and params must have a real type. The vitest part keeps the module list below complete.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Static, TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import type { Operation, OperationSpec, ResponseOf } from '../src/contract/operation.js';

type IsAny<T> = 0 extends 1 & T ? true : false;
/** `any`, or `unknown` (what Static<TSchema> gives). */
type Erased<T> = IsAny<T> extends true ? true : unknown extends T ? true : false;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type SuccessStatus = 200 | 201 | 202 | 204;
/** The types a success status may answer: its schema's, or each declared content type's. */
type AnswerTypes<R> = R extends { content: infer C }
  ? { [T in keyof C]: C[T] extends { schema: infer X extends TSchema } ? Static<X> : unknown }[keyof C]
  : R extends TSchema
    ? Static<R>
    : unknown;

type PartProblem<S extends OperationSpec, P extends 'params' | 'query' | 'body', Label extends string> = S[P] extends TSchema
  ? Erased<Static<S[P]>> extends true
    ? Label
    : never
  : never;

/** What is wrong with one operation's types, as labels (never when nothing is). */
export type Problems<S extends OperationSpec> =
  | (number extends keyof S['responses'] ? 'responses typed as a Record (every answer unknown)' : never)
  | ([keyof S['responses'] & SuccessStatus] extends [never] ? 'no typed success status' : never)
  | {
      [K in keyof S['responses'] & SuccessStatus]: Erased<AnswerTypes<S['responses'][K]>> extends true ? `${K} answer is unknown/any` : never;
    }[keyof S['responses'] & SuccessStatus]
  | (keyof S['responses'] & SuccessStatus extends 204 ? never : Erased<ResponseOf<S>> extends true ? 'ResponseOf is unknown/any' : never)
  | PartProblem<S, 'body', 'body is unknown/any'>
  | PartProblem<S, 'query', 'query is unknown/any'>
  | PartProblem<S, 'params', 'params is unknown/any'>;

/** `operation: problem` for every export of a module that is an operation with a problem. */
export type ErasedOperations<M> = { [K in keyof M]: M[K] extends Operation<infer S> ? `${K & string}: ${Problems<S>}` : never }[keyof M];

/** Every contract module that declares operations; the vitest case below fails when a new one is missing here. */
interface Modules {
  abtests: typeof import('../src/contract/abtests.js');
  approvals: typeof import('../src/contract/approvals.js');
  alerts: typeof import('../src/contract/alerts.js');
  auth: typeof import('../src/contract/auth.js');
  cluster: typeof import('../src/contract/cluster.js');
  cards: typeof import('../src/contract/cards.js');
  conversions: typeof import('../src/contract/conversions.js');
  data: typeof import('../src/contract/data.js');
  deployments: typeof import('../src/contract/deployments.js');
  'estimated-performance': typeof import('../src/contract/estimated-performance.js');
  explain: typeof import('../src/contract/explain.js');
  fairness: typeof import('../src/contract/fairness.js');
  'inference-v2': typeof import('../src/contract/inference-v2.js');
  jobs: typeof import('../src/contract/jobs.js');
  loops: typeof import('../src/contract/loops.js');
  'loops-interop': typeof import('../src/contract/loops-interop.js');
  monitoring: typeof import('../src/contract/monitoring.js');
  registry: typeof import('../src/contract/registry.js');
  server: typeof import('../src/contract/server.js');
  streams: typeof import('../src/contract/streams.js');
  tracking: typeof import('../src/contract/tracking.js');
}

type AllErased = { [M in keyof Modules]: ErasedOperations<Modules[M]> extends infer E ? (E extends string ? `${M}.${E}` : never) : never }[keyof Modules];

// The check itself: a type error here names each operation whose types were erased.
const noneErased: Equal<AllErased, never> = true;

// The check can fail: an operation whose 200 is a bare TSchema, or whose body is, is reported.
type Erasing = {
  spec: { method: 'POST'; path: '/x'; operationId: 'x'; summary: ''; tag: ''; access: 'viewer'; style: 'native'; body: TSchema; responses: { 200: TSchema } };
  responses: Record<number, never>;
};
const caught: Equal<
  ErasedOperations<{ erasing: Erasing }>,
  'erasing: 200 answer is unknown/any' | 'erasing: ResponseOf is unknown/any' | 'erasing: body is unknown/any'
> = true;
type RecordResponses = {
  spec: { method: 'GET'; path: '/x'; operationId: 'x'; summary: ''; tag: ''; access: 'viewer'; style: 'native'; responses: Record<number, TSchema> };
  responses: Record<number, never>;
};
const caughtRecord: 'rec: responses typed as a Record (every answer unknown)' extends ErasedOperations<{ rec: RecordResponses }> ? true : false = true;

const MODULES: Record<keyof Modules, true> = {
  abtests: true,
  approvals: true,
  alerts: true,
  auth: true,
  cards: true,
  conversions: true,
  cluster: true,
  data: true,
  deployments: true,
  'estimated-performance': true,
  explain: true,
  fairness: true,
  'inference-v2': true,
  jobs: true,
  loops: true,
  'loops-interop': true,
  monitoring: true,
  registry: true,
  server: true,
  streams: true,
  tracking: true,
};

describe('the contract type check', () => {
  it('covers every contract module that declares operations', async () => {
    const dir = fileURLToPath(new URL('../src/contract/', import.meta.url));
    const withOps: string[] = [];
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .sort()) {
      const mod = (await import(`../src/contract/${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
      const isOperation = (v: unknown) =>
        typeof v === 'object' &&
        v !== null &&
        'spec' in v &&
        'responses' in v &&
        typeof (v as { spec: { operationId?: unknown } }).spec.operationId === 'string';
      // index.ts re-exports others' operations (none today); a module is listed where it declares them.
      if (file !== 'index.ts' && Object.values(mod).some(isOperation)) withOps.push(file.replace(/\.ts$/, ''));
    }
    expect([...withOps].sort()).toEqual(Object.keys(MODULES).sort());
    expect([noneErased, caught, caughtRecord]).toEqual([true, true, true]);
  });
});
