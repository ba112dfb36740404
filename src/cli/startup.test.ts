/**
 * What `ferry` loads to start: a client command (and --help, --version) imports its implementation and the SDK,
 * never the server, its database drivers or onnxruntime (they made every command take about a second).
 * Each run records every module it resolves through an ESM resolve hook, plus the CommonJS cache at exit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runCli, unusedPort } from '../../test/support/ferry-process.js';

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.FERRY_MODULE_LOG, result.url + '\\n');
  return result;
}
`;
const REGISTER = `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register('./hooks.mjs', import.meta.url);
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(process.env.FERRY_MODULE_LOG, Object.keys(require.cache).join('\\n') + '\\n'));
`;

/** Packages only the server needs. */
const SERVER_ONLY = /\/node_modules\/(fastify|@fastify\/[^/]+|onnxruntime-node|onnxruntime-common|better-sqlite3|pg|kysely)\//;

let dir: string;
let url: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ferry-cli-startup-'));
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'register.mjs'), REGISTER);
  url = `http://127.0.0.1:${await unusedPort()}`; // refused: every client command runs its action up to the request
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function loaded(args: string[]): Promise<{ modules: string[]; code: number | null; stdout: string; stderr: string }> {
  const log = join(dir, `${args.join('_').replace(/[^\w-]/g, '')}.log`);
  writeFileSync(log, '');
  const res = await runCli(args, { FERRY_URL: url, FERRY_MODULE_LOG: log, NODE_OPTIONS: `--import=${pathToFileURL(join(dir, 'register.mjs')).href}` });
  const modules = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))].map((m) => m.replace(/^file:\/\//, ''));
  return { ...res, modules };
}

const CLIENT_COMMANDS = [
  ['experiments', 'list'],
  ['runs', 'show', 'abc'],
  ['models', 'list'],
  ['deploy', 'risk', '--model', 'credit', '--version', '1'],
  ['deployments', 'list'],
  ['predict', 'risk', '--data', '{"instances": [{"age": 41}]}'],
  ['drift', 'risk'],
  ['predictions', 'list', 'risk'],
  ['alerts'],
  ['data', 'list'],
  ['token', 'list'],
  ['jobs', 'list'],
  ['executors', 'list'],
];

describe('ferry start-up', () => {
  it.each(CLIENT_COMMANDS.map((args) => [args.join(' '), args] as const))('`ferry %s` loads no server code', async (_name, args) => {
    const res = await loaded(args);
    // It ran its action: the SDK tried the (refused) server.
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^ferry: cannot reach Ferry at /);
    expect(res.modules.some((m) => m.endsWith('/dist/sdk/index.js'))).toBe(true);
    expect(res.modules.filter((m) => SERVER_ONLY.test(m))).toEqual([]);
    // From Ferry itself only the CLI, the SDK and the wire contract it shares with the server.
    const ours = res.modules.filter((m) => m.startsWith(`${ROOT}/dist/`)).map((m) => m.slice(ROOT.length + '/dist/'.length));
    expect(ours.filter((m) => !/^(cli|sdk|contract)\//.test(m))).toEqual([]);
  });

  it('answers --help and --version without loading an implementation', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    for (const args of [['--version'], ['-V'], ['--help'], ['predict', '--help']]) {
      const res = await loaded(args);
      expect(res.code).toBe(0);
      if (args[0] === '--version' || args[0] === '-V') expect(res.stdout).toBe(`${version}\n`);
      else expect(res.stdout).toMatch(/^Usage: ferry /);
      expect(res.modules.some((m) => m.includes('/node_modules/commander/'))).toBe(true);
      expect(res.modules.filter((m) => /-actions\.js$|\/dist\/sdk\//.test(m) || SERVER_ONLY.test(m))).toEqual([]);
    }
  });
});
