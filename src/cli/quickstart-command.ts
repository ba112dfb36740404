/**
 * `ferry quickstart [--port N] [--data-dir DIR]`: starts the server on its own data dir (default ./ferry-demo)
 * and loads the demo project through the public API (src/cli/demo), then prints the URL, the sign-in token and
 * what to look at. The server keeps running until SIGINT/SIGTERM. A data dir that already holds the demo is
 * reused as it is; `--no-demo` starts without it; `--json` prints one line of JSON when ready.
 *
 * Like `ferry server`, this command starts the server in-process (the one exception to cli → sdk); the demo
 * itself talks to it only over HTTP, through the SDK. The server, the SDK and the demo are imported when the
 * command runs, so that defining it costs every other `ferry` command nothing.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { DemoSummary, LiveTraffic } from './demo/index.js';
import type { ReportContext } from './demo/report.js';
import { positiveInt } from './options.js';
import { toStderr } from './to-stderr.js';

interface QuickstartOptions {
  host?: string;
  port?: string;
  dataDir?: string;
  demo: boolean;
  live: boolean;
  json?: boolean;
  replaySeconds?: number;
}

const DEFAULT_DATA_DIR = './ferry-demo';

/** The admin token: the one saved in the data dir at its first start (FERRY_ADMIN_TOKEN's value, if it was set). */
async function adminToken(dataDir: string): Promise<string | null> {
  const saved = await readFile(join(dataDir, 'admin-token'), 'utf8').then(
    (t) => t.trim(),
    () => '',
  );
  return saved || process.env['FERRY_ADMIN_TOKEN'] || null;
}

async function progressBar(json: boolean): Promise<{ update(done: number, total: number): void; stop(): void }> {
  if (json || !process.stderr.isTTY) return { update() {}, stop() {} };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    { format: '    traffic |{bar}| {value}/{total} requests', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let state: 'idle' | 'running' | 'done' = 'idle';
  return {
    update(done, total) {
      if (state === 'done') return;
      if (state === 'idle') bar.start(total, 0);
      state = 'running';
      bar.update(done);
    },
    stop() {
      if (state === 'running') bar.stop();
      if (state !== 'idle') state = 'done';
    },
  };
}

async function quickstart(opts: QuickstartOptions): Promise<void> {
  const t0 = Date.now();
  const [
    { loadConfig },
    { startServer },
    { FerryClient },
    { DEFAULT_REPLAY_SECONDS, demoState, loadDemo, startLiveTraffic },
    { bareReport, loadedReport, reusedReport },
    { default: pc },
  ] = await Promise.all([
    import('../config.js'),
    import('../main.js'),
    import('../sdk/index.js'),
    import('./demo/index.js'),
    import('./demo/report.js'),
    import('picocolors'),
  ]);
  const json = opts.json === true;
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  const dataDir = resolve(opts.dataDir ?? DEFAULT_DATA_DIR);
  const config = loadConfig({
    host: opts.host,
    port: opts.port,
    dataDir,
    // The demo's own store, whatever FERRY_STORE says: quickstart never writes into another installation.
    store: `sqlite:${join(dataDir, 'ferry.db')}`,
    artifactsDir: join(dataDir, 'artifacts'),
    // Request logs would bury the quickstart's own lines.
    logLevel: process.env['FERRY_LOG_LEVEL'] ?? 'warn',
  });
  // The demo's loop reacts within seconds (a team's server polls its triggers every 10 s by default).
  process.env['FERRY_LOOPS_TRIGGER_SECONDS'] ??= '2';
  process.env['FERRY_LOOPS_POLL_MS'] ??= '2000';
  const server = await toStderr(json, () => startServer(config)).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`port ${config.port} is in use; pass --port 0 to pick a free one, or --port N`);
    throw err;
  });
  let stopping = false;
  let live: LiveTraffic | null = null;
  const stop = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C does not wait for the graceful close.
      process.stderr.write(`ferry: ${signal} again, exiting now\n`);
      process.exit(130);
    }
    stopping = true;
    live?.stop();
    process.stderr.write(`\nferry: ${signal}, shutting down (again to force)\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const token = await adminToken(dataDir);
  const ctx: ReportContext = { url: server.url, token, tokenFile: join(dataDir, 'admin-token'), dataDir };
  const client = new FerryClient({ url: server.url, ...(token ? { token } : {}), timeoutMs: 120_000 });
  let demo: DemoSummary | { reused: true; loaded_at: string | null } | null = null;
  try {
    if (opts.demo) {
      if (!token) throw new Error(`no admin token for ${dataDir}: set FERRY_ADMIN_TOKEN to it, or use a fresh --data-dir`);
      const { state, loadedAt } = await demoState(client);
      if (state === 'partial')
        throw new Error(
          `${dataDir} already holds a credit-risk project that is not a complete demo (an interrupted load?); delete the folder or pass another --data-dir (or --no-demo)`,
        );
      if (state === 'loaded') demo = { reused: true, loaded_at: loadedAt };
      else {
        say(pc.bold(`Loading the demo project (about a minute) into ${dataDir}`));
        const bar = await progressBar(json);
        const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`;
        demo = await loadDemo(client, {
          onStep: (msg) => {
            bar.stop(); // the replay's bar ends when the next step starts
            say(`  ${pc.dim(elapsed())}  ${msg}`);
          },
          onProgress: (done, total) => bar.update(done, total),
          replaySeconds: opts.replaySeconds ?? DEFAULT_REPLAY_SECONDS,
        }).finally(() => bar.stop());
        say(`  ${pc.dim(elapsed())}  done`);
      }
    }
  } catch (err) {
    if (stopping) return;
    await server.close();
    throw err;
  }
  if (stopping) return;
  if (demo !== null && opts.live) live = startLiveTraffic(client);
  const liveTraffic = live !== null;
  if (json) {
    process.stdout.write(`${JSON.stringify({ url: server.url, token, data_dir: dataDir, live_traffic: liveTraffic, demo })}\n`);
    return;
  }
  if (demo === null) say(bareReport(ctx));
  else if ('reused' in demo) say(reusedReport(ctx, demo.loaded_at, liveTraffic));
  else say(loadedReport(ctx, demo, liveTraffic));
}

export function registerQuickstartCommand(program: Command): void {
  program
    .command('quickstart')
    .description(
      'Start Ferry on its own data dir (default ./ferry-demo) with a demo project: a credit-risk model in production, a canary, drift and a firing alert',
    )
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .option('--port <port>', 'port (default 5050; 0 picks a free one)')
    .option('--data-dir <dir>', `data folder (default ${DEFAULT_DATA_DIR}); one that already holds the demo is reused`)
    .option('--no-demo', 'start without loading the demo project')
    .option('--no-live', 'after loading, do not keep sending the demo deployment traffic (40 rows a second for 30 minutes)')
    .option('--json', 'when ready, print {url, token, data_dir, live_traffic, demo} as one line of JSON (progress goes to stderr)')
    .addOption(new Option('--replay-seconds <n>', 'length of the demo traffic replay').argParser(positiveInt).hideHelp())
    .action((opts: QuickstartOptions) => quickstart(opts));
}
