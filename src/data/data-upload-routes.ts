/**
 * Routes that move file bytes (so they stream instead of going through the JSON ApiRoute path): push a
 * dataset version, download one, validate an ad-hoc file against a suite. The server's hooks still
 * authenticate, authorise (config.role) and audit (config.audit) them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { optString } from '../fields.js';
import { checkFormat, type DatasetService } from './dataset-service.js';
import type { SuiteService } from './suite-service.js';

const CONTENT_TYPE: Record<string, string> = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson', parquet: 'application/vnd.apache.parquet' };

function bodyOf(req: FastifyRequest): Readable {
  return (req.body as Readable | undefined) ?? req.raw;
}

function query(req: FastifyRequest): Record<string, unknown> {
  return req.query as Record<string, unknown>;
}

function fileMeta(req: FastifyRequest) {
  const q = query(req);
  return {
    filename: optString(q, 'filename'),
    contentType: req.headers['content-type'],
    format: checkFormat(optString(q, 'format')),
  };
}

export async function registerDataUploadRoutes(app: FastifyInstance, deps: { datasets: DatasetService; suites: SuiteService }): Promise<void> {
  await app.register(async (scope) => {
    // Files stream to a spool file; no body parser may buffer them.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    scope.post(
      '/api/v1/datasets/:name/versions',
      { config: { role: 'editor', style: 'native' }, schema: { summary: 'Push a data file (CSV, JSON Lines, Parquet) as a dataset version; identical bytes answer the existing version', tags: ['data'] } },
      async (req, reply) => {
        const { name } = req.params as { name: string };
        const description = optString(query(req), 'description');
        const out = await deps.datasets.push(name, bodyOf(req), { ...fileMeta(req), ...(description !== undefined ? { description } : {}) }, req.principal.name);
        return reply.status(out.created ? 201 : 200).send(out);
      },
    );

    scope.get(
      '/api/v1/datasets/:name/versions/:ref/file',
      { config: { role: 'viewer', style: 'native', audit: 'artifact-read' }, schema: { summary: "Download a dataset version's file", tags: ['data'] } },
      async (req, reply) => {
        const { name, ref } = req.params as { name: string; ref: string };
        const file = await deps.datasets.open(name, ref);
        reply.header('content-type', CONTENT_TYPE[file.format] ?? 'application/octet-stream');
        reply.header('x-content-type-options', 'nosniff');
        reply.header('content-disposition', `attachment; filename="${encodeURIComponent(file.filename)}"`);
        reply.header('content-length', file.size);
        return reply.send(file.stream);
      },
    );

    scope.post(
      '/api/v1/suites/:name/validate',
      { config: { role: 'viewer', style: 'native' }, schema: { summary: 'Validate a data file (the body) against a suite (a CI gate: nothing is stored)', tags: ['data'] } },
      async (req) => {
        const { name } = req.params as { name: string };
        return deps.suites.validateFile(name, bodyOf(req), fileMeta(req));
      },
    );
  });
}
