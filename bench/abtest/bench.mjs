// A/B report benchmark: Ferry's report of one A/B test (a proportion, and a mean with CUPED) over N units and M
// outcome events on SQLite, against the same report by pandas + gbstats 0.8.0 on the same data. Rounds alternate
// (Ferry, peer, peer, Ferry, …); time to the report and peak RSS are medians over rounds.
//
//   bench/abtest/run.sh [options]        (every option also has a BENCH_* variable; see --help)
//
// Exit status 0 unless the benchmark itself breaks; a missed target is printed, not failed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from 'ferry/store';
import { metricPlans } from '../../dist/abtests/abtest-spec.js';
import { log } from '../jobs/stats.mjs';
import { parseBenchOptions, smokeChecks } from '../options.mjs';
import { ferryReport } from './ferry-side.mjs';
import { ABTEST, REPORT_AT, load } from './generate.mjs';
import { agreement, printResults } from './report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
// name: [BENCH_* variable, default, help]
const OPTS = {
  units: ['BENCH_UNITS', '1000000', 'units exposed (two arms, 50/50, first exposures over 14 days)'],
  events: ['BENCH_EVENTS', '10000000', 'outcome events (conversion, revenue, and a metric the test does not read)'],
  rounds: ['BENCH_ROUNDS', '3', 'rounds (Ferry, peer, peer, Ferry, …; medians are printed)'],
  seed: ['BENCH_SEED', '16', 'seed of the generated data'],
  data: ['BENCH_DATA', '', 'keep the generated store and Parquet files in this folder, and reuse them when sizes and seed match'],
  python: ['BENCH_PYTHON', '.venv/bin/python', 'Python with pandas, pyarrow and gbstats 0.8.0 (the peer)'],
  'ferry-node-args': ['BENCH_FERRY_NODE_ARGS', '', "extra node options for the ferry server, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof'"],
  json: ['BENCH_JSON', '', 'also write every figure to this JSON file'],
};
const FLAGS = { keep: ['BENCH_KEEP', 'keep the temporary folder (the Ferry servers’ logs)'] };
const SMOKE = { units: '20000', events: '200000', rounds: '1' };

function parse() {
  const v = parseBenchOptions('bench/abtest/run.sh', OPTS, FLAGS, SMOKE);
  const int = (k) => {
    const n = Number(v[k]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${k} must be a positive integer, got '${v[k]}'`);
    return n;
  };
  return { ...v, units: int('units'), events: int('events'), rounds: int('rounds'), seed: int('seed'), python: resolve(REPO, v.python) };
}

/** The store and its Parquet export in `dir`: generated and loaded, or reused when its manifest says the same sizes and seed. */
async function prepare(a, dir) {
  const manifest = join(dir, 'manifest.json');
  // layout 2: loaded through the aggregator (migration 0012); a store of layout 1 has no aggregates.
  const want = { units: a.units, events: a.events, seed: a.seed, layout: 2 };
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    if (m.units === a.units && m.events === a.events && m.seed === a.seed && m.layout === want.layout) return { ...m, reused: true };
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  const url = `sqlite:${join(dir, 'ferry.db')}`;
  log(`generating and loading ${a.units.toLocaleString('en-US')} units and ${a.events.toLocaleString('en-US')} events`);
  const l = await load({ url, units: a.units, events: a.events, seed: a.seed, log });
  log('exporting the test’s units and the events to Parquet for pandas (once, not timed)');
  const out = JSON.parse(execFileSync(a.python, [join(HERE, 'peer.py'), 'export', join(dir, 'ferry.db'), dir, l.abtestId], { encoding: 'utf8' }));
  const m = { ...want, ...l, exportS: out.seconds, url };
  writeFileSync(manifest, JSON.stringify(m));
  return { ...m, reused: false };
}

/** What the peer needs of the test: its metrics' plans (durations in ms, as Ferry reads them), arms, control, settings. */
async function peerPlan(url) {
  const store = await openStore(url);
  try {
    const row = await store.db.selectFrom('abtests').select('spec').where('name', '=', ABTEST).executeTakeFirstOrThrow();
    const spec = JSON.parse(row.spec);
    return { at: REPORT_AT, plans: metricPlans(spec), arms: spec.arms.map((x) => x.version), control: spec.control, settings: spec.settings };
  } finally {
    await store.close();
  }
}

function peerReport(a, dir, plan) {
  const out = execFileSync(a.python, [join(HERE, 'peer.py'), 'report', dir, JSON.stringify(plan)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out);
}

/** A line per metric: the relative effect and its CI on both sides. */
function sampleLines(ferry, peer) {
  return peer.metrics.flatMap((pm) =>
    pm.comparisons.map((pc) => {
      const fc = ferry.metrics.find((m) => m.metric === pm.metric)?.comparisons.find((c) => c.arm === pc.arm);
      const r = (e) =>
        e && Number.isFinite(e.estimate) ? `${(e.estimate * 100).toFixed(4)}% [${(e.lower * 100).toFixed(4)}, ${(e.upper * 100).toFixed(4)}]` : '-';
      return `${pm.metric} ${pc.arm} vs control, relative: Ferry ${r(fc?.relative)}, gbstats ${r(pc.relative)}`;
    }),
  );
}

async function main() {
  const a = parse();
  const tmp = mkdtempSync(join(tmpdir(), 'ferry-bench-abtest-'));
  const smoke = a.smoke ? smokeChecks('abtest') : null;
  a.data = a.data ? resolve(a.data) : join(tmp, 'data');
  const figures = { options: a, rounds: [] };
  try {
    figures.load = await prepare(a, a.data);
    const plan = await peerPlan(figures.load.url);
    let lastFerry = null;
    let lastPeer = null;
    for (let r = 0; r < a.rounds; r++) {
      for (const side of r % 2 === 0 ? ['ferry', 'peer'] : ['peer', 'ferry']) {
        if (side === 'ferry') {
          const res = await ferryReport({
            repo: REPO,
            dir: join(tmp, `ferry-${r}`),
            storeUrl: figures.load.url,
            abtest: ABTEST,
            at: REPORT_AT,
            nodeArgs: a['ferry-node-args'].split(' ').filter(Boolean),
          });
          lastFerry = res.report;
          figures.rounds.push({ round: r, side, seconds: res.seconds, maxRssBytes: res.maxRssBytes, startupRssBytes: res.startupRssBytes });
          log(`round ${r + 1} Ferry: ${res.seconds.toFixed(2)} s, peak RSS ${(res.maxRssBytes / 2 ** 20).toFixed(0)} MB`);
        } else {
          const res = peerReport(a, a.data, plan);
          lastPeer = res;
          const { metrics: _metrics, ...rest } = res;
          figures.rounds.push({ round: r, side, ...rest });
          log(`round ${r + 1} pandas + gbstats: ${res.seconds.toFixed(2)} s, peak RSS ${(res.maxRssBytes / 2 ** 20).toFixed(0)} MB`);
        }
      }
    }
    figures.agreement = agreement(lastFerry, lastPeer);
    figures.sample = sampleLines(lastFerry, lastPeer);
    figures.report = lastFerry;
    figures.peer = lastPeer;
    figures.summary = printResults(figures, a, smoke);
    if (a.json) writeFileSync(a.json, JSON.stringify(figures, null, 2));
  } finally {
    if (a.keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  smoke?.finish(`${a.units} units, ${a.events} events, ${a.rounds} round(s)`);
}

for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
  if (process.argv.includes('--smoke') || process.env.BENCH_SMOKE) console.log('\nsmoke abtest: FAILED');
});
