/**
 * MLflow's artifact proxy (/api/2.0/mlflow-artifacts/artifacts/...) and runs' artifacts/list. Listing and
 * deleting are JSON routes like any other; uploads and downloads move bytes, so they are Fastify routes that
 * stream (registerArtifactStreams) — described by the same contract, and authenticated, authorised and
 * audited by the server's hooks like every other route.
 */
import type { FastifyInstance, FastifySchema } from 'fastify';
import type { Readable } from 'node:stream';
import { posix } from 'node:path';
import { route, type ApiRoute } from '../api-route.js';
import { type ArtifactStore, normaliseArtifactPath } from '../artifacts/index.js';
import type { Operation, RequestOf, ResponseOf } from '../contract/index.js';
import * as C from '../contract/tracking.js';
import { InvalidParameterError } from '../errors.js';
import { ARTIFACT_SCHEME } from './experiment-service.js';
import type { RunService } from './run-service.js';

export interface ArtifactRouteDeps {
  artifacts: ArtifactStore;
  runs: RunService;
  maxArtifactBytes: number;
  /** Downloads redirect to a presigned URL valid this long (seconds), where the store presigns; 0: streamed. */
  presignSeconds?: number;
}

/** Store path of an mlflow-artifacts: URI, or null for URIs this server does not proxy. */
export function storePathOf(uri: string): string | null {
  if (!uri.startsWith(ARTIFACT_SCHEME)) return null;
  return normaliseArtifactPath(uri.slice(ARTIFACT_SCHEME.length).replace(/^\/+/, ''), 'artifact_uri');
}

const MIME: Record<string, string> = {
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.yaml': 'text/yaml',
  '.yml': 'text/yaml',
  '.csv': 'text/csv',
  '.html': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'text/plain; charset=utf-8',
};

/** Listing and deleting (JSON answers). */
export function artifactRoutes(deps: Pick<ArtifactRouteDeps, 'artifacts' | 'runs'>): ApiRoute[] {
  return [
    route(C.listProxiedArtifacts, async ({ query }) => {
      const files = await deps.artifacts.list(normaliseArtifactPath(query.path ?? ''));
      return {
        files: files.map((f) => ({ path: posix.basename(f.path), is_dir: f.is_dir, ...(f.file_size !== undefined ? { file_size: f.file_size } : {}) })),
      };
    }),
    route(C.deleteArtifact, async ({ params }) => (await deps.artifacts.delete(normaliseArtifactPath(params['*'])), {})),
    route(C.listArtifacts, async ({ query }) => {
      const run = await deps.runs.getRow(query.run_id || query.run_uuid || '');
      const rel = normaliseArtifactPath(query.path ?? '');
      const root = storePathOf(run.artifact_uri);
      if (root === null) return { root_uri: run.artifact_uri, files: [] };
      const files = await deps.artifacts.list(rel ? `${root}/${rel}` : root);
      return {
        root_uri: run.artifact_uri,
        files: files.map((f) => ({ path: posix.relative(root, f.path), is_dir: f.is_dir, ...(f.file_size !== undefined ? { file_size: f.file_size } : {}) })),
      };
    }),
  ];
}

type Upload = typeof C.uploadArtifact.spec;
type Download = typeof C.downloadArtifact.spec;

/** Uploads and downloads, streamed; `schemaOf` (the server's) validates the path from the contract and documents it. */
export async function registerArtifactStreams(app: FastifyInstance, deps: ArtifactRouteDeps, schemaOf: (op: Operation) => FastifySchema): Promise<void> {
  // What the server's hooks read (auth, audit, error style, the contract check): Fastify types none of it.
  const config = (op: Operation, extra: object = {}): Record<string, unknown> => ({ op, role: op.spec.access, style: op.spec.style, ...extra });
  await app.register(async (scope) => {
    // Uploads are streamed to disk by the artifact store, never buffered by a body parser.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    scope.put<{ Params: RequestOf<Upload>['params'] }>(
      C.uploadArtifact.spec.path,
      { config: config(C.uploadArtifact), schema: schemaOf(C.uploadArtifact) },
      async (req): Promise<ResponseOf<Upload>> => {
        const path = normaliseArtifactPath(req.params['*']);
        if (path === '') throw new InvalidParameterError('path', 'An artifact upload needs a file path.');
        const body = (req.body as Readable | undefined) ?? req.raw;
        await deps.artifacts.put(path, body, deps.maxArtifactBytes);
        return {};
      },
    );

    scope.get<{ Params: RequestOf<Download>['params'] }>(
      C.downloadArtifact.spec.path,
      { config: config(C.downloadArtifact, { audit: 'artifact-read' }), schema: schemaOf(C.downloadArtifact) },
      async (req, reply) => {
        const path = normaliseArtifactPath(req.params['*']);
        if (deps.presignSeconds) {
          // Auth and the audit row happened as for a streamed download; the bytes then come from the bucket.
          const url = await deps.artifacts.presignGet(path, deps.presignSeconds);
          if (url) return reply.header('cache-control', 'no-store').redirect(url, 302);
        }
        const file = await deps.artifacts.get(path);
        const ext = posix.extname(path).toLowerCase();
        // Never let a browser render an uploaded file as a page on our origin.
        reply.header('content-type', MIME[ext] ?? 'application/octet-stream');
        reply.header('x-content-type-options', 'nosniff');
        reply.header('content-disposition', `attachment; filename="${encodeURIComponent(posix.basename(path))}"`);
        reply.header('content-length', file.size);
        return reply.send(file.stream);
      },
    );
  });
}
