/** `ferry server --json` (built, as a child process): one line of JSON on stdout once it listens. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../../test/support/ferry-process.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-server-'));

beforeAll(ensureBuilt);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ferry server --json', () => {
  it('prints {url, data_dir} as the first line on stdout, the startup lines on stderr', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FERRY_')));
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'ferry.js'), 'server', '--port', '0', '--host', '127.0.0.1', '--data-dir', dir, '--json'], {
      env: { ...env, FERRY_LOG_LEVEL: 'warn', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line on stdout within 20 s; stderr:\n${stderr}`)), 20_000);
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
          if (stdout.includes('\n')) {
            clearTimeout(timer);
            resolve(stdout.slice(0, stdout.indexOf('\n')));
          }
        });
        void exited.then((code) => reject(new Error(`ferry server exited (code ${code}); stderr:\n${stderr}`)));
      });
      const ready = JSON.parse(line) as { url: string; data_dir: string };
      expect(ready).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), data_dir: dir });
      expect(stderr).toContain(`Ferry listening on ${ready.url}`);
      expect(stderr).toMatch(/Admin token \S+/); // a fresh data dir: the token is shown once, to the person
      expect((await fetch(`${ready.url}/health`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
