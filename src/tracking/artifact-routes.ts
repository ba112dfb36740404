/**
 * MLflow's artifact proxy (/api/2.0/mlflow-artifacts/artifacts/...) and runs' artifacts/list. These move
 * bytes, so they are Fastify routes that stream rather than JSON ApiRoutes; the server's hooks still
 * authenticate, authorise (config.role) and audit (config.audit) them like every other route.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { posix } from 'node:path';
import { type ArtifactStore, normaliseArtifactPath } from '../artifacts/index.js';
import { InvalidParameterError } from '../errors.js';
import { optString } from '../fields.js';
import { ARTIFACT_SCHEME } from './experiment-service.js';
import type { RunService } from './run-service.js';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

export interface ArtifactRouteDeps {
  artifacts: ArtifactStore;
  runs: RunService;
  maxArtifactBytes: number;
}

/** Store path of an mlflow-artifacts: URI, or null for URIs this server does not proxy. */
export function storePathOf(uri: string): string | null {
  if (!uri.startsWith(ARTIFACT_SCHEME)) return null;
  return normaliseArtifactPath(uri.slice(ARTIFACT_SCHEME.length).replace(/^\/+/, ''), 'artifact_uri');
}

function wildcardPath(req: FastifyRequest): string {
  const raw = (req.params as Record<string, string>)['*'] ?? '';
  return normaliseArtifactPath(raw);
}

const MIME: Record<string, string> = { '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.yaml': 'text/yaml', '.yml': 'text/yaml', '.csv': 'text/csv', '.html': 'text/plain; charset=utf-8', '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'text/plain; charset=utf-8' };

export async function registerArtifactRoutes(app: FastifyInstance, deps: ArtifactRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    // Uploads are streamed to disk by the artifact store, never buffered by a body parser.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    scope.put(`${PROXY}/*`, { config: { role: 'editor', style: 'mlflow', summary: 'Upload an artifact' } }, async (req) => {
      const path = wildcardPath(req);
      if (path === '') throw new InvalidParameterError('path', 'An artifact upload needs a file path.');
      const body = (req.body as Readable | undefined) ?? req.raw;
      await deps.artifacts.put(path, body, deps.maxArtifactBytes);
      return {};
    });

    scope.get(`${PROXY}/*`, { config: { role: 'viewer', style: 'mlflow', audit: 'artifact-read', summary: 'Download an artifact' } }, async (req, reply) => {
      const path = wildcardPath(req);
      const file = await deps.artifacts.get(path);
      const ext = posix.extname(path).toLowerCase();
      // Never let a browser render an uploaded file as a page on our origin.
      reply.header('content-type', MIME[ext] ?? 'application/octet-stream');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('content-disposition', `attachment; filename="${encodeURIComponent(posix.basename(path))}"`);
      reply.header('content-length', file.size);
      return reply.send(file.stream);
    });

    scope.get(PROXY, { config: { role: 'viewer', style: 'mlflow', summary: 'List artifacts under a path' } }, async (req) => {
      const path = normaliseArtifactPath(optString(req.query as Record<string, unknown>, 'path') ?? '');
      const files = await deps.artifacts.list(path);
      return { files: files.map((f) => ({ path: posix.basename(f.path), is_dir: f.is_dir, ...(f.file_size !== undefined ? { file_size: f.file_size } : {}) })) };
    });

    scope.delete(`${PROXY}/*`, { config: { role: 'editor', style: 'mlflow', summary: 'Delete an artifact or folder' } }, async (req) => {
      await deps.artifacts.delete(wildcardPath(req));
      return {};
    });

    scope.get('/api/2.0/mlflow/artifacts/list', { config: { role: 'viewer', style: 'mlflow', summary: "List a run's artifacts" } }, async (req) => {
      const q = req.query as Record<string, unknown>;
      const runId = optString(q, 'run_id') || optString(q, 'run_uuid');
      if (!runId) throw new InvalidParameterError('run_id', "Missing value for required parameter 'run_id'.");
      const run = await deps.runs.getRow(runId);
      const rel = normaliseArtifactPath(optString(q, 'path') ?? '');
      const root = storePathOf(run.artifact_uri);
      if (root === null) return { root_uri: run.artifact_uri, files: [] };
      const files = await deps.artifacts.list(rel ? `${root}/${rel}` : root);
      return {
        root_uri: run.artifact_uri,
        files: files.map((f) => ({ path: posix.relative(root, f.path), is_dir: f.is_dir, ...(f.file_size !== undefined ? { file_size: f.file_size } : {}) })),
      };
    });
  });
}
