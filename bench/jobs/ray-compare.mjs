// Part 2: the same trivial jobs submitted to a real Ray head directly (POST /api/jobs/, then GET until terminal)
// and through Ferry's ray executor (a real `ferry server` whose executor `ray` is that head: POST /api/v1/jobs,
// then GET until terminal), one job at a time, each side polled by the same client at the same interval.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { call, expectStatus } from './http.mjs';
import { quantile, sleep } from './stats.mjs';

const TOKEN = 'ferry-bench-admin-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const RAY_DONE = ['SUCCEEDED', 'FAILED', 'STOPPED'];
const FERRY_DONE = ['succeeded', 'failed', 'cancelled'];

export function zipOf(files) {
  const zip = new yazl.ZipFile();
  for (const [path, data] of Object.entries(files)) zip.addBuffer(Buffer.from(data), path, { mtime: new Date(0) });
  zip.end();
  return new Promise((res, rej) => {
    const parts = [];
    zip.outputStream.on('data', (c) => parts.push(c));
    zip.outputStream.on('error', rej);
    zip.outputStream.on('end', () => res(Buffer.concat(parts)));
  });
}

/** `node bin/ferry.js server` whose executor `ray` is the head at `rayUrl`, its worker ticking every `pollMs`. */
export async function startFerry(repo, tmp, name, rayUrl, pollMs) {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'executors.yaml');
  writeFileSync(file, `executors:\n  ray:\n    kind: ray\n    address: ${rayUrl}\n    max_concurrent: 4\n`);
  const logPath = join(tmp, `${name}.log`);
  const fd = openSync(logPath, 'w');
  const env = {
    ...process.env,
    FERRY_ADMIN_TOKEN: TOKEN,
    FERRY_EXECUTORS_FILE: file,
    FERRY_JOBS_LOCAL: '0',
    FERRY_JOBS_POLL_MS: String(pollMs),
    FERRY_LOG_LEVEL: 'warn',
  };
  for (const k of ['FERRY_URL', 'FERRY_TOKEN', 'FERRY_HOST', 'FERRY_PORT', 'FERRY_DATA_DIR', 'FERRY_STORE']) delete env[k];
  const args = [join(repo, 'bin', 'ferry.js'), 'server', '--host', '127.0.0.1', '--port', '0', '--data-dir', join(dir, 'data')];
  const proc = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', fd, fd], detached: true });
  let exited = null;
  proc.on('exit', (code, sig) => (exited = code ?? sig));
  // If the benchmark dies first, take the server (its own process group) with it.
  const onExit = () => {
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    if (exited !== null) return;
    const done = new Promise((r) => proc.once('exit', r));
    process.kill(-proc.pid, 'SIGTERM');
    const t = setTimeout(() => exited === null && process.kill(-proc.pid, 'SIGKILL'), 15_000);
    await done;
    clearTimeout(t);
  };
  const deadline = Date.now() + 90_000;
  let url = null;
  while (!url) {
    const log = readFileSync(logPath, 'utf8');
    if (exited !== null || Date.now() > deadline) {
      await stop().catch(() => {});
      throw new Error(`ferry server (${name}) did not start:\n${log.slice(-3000)}`);
    }
    url = /Ferry listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1] ?? null;
    if (!url) await sleep(100);
  }
  return { name, url, pollMs, logPath, stop };
}

/** The project both sides run: one entry point whose command is `command`. */
export function projectFiles(command) {
  return { MLproject: `name: bench-noop\nentry_points:\n  main:\n    command: ${JSON.stringify(command)}\n` };
}

/**
 * Direct: with `workingDir` 'gcs', the project uploaded once to the head's package store and named by every job
 * (what `ray job submit --working-dir` does); with 'none', no working_dir at all (Ray's cheapest job).
 */
export async function directSide(rayUrl, command, workingDir) {
  const runtimeEnv = {};
  if (workingDir === 'gcs') {
    const zip = await zipOf(projectFiles(command));
    const pkg = `_ray_pkg_${createHash('sha256').update(zip).digest('hex').slice(0, 16)}.zip`;
    await expectStatus(call('PUT', `${rayUrl}/api/packages/gcs/${pkg}`, zip), 200, 'upload the package to Ray');
    runtimeEnv.working_dir = `gcs://${pkg}`;
  }
  return {
    name: `Ray directly (working_dir ${workingDir})`,
    async run(clientPollMs) {
      const id = `bench-${randomBytes(8).toString('hex')}`;
      const t0 = performance.now();
      await expectStatus(call('POST', `${rayUrl}/api/jobs/`, { entrypoint: command, submission_id: id, runtime_env: runtimeEnv }), 200, 'submit to Ray');
      let st;
      for (;;) {
        st = await expectStatus(call('GET', `${rayUrl}/api/jobs/${id}`), 200, 'Ray job status');
        if (RAY_DONE.includes(st.status)) break;
        await sleep(clientPollMs);
      }
      const ms = performance.now() - t0;
      await call('DELETE', `${rayUrl}/api/jobs/${id}`);
      return { ms, rayMs: rayOwnMs(st), ok: st.status === 'SUCCEEDED', state: st.status, message: st.message };
    },
  };
}

/** Ray's own time for a job: from taking it (start_time) to marking it ended (end_time), ms; null when unknown. */
function rayOwnMs(d) {
  return typeof d?.start_time === 'number' && typeof d?.end_time === 'number' ? d.end_time - d.start_time : null;
}

/**
 * Watches Ray's record of the job Ferry submits as `id` (its first attempt's submission_id is the job's id) until it
 * ends, so Ray's own time is known before Ferry's executor deletes the record; `stop()` ends the watch.
 */
function watchRay(rayUrl, id, pollMs) {
  let stopped = false;
  const done = (async () => {
    for (;;) {
      // Once stopped, one last look (the record may already be deleted: then unknown).
      const last = stopped;
      const r = await call('GET', `${rayUrl}/api/jobs/${id}`).catch(() => null);
      if (r?.status === 200 && RAY_DONE.includes(r.body.status)) return rayOwnMs(r.body);
      if (last) return null;
      await sleep(pollMs);
    }
  })();
  return {
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

/** Through Ferry: the project uploaded once; every job submitted to executor `ray` (the head at `rayUrl`). */
export async function ferrySide(server, command, rayUrl) {
  const zip = await zipOf(projectFiles(command));
  const up = await call('POST', `${server.url}/api/v1/jobs/projects`, zip, AUTH);
  if (up.status !== 200 && up.status !== 201) throw new Error(`upload the project to Ferry: HTTP ${up.status} ${JSON.stringify(up.body)}`);
  const digest = up.body.project.digest;
  return {
    name: `Ferry (ray executor, poll ${server.pollMs} ms)`,
    async run(clientPollMs) {
      const t0 = performance.now();
      const sub = await call('POST', `${server.url}/api/v1/jobs`, { project: digest, executor: 'ray' }, AUTH);
      if (sub.status !== 200 && sub.status !== 201) throw new Error(`submit to Ferry: HTTP ${sub.status} ${JSON.stringify(sub.body)}`);
      const id = sub.body.job.job_id;
      const ray = watchRay(rayUrl, id, clientPollMs);
      let job;
      for (;;) {
        job = await expectStatus(call('GET', `${server.url}/api/v1/jobs/${id}`, undefined, AUTH), 200, 'Ferry job status').then((b) => b.job);
        if (FERRY_DONE.includes(job.state)) break;
        await sleep(clientPollMs);
      }
      const ms = performance.now() - t0;
      const rayMs = await ray.stop();
      // Ferry's own view: queued → claimed → Ray took it → Ferry saw it end.
      const parts = { queued: job.started_at - job.submitted_at, starting: job.running_at - job.started_at, running: job.finished_at - job.running_at };
      return { ms, rayMs, ok: job.state === 'succeeded', state: job.state, message: job.message, parts };
    },
  };
}

/**
 * `rounds` rounds of `jobs` jobs per side, the sides' order rotating from round to round so drift on a busy
 * machine lands on all alike; one warm-up job per side first (Ray's first job starts its worker pool).
 */
export async function compareRounds(sides, { jobs, rounds, clientPollMs, log }) {
  for (const s of sides) {
    const w = await s.run(clientPollMs);
    log(`  warm-up ${s.name}: ${w.state} in ${Math.round(w.ms)} ms`);
    if (!w.ok) throw new Error(`the warm-up job on ${s.name} ended ${w.state}: ${w.message ?? ''}`);
  }
  const results = sides.map((s) => ({ name: s.name, rounds: [] }));
  for (let r = 0; r < rounds; r++) {
    const order = sides.map((_, i) => (i + r) % sides.length);
    for (const i of order) {
      const out = [];
      for (let j = 0; j < jobs; j++) out.push(await sides[i].run(clientPollMs));
      results[i].rounds.push(out);
      log(
        `  round ${r + 1} ${sides[i].name}: p50 ${Math.round(
          quantile(
            out.map((o) => o.ms),
            0.5,
          ),
        )} ms`,
      );
    }
  }
  return results;
}
