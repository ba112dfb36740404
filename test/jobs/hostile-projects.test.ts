/**
 * Hostile projects: zips written byte for byte (path escapes, links, bombs, 100,000 files, duplicates, not a
 * zip) and MLproject files that are wrong in every way the issue lists, and git sources that try to reach git
 * as options or read outside the clone. Each is a clear 4xx naming the problem, nothing lands outside the
 * artifact root, nothing is stored, and the server still answers after.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachStore } from '../support/stores.js';
import { deflatedZeros, type RawEntry, rawZip } from './fixtures/raw-zip.js';
import { type JobsTestServer, startJobsServer, uploadProject } from './support.js';

const MLPROJECT = 'name: ok\nentry_points:\n  main:\n    command: "python -c pass"\n';
const ml = (text = MLPROJECT): RawEntry => ({ name: 'MLproject', data: Buffer.from(text) });
const file = (name: string, text = 'x'): RawEntry => ({ name, data: Buffer.from(text) });

/** A git repository with one commit of `files` (links given as `{ link: target }`); answers the commit. */
function gitRepo(dir: string, files: Record<string, string | { link: string }>): string {
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).trim();
  mkdirSync(dir, { recursive: true });
  git('init', '-q');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    if (typeof content === 'string') writeFileSync(join(dir, path), content);
    else symlinkSync(content.link, join(dir, path));
  }
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'x');
  return git('rev-parse', 'HEAD');
}

/** Every file under a folder (relative paths), none if it does not exist. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name));
}

forEachStore('hostile projects', (kind) => {
  let t: JobsTestServer;
  let strict: JobsTestServer;
  const tag = `ferry-escape-${randomBytes(6).toString('hex')}`;
  const scratch = mkdtempSync(join(tmpdir(), 'ferry-hostile-'));

  beforeAll(async () => {
    t = await startJobsServer(kind, { FERRY_JOBS_WORKER: '0' });
    strict = await startJobsServer(kind, { FERRY_JOBS_WORKER: '0', FERRY_JOBS_ALLOW_FILE_GIT: '0' });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await strict?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Uploads a zip and checks the refusal: its status, that its message names the problem, the server's health. */
  async function refused(zip: Buffer, status: 400 | 413, problem: RegExp): Promise<void> {
    const res = await uploadProject(t, zip);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.detail).toMatch(problem);
    expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
  }

  describe('zips', () => {
    it('refuses entries that climb out with ../', async () => {
      await refused(rawZip([ml(), file(`../${tag}`), file(`../../../../../../../../tmp/${tag}`)]), 400, /\.\./);
    });

    it('refuses absolute paths', async () => {
      await refused(rawZip([ml(), file(`/tmp/${tag}`)]), 400, /absolute/);
      await refused(rawZip([ml(), file('/etc/x')]), 400, /absolute/);
    });

    it('refuses backslash paths', async () => {
      await refused(rawZip([ml(), file(`..\\${tag}`)]), 400, /invalid characters|\\/);
      await refused(rawZip([ml(), file(`sub\\..\\..\\${tag}`)]), 400, /invalid characters|\\/);
    });

    it('refuses a symbolic link entry, whatever it points at', async () => {
      await refused(rawZip([ml(), { name: 'data', data: Buffer.from('/etc'), mode: 0o120777 }]), 400, /symbolic link/);
      await refused(rawZip([ml(), { name: 'up', data: Buffer.from(`../../../${tag}`), mode: 0o120777 }]), 400, /symbolic link/);
    });

    it('refuses a zip bomb by its declared size, before inflating it', async () => {
      const bomb = deflatedZeros(1025 * 1024 * 1024);
      expect(bomb.data.length).toBeLessThan(2 * 1024 * 1024);
      await refused(rawZip([ml(), { name: 'zeros.bin', deflated: bomb }]), 413, /unpacks to more than/);
    }, 30_000);

    it('refuses a zip bomb whose headers lie about its size', async () => {
      const bomb = deflatedZeros(1025 * 1024 * 1024);
      await refused(rawZip([ml(), { name: 'zeros.bin', deflated: bomb, declaredSize: 1000 }]), 400, /zeros\.bin.*(too many bytes|size)/);
    }, 30_000);

    it('refuses 100,000 files', async () => {
      const entries = [ml(), ...Array.from({ length: 100_000 }, (_, i) => ({ name: `f/${i}.txt` }))];
      await refused(rawZip(entries), 413, /100001 entries; a project may have at most 20000 files/);
    }, 30_000);

    it('refuses a name given twice', async () => {
      await refused(rawZip([ml(), file('train.py', 'print(1)'), file('train.py', 'import os; os.system("x")')]), 400, /'train\.py' twice/);
    });

    it('refuses a name that is both a file and a folder', async () => {
      await refused(rawZip([ml(), file('lib'), file('lib/x.py')]), 400, /'lib'.*both a file and a folder/);
    });

    it('refuses a body that is not a zip, and an empty body', async () => {
      await refused(Buffer.from('this is not a zip file, just text'), 400, /zip/);
      await refused(Buffer.from([0x50, 0x4b, 0x05, 0x06, 1, 2, 3]), 400, /zip/);
      await refused(Buffer.alloc(0), 400, /zip file/);
    });
  });

  describe('MLproject', () => {
    it('refuses a project without MLproject', async () => {
      await refused(rawZip([file('train.py')]), 400, /no MLproject/);
      // Two top folders: not "one zipped folder" either.
      await refused(rawZip([file('a/MLproject', MLPROJECT), file('b/x.py')]), 400, /no MLproject/);
    });

    it('refuses an MLproject that is not YAML or not a mapping', async () => {
      await refused(rawZip([ml('name: [unclosed\nentry_points: {')]), 400, /MLproject is not valid YAML/);
      await refused(rawZip([ml('- just\n- a list\n')]), 400, /MLproject must be a YAML mapping/);
      // Billion laughs: aliases that expand exponentially.
      const laughs = [
        'a: &a [x, x, x, x, x, x, x, x, x]',
        ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
      ];
      await refused(rawZip([ml(`${laughs.join('\n')}\n`)]), 400, /MLproject is not valid YAML/);
      await refused(rawZip([ml(Buffer.from([0xff, 0xfe, 0, 0x41]).toString('latin1'))]), 400, /MLproject/);
    });

    it('refuses values of the wrong shape where MLflow wants one value', async () => {
      await refused(rawZip([ml('name: {a: 1}\n')]), 400, /MLproject: 'name'/);
      await refused(rawZip([ml('entry_points: [main]\n')]), 400, /entry_points/);
      await refused(rawZip([ml('entry_points:\n  main: {command: [a, b]}\n')]), 400, /'main' has no command/);
      await refused(rawZip([ml('entry_points:\n  main:\n    parameters: {a: {type: int}}\n    command: x\n')]), 400, /type 'int'/);
      await refused(rawZip([ml('entry_points:\n  main:\n    parameters: {a: {default: [1]}}\n    command: x\n')]), 400, /single value/);
    });

    it('refuses an MLproject naming a python_env that is not there, and a python_env.yaml of the wrong shape', async () => {
      await refused(rawZip([ml(`${MLPROJECT}python_env: conf/env.yaml\n`)]), 400, /python_env 'conf\/env\.yaml', which is not in the project/);
      await refused(rawZip([ml(), file('python_env.yaml', 'python: [3, 11]\n')]), 400, /python_env\.yaml: 'python'/);
      await refused(rawZip([ml(), file('python_env.yaml', 'dependencies: six\n')]), 400, /'dependencies' must be a list/);
      await refused(rawZip([ml(), file('python_env.yaml', '- six\n')]), 400, /python_env\.yaml must be a mapping/);
    });

    it('refuses a {placeholder} that is not a parameter, and stray braces', async () => {
      await refused(rawZip([ml('entry_points:\n  main:\n    parameters: {a: float}\n    command: "python x.py {a} {nope}"\n')]), 400, /\{nope\}/);
      await refused(rawZip([ml('entry_points:\n  main:\n    command: "python x.py {0}"\n')]), 400, /\{0\}/);
      await refused(rawZip([ml('entry_points:\n  main:\n    command: "echo {a.__class__}"\n')]), 400, /not a plain parameter placeholder/);
      await refused(rawZip([ml('entry_points:\n  main:\n    command: "echo {"\n')]), 400, /unclosed/);
    });

    it('refuses docker_env', async () => {
      await refused(rawZip([ml(`${MLPROJECT}docker_env:\n  image: python:3.11\n`)]), 400, /docker_env is not supported/);
    });
  });

  describe('git sources', () => {
    const submit = (srv: JobsTestServer, git: object) => srv.call('POST', '/api/v1/jobs', { git });

    it('refuses file:// where the admin has not allowed it', async () => {
      const repo = join(scratch, 'plain');
      const commit = gitRepo(repo, { MLproject: MLPROJECT });
      const res = await submit(strict, { url: `file://${repo}`, commit });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('git.url');
      expect(res.body.detail).toContain('file:// URLs are turned off');
      // The same repository where it is allowed: the refusal above is the setting, not the repository.
      expect((await submit(t, { url: `file://${repo}`, commit })).status).toBe(201);
    });

    it('never hands git a URL it could read as an option', async () => {
      const canary = join(scratch, `canary-${tag}`);
      for (const url of [
        `--upload-pack=touch ${canary}`,
        `-uTouch`,
        `ssh://-oProxyCommand=touch%20${canary}/x`,
        `ssh://git@-oProxyCommand=touch%20${canary}/x`,
        `git@-oProxyCommand=touch:x`,
        `ext::sh -c touch% ${canary}`,
      ]) {
        const res = await submit(t, { url, commit: 'a'.repeat(40) });
        expect(res.status, url).toBe(400);
        expect(res.body.errors[0].field, url).toBe('git.url');
      }
      expect(existsSync(canary)).toBe(false);
    });

    it("refuses an unknown commit with git's reason", async () => {
      const repo = join(scratch, 'known');
      gitRepo(repo, { MLproject: MLPROJECT });
      const res = await submit(t, { url: `file://${repo}`, commit: 'deadbeef'.repeat(5) });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('git');
      expect(res.body.detail).toMatch(/Could not fetch commit (deadbeef)+ of file:\/\/.*: (fatal|error): .+/);
    });

    it('refuses links in the repository, and a subdirectory that leaves it (through a link or ..)', async () => {
      const outside = join(scratch, `outside-${tag}`);
      mkdirSync(outside);
      writeFileSync(join(outside, 'MLproject'), MLPROJECT);
      writeFileSync(join(outside, 'secret.txt'), 'server-side secret');
      const repo = join(scratch, 'links');
      const commit = gitRepo(repo, { MLproject: MLPROJECT, 'sub/MLproject': MLPROJECT, root: { link: '/' }, 'sub/up': { link: outside } });
      const inside = await submit(t, { url: `file://${repo}`, commit });
      expect(inside.status).toBe(400);
      expect(inside.body.detail).toContain('symbolic link');
      for (const subdirectory of [`root${outside}`, 'sub/up', '../outside']) {
        const res = await submit(t, { url: `file://${repo}`, commit, subdirectory });
        expect(res.status, subdirectory).toBe(400);
        expect(res.body.errors[0].field, subdirectory).toBe('git.subdirectory');
      }
    });
  });

  it('wrote nothing outside the artifact root, stored none of it, and still takes a good project', async () => {
    // The entries aimed at ../<tag> and /tmp/<tag>: not beside the data dir, not in /tmp, nowhere under the data dir.
    for (const dir of [tmpdir(), join(t.dataDir, '..')]) expect(readdirSync(dir).filter((n) => n.includes(tag) && n !== `outside-${tag}`)).toEqual([]);
    for (const dir of [t.dataDir, scratch]) expect(filesUnder(dir).filter((p) => p.includes(tag) && !p.includes(`outside-${tag}`))).toEqual([]);
    expect(existsSync('/etc/x')).toBe(false);
    // Only the git project allowed above is stored.
    expect(filesUnder(join(t.dataDir, 'artifacts', 'jobs', 'projects'))).toHaveLength(1);
    const ok = await uploadProject(t, rawZip([ml(), file('train.py', 'print(1)')]));
    expect(ok.status).toBe(201);
    expect(filesUnder(join(t.dataDir, 'artifacts', 'jobs', 'projects'))).toHaveLength(2);
  });
});
