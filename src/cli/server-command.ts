/**
 * `ferry server`: starts the server in-process (with quickstart, the exception to cli → sdk). The server is
 * imported when the command runs, so that defining it costs every other `ferry` command nothing.
 */
import type { Command } from 'commander';
import { toStderr } from './to-stderr.js';

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('Start the Ferry server (SQLite + local artifacts under --data-dir unless --store says otherwise)')
    .option('--host <host>', 'address to bind (FERRY_HOST)', undefined)
    .option('--port <port>', 'port; 0 picks a free one (FERRY_PORT)', undefined)
    .option('--data-dir <dir>', 'data folder (FERRY_DATA_DIR)', undefined)
    .option('--store <url>', 'metadata store: sqlite:PATH or postgres://… (FERRY_STORE)', undefined)
    .option(
      '--artifacts <location>',
      'artifact files: a folder or s3://bucket/prefix?endpoint=URL&region=R&path_style=true, credentials from the AWS_* variables; replicas share one (FERRY_ARTIFACTS, default <data-dir>/artifacts)',
      undefined,
    )
    .option('--artifacts-dir <dir>', 'artifact folder, the older form of --artifacts (FERRY_ARTIFACTS_DIR)', undefined)
    .option('--allowed-hosts <list>', 'extra Host header names to accept, comma-separated (FERRY_ALLOWED_HOSTS)')
    .option('--max-artifact-bytes <n>', 'largest artifact upload (FERRY_MAX_ARTIFACT_BYTES)')
    .option('--insecure-no-auth', 'turn authentication off (local experiments only)')
    .option(
      '--auth-max-failures-per-ip <n>',
      'failed sign-ins per client address in 10 minutes before 429; 0: no limit (FERRY_AUTH_MAX_FAILURES_PER_IP, default 20)',
    )
    .option(
      '--auth-max-failures-per-user <n>',
      'failed sign-ins per username in 10 minutes before 429; 0: no limit (FERRY_AUTH_MAX_FAILURES_PER_USER, default 10)',
    )
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (chain); needs --tls-key (FERRY_TLS_CERT)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert (FERRY_TLS_KEY)')
    .option('--json', 'once listening, print {url, data_dir} as one line of JSON (the startup lines go to stderr)')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const [{ loadConfig }, { startServer }] = await Promise.all([import('../config.js'), import('../main.js')]);
      const config = loadConfig({
        host: opts['host'] as string | undefined,
        port: opts['port'] as string | undefined,
        dataDir: opts['dataDir'] as string | undefined,
        store: opts['store'] as string | undefined,
        artifacts: opts['artifacts'] as string | undefined,
        artifactsDir: opts['artifactsDir'] as string | undefined,
        allowedHosts: opts['allowedHosts'] as string | undefined,
        maxArtifactBytes: opts['maxArtifactBytes'] as string | undefined,
        insecureNoAuth: opts['insecureNoAuth'] === true ? true : undefined,
        authMaxFailuresPerIp: opts['authMaxFailuresPerIp'] as string | undefined,
        authMaxFailuresPerUser: opts['authMaxFailuresPerUser'] as string | undefined,
        tlsCert: opts['tlsCert'] as string | undefined,
        tlsKey: opts['tlsKey'] as string | undefined,
      });
      const json = opts['json'] === true;
      const server = await toStderr(json, () => startServer(config));
      if (json) process.stdout.write(`${JSON.stringify({ url: server.url, data_dir: config.dataDir })}\n`);
      const stop = (signal: string) => {
        process.stderr.write(`\nferry: ${signal}, shutting down\n`);
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}
