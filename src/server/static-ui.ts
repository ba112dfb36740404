/**
 * Serves the web UI (dist/ui, built by `vite build`) at `/`. The files are public — the page signs in with a
 * token and every API call carries it — so this is an onRequest hook that answers GET/HEAD requests no
 * route matched, ahead of the auth hook, rather than a route (every route needs a token unless config.public).
 * API paths (/api, /v2, /metrics, ...) are never answered here: an unknown one still gets the API's 401/404.
 *
 * Paths resolve under the UI folder only (no traversal, no dotfiles); a path without a file extension gets
 * index.html (the app routes with `#/...`); hashed assets are cached for a year, index.html never.
 */
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { hostAllowed } from './security.js';

export interface StaticUiOptions {
  /** The built UI folder; default dist/ui of this package. */
  root?: string;
  /** Host names the server answers to (the same check the API gets). */
  allowedHosts: readonly string[];
}

/** Paths that belong to the API and its probes: never the UI, never index.html. */
const RESERVED = ['/api', '/v1', '/v2', '/metrics', '/health', '/ready', '/openapi.json', '/docs'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Only what the app needs: its own scripts and styles (inline styles set through the CSSOM are allowed), data:/blob: images. */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/ui next to the compiled server (dist/server/…) or, under vitest, the package's dist/ui. */
export function defaultUiRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const pkg = resolve(here, '..', '..');
  return here.split(sep).includes('dist') ? resolve(here, '..', 'ui') : join(pkg, 'dist', 'ui');
}

export function isReservedPath(path: string): boolean {
  const p = path.toLowerCase();
  return RESERVED.some((r) => p === r || p.startsWith(`${r}/`) || p.startsWith(`${r}?`));
}

/**
 * The file a URL path names under root, or null when it must not be served: not decodable, a NUL byte,
 * a dot segment or dotfile, or anything that resolves outside root.
 */
export function resolveUiPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.'))) return null;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  return file === base || file.startsWith(base + sep) ? file : null;
}

async function fileStat(path: string): Promise<Stats | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', UI_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

export function registerStaticUi(app: FastifyInstance, opts: StaticUiOptions): void {
  const root = resolve(opts.root ?? defaultUiRoot());
  const index = join(root, 'index.html');

  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return;
    // A matched route (the API) is none of our business; neither are API paths that matched nothing.
    if (req.routeOptions.url !== undefined) return;
    const path = req.url.split('?')[0]!;
    if (isReservedPath(path)) return;
    if (!hostAllowed(req.headers.host, opts.allowedHosts)) return; // the auth hook answers HOST_NOT_ALLOWED

    const wanted = resolveUiPath(root, path);
    let file = wanted === null ? null : await fileStat(wanted);
    let target = wanted;
    // The SPA's own pages: any extension-less path (and `/`) gets index.html; a missing asset stays a 404.
    if (!file && wanted !== null && extname(path) === '') {
      target = index;
      file = await fileStat(index);
    }
    securityHeaders(reply);
    if (!file || target === null) {
      if (!(await fileStat(index))) {
        return reply.status(404).type('text/plain; charset=utf-8').send('The Ferry web UI is not built: run `npm run build` (it writes dist/ui).\n');
      }
      return reply.status(404).type('text/plain; charset=utf-8').send('Not found.\n');
    }
    const isIndex = target === index;
    const hashed = !isIndex && target.startsWith(join(root, 'assets') + sep);
    reply
      .status(200)
      .type(TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream')
      .header('content-length', file.size)
      .header('last-modified', file.mtime.toUTCString())
      .header('cache-control', isIndex ? 'no-cache' : hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    if (req.method === 'HEAD') return reply.send();
    return reply.send(createReadStream(target));
  });
}
