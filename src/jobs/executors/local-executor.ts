/**
 * The local executor: a job is a process group on this host, in a work folder under the data dir. Its state
 * lives in files (pid and start time, log, exit code), not in this process, so a job outlives a server that
 * is killed and is re-attached by the next one; nothing is started twice. Cancel ends the whole group:
 * SIGTERM, then SIGKILL after the grace period.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { readCanonical, writeTree } from '../project-archive.js';
import { shellQuote } from '../shell-quote.js';
import { wholeCharsEnd } from '../utf8.js';
import { type ExecutionRequest, type ExecutionStatus, type Executor, ExecutorError, type LogSlice } from './executor.js';

export interface LocalExecutorOptions {
  /** Where work folders and cached virtual environments go (`<dataDir>/jobs`). */
  root: string;
  /** After SIGTERM, wait this long before SIGKILL. */
  graceMs: number;
  /** The server's environment variables a job may see besides its own (never the server's secrets). */
  passEnv?: readonly string[];
  /** The Python that builds virtual environments. */
  python?: string;
  /** Most log bytes handed over per call. */
  maxLogSlice?: number;
}

/** How long after starting a job's process its wrapper may take to write its pid record. */
const SPAWN_GRACE_MS = 30_000;

/** What a job's process sees of the server's environment: enough to find programs, nothing secret. */
const BASE_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'SHELL'];

interface ProcessRecord {
  pid: number;
  /** /proc/<pid>/stat start time, so a reused pid is not mistaken for the job. */
  startTicks: string | null;
}

async function startTicks(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'; start time is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function signalName(n: number): string {
  const name = Object.entries(constants.signals).find(([, v]) => v === n)?.[0];
  return name ? `${n} (${name})` : String(n);
}

/** The job's outcome from the exit code its wrapper wrote; null while there is none. */
async function exitStatus(dir: string): Promise<ExecutionStatus | null> {
  let text: string;
  try {
    text = await readFile(join(dir, 'exit_code'), 'utf8');
  } catch {
    return null;
  }
  const code = Number(text.trim());
  if (code === 0) return { state: 'succeeded', exitCode: 0 };
  // bash reports a command that a signal ended as 128 + the signal's number.
  if (code > 128 && code < 160) return { state: 'stopped', exitCode: code, message: `The job's process was killed by signal ${signalName(code - 128)}.` };
  return { state: 'failed', exitCode: code, message: `The command exited with code ${code}.` };
}

async function alive(rec: ProcessRecord): Promise<boolean> {
  try {
    process.kill(rec.pid, 0);
  } catch {
    return false;
  }
  if (rec.startTicks === null) return true;
  return (await startTicks(rec.pid)) === rec.startTicks;
}

export class LocalExecutor implements Executor {
  readonly kind = 'local' as const;
  private readonly killTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly opts: LocalExecutorOptions) {}

  private dir(handle: string): string {
    // A retry's handle is the job's id with `-a<attempt>` (job-worker.ts attemptHandle): its own work folder.
    if (!/^job-[0-9a-f]{32}(-a[0-9]{1,2})?$/.test(handle)) throw new ExecutorError(`Not a local job handle: '${handle}'.`, false);
    return join(this.opts.root, 'work', handle);
  }

  private async record(handle: string): Promise<ProcessRecord | null> {
    try {
      return JSON.parse(await readFile(join(this.dir(handle), 'process.json'), 'utf8')) as ProcessRecord;
    } catch {
      return null;
    }
  }

  async submit(req: ExecutionRequest): Promise<string> {
    const dir = this.dir(req.jobId);
    // Idempotent: a job already started here (by this server or one before a restart) is the same job. The
    // `spawned` mark is written before the process starts, so a server killed right after starting it does not
    // start it again.
    if ((await this.record(req.jobId)) || existsSync(join(dir, 'spawned'))) return req.jobId;
    await rm(dir, { recursive: true, force: true });
    const projectDir = join(dir, 'project');
    await mkdir(projectDir, { recursive: true, mode: 0o700 });
    await writeTree(projectDir, await readCanonical(await req.readSource()));
    await writeFile(join(dir, 'command.sh'), this.script(req), { mode: 0o600 });
    const log = await open(join(dir, 'job.log'), 'a', 0o600);
    const env: Record<string, string> = {};
    for (const k of [...BASE_ENV, ...(this.opts.passEnv ?? [])]) {
      const v = process.env[k];
      if (v !== undefined) env[k] = v;
    }
    Object.assign(env, req.env);
    // The wrapper writes its own pid record first (so it exists even if this server dies the next instant), and
    // records the exit code even when the group is sent SIGTERM (its trap runs after the child ends).
    const wrapper = [
      `printf '{"pid":%s,"startTicks":"%s"}' "$$" "$(cut -d' ' -f22 /proc/$$/stat)" > "$3.tmp" && mv "$3.tmp" "$3"`,
      `trap 'true' TERM INT; bash "$1"; code=$?; printf '%s' "$code" > "$2.tmp" && mv "$2.tmp" "$2"`,
    ].join('\n');
    await writeFile(join(dir, 'spawned'), String(Date.now()), { mode: 0o600 });
    const child = spawn('/bin/bash', ['-c', wrapper, 'ferry-job', join(dir, 'command.sh'), join(dir, 'exit_code'), join(dir, 'process.json')], {
      cwd: projectDir,
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env,
    });
    await log.close();
    const pid = child.pid;
    if (pid === undefined) throw new ExecutorError('The job process could not be started (bash missing?).', false);
    child.on('error', () => {});
    child.unref();
    return req.jobId;
  }

  /** The job's script: a virtual environment when asked (built once per python_env, under a lock), then the command. */
  private script(req: ExecutionRequest): string {
    const lines = ['set -e'];
    if (req.envManager === 'virtualenv' && req.pythonEnv) {
      const envDir = join(this.opts.root, 'envs', createHash('sha256').update(req.pythonEnv.text).digest('hex').slice(0, 32));
      const python = this.opts.python ?? 'python3';
      const pip = `${shellQuote(envDir)}/bin/python -m pip install --disable-pip-version-check -q`;
      const build = [`rm -rf ${shellQuote(envDir)}`, `${shellQuote(python)} -m venv ${shellQuote(envDir)}`];
      if (req.pythonEnv.buildDependencies.length) build.push(`${pip} ${req.pythonEnv.buildDependencies.map(shellQuote).join(' ')}`);
      if (req.pythonEnv.dependencies.length) build.push(`${pip} ${req.pythonEnv.dependencies.map(shellQuote).join(' ')}`);
      build.push(`touch ${shellQuote(`${envDir}/.ready`)}`);
      lines.push(
        `mkdir -p ${shellQuote(join(this.opts.root, 'envs'))}`,
        `echo "ferry: python environment ${req.pythonEnv.python ?? ''} (${envDir})"`,
        `(flock 9; if [ ! -f ${shellQuote(`${envDir}/.ready`)} ]; then echo "ferry: building it"; ${build.join(' && ')}; fi) 9>${shellQuote(`${envDir}.lock`)}`,
        `export VIRTUAL_ENV=${shellQuote(envDir)}`,
        `export PATH=${shellQuote(`${envDir}/bin`)}:"$PATH"`,
      );
    }
    lines.push('set +e', req.command, '');
    return lines.join('\n');
  }

  async status(handle: string): Promise<ExecutionStatus> {
    const dir = this.dir(handle);
    const ended = await exitStatus(dir);
    if (ended) return ended;
    const rec = await this.record(handle);
    if (!rec) {
      // Started a moment ago: the wrapper has not written its record yet.
      const spawned = await readFile(join(dir, 'spawned'), 'utf8').catch(() => null);
      if (spawned !== null && Date.now() - Number(spawned) < SPAWN_GRACE_MS) return { state: 'pending' };
      return { state: 'lost', message: 'The job has no process on this host (its work folder is gone).' };
    }
    if (await alive(rec)) return { state: 'running' };
    // It may have ended between the two looks: the wrapper writes the exit code before it exits, so look again
    // (without this, a job that ended just then was failed as killed: 1 in 200 in the two-server test).
    return (await exitStatus(dir)) ?? { state: 'lost', message: 'The job process ended without an exit status (it was killed).' };
  }

  async logs(handle: string, offset: number): Promise<LogSlice> {
    const max = this.opts.maxLogSlice ?? 1024 * 1024;
    let fh;
    try {
      fh = await open(join(this.dir(handle), 'job.log'), 'r');
    } catch {
      return { text: '', nextOffset: offset };
    }
    try {
      const buf = Buffer.alloc(max);
      const { bytesRead } = await fh.read(buf, 0, max, offset);
      // Stop before a UTF-8 sequence cut in half; the rest comes next time.
      const end = bytesRead === max ? wholeCharsEnd(buf, bytesRead) : bytesRead;
      return { text: buf.subarray(0, end).toString('utf8'), nextOffset: offset + end, atEnd: bytesRead < max };
    } finally {
      await fh.close();
    }
  }

  async cancel(handle: string): Promise<void> {
    const rec = await this.record(handle);
    if (!rec || !(await alive(rec))) return;
    try {
      process.kill(-rec.pid, 'SIGTERM');
    } catch {
      return;
    }
    if (this.killTimers.has(handle)) return;
    const timer = setTimeout(() => {
      this.killTimers.delete(handle);
      void alive(rec).then((still) => {
        if (!still) return;
        try {
          process.kill(-rec.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      });
    }, this.opts.graceMs);
    timer.unref();
    this.killTimers.set(handle, timer);
  }

  async cleanup(handle: string): Promise<void> {
    await rm(this.dir(handle), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    for (const t of this.killTimers.values()) clearTimeout(t);
    this.killTimers.clear();
  }
}
