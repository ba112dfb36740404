/** The only file that listens: opens the store and artifact root, builds the app, binds, prints the address. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pc from 'picocolors';
import { buildApp } from './app.js';
import { LocalArtifactStore } from './artifacts/index.js';
import { bootstrapAdmin } from './auth/index.js';
import type { FerryConfig } from './config.js';
import { openStore } from './store/index.js';

export async function startServer(config: FerryConfig): Promise<{ url: string; close(): Promise<void> }> {
  // The data dir holds the database (token hashes, audit log) and artifacts: owner-only from the start.
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await openStore(config.storeUrl);
  const artifacts = new LocalArtifactStore(join(config.dataDir, 'artifacts'));
  const app = await buildApp({ config, store, artifacts });
  const boot = await bootstrapAdmin(app.ferry.auth, config.dataDir, config.adminToken);
  if (config.insecureNoAuth) {
    app.log.warn('--insecure-no-auth: authentication is OFF; every caller is an admin. Use only on a private machine.');
  }
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('://[::1]', '://localhost');
  process.stdout.write(`Ferry listening on ${url} (store ${store.displayUrl})\n`);
  if (boot) {
    const shown = config.adminToken ? '(from FERRY_ADMIN_TOKEN)' : boot.token;
    process.stdout.write(`${pc.bold('Admin token')} ${shown}\n  shown once; also saved (mode 0600) in ${boot.file}\n`);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await store.close();
  };
  return { url, close };
}
