// Part 1a: the queue's own queries (src/jobs/job-repo.ts: insertJob, claim, updateOwned) with N claimer
// processes, as N Ferry servers would claim: enqueue rate, claim + complete throughput, queue latency.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openStore } from 'ferry/store';
import { insertJob } from 'ferry/jobs/repo';
import { quantile, sleep } from './stats.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/** A queued trivial job, as JobService.submit writes it (executor 'bench', no run behind it). */
export function jobRow(now) {
  const id = `job-${randomBytes(16).toString('hex')}`;
  return {
    job_id: id,
    state: 'queued',
    executor: 'bench',
    spec: JSON.stringify({ project_name: 'noop', parameters: {}, command: 'true', env_manager: 'local', resources: {} }),
    project_digest: 'sha256:bench',
    entry_point: 'main',
    experiment_id: 0,
    run_id: randomBytes(16).toString('hex'),
    submitted_by: 'bench',
    submitted_at: now,
    available_at: now,
    priority: 0,
    attempts: 0,
    max_attempts: 1,
    retry_backoff_ms: 0,
    lease_owner: null,
    lease_until: null,
    cancel_requested: 0,
    cancelled_by: null,
    external_id: null,
    token_id: null,
    started_at: null,
    running_at: null,
    finished_at: null,
    exit_code: null,
    message: null,
    log_bytes: 0,
    executor_log_offset: 0,
  };
}

/** Starts `n` claimer processes; resolves once each has opened the store. */
async function startClaimers(url, n, pollMs) {
  const all = [];
  for (let i = 0; i < n; i++) {
    const p = spawn(process.execPath, [join(HERE, 'claimer.mjs'), url, `bench-claimer-${i}-${randomBytes(3).toString('hex')}`, String(pollMs)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    const lines = createInterface({ input: p.stdout });
    const ready = new Promise((resolve, reject) => {
      lines.once('line', (l) => (l === 'ready' ? resolve() : reject(new Error(`claimer said ${l}`))));
      p.once('exit', (code) => reject(new Error(`claimer exited (${code}) before it was ready:\n${err.slice(-2000)}`)));
    });
    const result = new Promise((resolve, reject) => {
      let last = null;
      lines.on('line', (l) => (last = l));
      p.on('exit', (code) =>
        code === 0 && last?.startsWith('{') ? resolve(JSON.parse(last)) : reject(new Error(`claimer failed (${code}):\n${err.slice(-2000)}`)),
      );
    });
    all.push({ p, ready, result, send: (s) => p.stdin.write(`${s}\n`) });
  }
  await Promise.all(all.map((c) => c.ready));
  return all;
}

/**
 * One round on one store: enqueue `jobs` one by one (the rate an API server writes them), then all of them due at
 * once and drained by `claimers` processes (throughput; latency = wait in that backlog), then `pacedJobs` enqueued at
 * `rate`/s while the claimers poll every `pollMs` when idle (latency due → claimed under a steady load).
 */
export async function queueRound({ url, jobs, claimers, pacedJobs, rate, pollMs }) {
  const store = await openStore(url);
  try {
    const t0 = performance.now();
    for (let i = 0; i < jobs; i++) await insertJob(store.db, jobRow(Date.now()));
    const enqueueS = (performance.now() - t0) / 1000;

    const cs = await startClaimers(url, claimers, pollMs);
    // Every job due at the same instant, so "due → claimed" is the wait in a backlog of `jobs`.
    const dueAt = Date.now();
    await store.db.updateTable('jobs').set({ available_at: dueAt }).where('state', '=', 'queued').execute();
    for (const c of cs) c.send('go');
    for (const c of cs) c.send('stop');
    const drained = await Promise.all(cs.map((c) => c.result));
    const drain = summarise(drained, dueAt);

    let paced = null;
    if (pacedJobs > 0) {
      const ps = await startClaimers(url, claimers, pollMs);
      for (const c of ps) c.send('go');
      const start = Date.now();
      for (let i = 0; i < pacedJobs; i++) {
        // Open loop: job i is due at start + i/rate whatever the claimers do.
        const at = start + (i * 1000) / rate;
        if (at > Date.now()) await sleep(at - Date.now());
        await insertJob(store.db, jobRow(Date.now()));
      }
      for (const c of ps) c.send('stop');
      paced = summarise(await Promise.all(ps.map((c) => c.result)), null);
    }
    const states = await store.db
      .selectFrom('jobs')
      .select(['state', (eb) => eb.fn.countAll().as('n')])
      .groupBy('state')
      .execute();
    return { enqueuePerS: jobs / enqueueS, drain, paced, states: Object.fromEntries(states.map((r) => [r.state, Number(r.n)])) };
  } finally {
    await store.close();
  }
}

/** Claims per second, latency quantiles (ms) and the exactly-once check over the claimers' reports. */
function summarise(reports, dueAt) {
  const claims = reports.flatMap((r) => r.claims);
  const ids = new Set(claims.map((c) => c[0]));
  const first = Math.min(...reports.map((r) => r.t0));
  const lastClaim = Math.max(...claims.map((c) => c[2]));
  const waits = claims.map((c) => c[2] - (dueAt ?? c[1]));
  return {
    claims: claims.length,
    distinct: ids.size,
    lost: reports.reduce((n, r) => n + r.lost, 0),
    perClaimer: reports.map((r) => r.claims.length),
    claimsPerS: claims.length / (Math.max(1, lastClaim - Math.min(first, dueAt ?? first)) / 1000),
    p50: quantile(waits, 0.5),
    p99: quantile(waits, 0.99),
  };
}
