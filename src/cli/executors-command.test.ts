/** `ferry executors ...` (built, as child processes) against a real server: a cluster token goes in once and never comes out. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, type FerryServer, failed, ok, ROOT, runCli, startFerry } from '../../test/support/ferry-process.js';

const TOKEN = 'ray-cluster-secret-7f3a9c1e5b';

let server: FerryServer;
let env: Record<string, string>;
const ferry = (...args: string[]) => runCli(args, env, { timeoutMs: 60_000 });

/** `ferry ...` with `input` on its stdin. */
function withStdin(input: string, ...args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'ferry.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  server = await startFerry({ timeoutMs: 60_000 });
  env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken };
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

describe('ferry executors against a real server', () => {
  it('sets a Ray executor with a token from stdin, and never shows the token', async () => {
    const set = await withStdin(
      `${TOKEN}\n`,
      'executors',
      'set',
      'ray-a',
      '--kind',
      'ray',
      '--address',
      'http://127.0.0.1:8265',
      '--token-stdin',
      '--max-concurrent',
      '4',
    );
    expect(ok(set)).toBe('Set executor ray-a (ray); token: stored (encrypted)\n');

    const outputs = [
      ok(await ferry('executors', 'list')),
      ok(await ferry('executors', 'list', '--json')),
      ok(await ferry('executors', 'show', 'ray-a')),
      ok(await ferry('executors', 'show', 'ray-a', '--json')),
    ];
    for (const out of outputs) expect(out).not.toContain(TOKEN);
    expect(outputs[0]!.split('\n')[0]).toMatch(/^NAME\s+KIND\s+ENABLED\s+ADDRESS\s+MAX JOBS\s+TOKEN\s+SOURCE\s+UPDATED$/);
    expect(outputs[0]).toMatch(/^local\s+local\s+yes\s+this server\s+\d+\s+none\s+builtin$/m);
    expect(outputs[0]).toMatch(/^ray-a\s+ray\s+yes\s+http:\/\/127\.0\.0\.1:8265\s+4\s+stored \(encrypted\)\s+api\s+\d{4}-/m);
    const listed = JSON.parse(outputs[1]!).executors;
    expect(listed.map((e: { name: string }) => e.name)).toEqual(['local', 'ray-a']);
    expect(JSON.parse(outputs[3]!).executor).toMatchObject({
      name: 'ray-a',
      kind: 'ray',
      address: 'http://127.0.0.1:8265',
      has_token: true,
      max_concurrent: 4,
    });
    expect(outputs[2]).toMatch(/^token\s+stored \(encrypted\)$/m);

    // Changing other settings keeps the stored token; --disable turns it off.
    const changed = JSON.parse(ok(await ferry('executors', 'set', 'ray-a', '--kind', 'ray', '--address', 'http://127.0.0.1:8266', '--disable', '--json')));
    expect(changed.executor).toMatchObject({ enabled: false, has_token: true, address: 'http://127.0.0.1:8266' });
    expect(JSON.stringify(changed)).not.toContain(TOKEN);
  });

  it('names a token in the server environment, sets Kubernetes settings, deletes', async () => {
    const out = ok(
      await ferry(
        'executors',
        'set',
        'k8s',
        '--kind',
        'kubernetes',
        '--server',
        'https://127.0.0.1:6443',
        '--image',
        'python:3.11',
        '--namespace',
        'ml',
        '--token-env',
        'K8S_TOKEN',
        '--insecure-skip-tls-verify',
      ),
    );
    expect(out).toBe("Set executor k8s (kubernetes); token: from the server's $K8S_TOKEN\n");
    const shown = ok(await ferry('executors', 'show', 'k8s'));
    expect(shown).toMatch(/^namespace\s+ml$/m);
    expect(shown).toMatch(/^skip TLS verify\s+yes \(tests only\)$/m);
    expect(ok(await ferry('executors', 'delete', 'k8s'))).toBe('Deleted executor k8s.\n');
    expect(failed(await ferry('executors', 'show', 'k8s'))).toMatch(/^ferry: No executor 'k8s'/);
  });

  it('refuses what cannot be set, saying why', async () => {
    expect(failed(await ferry('executors', 'set', 'r', '--kind', 'ray'))).toMatch(/^ferry: A ray executor needs 'address'/);
    expect(failed(await withStdin('', 'executors', 'set', 'r', '--kind', 'ray', '--address', 'http://x:8265', '--token-stdin'))).toBe(
      'ferry: --token-stdin: stdin was empty\n',
    );
    expect(failed(await ferry('executors', 'set', 'r', '--kind', 'ray', '--address', 'http://x:8265', '--token-stdin', '--token-env', 'T'))).toBe(
      'ferry: give --token-stdin or --token-env, not both\n',
    );
    expect(failed(await ferry('executors', 'set', 'r', '--kind', 'slurm'))).toMatch(/argument 'slurm' is invalid\. Allowed choices are local, ray, kubernetes/);
    expect(failed(await ferry('executors', 'delete', 'local'))).toMatch(/^ferry: Executor 'local' comes from the server itself/);
  });
});
