import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { startServer } from '../main.js';

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('Start the Ferry server (SQLite + local artifacts under --data-dir unless --store says otherwise)')
    .option('--host <host>', 'address to bind (FERRY_HOST)', undefined)
    .option('--port <port>', 'port; 0 picks a free one (FERRY_PORT)', undefined)
    .option('--data-dir <dir>', 'data folder (FERRY_DATA_DIR)', undefined)
    .option('--store <url>', 'metadata store: sqlite:PATH or postgres://… (FERRY_STORE)', undefined)
    .option('--allowed-hosts <list>', 'extra Host header names to accept, comma-separated (FERRY_ALLOWED_HOSTS)')
    .option('--max-artifact-bytes <n>', 'largest artifact upload (FERRY_MAX_ARTIFACT_BYTES)')
    .option('--insecure-no-auth', 'turn authentication off (local experiments only)')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const config = loadConfig({
        host: opts['host'] as string | undefined,
        port: opts['port'] as string | undefined,
        dataDir: opts['dataDir'] as string | undefined,
        store: opts['store'] as string | undefined,
        allowedHosts: opts['allowedHosts'] as string | undefined,
        maxArtifactBytes: opts['maxArtifactBytes'] as string | undefined,
        insecureNoAuth: opts['insecureNoAuth'] === true ? true : undefined,
      });
      const server = await startServer(config);
      const stop = (signal: string) => {
        process.stderr.write(`\nferry: ${signal}, shutting down\n`);
        server.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}
