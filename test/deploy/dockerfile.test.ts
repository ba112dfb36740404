/**
 * The Dockerfile's shape, read statically (every run), and — with FERRY_TEST_DOCKERFILE=1, as it takes minutes — the
 * image itself: scripts/verify-dockerfile.sh builds it with podman and runs it (non-root, read-only root filesystem,
 * production dependencies only, /health, /ready, HEALTHCHECK, an API call on SQLite).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Instruction {
  op: string;
  args: string;
}

/** Instructions by stage, continuation lines joined, comments dropped. */
function stagesOf(text: string): Instruction[][] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'));
  const stages: Instruction[][] = [];
  for (const line of lines) {
    const [, op, args] = /^\s*(\w+)\s+(.*)$/.exec(line)!;
    if (op!.toUpperCase() === 'FROM') stages.push([]);
    stages.at(-1)?.push({ op: op!.toUpperCase(), args: args!.replace(/\s+/g, ' ').trim() });
  }
  return stages;
}

const dockerfile = readFileSync(resolve('Dockerfile'), 'utf8');
const stages = stagesOf(dockerfile);
const [build, final] = stages as [Instruction[], Instruction[]];
const args = (stage: Instruction[], op: string) => stage.filter((i) => i.op === op).map((i) => i.args);
const BUILD_IMAGE = process.env['FERRY_TEST_DOCKERFILE'] === '1';
if (!BUILD_IMAGE) console.warn('\n!! SKIPPING the Dockerfile build-and-run test (minutes): set FERRY_TEST_DOCKERFILE=1 to run scripts/verify-dockerfile.sh\n');
const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { files: string[]; allowScripts: Record<string, boolean> };

describe('Dockerfile', () => {
  it('builds in one stage and ships a slim one', () => {
    expect(stages).toHaveLength(2);
    expect(args(build, 'FROM')).toEqual(['node:${NODE_VERSION}-bookworm AS build']);
    expect(args(final, 'FROM')).toEqual(['node:${NODE_VERSION}-bookworm-slim']);
    // The Node the image runs is the one the project is developed and tested on.
    expect(dockerfile).toContain(`ARG NODE_VERSION=${process.versions.node}`);
  });

  it('installs with npm 11, whose allowScripts keeps onnxruntime-node’s install script from running, then drops dev dependencies', () => {
    expect(pkg.allowScripts['onnxruntime-node']).toBe(false);
    const runs = args(build, 'RUN').join(' && ');
    expect(runs).toMatch(/npm install -g .*npm@11\.\d+\.\d+/);
    expect(runs).toContain('npm ci --no-audit --no-fund --ignore-scripts');
    expect(runs).toContain('npm rebuild');
    expect(runs).toContain('npm run build');
    expect(runs).toContain('libonnxruntime_providers_');
    expect(runs).toContain('npm prune --omit=dev');
    // No step runs every install script behind allowScripts' back.
    expect(runs).not.toContain('dangerously-allow-all-scripts');
  });

  it('ships what package.json publishes, the production node_modules, and nothing of the sources', () => {
    const copied = args(final, 'COPY').map((a) => /^--from=build \/src\/(\S+) /.exec(a)?.[1]);
    expect(copied.sort()).toEqual([...pkg.files, 'node_modules', 'package.json'].sort());
  });

  it('runs as uid 10001 on port 5050 with /data a volume, checked by node against /health', () => {
    expect(args(final, 'RUN').join(' ')).toMatch(/useradd .*--uid 10001/);
    expect(args(final, 'USER')).toEqual(['10001:10001']);
    expect(args(final, 'WORKDIR')).toEqual(['/app']);
    expect(args(final, 'EXPOSE')).toEqual(['5050']);
    expect(args(final, 'VOLUME')).toEqual(['["/data"]']);
    const [health] = args(final, 'HEALTHCHECK');
    expect(health).toMatch(/CMD \["node", "-e", ".*\/health/);
    expect(health).not.toMatch(/curl|wget/);
    expect(args(final, 'ENTRYPOINT')).toEqual(['["node", "bin/ferry.js"]']);
    expect(args(final, 'CMD')).toEqual(['["server", "--host", "0.0.0.0"]']);
  });

  it('keeps local build outputs and dependencies out of the build context', () => {
    const ignore = readFileSync(resolve('.dockerignore'), 'utf8').split('\n');
    expect(ignore[ignore.findIndex((l) => l && !l.startsWith('#'))]).toBe('*');
    expect(ignore).toContain('**/node_modules/');
    expect(ignore.filter((l) => l.startsWith('!dist') || l.startsWith('!node_modules'))).toEqual([]);
    // Every path a build-stage COPY names is let in.
    const sources = args(build, 'COPY')
      .filter((a) => !a.startsWith('--from'))
      .flatMap((a) => a.split(' ').slice(0, -1));
    for (const s of sources)
      expect(
        ignore.some((l) => l === `!${s}` || l === `!${s}/` || (s === 'scripts' && l === '!scripts/prepare.mjs')),
        s,
      ).toBe(true);
  });

  it.skipIf(!BUILD_IMAGE)(
    'builds with podman and runs: scripts/verify-dockerfile.sh (FERRY_TEST_DOCKERFILE=1)',
    async () => {
      const child = spawn('bash', [resolve('scripts/verify-dockerfile.sh')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const code = await new Promise<number | null>((res) => child.on('close', res));
      expect(out).toContain('verify-dockerfile: OK: image built and verified');
      expect(code).toBe(0);
    },
    2_400_000,
  );
});
