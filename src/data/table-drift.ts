/**
 * Offline drift and validation of tables sent in the body (the Python client's ferry.drift / ferry.validate):
 * the schema diff, drift tests and suite results a dataset diff and a suite validation answer, nothing stored.
 */
import type { Static } from '@sinclair/typebox';
import type { SuiteInput, tableDrift, validateTable } from '../contract/data.js';
import type { RequestOf, ResponseOf } from '../contract/index.js';
import { FerryError, InvalidParameterError } from '../errors.js';
import { type DriftMethod, type ProfileDriftOptions, profileDriftSummary } from '../stats/index.js';
import { type CheckedTable, type ProfiledTable, checkTable, project, withProfiledTable } from './inline-table.js';
import { readTable } from './table/index.js';
import { type Suite, parseSuite, validateTable as runSuite } from './validation/index.js';
import { compareProfiles } from './version-diff.js';

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
    const seen = new Set<string>();
    body.columns.forEach((c, i) => {
      if (seen.has(c)) throw new InvalidParameterError(`columns[${i}]`, `'columns' names '${c}' twice.`);
      seen.add(c);
    });
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
      ...compared(ref, cur, opts),
    })),
  );
}

/** The dataset diff's comparison; a pair with no column to test is refused, saying why each was left out. */
function compared(ref: ProfiledTable, cur: ProfiledTable, opts: ProfileDriftOptions) {
  const out = compareProfiles(
    { label: 'the reference', schema: ref.schema, profile: ref.profile },
    { label: 'the current table', schema: cur.schema, profile: cur.profile },
    opts,
  );
  if (out.drift.length === 0) {
    const why = out.skipped.length ? out.skipped.map((s) => `'${s.name}': ${s.reason}`).join('; ') : 'they share no column';
    throw new InvalidParameterError('current', `No column of the two tables could be compared (${why}).`);
  }
  return { ...out, summary: profileDriftSummary(out.drift, opts.driftShare) };
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
