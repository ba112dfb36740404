// Serving throughput of two builds of Ferry in one run: the serving benchmark's 1-row records and v2 points against
// both, alternated, and B/A ratios from the medians. bench/serving/compare.sh makes the two builds (git worktrees of
// two revisions) and calls this; it also runs alone on any two checkouts with a built dist/.
//
//   node bench/serving/compare.mjs --a DIR --b DIR [--label-a A] [--label-b B] [options]   (see --help)
//
// Both servers run side by side for the whole run, idle while the other is under load. For each round, each
// protocol and each concurrency, A and B are loaded back to back (the order flips every round), so a busy machine's
// drift lands on both alike; each pair's B/A ratio is kept too. Exit status 0 unless the comparison itself breaks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixture, recordsBody, rowsFrom, v2BinaryBody, v2Body } from './common.mjs';
import { DEPLOYMENT, check, log, measured } from './points.mjs';
import * as S from './servers.mjs';
import { haveWrk } from './wrk.mjs';
import { parseBenchOptions } from '../options.mjs';

const OPTS = {
  a: ['BENCH_A', '', 'checkout A (the baseline): a folder with bin/ferry.js and a built dist/'],
  b: ['BENCH_B', '', 'checkout B (the change)'],
  'label-a': ['BENCH_LABEL_A', 'A', "A's name in the output (compare.sh: the revision)"],
  'label-b': ['BENCH_LABEL_B', 'B', "B's name in the output"],
  rounds: ['BENCH_ROUNDS', '3', 'rounds; every point runs once per build per round'],
  duration: ['BENCH_DURATION', '3', 'seconds measured per load point'],
  warmup: ['BENCH_WARMUP', '1', 'seconds of load before each point is measured'],
  concurrency: ['BENCH_CONCURRENCY', '1,64', 'client connections per point, comma-separated'],
  protocols: ['BENCH_PROTOCOLS', 'records,v2', 'protocols to load: records, v2, v2-binary'],
  load: ['BENCH_LOAD', 'node', 'load generator: node (load.mjs) or wrk'],
  workers: ['BENCH_FERRY_WORKERS', '2', "Ferry's FERRY_INFERENCE_WORKERS"],
  'ferry-log-level': ['BENCH_FERRY_LOG_LEVEL', 'info', "Ferry's FERRY_LOG_LEVEL"],
  json: ['BENCH_JSON', '', 'also write every figure to this JSON file'],
};
const FLAGS = { keep: ['BENCH_KEEP', "keep the temporary folder (both servers' logs and data)"] };
// --smoke: one short round, to check the script works.
const SMOKE = { rounds: '1', duration: '0.3', warmup: '0.1', concurrency: '1,16' };

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');

async function main() {
  const v = parseBenchOptions('node bench/serving/compare.mjs --a DIR --b DIR', OPTS, FLAGS, SMOKE);
  if (!v.a || !v.b) throw new Error('--a and --b are required (two checkouts with a built dist/; bench/serving/compare.sh makes them from revisions)');
  const a = {
    ...v,
    rounds: Number(v.rounds),
    duration: Number(v.duration),
    warmup: Number(v.warmup),
    concurrency: v.concurrency
      .split(',')
      .map(Number)
      .filter((n) => n > 0),
    protocols: v.protocols.split(',').filter((p) => ['records', 'v2', 'v2-binary'].includes(p)),
  };
  if (a.load === 'wrk' && !haveWrk()) throw new Error('--load wrk: no wrk on PATH');
  const builds = [
    { key: 'a', label: a['label-a'], root: resolve(a.a) },
    { key: 'b', label: a['label-b'], root: resolve(a.b) },
  ];
  const fx = fixture();
  const tmp = mkdtempSync(join(tmpdir(), 'ferry-bench-compare-'));
  const recPath = `/api/v1/deployments/${DEPLOYMENT}/predict`;
  const v2Path = `/v2/models/${DEPLOYMENT}/infer`;
  const protocols = { records: [recPath, recordsBody], v2: [v2Path, v2Body], 'v2-binary': [v2Path, v2BinaryBody] };
  const out = { options: a, builds: builds.map(({ key, label, root }) => ({ key, label, root })), points: [] };
  const servers = {};
  let done = false;
  try {
    // One after the other, so neither start is slowed by the other's.
    for (const bld of builds) {
      log(`starting ${bld.label} (${bld.root})`);
      const srv = await S.startFerry(tmp, { workers: a.workers, logLevel: a['ferry-log-level'], root: bld.root, name: `ferry-${bld.key}` });
      servers[bld.key] = srv;
      await S.deployOnFerry(srv, {
        modelPath: fx.modelPath,
        model: 'credit_gbdt',
        deployment: DEPLOYMENT,
        batching: { max_batch_size: 256, max_queue_delay_ms: 2 },
      });
      // Same answers from both before any load.
      const want = fx.expected.label;
      check(
        `${bld.label} records`,
        (await S.postJson(srv, recPath, recordsBody(fx.records))).predictions.map((p) => p.label),
        want,
      );
      check(`${bld.label} v2`, (await S.postJson(srv, v2Path, v2Body(fx.records))).outputs.find((o) => o.name === 'label').data, want);
    }
    const one = (make) => fx.records.map((_, i) => make(rowsFrom(fx.records, 1, i)));
    const total = a.rounds * a.protocols.length * a.concurrency.length * 2;
    log(`${total} load points of ${a.warmup + a.duration} s each (~${Math.round(total * (a.warmup + a.duration + 0.5))} s)`);
    for (let round = 0; round < a.rounds; round++) {
      const order = round % 2 === 0 ? builds : [...builds].reverse();
      for (const proto of a.protocols) {
        const [path, make] = protocols[proto];
        for (const c of a.concurrency) {
          const pair = { round: round + 1, proto, concurrency: c };
          for (const bld of order) {
            log(`round ${round + 1}/${a.rounds}: ${bld.label} ${proto}, 1-row requests, c=${c}`);
            const r = await measured(tmp, servers[bld.key], a, { path, bodies: one(make), concurrency: c });
            if (r.errors) throw new Error(`${bld.label} ${proto} c=${c}: ${r.errors} errors (first: ${r.first_error})`);
            pair[bld.key] = { rps: r.rps, p50_us: r.p50_us, p99_us: r.p99_us, server_cores: r.server_cores ?? null, rows_per_run: r.rows_per_run };
          }
          out.points.push(pair);
        }
      }
    }
    done = true;
  } finally {
    await Promise.all(Object.values(servers).map((srv) => S.stop(srv)));
    // A failed run keeps the servers' logs for a look.
    if (!done) log(`kept ${tmp} (the servers' logs)`);
  }

  const [A, B] = builds;
  const named = (bld, k) => (bld.label === k ? k : `${bld.label} (${k})`);
  console.log(
    `\nServing throughput, ${named(B, 'B')} vs ${named(A, 'A')}: 1-row requests, credit_gbdt.onnx, ${a.rounds} alternated round(s) of ` +
      `${a.warmup} s warm-up + ${a.duration} s per point; FERRY_INFERENCE_WORKERS=${a.workers}, FERRY_LOG_LEVEL=${a['ferry-log-level']}, monitoring on (the default)`,
  );
  console.log(`  A: ${A.root}\n  B: ${B.root}`);
  console.log(
    `\n  ${'point'.padEnd(16)}${'A req/s'.padStart(10)}${'B req/s'.padStart(10)}${'B/A'.padStart(8)}${'A p50 µs'.padStart(11)}${'B p50 µs'.padStart(11)}${'A CPU µs'.padStart(11)}${'B CPU µs'.padStart(11)}   per-round B/A (req/s)`,
  );
  out.summary = [];
  for (const proto of a.protocols) {
    for (const c of a.concurrency) {
      const ps = out.points.filter((p) => p.proto === proto && p.concurrency === c);
      const ra = median(ps.map((p) => p.a.rps));
      const rb = median(ps.map((p) => p.b.rps));
      const paired = ps.map((p) => p.b.rps / p.a.rps);
      // The server's CPU per request moves less than req/s when other jobs share the cores; a window whose CPU
      // sample came back empty (no /proc, or no tick counted) is left out.
      const cpu = (k) => {
        const xs = ps.map((p) => (1e6 * p[k].server_cores) / p[k].rps).filter((x) => Number.isFinite(x) && x > 0);
        return xs.length ? median(xs) : NaN;
      };
      const s = {
        proto,
        concurrency: c,
        a_rps: ra,
        b_rps: rb,
        ratio: rb / ra,
        paired,
        paired_median: median(paired),
        a_p50_us: median(ps.map((p) => p.a.p50_us)),
        b_p50_us: median(ps.map((p) => p.b.p50_us)),
        a_cpu_us: cpu('a'),
        b_cpu_us: cpu('b'),
      };
      out.summary.push(s);
      console.log(
        `  ${`${proto}, c=${c}`.padEnd(16)}${int(ra).padStart(10)}${int(rb).padStart(10)}${s.ratio.toFixed(3).padStart(8)}${int(s.a_p50_us).padStart(11)}${int(s.b_p50_us).padStart(11)}` +
          `${int(s.a_cpu_us).padStart(11)}${int(s.b_cpu_us).padStart(11)}   ${paired.map((x) => x.toFixed(2)).join(', ')} (median ${s.paired_median.toFixed(3)})`,
      );
    }
  }
  console.log(
    "\nB/A: the ratio of the two medians (above 1: B serves more). CPU µs: the server's CPU (all its threads) per request, " +
      'median over the rounds. Figures from a shared machine move by ±30% between runs; the per-round ratios (A and B loaded ' +
      'back to back) show how much of that is noise.',
  );
  if (a.json) writeFileSync(resolve(a.json), JSON.stringify(out, null, 2));
  if (!out.summary.every((s) => Number.isFinite(s.ratio) && s.ratio > 0)) throw new Error('a ratio is not finite: a build served nothing at some point');
  if (a.keep) log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}

main().catch((err) => {
  log(`FAILED: ${err.stack ?? err}`);
  process.exit(1);
});
