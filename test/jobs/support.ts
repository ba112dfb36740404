/** Helpers for job tests: a listening test server (jobs call back to it), projects zipped from files, waiting. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import yazl from 'yazl';
import { startTestApp, type TestApp } from '../support/app.js';
import type { StoreKind } from '../support/stores.js';

/** The test venv's bin (python with mlflow, scikit-learn), put first on PATH for local jobs. */
export const VENV_BIN = resolve('.venv/bin');
export const HAVE_VENV = existsSync(join(VENV_BIN, 'python'));

export interface JobsTestServer extends TestApp {
  url: string;
}

/** A test app that listens on 127.0.0.1 and runs its job worker (fast ticks, short leases). */
export async function startJobsServer(kind: StoreKind, env: Record<string, string> = {}): Promise<JobsTestServer> {
  const saved: Record<string, string | undefined> = {};
  const set = { FERRY_JOBS_POLL_MS: '100', FERRY_JOBS_LEASE_SECONDS: '5', FERRY_JOBS_ALLOW_FILE_GIT: '1', PATH: `${VENV_BIN}:${process.env['PATH']}`, ...env };
  for (const [k, v] of Object.entries(set)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    const t = await startTestApp(kind);
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    t.app.ferry.jobs.start(address);
    return { ...t, url: address };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (k === 'PATH') continue;
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export function zipOf(files: Record<string, string | Buffer>, opts: { prefix?: string; mode?: Record<string, number> } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [path, data] of Object.entries(files)) {
    zip.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), `${opts.prefix ?? ''}${path}`, { mode: opts.mode?.[path] ?? 0o100644 });
  }
  zip.end();
  return new Promise((res, rej) => {
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => parts.push(c));
    zip.outputStream.on('error', rej);
    zip.outputStream.on('end', () => res(Buffer.concat(parts)));
  });
}

export async function uploadProject(t: TestApp, zip: Buffer): Promise<{ status: number; body: any }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/jobs/projects', headers: { ...t.auth, 'content-type': 'application/zip' }, payload: zip });
  return { status: res.statusCode, body: res.json() };
}

/** Polls a job until it is in one of `states` (or the time runs out, answering its last state). */
export async function waitForJob(t: TestApp, jobId: string, states: string[], timeoutMs = 60_000): Promise<any> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await t.call('GET', `/api/v1/jobs/${jobId}`);
    if (states.includes(body.job?.state) || Date.now() > end) return body.job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function fullLog(t: TestApp, jobId: string): Promise<string> {
  let offset = 0;
  let out = '';
  for (;;) {
    const { body } = await t.call('GET', `/api/v1/jobs/${jobId}/logs?offset=${offset}`);
    out += body.data;
    if (body.next_offset === offset) return out;
    offset = body.next_offset;
  }
}
