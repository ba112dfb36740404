#!/usr/bin/env node
/**
 * npm's `prepare` (run by `npm ci`, `npm install` and by npx the first time `npx ferry` runs in a checkout):
 * builds dist/ only when the sources differ from those of the last build made here, so that a current checkout
 * starts at once; when it builds, it says so in one line. `npm run build` always builds.
 * The stamp is a digest of the sources' contents, not of their mtimes (a fresh clone or a branch switch touches
 * every file), taken before the build so that an edit made while it runs leaves the stamp stale.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
/** What the build reads: the server and CLI sources, the UI, the compiler settings and the dependencies. */
const INPUTS = ['src', 'ui', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
/** Tests never reach dist/. */
const isTest = (name) => /\.test\.tsx?$/.test(name);

/** The input's files (relative to ROOT), folders walked, leaving out tests and what tools keep in them. */
function filesOf(rel) {
  const path = join(ROOT, rel);
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [rel];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : filesOf(`${rel}/${e.name}`);
    return e.isFile() && !isTest(e.name) ? [`${rel}/${e.name}`] : [];
  });
}

function sourceDigest() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(filesOf).sort())
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  return hash.digest('hex');
}

const digest = sourceDigest();
const stamp = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : null;
if (stamp === digest && existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) process.exit(0);

process.stderr.write(`ferry: building dist/ (${stamp === null ? 'no build made here yet' : 'the sources changed since the last build'}; about a minute)\n`);
// The npm (or other client) that runs this script, else the one on PATH.
const npm = process.env['npm_execpath'] ? [process.execPath, process.env['npm_execpath']] : ['npm'];
const build = spawnSync(npm[0], [...npm.slice(1), 'run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
writeFileSync(STAMP, `${digest}\n`);
