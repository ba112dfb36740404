/**
 * A project from a git repository at one commit: cloned by the server (git with an argument list, never a
 * shell), read with the same limits as an uploaded zip, then stored like one, so every executor runs exactly
 * that commit's files and the run records the commit.
 */
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, sep } from 'node:path';
import { promisify } from 'node:util';
import { InvalidParameterError, PayloadTooLargeError } from '../errors.js';
import { normaliseArtifactPath } from '../artifacts/index.js';
import { DEFAULT_ARCHIVE_LIMITS, type ProjectFile } from './project-archive.js';

const run = promisify(execFile);

const REMOTE = /^(https?:\/\/|ssh:\/\/|git@[\w.-]+:)/;

/**
 * The subdirectory's real folder, which must be inside the clone: a committed link (`root -> /`) would
 * otherwise let `subdirectory: root/etc` read the server's files into a project.
 */
async function confined(dir: string, sub: string, commit: string): Promise<string> {
  const top = await realpath(dir);
  let real: string;
  try {
    real = await realpath(join(dir, sub));
  } catch {
    throw new InvalidParameterError('git.subdirectory', `No folder '${sub}' at commit ${commit}.`);
  }
  if (real !== top && !real.startsWith(`${top}${sep}`))
    throw new InvalidParameterError('git.subdirectory', `'${sub}' goes through a symbolic link out of the repository.`);
  if (real !== join(top, sub)) throw new InvalidParameterError('git.subdirectory', `'${sub}' goes through a symbolic link; name the folder itself.`);
  return real;
}

export async function fetchGitProject(
  src: { url: string; commit: string; subdirectory?: string },
  opts: { allowFile: boolean; timeoutMs?: number },
): Promise<{ files: ProjectFile[]; commit: string; name: string }> {
  const fileUrl = src.url.startsWith('file://');
  if (!REMOTE.test(src.url) && !(fileUrl && opts.allowFile))
    throw new InvalidParameterError(
      'git.url',
      `'git.url' must be an https://, http://, ssh:// or git@host:path URL${fileUrl ? ' (file:// URLs are turned off on this server)' : ''}.`,
    );
  // ssh would read a host or user that starts with '-' as an option (-oProxyCommand=…); git refuses these too.
  const authority = src.url.replace(/^[a-z]+:\/\//, '').split(/[/:]/)[0]!;
  if (/(^|@)-/.test(authority)) throw new InvalidParameterError('git.url', `'git.url' has a host or user name that starts with '-'.`);
  const sub = src.subdirectory ? normaliseArtifactPath(src.subdirectory, 'git.subdirectory') : '';
  const dir = await mkdtemp(join(tmpdir(), 'ferry-git-'));
  // Never prompt (a server has no terminal): no password, no host-key question.
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', GIT_CONFIG_NOSYSTEM: '1', GIT_SSH_COMMAND: 'ssh -o BatchMode=yes' };
  const git = (args: string[]) =>
    run('git', ['-c', 'protocol.ext.allow=never', '-c', `protocol.file.allow=${opts.allowFile ? 'always' : 'never'}`, ...args], {
      env,
      timeout: opts.timeoutMs ?? 120_000,
      maxBuffer: 1024 * 1024,
    });
  try {
    try {
      await git(['init', '-q', dir]);
      await git(['-C', dir, 'fetch', '-q', '--depth', '1', '--', src.url, src.commit]).catch(async () => {
        // Servers that refuse fetching a commit by id: fetch everything, then check it out.
        await git(['-C', dir, 'fetch', '-q', '--', src.url, '+refs/heads/*:refs/remotes/origin/*']);
      });
      await git(['-C', dir, 'checkout', '-q', '--detach', src.commit]);
    } catch (err) {
      const msg = String((err as { stderr?: string }).stderr || (err as Error).message)
        .trim()
        .split('\n')
        .slice(-1)[0];
      throw new InvalidParameterError('git', `Could not fetch commit ${src.commit} of ${src.url}: ${msg}`);
    }
    const { stdout } = await git(['-C', dir, 'rev-parse', 'HEAD']);
    const commit = stdout.trim();
    const root = sub ? await confined(dir, sub, commit) : dir;
    const files: ProjectFile[] = [];
    let bytes = 0;
    const walk = async (abs: string, rel: string): Promise<void> => {
      for (const ent of await readdir(abs, { withFileTypes: true })) {
        if (!rel && ent.name === '.git') continue;
        const a = join(abs, ent.name);
        const r = rel ? `${rel}/${ent.name}` : ent.name;
        if (ent.isSymbolicLink()) throw new InvalidParameterError('git', `'${r}' is a symbolic link; projects may not contain links.`);
        if (ent.isDirectory()) await walk(a, r);
        else if (ent.isFile()) {
          const st = await lstat(a);
          bytes += st.size;
          if (files.length >= DEFAULT_ARCHIVE_LIMITS.maxFiles)
            throw new PayloadTooLargeError(`The project has more than ${DEFAULT_ARCHIVE_LIMITS.maxFiles} files.`);
          if (bytes > DEFAULT_ARCHIVE_LIMITS.maxUnpackedBytes) throw new PayloadTooLargeError('The project is larger than 1 GiB.');
          files.push({ path: r, data: await readFile(a), executable: (st.mode & 0o111) !== 0 });
        }
      }
    };
    try {
      await walk(root, '');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InvalidParameterError('git.subdirectory', `No folder '${sub}' at commit ${commit}.`);
      throw err;
    }
    return { files, commit, name: sub ? basename(sub) : basename(src.url.replace(/\.git$/, '').replace(/\/+$/, '')) || 'project' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
