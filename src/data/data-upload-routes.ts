/**
 * Routes that move file bytes (so they stream instead of going through the JSON route table): push a dataset
 * version, download one, validate an ad-hoc file against a suite; and the offline drift and validation of tables sent as
 * JSON, whose bodies may be larger than other JSON bodies. `schemaOf` (the server's) validates params and
 * query from the contract and documents the operations; the server's hooks still authenticate, authorise
 * (config.role), audit (config.audit) and check answers against the contract (config.op).
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import type { Operation, RequestOf, ResponseOf } from '../contract/index.js';
import * as C from '../contract/data.js';
import type { DatasetService } from './dataset-service.js';
import type { SuiteService } from './suite-service.js';
import { driftOfTables, validateInline } from './table-drift.js';

type Push = typeof C.pushDatasetVersion.spec;
type Download = typeof C.downloadDatasetVersion.spec;
type ValidateFile = typeof C.validateFile.spec;
type TableDrift = typeof C.tableDrift.spec;
type ValidateTable = typeof C.validateTable.spec;

/** Tables sent as JSON (offline drift and validation) may be larger than the server's other JSON bodies. */
export const INLINE_TABLE_BODY_LIMIT = 64 * 1024 ** 2;

const CONTENT_TYPE: Record<string, string> = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson', parquet: 'application/vnd.apache.parquet' };

function bodyOf(req: FastifyRequest): Readable {
  return (req.body as Readable | undefined) ?? req.raw;
}

function fileMeta(req: FastifyRequest, query: { filename?: string; format?: 'csv' | 'jsonl' | 'parquet' }) {
  return { filename: query.filename, contentType: req.headers['content-type'], format: query.format };
}

export async function registerDataUploadRoutes(
  app: FastifyInstance,
  deps: { datasets: DatasetService; suites: SuiteService },
  schemaOf: (op: Operation) => FastifySchema,
): Promise<void> {
  // Record-typed: @fastify/swagger declares a route config of optional fields only, which an object of other fields would not match.
  const config = (op: Operation, extra: object = {}): Record<string, unknown> => ({ op, role: op.spec.access, style: op.spec.style, ...extra });
  await app.register(async (scope) => {
    // Files stream to a spool file; no body parser may buffer them.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    scope.post<{ Params: RequestOf<Push>['params']; Querystring: RequestOf<Push>['query'] }>(
      C.pushDatasetVersion.spec.path,
      { config: config(C.pushDatasetVersion), schema: schemaOf(C.pushDatasetVersion) },
      async (req, reply) => {
        const { description } = req.query;
        const out: ResponseOf<Push> = await deps.datasets.push(
          req.params.name,
          bodyOf(req),
          { ...fileMeta(req, req.query), ...(description !== undefined ? { description } : {}) },
          req.principal.name,
        );
        return reply.status(out.created ? 201 : 200).send(out);
      },
    );

    scope.get<{ Params: RequestOf<Download>['params'] }>(
      C.downloadDatasetVersion.spec.path,
      { config: config(C.downloadDatasetVersion, { audit: 'artifact-read' }), schema: schemaOf(C.downloadDatasetVersion) },
      async (req, reply) => {
        const file = await deps.datasets.open(req.params.name, req.params.ref);
        reply.header('content-type', CONTENT_TYPE[file.format] ?? 'application/octet-stream');
        reply.header('x-content-type-options', 'nosniff');
        reply.header('content-disposition', `attachment; filename="${encodeURIComponent(file.filename)}"`);
        reply.header('content-length', file.size);
        return reply.send(file.stream);
      },
    );

    scope.post<{ Params: RequestOf<ValidateFile>['params']; Querystring: RequestOf<ValidateFile>['query'] }>(
      C.validateFile.spec.path,
      { config: config(C.validateFile), schema: schemaOf(C.validateFile) },
      async (req): Promise<ResponseOf<ValidateFile>> => deps.suites.validateFile(req.params.name, bodyOf(req), fileMeta(req, req.query)),
    );
  });

  // JSON bodies past the server-wide limit: their own scope, so only these two routes take the larger one.
  await app.register(async (scope) => {
    scope.post<{ Body: RequestOf<TableDrift>['body'] }>(
      C.tableDrift.spec.path,
      { config: config(C.tableDrift), schema: schemaOf(C.tableDrift), bodyLimit: INLINE_TABLE_BODY_LIMIT },
      async (req): Promise<ResponseOf<TableDrift>> => driftOfTables(req.body),
    );
    scope.post<{ Body: RequestOf<ValidateTable>['body'] }>(
      C.validateTable.spec.path,
      { config: config(C.validateTable), schema: schemaOf(C.validateTable), bodyLimit: INLINE_TABLE_BODY_LIMIT },
      async (req): Promise<ResponseOf<ValidateTable>> => validateInline(req.body),
    );
  });
}
