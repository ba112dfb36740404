/**
 * The ray executor: a job is a Ray job on an existing cluster, driven through the Ray Jobs REST API of its head
 * (the dashboard, default port 8265) with plain fetch — no Ray SDK on Ferry's side. The job's handle is Ray's
 * `submission_id`, so a submit retried after a timeout or by a server that took over a dead one finds the
 * job already there instead of starting it twice. Ray downloads the project zip itself from the signed URL
 * (`runtime_env.working_dir`; Ray 2.x accepts http and https zip URLs and strips the zip's one top folder).
 * Calls go through node:http, not fetch: Node's fetch always sends `Sec-Fetch-Mode`, and Ray's dashboard refuses
 * every POST and DELETE that carries a Sec-Fetch-* header as browser traffic (its guard against cross-site requests).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type ExecutionRequest, type ExecutionState, type ExecutionStatus, type Executor, ExecutorError, type LogSlice } from './executor.js';

export interface RayExecutorOptions {
  /** The head's dashboard URL, e.g. http://ray-head:8265. */
  address: string;
  /** Sent as `Authorization: Bearer …` (Ray's token auth, RAY_AUTH_MODE=token). */
  token?: string | undefined;
  /** Per request; default 15 s. */
  timeoutMs?: number;
  /** Most log bytes handed over per call; default 1 MiB. */
  maxLogSlice?: number;
}

/** What GET /api/jobs/{id} answers (the fields Ferry reads). */
interface RayJobDetails {
  submission_id?: string | null;
  status?: string;
  message?: string | null;
  error_type?: string | null;
  driver_exit_code?: number | null;
  metadata?: Record<string, string> | null;
}

interface RayAnswer {
  status: number;
  text: string;
}

const STATES: Record<string, ExecutionState> = {
  PENDING: 'pending',
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  STOPPED: 'stopped',
};

/** Ray answers errors as text, often a whole Python traceback: its last line says what went wrong. */
function reason(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines[lines.length - 1] ?? '';
  return last.length > 500 ? `${last.slice(0, 500)}…` : last;
}

/** Bytes of the UTF-8 sequence that starts with `lead`. */
function charLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/** The end of `buf` moved back so that no UTF-8 sequence is cut in half. */
function wholeCharsEnd(buf: Buffer, end: number): number {
  let i = end;
  let back = 0;
  while (back < 3 && i > 0 && (buf[i - 1]! & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i === 0) return end;
  return charLength(buf[i - 1]!) > back + 1 ? i - 1 : end;
}

export class RayExecutor implements Executor {
  readonly kind = 'ray' as const;
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: RayExecutorOptions) {
    this.base = opts.address.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  private request(method: string, path: string, body?: unknown): Promise<RayAnswer> {
    const url = new URL(`${this.base}${path}`);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'ferry' };
    if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(payload.length) });
    if (this.opts.token) headers['authorization'] = `Bearer ${this.opts.token}`;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method, headers, signal: AbortSignal.timeout(this.timeoutMs) }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
        res.on('error', (err) => reject(this.unreachable(method, path, err)));
      });
      req.on('error', (err) => reject(this.unreachable(method, path, err)));
      req.end(payload);
    });
  }

  private unreachable(method: string, path: string, err: Error & { code?: string }): ExecutorError {
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      return new ExecutorError(`Ray at ${this.base} did not answer ${method} ${path} within ${Math.round(this.timeoutMs / 1000)} s.`, true);
    return new ExecutorError(`Ray at ${this.base} cannot be reached (${err.code ?? err.message}).`, true);
  }

  /** Any answer that is not a success (nor one the caller handles): transient for 5xx, final for 4xx. */
  private fail(what: string, a: RayAnswer): never {
    if (a.status === 401 || a.status === 403)
      throw new ExecutorError(
        `Ray at ${this.base} refused Ferry's credentials to ${what} (HTTP ${a.status}: ${reason(a.text)}); set the executor's token.`,
        false,
      );
    throw new ExecutorError(`Ray at ${this.base} could not ${what} (HTTP ${a.status}: ${reason(a.text)}).`, a.status >= 500 || a.status === 429);
  }

  private json<T>(what: string, a: RayAnswer): T {
    try {
      return JSON.parse(a.text) as T;
    } catch {
      throw new ExecutorError(`Ray at ${this.base} answered ${what} with something that is not JSON (is the address a Ray dashboard?).`, false);
    }
  }

  private path(handle: string, tail = ''): string {
    return `/api/jobs/${encodeURIComponent(handle)}${tail}`;
  }

  async submit(req: ExecutionRequest): Promise<string> {
    const runtimeEnv: Record<string, unknown> = { working_dir: req.sourceUrl, env_vars: req.env };
    // virtualenv: Ray builds the environment from the project's python_env dependencies; local: the cluster's Python.
    if (req.envManager === 'virtualenv' && req.pythonEnv && req.pythonEnv.dependencies.length > 0) runtimeEnv['pip'] = req.pythonEnv.dependencies;
    const body: Record<string, unknown> = {
      entrypoint: req.command,
      submission_id: req.jobId,
      runtime_env: runtimeEnv,
      metadata: { ferry_job_id: req.env['FERRY_JOB_ID'] ?? req.jobId, ferry_project_digest: req.projectDigest },
    };
    if (req.resources.cpus !== undefined) body['entrypoint_num_cpus'] = req.resources.cpus;
    if (req.resources.gpus !== undefined) body['entrypoint_num_gpus'] = req.resources.gpus;
    if (req.resources.memory_mb !== undefined) body['entrypoint_memory'] = req.resources.memory_mb * 1024 * 1024;
    const a = await this.request('POST', '/api/jobs/', body);
    if (a.status === 200) return req.jobId;
    // The same submission_id again (a retried submit, a re-attach): Ray refuses it (500, or 400 in some versions);
    // the job that holds the id is this one.
    if ((a.status === 500 || a.status === 400) && /already exists/i.test(a.text)) {
      const got = await this.request('GET', this.path(req.jobId));
      if (got.status === 200) return req.jobId;
    }
    this.fail(`start job ${req.jobId}`, a);
  }

  async status(handle: string): Promise<ExecutionStatus> {
    const a = await this.request('GET', this.path(handle));
    if (a.status === 404) return { state: 'lost', message: `Ray has no job '${handle}' (the cluster was restarted, or the job was deleted there).` };
    if (a.status !== 200) this.fail(`report job ${handle}`, a);
    const d = this.json<RayJobDetails>('a job status', a);
    const state = STATES[d.status ?? ''];
    if (!state) throw new ExecutorError(`Ray reported an unknown status '${String(d.status)}' for job ${handle}.`, true);
    const out: ExecutionStatus = { state };
    if (typeof d.driver_exit_code === 'number') out.exitCode = d.driver_exit_code;
    if (state === 'failed' || state === 'stopped') {
      const msg = (d.message ?? '').trim() || (d.error_type ? `Ray: ${d.error_type}` : `Ray reports the job ${d.status}.`);
      out.message = msg.length > 2000 ? `${msg.slice(0, 2000)}…` : msg;
    }
    return out;
  }

  /** Ray answers the whole log each time; Ferry hands over the bytes after `offset`, ending on a whole character. */
  async logs(handle: string, offset: number): Promise<LogSlice> {
    const a = await this.request('GET', this.path(handle, '/logs'));
    if (a.status === 404) return { text: '', nextOffset: offset };
    if (a.status !== 200) this.fail(`hand over the log of job ${handle}`, a);
    const all = Buffer.from(this.json<{ logs?: string }>('a job log', a).logs ?? '', 'utf8');
    if (offset >= all.length) return { text: '', nextOffset: offset, atEnd: true };
    const max = this.opts.maxLogSlice ?? 1024 * 1024;
    const end = Math.min(all.length, offset + max);
    const cut = end < all.length ? wholeCharsEnd(all, end) : end;
    // A slice smaller than one character: hand over that character whole rather than nothing.
    const stop = cut > offset ? cut : Math.min(all.length, offset + charLength(all[offset]!));
    const text = all.subarray(offset, stop).toString('utf8');
    return { text, nextOffset: stop, atEnd: stop === all.length };
  }

  async cancel(handle: string): Promise<void> {
    const a = await this.request('POST', this.path(handle, '/stop'));
    // 404: nothing to stop; {stopped: false}: it had already ended.
    if (a.status === 200 || a.status === 404) return;
    this.fail(`stop job ${handle}`, a);
  }

  /** Deletes the finished job's record on the head (its log and metadata); Ray refuses for a job still running. */
  async cleanup(handle: string): Promise<void> {
    // Ray may refuse to delete a job it has just reported ended, and its job manager may write the record once
    // more after a delete (its last status update racing ours, seen on a loaded head): delete, look again a
    // moment later, and repeat for about half a minute.
    let a: RayAnswer | null = null;
    for (let i = 0; i < 8; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 1000 * i));
      a = await this.request('DELETE', this.path(handle));
      if (a.status !== 200 && a.status !== 404) continue;
      await new Promise((r) => setTimeout(r, 1000));
      a = await this.request('GET', this.path(handle));
      if (a.status === 404) return;
    }
    this.fail(`delete job ${handle}`, a!);
  }
}
