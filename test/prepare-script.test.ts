/**
 * scripts/prepare.mjs (npm's `prepare`: npm ci, npm install, npx's first run in a checkout) builds dist/ when
 * there is none or the sources changed, and otherwise does nothing. Run on a copy in a scratch project whose
 * `npm run build` only records that it ran.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/ferry-process.js';

const BUILD = `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
appendFileSync('builds.log', 'built\\n');
if (process.env.FAIL_BUILD) process.exit(2);
mkdirSync('dist/cli', { recursive: true });
writeFileSync('dist/cli/main.js', '');
`;

let dir: string;
const file = (rel: string, text: string) => {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
};
const builds = () => (existsSync(join(dir, 'builds.log')) ? readFileSync(join(dir, 'builds.log'), 'utf8').split('\n').filter(Boolean).length : 0);

function prepare(env: Record<string, string> = {}): { code: number | null; stderr: string; builds: number } {
  const res = spawnSync(process.execPath, [join(dir, 'scripts', 'prepare.mjs')], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: res.status, stderr: res.stderr, builds: builds() };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-prepare-'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(ROOT, 'scripts', 'prepare.mjs'), join(dir, 'scripts', 'prepare.mjs'));
  file('package.json', JSON.stringify({ name: 'scratch', private: true, scripts: { build: 'node build.mjs' } }));
  file('build.mjs', BUILD);
  file('tsconfig.json', '{}');
  file('src/cli/main.ts', 'export {};\n');
  file('src/cli/main.test.ts', '// a test\n');
  file('ui/index.html', '<!doctype html>\n');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('scripts/prepare.mjs', () => {
  it('builds when there is no build yet, saying so in one line', () => {
    expect(prepare()).toEqual({ code: 0, stderr: 'ferry: building dist/ (no build made here yet; about a minute)\n', builds: 1 });
  });

  it('does nothing while the sources are those of the last build, whatever their mtimes', () => {
    expect(prepare()).toEqual({ code: 0, stderr: '', builds: 1 });
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'src', 'cli', 'main.ts'), later, later); // a checkout touches files without changing them
    expect(prepare()).toEqual({ code: 0, stderr: '', builds: 1 });
    file('src/cli/main.test.ts', '// another test: tests never reach dist/\n');
    expect(prepare()).toEqual({ code: 0, stderr: '', builds: 1 });
  });

  it('builds again when a source, the UI or a setting changed, or the build is gone', () => {
    const changed = 'ferry: building dist/ (the sources changed since the last build; about a minute)\n';
    file('src/cli/main.ts', 'export const x = 1;\n');
    expect(prepare()).toEqual({ code: 0, stderr: changed, builds: 2 });
    file('ui/index.html', '<!doctype html><title>x</title>\n');
    expect(prepare()).toEqual({ code: 0, stderr: changed, builds: 3 });
    file('tsconfig.json', '{"compilerOptions": {}}');
    expect(prepare()).toEqual({ code: 0, stderr: changed, builds: 4 });
    rmSync(join(dir, 'dist', 'cli', 'main.js'));
    expect(prepare()).toMatchObject({ code: 0, builds: 5 });
    expect(prepare()).toEqual({ code: 0, stderr: '', builds: 5 });
  });

  it('fails with a failed build, and builds again next time', () => {
    file('src/cli/main.ts', 'export const x = 2;\n');
    expect(prepare({ FAIL_BUILD: '1' })).toMatchObject({ code: 2, builds: 6 });
    expect(prepare()).toMatchObject({ code: 0, builds: 7 });
    expect(prepare()).toEqual({ code: 0, stderr: '', builds: 7 });
  });
});
