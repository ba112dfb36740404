/** The only file that listens: opens the store and artifact root, builds the app, binds, prints the address. */
import { mkdir, readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import pc from 'picocolors';
import { buildApp } from './app.js';
import { openArtifactStore } from './artifacts/index.js';
import { bootstrapAdmin } from './auth/index.js';
import type { FerryConfig } from './config.js';
import { InvalidParameterError } from './errors.js';
import { openStore } from './store/index.js';

const CLOSE_TIMEOUT_MS = 10_000;

/**
 * How long a stopping server keeps serving with readiness off before it closes its listener, so a load balancer
 * (or Kubernetes' endpoints) stops sending it requests first: FERRY_SHUTDOWN_DRAIN_MS, default 0 (a server on its
 * own stops at once; behind a load balancer set it above the balancer's health-check interval × fall count).
 */
function drainMs(): number {
  const ms = Number(process.env['FERRY_SHUTDOWN_DRAIN_MS'] ?? '0');
  return Number.isInteger(ms) && ms >= 0 && ms <= 300_000 ? ms : 0;
}

/** One TLS file, read at start; a file that cannot be read stops the start with the flag and the reason named. */
async function readTlsFile(path: string, flag: 'tls-cert' | 'tls-key'): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new InvalidParameterError(flag, `Cannot read --${flag} file '${path}' (${reason}).`);
  }
}

async function tlsOf(config: FerryConfig): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  if (!config.tlsCert || !config.tlsKey) return undefined;
  const files = { cert: await readTlsFile(config.tlsCert, 'tls-cert'), key: await readTlsFile(config.tlsKey, 'tls-key') };
  // Checked here so a wrong pair is refused in words, not as an OpenSSL error from deep inside the server's start.
  try {
    createSecureContext(files);
  } catch (err) {
    throw new InvalidParameterError('tls-key', `--tls-cert and --tls-key are not a PEM certificate and its private key (${(err as Error).message}).`);
  }
  return files;
}

export async function startServer(config: FerryConfig): Promise<{ url: string; close(): Promise<void> }> {
  // The data dir holds the database (token hashes, audit log) and artifacts: owner-only from the start.
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const https = await tlsOf(config);
  const store = await openStore(config.storeUrl);
  const artifacts = await openArtifactStore(config.artifacts);
  const app = await buildApp({ config, store, artifacts, ...(https ? { https } : {}) });
  const boot = await bootstrapAdmin(app.ferry.auth, config.dataDir, config.adminToken);
  if (config.insecureNoAuth) {
    app.log.warn('--insecure-no-auth: authentication is OFF; every caller is an admin. Use only on a private machine.');
  }
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('://[::1]', '://localhost');
  // Jobs call back to this URL (MLFLOW_TRACKING_URI), so the worker starts once it is known.
  app.ferry.jobs.start(url);
  app.ferry.loops.start();
  app.ferry.cluster.setUrl(url);
  process.stdout.write(`Ferry listening on ${url} (store ${store.displayUrl})\n`);
  if (boot) {
    const shown = config.adminToken ? '(from FERRY_ADMIN_TOKEN)' : boot.token;
    process.stdout.write(`${pc.bold('Admin token')} ${shown}\n  shown once; also saved (mode 0600) in ${boot.file}\n`);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    const drain = drainMs();
    if (drain > 0) {
      await app.ferry.cluster.drain().catch(() => {});
      await new Promise((r) => setTimeout(r, drain));
    }
    // A graceful close is bounded: past CLOSE_TIMEOUT_MS it says what it was waiting on and lets the process exit.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), CLOSE_TIMEOUT_MS);
    });
    const done = await Promise.race([app.close().then(() => 'done' as const), late]);
    clearTimeout(timer);
    if (done === 'late') {
      process.stderr.write(`ferry: shutdown still waiting on ${app.ferry.shutdown.phase} after ${CLOSE_TIMEOUT_MS / 1000} s; exiting without it\n`);
      return;
    }
    await store.close();
  };
  return { url, close };
}
