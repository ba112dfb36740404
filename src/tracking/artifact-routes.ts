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

/** `bytes=a-b`, `bytes=a-` or `bytes=-n`: one range; anything else (several ranges, other units) is ignored. */
export function parseRange(header: string | undefined): { start?: number; end?: number; suffix?: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const num = (x: string) => (x === '' ? undefined : Number(x));
  const [a, b] = [num(m[1]!), num(m[2]!)];
  if ((a !== undefined && !Number.isSafeInteger(a)) || (b !== undefined && !Number.isSafeInteger(b))) return null;
  if (a === undefined) return { suffix: b! };
  if (b !== undefined && b < a) return null;
  return { start: a, ...(b !== undefined ? { end: b } : {}) };
}

/** A file's size (the stream opened to learn it is closed at once). */
async function sizeOf(artifacts: ArtifactStore, path: string): Promise<number> {
  const f = await artifacts.get(path);
  f.stream.destroy();
  return f.size;
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
        // Headers only once the file is known to exist: a refusal is rendered as the usual JSON error.
        const fileHeaders = () => {
          const ext = posix.extname(path).toLowerCase();
          // Never let a browser render an uploaded file as a page on our origin.
          reply.header('content-type', MIME[ext] ?? 'application/octet-stream');
          reply.header('x-content-type-options', 'nosniff');
          reply.header('content-disposition', `attachment; filename="${encodeURIComponent(posix.basename(path))}"`);
          reply.header('accept-ranges', 'bytes');
        };
        const range = parseRange(req.headers.range);
        if (range) {
          // One range (what resuming clients send); a malformed or multi-range header is ignored (RFC 9110 §14.2).
          const total = await sizeOf(deps.artifacts, path);
          const start = range.suffix !== undefined ? Math.max(0, total - range.suffix) : range.start!;
          if (start >= total || range.suffix === 0) {
            reply.header('content-range', `bytes */${total}`);
            return reply.code(416).header('content-type', 'text/plain; charset=utf-8').send('');
          }
          const part = await deps.artifacts.getRange(path, start, range.end);
          fileHeaders();
          reply.header('content-range', `bytes ${part.start}-${part.start + part.size - 1}/${part.total}`);
          reply.header('content-length', part.size);
          return reply.code(206).send(part.stream);
        }
        const file = await deps.artifacts.get(path);
        fileHeaders();
        reply.header('content-length', file.size);
        return reply.send(file.stream);
      },
    );
  });
}
