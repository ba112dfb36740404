/**
 * Every capability folder has the same shape (docs/architecture.md): `index.ts` is its public surface and queries
 * live in `*-repo.ts`, never in a `*-service.ts` or a `*-routes.ts`. Services keep the logic and may open a
 * transaction, handing the transaction to repo functions. Sources are parsed with the TypeScript compiler, so a query is found by what it
 * calls, whatever the formatting.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');

/**
 * Services that still run queries themselves, waiting to move theirs into a repo. The list may only shrink: a
 * service not listed here fails when it queries, and one listed here fails when it no longer does (or no longer
 * exists), so whoever moves the queries takes the line out.
 */
const NOT_YET_MOVED = new Set<string>([]);

/** Kysely's entry points to a query: a service that reaches one is writing SQL. */
const QUERY_METHODS = new Set([
  'selectFrom',
  'insertInto',
  'updateTable',
  'deleteFrom',
  'replaceInto',
  'mergeInto',
  'selectNoFrom',
  'withRecursive',
  'executeQuery',
]);

interface Finding {
  line: number;
  text: string;
}

/** Where a source file builds or runs a query itself (a transaction's opening is not one). */
function queriesIn(fileName: string, source: string): Finding[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Finding[] = [];
  const flag = (node: ts.Node) => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
    found.push({ line: line + 1, text: node.getText(file).split('\n')[0]!.slice(0, 100) });
  };
  const isSql = (e: ts.Expression) => ts.isIdentifier(e) && e.text === 'sql';
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      // A value import from kysely (sql, expressionBuilder, CompiledQuery…) is a query in the making; types are fine.
      const from = (node.moduleSpecifier as ts.StringLiteral).text;
      const clause = node.importClause;
      const values =
        clause &&
        !clause.isTypeOnly &&
        (clause.name || (clause.namedBindings && (ts.isNamespaceImport(clause.namedBindings) || clause.namedBindings.elements.some((e) => !e.isTypeOnly))));
      if (from === 'kysely' && values) flag(node);
      return;
    }
    if (ts.isPropertyAccessExpression(node)) {
      if (QUERY_METHODS.has(node.name.text) || isSql(node.expression)) flag(node);
      // A CTE (`db.with('name', (db) => …)`); Array.prototype.with takes a number first.
      if (node.name.text === 'with' && ts.isCallExpression(node.parent) && node.parent.expression === node) {
        const first = node.parent.arguments[0];
        if (first && (ts.isStringLiteralLike(first) || ts.isArrowFunction(first) || ts.isFunctionExpression(first))) flag(node);
      }
    }
    if (ts.isTaggedTemplateExpression(node) && (isSql(node.tag) || (ts.isPropertyAccessExpression(node.tag) && isSql(node.tag.expression)))) flag(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

const files = walk(SRC).map((f) => relative(ROOT, f).split('\\').join('/'));
const services = files.filter((f) => /-(service|routes)\.ts$/.test(f));
const queryingServices = services.filter((f) => queriesIn(f, readFileSync(join(ROOT, f), 'utf8')).length > 0);

describe('finding queries', () => {
  const found = (src: string) => queriesIn('x.ts', src).map((f) => f.text);

  it('finds query builders, sql templates and value imports from kysely', () => {
    expect(found("await this.store.db.selectFrom('runs').selectAll().execute();")).toHaveLength(1);
    expect(found("await trx\n  .insertInto('tags')\n  .values(row)\n  .execute();")).toHaveLength(1);
    expect(found("await db.updateTable('runs').set(p).execute(); await db.deleteFrom('tags').execute();")).toHaveLength(2);
    expect(found('const r = await sql<{ n: number }>`select 1`.execute(db);')).toHaveLength(1);
    expect(found('const r = await sql.raw(text).execute(db);')).toHaveLength(1);
    expect(found("await db.with('t', (q) => q.selectNoFrom((eb) => eb.val(1).as('v')));")).toHaveLength(2);
    expect(found("import { sql } from 'kysely';")).toHaveLength(1);
    expect(found("import { type Kysely, sql } from 'kysely';")).toHaveLength(1);
  });

  it('leaves transactions, type imports, repo calls and look-alikes alone', () => {
    expect(found('await this.store.db.transaction().execute(async (trx) => repo.insertRun(trx, run, tags));')).toEqual([]);
    expect(found("import type { Kysely, Transaction } from 'kysely';\nimport { type Kysely as K } from 'kysely';")).toEqual([]);
    expect(found('const next = list.with(0, 1); const q = `sql ${x}`; const selectFrom = 1;')).toEqual([]);
  });
});

describe('capability folders', () => {
  it('each have an index.ts, their public surface', () => {
    // A top-level folder holding a service or a repo is a capability (server/ has routes, but is plumbing).
    const capabilities = [...new Set(files.filter((f) => /-(service|repo)\.ts$/.test(f)).map((f) => f.split('/')[1]!))];
    expect(capabilities.length).toBeGreaterThan(0);
    expect(
      capabilities.filter((c) => !existsSync(join(SRC, c, 'index.ts'))),
      'capability folders without index.ts',
    ).toEqual([]);
  });

  it('keep queries out of services and routes (they belong in a *-repo.ts)', () => {
    expect(services.length).toBeGreaterThan(0);
    const offenders = queryingServices
      .filter((f) => !NOT_YET_MOVED.has(f))
      .map(
        (f) =>
          `${f}: ${queriesIn(f, readFileSync(join(ROOT, f), 'utf8'))
            .map((q) => `line ${q.line}: ${q.text}`)
            .join('; ')}`,
      );
    expect(offenders, "services and routes that run queries; move them into the capability's *-repo.ts").toEqual([]);
  });

  it('list only services that still run queries as not yet moved (the list can only shrink)', () => {
    const stale = [...NOT_YET_MOVED].filter((f) => !queryingServices.includes(f));
    expect(stale, 'no longer run queries (or no longer exist): take them out of NOT_YET_MOVED').toEqual([]);
  });
});
