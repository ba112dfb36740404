// Drift benchmark: Ferry's drift report (profiles + featureDrift) vs Evidently's DataDriftPreset on the same
// generated data, side by side in one run; each side in its own fresh process.
//
//   bench/drift/run.sh [options]        (every option also has a BENCH_* variable; see --help)
//
// Exit status 0 unless the benchmark itself breaks; a missed target is printed, not failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hottest } from '../serving/profile.mjs';
import { generate } from './gen.mjs';
import { judge, printReport } from './report.mjs';
import { parseBenchOptions, smokeChecks } from '../options.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
// name: [BENCH_* variable, default, help]
const OPTS = {
  rows: ['BENCH_ROWS', '1000000', 'rows in each of reference and current'],
  features: ['BENCH_FEATURES', '20', 'features (fixed at 20: 12 numeric, 8 categorical)'],
  'batch-rows': ['BENCH_BATCH_ROWS', '0', 'rows per Ferry updateColumns call (0: whole columns at once)'],
  ingest: ['BENCH_INGEST', 'columns', "Ferry's ingestion: columns (updateColumns) or rows (updateRow per record, as monitoring feeds live traffic)"],
  seed: ['BENCH_SEED', '42', "the data generator's seed"],
  python: ['BENCH_DRIFT_PYTHON', 'bench/drift/.venv/bin/python', 'Python with evidently 0.7.23 (run.sh creates bench/drift/.venv)'],
  json: ['BENCH_JSON', '', 'also write every figure to this JSON file'],
};
const FLAGS = {
  'skip-evidently': ['BENCH_SKIP_EVIDENTLY', 'leave Evidently out (Ferry only)'],
  profile: ['BENCH_PROFILE', "run Ferry's end-to-end process under node --cpu-prof and print its hottest functions"],
  keep: ['BENCH_KEEP', 'keep the temporary folder (data, stored profiles, CPU profile)'],
};
// --smoke: seconds, not minutes; Evidently only where its venv already exists (a smoke run never creates it).
const SMOKE = { rows: '5000' };

function parse() {
  const values = parseBenchOptions('bench/drift/run.sh', OPTS, FLAGS, SMOKE);
  if (values.features !== '20') throw new Error('--features is fixed at 20 (12 numeric, 8 categorical)');
  if (!['columns', 'rows'].includes(values.ingest)) throw new Error('--ingest is columns or rows');
  const rows = Number(values.rows);
  if (!(Number.isInteger(rows) && rows > 1000)) throw new Error('--rows must be an integer above 1,000 (the preset switches to distances there)');
  return { ...values, rows, seed: Number(values.seed), batchRows: Number(values['batch-rows']), python: resolve(REPO, values.python) };
}

const log = (msg) => process.stderr.write(`[bench ${new Date().toTimeString().slice(0, 8)}] ${msg}\n`);

/** Runs a child to completion; resolves with its last stdout line parsed as JSON. */
function child(cmd, args) {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${err.slice(-3000)}`));
      resolvePromise(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}

async function main() {
  const a = parse();
  const tmp = mkdtempSync(join(tmpdir(), 'ferry-bench-drift-'));
  const data = join(tmp, 'data');
  const stored = join(tmp, 'profiles');
  const profDir = join(tmp, 'cpu-prof');
  mkdirSync(stored);
  try {
    log(`generating ${a.rows.toLocaleString('en-US')} + ${a.rows.toLocaleString('en-US')} rows × 20 features in ${data}`);
    const meta = generate(data, a.rows, a.seed);

    log('Ferry end to end (fresh process)');
    const prof = a.profile ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
    const ferry = await child(process.execPath, [...prof, join(HERE, 'ferry_side.mjs'), 'e2e', data, stored, String(a.batchRows), a.ingest]);
    log(`  ${(ferry.total_ms / 1000).toFixed(2)} s, peak ${Math.round(ferry.peak_mb)} MiB`);
    log('Ferry compare-only from the stored profiles (fresh process)');
    const ferryCompare = await child(process.execPath, [join(HERE, 'ferry_side.mjs'), 'compare', stored]);

    let evidently = null;
    if (!a['skip-evidently'] && a.smoke && !existsSync(a.python)) {
      console.log(`Evidently left out: not installed (no Python at ${a.python}; bench/drift/run.sh without --smoke creates bench/drift/.venv)`);
      a['skip-evidently'] = true;
    }
    if (!a['skip-evidently']) {
      if (!existsSync(a.python)) throw new Error(`no Python at ${a.python}; run bench/drift/run.sh (creates bench/drift/.venv) or pass --skip-evidently`);
      log('Evidently DataDriftPreset (fresh process)');
      evidently = await child(a.python, [join(HERE, 'evidently_side.py'), data]);
      log(`  ${evidently.wall_s.toFixed(2)} s, peak ${Math.round(evidently.peak_mb)} MiB`);
    }

    const out = { rows: a.rows, features: 20, seed: a.seed, meta, ferry, ferry_compare: ferryCompare, evidently };
    out.judged = judge(out);
    printReport(out, out.judged, a);
    if (a.profile) {
      const h = hottest(profDir, 25);
      if (h) {
        out.profile = h;
        console.log(`\nFerry end-to-end process, main thread: ${Math.round(h.total_ms)} ms sampled (incl. loading the data)`);
        for (const x of h.areas.slice(0, 6)) console.log(`  ${x.pct.toFixed(1).padStart(5)}%  ${x.area}`);
        console.log('  hottest functions (self time):');
        for (const x of h.functions) console.log(`  ${x.pct.toFixed(1).padStart(5)}%  ${x.self_ms.toFixed(0).padStart(6)} ms  ${x.name}`);
      }
    }
    if (a.json) {
      writeFileSync(resolve(a.json), JSON.stringify(out, null, 2));
      log(`figures written to ${a.json}`);
    }
    if (a.smoke) smoke(out);
  } finally {
    if (a.keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

/** A smoke run's checks: the end-to-end and the stored-profile paths both produce sane, identical verdicts. */
function smoke(out) {
  const s = smokeChecks('drift');
  const j = out.judged;
  const names = out.meta.columns.map((c) => c.name);
  const sane = (v) => v && Number.isFinite(v.score) && Number.isFinite(v.threshold) && typeof v.drifted === 'boolean';
  s.check(
    names.every((n) => sane(out.ferry.columns[n])),
    `Ferry end to end: a finite score, threshold and verdict for each of the ${names.length} columns`,
  );
  // The stored profiles' bytes must give the same answers as the live profiles (production compares stored ones).
  const same = names.filter((n) => {
    const a = out.ferry.columns[n];
    const b = out.ferry_compare.columns[n];
    return a && b && a.drifted === b.drifted && a.method === b.method && Math.abs(a.score - b.score) <= 1e-12 * Math.max(1, Math.abs(a.score));
  });
  s.check(
    same.length === names.length,
    `Ferry compare-only (profiles read back from bytes) gives the end-to-end verdicts: ${same.length} of ${names.length} columns`,
  );
  // The generator injects clear drift in some columns (not the 'small' shift, which sits below the threshold).
  const injected = out.meta.columns.filter((c) => c.drift && !c.drift.startsWith('small')).map((c) => c.name);
  const found = injected.filter((n) => out.ferry.columns[n]?.drifted);
  s.check(injected.length > 0 && found.length === injected.length, `Ferry flags the injected drift: ${found.length} of ${injected.length} columns`);
  s.check(Number.isFinite(out.ferry.total_ms) && Number.isFinite(out.ferry.peak_mb) && out.ferry.peak_mb > 0, 'Ferry time and peak memory measured');
  if (out.evidently) {
    s.check(j.compared === names.length, `verdict agreement computed on ${j.compared} of ${names.length} columns`);
    s.check([j.speedup, j.memory_ratio, j.speedup_compare_only].every(Number.isFinite), 'time and memory ratios are finite');
  }
  s.finish(
    out.evidently
      ? `${j.agree}/${j.compared} verdicts agree with Evidently; time ${j.speedup.toFixed(1)}×, memory ${j.memory_ratio.toFixed(3)}`
      : `${found.length}/${injected.length} injected drifts found; Evidently not run`,
  );
}

main().catch((e) => {
  console.error(e.stack ?? e);
  process.exit(1);
});
