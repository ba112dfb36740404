/** The only file that listens: opens the store and artifact root, builds the app, binds, prints the address. */
import { mkdir } from 'node:fs/promises';
import pc from 'picocolors';
import { buildApp } from './app.js';
import { openArtifactStore } from './artifacts/index.js';
import { bootstrapAdmin } from './auth/index.js';
import type { FerryConfig } from './config.js';
import { openStore } from './store/index.js';

const CLOSE_TIMEOUT_MS = 10_000;

export async function startServer(config: FerryConfig): Promise<{ url: string; close(): Promise<void> }> {
  // The data dir holds the database (token hashes, audit log) and artifacts: owner-only from the start.
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await openStore(config.storeUrl);
  const artifacts = await openArtifactStore(config.artifactsDir);
  const app = await buildApp({ config, store, artifacts });
  const boot = await bootstrapAdmin(app.ferry.auth, config.dataDir, config.adminToken);
  if (config.insecureNoAuth) {
    app.log.warn('--insecure-no-auth: authentication is OFF; every caller is an admin. Use only on a private machine.');
  }
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('://[::1]', '://localhost');
  // Jobs call back to this URL (MLFLOW_TRACKING_URI), so the worker starts once it is known.
  app.ferry.jobs.start(url);
  app.ferry.loops.start();
  process.stdout.write(`Ferry listening on ${url} (store ${store.displayUrl})\n`);
  if (boot) {
    const shown = config.adminToken ? '(from FERRY_ADMIN_TOKEN)' : boot.token;
    process.stdout.write(`${pc.bold('Admin token')} ${shown}\n  shown once; also saved (mode 0600) in ${boot.file}\n`);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
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
