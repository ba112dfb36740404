// Part 1b: the whole worker path as one Ferry server runs it — JobService.submit (run, parameters, queue row),
// then the server's own JobWorker: claim, a token for the job, start, watch (heartbeat, logs, status), finish
// (state, run status, log artifact, token revoked) — with the no-op executor, so only Ferry's own work is timed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalArtifactStore } from 'ferry/artifacts';
import { loadConfig } from 'ferry/config';
import { buildApp } from 'ferry/server';
import { openStore } from 'ferry/store';
import { NoopExecutor } from './noop-executor.mjs';
import { quantile, sleep } from './stats.mjs';

const TERMINAL = ['succeeded', 'failed', 'cancelled'];
const WHO = { name: 'bench', role: 'admin', kind: 'token' };

/** A Ferry app on `url` whose executor `noop` is the NoopExecutor; its worker not started yet. */
async function noopApp(url, dir, pollMs, concurrency) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'executors.yaml');
  writeFileSync(file, `executors:\n  noop:\n    kind: local\n    max_concurrent: ${concurrency}\n`);
  // The jobs runtime reads its settings from the environment when the app is built.
  Object.assign(process.env, { FERRY_EXECUTORS_FILE: file, FERRY_JOBS_LOCAL: '0', FERRY_JOBS_POLL_MS: String(pollMs), FERRY_JOBS_LEASE_SECONDS: '30' });
  const store = await openStore(url);
  const config = loadConfig({ dataDir: dir, store: url }, {});
  const app = await buildApp({ config, store, artifacts: new LocalArtifactStore(join(dir, 'artifacts')), logger: false });
  // The executor settings, concurrency and everything else stay the server's; only the instance is the no-op one.
  const executors = app.ferry.jobs.executors;
  const real = executors.executor.bind(executors);
  const noop = new NoopExecutor();
  executors.executor = async (name) => (name === 'noop' ? { settings: await executors.settings(name), executor: noop } : real(name));
  const { project } = await app.ferry.jobs.service.storeProject(
    [{ path: 'MLproject', data: Buffer.from('name: noop\nentry_points:\n  main:\n    command: "true"\n') }],
    'bench',
    'noop',
  );
  return {
    app,
    store,
    noop,
    submit: () => app.ferry.jobs.service.submit({ project: project.digest, executor: 'noop' }, WHO),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

async function waitAllTerminal(store, n) {
  for (;;) {
    const row = await store.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('state', 'in', TERMINAL)
      .executeTakeFirst();
    if (Number(row.n) >= n) return;
    await sleep(20);
  }
}

/**
 * One round: `jobs` submitted one by one (submits/s), then all due at once and run by the worker (jobs/s from due
 * to the last one finished; due → claimed in that backlog); then `pacedJobs` submitted at `rate`/s while it runs
 * (due → claimed and submit → finished under a steady load). Checks that every job succeeded, once.
 */
export async function workerRound({ url, dir, jobs, pacedJobs, rate, pollMs, concurrency }) {
  const f = await noopApp(url, dir, pollMs, concurrency);
  try {
    const t0 = performance.now();
    for (let i = 0; i < jobs; i++) await f.submit();
    const submitS = (performance.now() - t0) / 1000;
    const dueAt = Date.now();
    await f.store.db.updateTable('jobs').set({ available_at: dueAt }).where('state', '=', 'queued').execute();
    f.app.ferry.jobs.start('http://127.0.0.1:9');
    await waitAllTerminal(f.store, jobs);
    const backlog = await f.store.db.selectFrom('jobs').selectAll().execute();
    const drain = {
      jobsPerS: jobs / ((Math.max(...backlog.map((j) => Number(j.finished_at))) - dueAt) / 1000),
      p50: quantile(
        backlog.map((j) => Number(j.started_at) - dueAt),
        0.5,
      ),
      p99: quantile(
        backlog.map((j) => Number(j.started_at) - dueAt),
        0.99,
      ),
    };

    let paced = null;
    if (pacedJobs > 0) {
      const start = Date.now();
      for (let i = 0; i < pacedJobs; i++) {
        const at = start + (i * 1000) / rate;
        if (at > Date.now()) await sleep(at - Date.now());
        await f.submit();
      }
      await waitAllTerminal(f.store, jobs + pacedJobs);
      const rows = (await f.store.db.selectFrom('jobs').selectAll().execute()).filter((j) => Number(j.submitted_at) >= start);
      const wait = rows.map((j) => Number(j.started_at) - Number(j.available_at));
      const total = rows.map((j) => Number(j.finished_at) - Number(j.submitted_at));
      paced = { jobs: rows.length, p50: quantile(wait, 0.5), p99: quantile(wait, 0.99), totalP50: quantile(total, 0.5), totalP99: quantile(total, 0.99) };
    }
    const all = await f.store.db.selectFrom('jobs').selectAll().execute();
    const runs = await Promise.all(all.slice(0, 20).map((j) => f.app.ferry.runs.get(j.run_id)));
    return {
      submitPerS: jobs / submitS,
      drain,
      paced,
      checks: {
        jobs: all.length,
        succeeded: all.filter((j) => j.state === 'succeeded').length,
        onceEach: all.every((j) => Number(j.attempts) === 1) && f.noop.submits === all.length,
        runsFinished: runs.every((r) => r.info.status === 'FINISHED'),
      },
    };
  } finally {
    await f.close();
  }
}
