/**
 * Offline drift and validation of tables sent in the body (the Python client's ferry.drift / ferry.validate):
 * the schema diff, drift tests and suite results a dataset diff and a suite validation answer, nothing stored.
 */
import type { Static } from '@sinclair/typebox';
import type { SuiteInput, tableDrift, validateTable } from '../contract/data.js';
import type { RequestOf, ResponseOf } from '../contract/index.js';
import { FerryError, InvalidParameterError } from '../errors.js';
import type { DriftMethod, ProfileDriftOptions } from '../stats/index.js';
import { type CheckedTable, checkTable, project, withProfiledTable } from './inline-table.js';
import { readTable } from './table/index.js';
import { type Suite, parseSuite, validateTable as runSuite } from './validation/index.js';
import { profileDiff } from './version-diff.js';

type DriftBody = RequestOf<typeof tableDrift.spec>['body'];
type ValidateBody = RequestOf<typeof validateTable.spec>['body'];

/** `age:psi,income:ks` (the contract's pattern) → per-feature tests; each feature must be a compared column. */
function methodsOf(method: string | undefined, columns: Set<string>): Record<string, DriftMethod> | undefined {
  if (!method) return undefined;
  const out: Record<string, DriftMethod> = {};
  for (const pair of method.split(',')) {
    const i = pair.lastIndexOf(':');
    const name = pair.slice(0, i).trim();
    if (!columns.has(name)) throw new InvalidParameterError('method', `'method' names '${name}', which is not a column of both tables.`);
    out[name] = pair.slice(i + 1).trim() as DriftMethod;
  }
  return out;
}

export async function driftOfTables(body: DriftBody): Promise<ResponseOf<typeof tableDrift.spec>> {
  let reference = checkTable(body.reference, 'reference');
  let current = checkTable(body.current, 'current');
  if (body.columns) {
    reference = project(reference, body.columns, 'columns', 'reference');
    current = project(current, body.columns, 'columns', 'current');
  }
  const shared = new Set(reference.names.filter((n) => current.names.includes(n)));
  const opts: ProfileDriftOptions = {};
  const methods = methodsOf(body.method, shared);
  if (methods) opts.methods = methods;
  if (body.drift_share !== undefined) opts.driftShare = body.drift_share;
  return withProfiledTable(reference, (ref) =>
    withProfiledTable(current, async (cur) => ({
      reference: { rows: ref.rows, columns: ref.schema.columns.length, warnings: ref.schema.warnings },
      current: { rows: cur.rows, columns: cur.schema.columns.length, warnings: cur.schema.warnings },
      ...profileDiff(
        { label: 'the reference', schema: ref.schema, profile: ref.profile },
        { label: 'the current table', schema: cur.schema, profile: cur.profile },
        opts,
      ),
    })),
  );
}

/** A suite sent inline; its problems are named under `suite.` (the body's field). */
function suiteOf(input: Static<typeof SuiteInput>): Suite {
  try {
    return parseSuite({ ...input, name: input.name ?? input.expectation_suite_name ?? 'inline' });
  } catch (err) {
    if (err instanceof FerryError && err.errors.length)
      throw new FerryError(
        err.code,
        err.message,
        err.errors.map((e) => ({ ...e, field: `suite.${e.field}` })),
      );
    throw err;
  }
}

export async function validateInline(body: ValidateBody): Promise<ResponseOf<typeof validateTable.spec>> {
  const suite = suiteOf(body.suite);
  const data: CheckedTable = checkTable(body.data, 'data');
  return withProfiledTable(data, async (p) => ({
    file: { filename: null, digest: p.digest, size_bytes: p.size, rows: p.rows, format: 'jsonl' as const, warnings: p.schema.warnings },
    result: await runSuite(suite, p.schema, readTable(p.path, p.schema, { format: 'jsonl' })),
  }));
}
