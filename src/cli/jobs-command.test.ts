/**
 * `ferry jobs ...` (built, as child processes) against a real `ferry server` whose local executor runs the jobs
 * with the test venv's python (mlflow installed) first on PATH.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FerryClient } from '../sdk/index.js';
import { type FerryServer, failed, ok, ROOT, runCli, startFerry } from '../../test/support/ferry-process.js';

const VENV_BIN = join(ROOT, '.venv', 'bin');
const HAVE_VENV = existsSync(join(VENV_BIN, 'python'));

const MLPROJECT = `name: cli-tiny
entry_points:
  main:
    parameters:
      note: {type: string, default: "hello"}
      alpha: {type: float, default: 0.5}
    command: "python echo.py --alpha {alpha} {note}"
  track:
    parameters:
      note: {type: string, default: "hello"}
      alpha: {type: float, default: 0.5}
    command: "python echo.py --alpha {alpha} {note} --track"
  tool:
    command: "./bin/tool.sh"
  fail:
    command: "python -c 'import sys; print(\\"going down\\", flush=True); sys.exit(3)'"
  sleep:
    command: "python -c 'import time; print(\\"sleeping\\", flush=True); time.sleep(120)'"
`;
// The arguments as JSON, so a test sees exactly what arrived; with --track, a metric on the run Ferry made for the job.
const ECHO = `import json, sys
args = sys.argv[1:]
track = args[-1] == '--track'
print('ARGS ' + json.dumps(args[:-1] if track else args), flush=True)
if track:
    import mlflow
    with mlflow.start_run():
        mlflow.log_metric('alpha', float(args[1]))
`;

let server: FerryServer;
let env: Record<string, string>;
let dir: string;
let project: string;
const ferry = (...args: string[]) => runCli(args, env, { timeoutMs: 90_000 });
const started: ChildProcess[] = [];

/** `ferry ...` left running, its output collected, for tests that act on it while it waits. */
function background(...args: string[]) {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'ferry.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  return {
    child,
    exit,
    out: () => stdout,
    err: () => stderr,
    /** Resolves once stdout matches (or the process ends without it). */
    async until(re: RegExp): Promise<RegExpMatchArray> {
      for (;;) {
        const m = re.exec(stdout);
        if (m) return m;
        if (child.exitCode !== null) throw new Error(`ferry ${args.join(' ')} ended (${child.exitCode}) first:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

async function jobState(id: string): Promise<string> {
  return JSON.parse(ok(await ferry('jobs', 'show', id, '--json'))).job.state;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-cli-jobs-'));
  project = join(dir, 'project');
  mkdirSync(join(project, 'bin'), { recursive: true });
  writeFileSync(join(project, 'MLproject'), MLPROJECT);
  writeFileSync(join(project, 'echo.py'), ECHO);
  writeFileSync(join(project, 'bin', 'tool.sh'), '#!/bin/sh\necho "tool ran"\n');
  chmodSync(join(project, 'bin', 'tool.sh'), 0o755);
  mkdirSync(join(project, '.git'));
  writeFileSync(join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  server = await startFerry({
    env: { PATH: `${VENV_BIN}:${process.env['PATH']}`, FERRY_JOBS_POLL_MS: '100', FERRY_JOBS_LEASE_SECONDS: '5', FERRY_JOBS_ALLOW_FILE_GIT: '1' },
    timeoutMs: 60_000,
  });
  env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken };
}, 300_000);

afterAll(async () => {
  for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!HAVE_VENV)('ferry jobs against a real server', () => {
  it('submit --wait streams the log, passes parameters literally and exits 0', async () => {
    const nasty = `it's "q"; rm -rf / $(touch PWNED) \`touch PWNED2\` a  b\nline2`;
    const res = await ferry(
      'jobs',
      'submit',
      project,
      '-e',
      'track',
      '-P',
      `note=${nasty}`,
      '-P',
      'alpha=0.25',
      '--experiment',
      'cli-jobs',
      '--run-name',
      'r1',
      '--wait',
    );
    const out = ok(res);
    const m = /^Submitted job (job-[0-9a-f]{32}) \(queued\) on local\n {2}run id {3}([0-9a-f]{32})\n {2}command {2}python echo\.py --alpha 0\.25 '/.exec(out);
    expect(m, out).not.toBeNull();
    expect(JSON.parse(/^ARGS (.*)$/m.exec(out)![1]!)).toEqual(['--alpha', '0.25', nasty]);
    expect(res.stderr).toMatch(/^left out: \.git\/$/m);
    expect(res.stderr).toMatch(new RegExp(`^job ${m![1]} succeeded in `, 'm'));
    // The run Ferry made for the job got the metric, in the experiment named.
    const run = JSON.parse(ok(await ferry('runs', 'show', m![2]!, '--json')));
    expect(run.data.metrics).toEqual([expect.objectContaining({ key: 'alpha', value: 0.25 })]);
    expect(run.info.run_name).toBe('r1');
  }, 120_000);

  it('keeps the executable bit: an entry point may run a script of the project directly', async () => {
    const out = ok(await ferry('jobs', 'submit', project, '-e', 'tool', '--wait'));
    expect(out).toMatch(/^tool ran$/m);
  }, 60_000);

  it('a failing entry point prints its log and exits 1 with the reason', async () => {
    const res = await ferry('jobs', 'submit', project, '-e', 'fail', '--wait');
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^going down$/m);
    expect(res.stderr).toMatch(/^job job-[0-9a-f]{32} failed in .* \(exit code 3\)/m);
  }, 60_000);

  it('--json answers what the API answers: submit, show, list, logs', async () => {
    const submitted = JSON.parse(ok(await ferry('jobs', 'submit', project, '-P', 'note=json', '--json'))).job;
    expect(submitted).toMatchObject({ state: 'queued', executor: 'local', entry_point: 'main', parameters: { note: 'json', alpha: '0.5' } });
    // --wait --json: the log on stderr, the ended job as the only thing on stdout.
    const waited = await ferry('jobs', 'submit', project, '-P', 'note=waited', '--wait', '--json');
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout).job.state).toBe('succeeded');
    expect(waited.stderr).toContain('ARGS ["--alpha", "0.5", "waited"]');

    const client = new FerryClient({ url: server.url, token: server.adminToken });
    const ended = await client.jobs.follow(submitted.job_id, () => {});
    expect(ended.state).toBe('succeeded');
    expect(JSON.parse(ok(await ferry('jobs', 'show', submitted.job_id, '--json')))).toEqual({ job: ended });
    const listed = JSON.parse(ok(await ferry('jobs', 'list', '--json')));
    expect(listed).toEqual(await client.jobs.list());
    expect(listed.jobs.map((j: { job_id: string }) => j.job_id)).toContain(submitted.job_id);
    const log = JSON.parse(ok(await ferry('jobs', 'logs', submitted.job_id, '--json')));
    expect(log).toMatchObject({ job_id: submitted.job_id, state: 'succeeded', offset: 0, done: true });
    expect(log.data).toContain('ARGS ["--alpha", "0.5", "json"]');
    expect(ok(await ferry('jobs', 'logs', submitted.job_id))).toBe(log.data);
  }, 120_000);

  it('lists, shows, follows and cancels; a waited job that is cancelled exits 130', async () => {
    const waiting = background('jobs', 'submit', project, '-e', 'sleep', '--wait');
    const id = (await waiting.until(/^Submitted job (job-[0-9a-f]{32})/m))[1]!;
    await waiting.until(/^sleeping$/m);
    const following = background('jobs', 'logs', id, '-f');
    await following.until(/^sleeping$/m);

    const table = ok(await ferry('jobs', 'list', '--state', 'running', '--mine'));
    expect(table.split('\n')[0]).toMatch(/^JOB ID\s+STATE\s+EXECUTOR\s+ENTRY POINT\s+SUBMITTED BY\s+SUBMITTED\s+DURATION\s+RUN ID$/);
    expect(table).toMatch(new RegExp(`^${id}\\s+running\\s+local\\s+cli-tiny:sleep\\s+admin\\s`, 'm'));
    const shown = ok(await ferry('jobs', 'show', id));
    expect(shown).toMatch(/^state\s+running$/m);
    expect(shown).toMatch(/^Command\n {2}python -c 'import time; print\("sleeping", flush=True\); time\.sleep\(120\)'$/m);

    expect(ok(await ferry('jobs', 'cancel', id, '--wait'))).toMatch(new RegExp(`^job ${id} cancelled: Cancelled by admin`));
    expect(await waiting.exit).toBe(130);
    expect(waiting.err()).toMatch(new RegExp(`^job ${id} cancelled`, 'm'));
    expect(await following.exit).toBe(0);
    expect(ok(await ferry('jobs', 'list', '--state', 'cancelled'))).toContain(id);
    expect(ok(await ferry('jobs', 'logs', id))).toMatch(/^sleeping\n/); // then the shell's word on the signal
  }, 120_000);

  it('Ctrl-C stops following, says how to cancel, and leaves the job running', async () => {
    const waiting = background('jobs', 'submit', project, '-e', 'sleep', '--wait');
    const id = (await waiting.until(/^Submitted job (job-[0-9a-f]{32})/m))[1]!;
    await waiting.until(/^sleeping$/m);
    waiting.child.kill('SIGINT');
    expect(await waiting.exit).toBe(130);
    expect(waiting.err()).toContain(`stopped following; job ${id} keeps running. Cancel it with: ferry jobs cancel ${id}`);
    expect(await jobState(id)).toBe('running');
    expect(JSON.parse(ok(await ferry('jobs', 'cancel', id, '--wait', '--json'))).job.state).toBe('cancelled');
  }, 120_000);

  it('runs a git source at a commit (a file:// repository here)', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'proj'), { recursive: true });
    writeFileSync(join(repo, 'proj', 'MLproject'), MLPROJECT);
    writeFileSync(join(repo, 'proj', 'echo.py'), ECHO);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'project');
    const commit = git('rev-parse', 'HEAD');
    const out = ok(await ferry('jobs', 'submit', `file://${repo}`, '--commit', commit, '--subdirectory', 'proj', '-P', 'note=from git', '--wait'));
    expect(out).toContain('ARGS ["--alpha", "0.5", "from git"]');
    const id = /^Submitted job (job-[0-9a-f]{32})/.exec(out)![1]!;
    const shown = ok(await ferry('jobs', 'show', id));
    expect(shown).toMatch(new RegExp(`^source\\s+file://${repo} @ ${commit}$`, 'm'));
  }, 90_000);

  it('refuses a folder with a link out of it, a folder without MLproject and a git URL without a commit', async () => {
    const leaky = join(dir, 'leaky');
    mkdirSync(leaky);
    writeFileSync(join(leaky, 'MLproject'), MLPROJECT);
    symlinkSync('/etc/hostname', join(leaky, 'host.txt'));
    expect(failed(await ferry('jobs', 'submit', leaky))).toMatch(/^ferry: host\.txt is a symbolic link to \/etc\/hostname, outside the project folder/);

    const bare = join(dir, 'bare');
    mkdirSync(bare);
    writeFileSync(join(bare, 'echo.py'), ECHO);
    expect(failed(await ferry('jobs', 'submit', bare))).toBe(
      `ferry: ${bare} has no MLproject file at its top, so it is not an MLflow Project (see https://mlflow.org/docs/latest/projects.html)\n`,
    );

    expect(failed(await ferry('jobs', 'submit', 'https://example.com/repo.git'))).toMatch(/^ferry: a git source needs --commit SHA/);
    expect(failed(await ferry('jobs', 'submit', 'git@example.com:team/repo.git', '--commit', 'main'))).toMatch(/^ferry: --commit must be a commit hash/);
    expect(failed(await ferry('jobs', 'submit', project, '-e', 'nope'))).toMatch(/^ferry: Unknown entry point 'nope'/m);
    expect(failed(await ferry('jobs', 'submit', project, '-P', 'alpha'))).toMatch(/-P, --param <key=value>' argument 'alpha' is invalid\. must be key=value\./);
  }, 60_000);
});
