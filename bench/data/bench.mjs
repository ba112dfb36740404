// Profiling benchmark (issue 6): Ferry's profileTable on a generated CSV vs pandas (read_csv + describe + value
// counts) and whylogs (why.log on the frame, and chunked with merged views), side by side, each measurement in a
// fresh child process so its peak memory is its own.
//
//   bench/data/run.sh [options]        (every option also has a BENCH_* variable; see --help)
//
// Exit status 0 unless the benchmark itself breaks; a missed target is printed, not failed.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchOptions, smokeChecks } from '../options.mjs';
import { busiest } from './cpu-profile.mjs';
import { COLUMNS, EXPECTED_TYPES, ensureCsv } from './gen.mjs';
import { agreement, printAgreement, printSize, printVerdicts, summarize } from './report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const TOOLS = ['ferry', 'ferry-1thread', 'pandas', 'whylogs', 'whylogs-chunked'];
// name: [BENCH_* variable, default, help]
const OPTS = {
  rows: ['BENCH_ROWS', '1000000,5000000', 'comma-separated row counts; one CSV (20 columns) per size, cached in bench/data/.cache'],
  repeat: ['BENCH_REPEAT', '1', 'measurements per tool and size (the table shows medians)'],
  tools: ['BENCH_TOOLS', TOOLS.join(','), `which of ${TOOLS.join(', ')} to run (ferry-1thread: profileTable with workers: 1)`],
  workers: ['BENCH_WORKERS', '0', "threads for the ferry row (0: profileTable's default, one per core up to 8)"],
  'chunk-rows': ['BENCH_CHUNK_ROWS', '100000', 'rows per chunk for whylogs-chunked (pd.read_csv chunksize)'],
  'batch-rows': ['BENCH_BATCH_ROWS', '0', "Ferry's batchRows (0: profileTable's default, 16,384)"],
  seed: ['BENCH_SEED', '42', "the data generator's seed"],
  python: ['BENCH_DATA_PYTHON', 'bench/data/.venv/bin/python', 'Python with pandas and whylogs (run.sh creates bench/data/.venv)'],
  json: ['BENCH_JSON', '', 'also write every figure to this JSON file'],
};
const FLAGS = {
  'skip-python': ['BENCH_SKIP_PYTHON', 'leave pandas and whylogs out (Ferry only)'],
  profile: ['BENCH_PROFILE', 'also run Ferry once per size under node --cpu-prof and print its hottest functions, all threads (not timed)'],
};
// --smoke: two small sizes (the memory verdict needs two); pandas from bench/data/.venv or else the repo's .venv, where
// it is already installed (whylogs only in the former); a tool that cannot be imported is left out and named.
const SMOKE = {
  rows: '10000,20000',
  python: existsSync(join(REPO, 'bench/data/.venv/bin/python')) ? 'bench/data/.venv/bin/python' : '.venv/bin/python',
};

function parse() {
  const v = parseBenchOptions('bench/data/run.sh', OPTS, FLAGS, SMOKE);
  const sizes = v.rows.split(',').map((s) => Number(s.replace(/_/g, '').trim()));
  if (!sizes.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`--rows: positive integers, comma-separated (got ${v.rows})`);
  const tools = v.tools
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const t of tools) if (!TOOLS.includes(t)) throw new Error(`--tools: unknown ${t} (one of ${TOOLS.join(', ')})`);
  if (!tools.includes('ferry')) throw new Error('--tools must include ferry (the ratios are against it)');
  const repeat = Number(v.repeat);
  if (!(Number.isInteger(repeat) && repeat >= 1)) throw new Error('--repeat: an integer ≥ 1');
  return {
    ...v,
    sizes,
    repeat,
    tools: v['skip-python'] ? tools.filter((t) => t.startsWith('ferry')) : tools,
    workers: Number(v.workers),
    chunkRows: Number(v['chunk-rows']),
    batchRows: Number(v['batch-rows']),
    seed: Number(v.seed),
    python: resolve(REPO, v.python),
  };
}

const log = (msg) => process.stderr.write(`[bench ${new Date().toTimeString().slice(0, 8)}] ${msg}\n`);
const HAS_TIME = existsSync('/usr/bin/time');

/**
 * Runs one measurement in a child (under /usr/bin/time -v when there is one): its last stdout line parsed as JSON,
 * plus wall_s (the whole process: start, imports, work, exit) and peak_mib ("Maximum resident set size", or the
 * child's own VmHWM without /usr/bin/time).
 */
function measure(cmd, args) {
  return new Promise((resolveP, reject) => {
    const argv = HAS_TIME ? ['-v', cmd, ...args] : args;
    const t0 = performance.now();
    const p = spawn(HAS_TIME ? '/usr/bin/time' : cmd, argv, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => {
      const wall_s = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${err.slice(-3000)}`));
      const r = JSON.parse(out.trim().split('\n').pop());
      const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const user = /User time \(seconds\): ([\d.]+)/.exec(err);
      const sys = /System time \(seconds\): ([\d.]+)/.exec(err);
      r.wall_s = wall_s;
      r.cpu_s = user && sys ? Number(user[1]) + Number(sys[1]) : (r.cpu_self_s ?? null);
      r.peak_mib = kb ? Number(kb[1]) / 1024 : r.peak_self_mib;
      r.peak_source = kb ? '/usr/bin/time -v' : 'VmHWM';
      resolveP(r);
    });
  });
}

function commandFor(tool, file, a, extraNode = []) {
  if (tool.startsWith('ferry')) {
    const workers = tool === 'ferry-1thread' ? 1 : a.workers;
    return [process.execPath, [...extraNode, join(HERE, 'ferry_side.mjs'), file, String(a.batchRows), String(workers)]];
  }
  const args = [join(HERE, 'python_side.py'), tool, file];
  if (tool === 'whylogs-chunked') args.push(String(a.chunkRows));
  return [a.python, args];
}

/** Which Python baselines can run here: { tool: null | 'reason' }. */
function probePython(a) {
  const missing = {};
  const wanted = a.tools.filter((t) => !t.startsWith('ferry'));
  if (wanted.length === 0) return missing;
  if (!existsSync(a.python)) {
    for (const t of wanted) missing[t] = `no Python at ${a.python} (run.sh creates bench/data/.venv)`;
    return missing;
  }
  for (const [t, mod] of [
    ['pandas', 'pandas'],
    ['whylogs', 'whylogs'],
    ['whylogs-chunked', 'whylogs'],
  ]) {
    if (!wanted.includes(t)) continue;
    const r = spawnSync(a.python, ['-c', `import ${mod}`], { encoding: 'utf8' });
    if (r.status !== 0) missing[t] = `import ${mod} failed: ${(r.stderr || '').trim().split('\n').pop()}`;
  }
  return missing;
}

/** What Ferry code was measured: HEAD, and whether src/ had uncommitted changes (dist/ is built from the work tree). */
function ferrySource() {
  const git = (...args) => spawnSync('git', args, { cwd: REPO, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD') || 'unknown commit';
  const dirty = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
  return dirty ? `${head} + ${dirty} uncommitted file(s) in src/` : head;
}

/** Reads the file once so every tool starts from a warm page cache. */
function warmCache(file) {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 24);
  while (readSync(fd, buf, 0, buf.length, null) > 0);
  closeSync(fd);
}

async function main() {
  const a = parse();
  const missing = probePython(a);
  for (const [t, why] of Object.entries(missing)) log(`${t} left out: ${why}`);
  const tools = a.tools.filter((t) => !missing[t]);
  const out = { seed: a.seed, repeat: a.repeat, tools, missing, node: process.version, cores: availableParallelism(), ferry_source: ferrySource(), sizes: [] };
  log(`Ferry: ${out.ferry_source}; node ${process.version}; ${out.cores} cores`);

  for (const rows of a.sizes) {
    const { file, bytes } = ensureCsv(rows, a.seed, log);
    log(`${rows.toLocaleString('en-US')} rows: ${file} (${(bytes / 2 ** 20).toFixed(0)} MiB); warming the page cache`);
    warmCache(file);
    const runs = Object.fromEntries(tools.map((t) => [t, []]));
    for (let r = 0; r < a.repeat; r++) {
      for (const t of tools) {
        const [cmd, args] = commandFor(t, file, a);
        const m = await measure(cmd, args);
        runs[t].push(m);
        log(
          `  ${t.padEnd(16)} run ${r + 1}/${a.repeat}: ${m.seconds.toFixed(2)} s profiling, ${m.wall_s.toFixed(2)} s process, ${m.cpu_s?.toFixed(2)} CPU s, peak ${Math.round(m.peak_mib)} MiB`,
        );
      }
    }
    const size = { rows, bytes, file, results: summarize(runs), agreement: agreement(runs) };
    if (a.smoke) size.firstRuns = Object.fromEntries(Object.entries(runs).map(([t, ms]) => [t, ms[0]]));
    if (a.profile) {
      const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-data-prof-'));
      try {
        const [cmd, args] = commandFor('ferry', file, a, ['--cpu-prof', '--cpu-prof-dir', dir]);
        await measure(cmd, args);
        size.cpu_profile = busiest(dir, 20);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    out.sizes.push(size);
    printSize(size, out);
    printAgreement(size);
    if (size.cpu_profile) {
      const h = size.cpu_profile;
      console.log(
        `\nFerry under --cpu-prof (a separate, untimed run): ${h.threads} thread(s), ${Math.round(h.busy_ms)} ms busy (+${Math.round(h.idle_ms)} ms idle); share of busy time:`,
      );
      for (const x of h.areas.slice(0, 6)) console.log(`  ${x.pct.toFixed(1).padStart(5)}%  ${x.area}`);
      console.log('  hottest functions (self time):');
      for (const x of h.functions) console.log(`  ${x.pct.toFixed(1).padStart(5)}%  ${x.self_ms.toFixed(0).padStart(6)} ms  ${x.name}`);
    }
  }
  out.verdicts = printVerdicts(out);
  if (a.json) {
    writeFileSync(resolve(a.json), JSON.stringify(out, null, 2));
    log(`figures written to ${a.json}`);
  }
  if (a.smoke) smoke(out);
}

/** A smoke run's checks: Ferry read every row and column with the right types, both of its paths agree, ratios exist. */
function smoke(out) {
  const s = smokeChecks('data');
  for (const size of out.sizes) {
    const at = `${size.rows.toLocaleString('en-US')} rows`;
    const f = size.firstRuns.ferry;
    s.check(f.rows === size.rows, `${at}: Ferry profiled ${f.rows} rows`);
    const wrong = COLUMNS.filter((c) => f.columns[c]?.type !== EXPECTED_TYPES[c]);
    s.check(
      wrong.length === 0,
      `${at}: Ferry's inferred types match the generator's for ${COLUMNS.length - wrong.length} of ${COLUMNS.length} columns${wrong.length ? ` (not ${wrong.join(', ')})` : ''}`,
    );
    const one = size.firstRuns['ferry-1thread'];
    if (one) {
      // Threads or not, the same file must give the same counts.
      const differ = COLUMNS.filter((c) => one.columns[c]?.count !== f.columns[c]?.count || one.columns[c]?.nulls !== f.columns[c]?.nulls);
      s.check(
        one.rows === f.rows && differ.length === 0,
        `${at}: ferry-1thread counts the same rows and nulls as ferry${differ.length ? ` (not in ${differ.join(', ')})` : ''}`,
      );
    }
    if (size.agreement) s.check(size.agreement.ferry.ok, `${at}: Ferry agrees with pandas (rows, nulls, means, types)`);
    for (const [tool, r] of Object.entries(size.results)) {
      const ratios = [r.seconds / size.results.ferry.seconds, r.peak_mib / size.results.ferry.peak_mib];
      s.check(
        ratios.every((x) => Number.isFinite(x) && x > 0),
        `${at}: ${tool}'s time and memory ratios to Ferry are finite`,
      );
    }
  }
  s.check(
    out.verdicts.every((v) => ['MET', 'MISSED', 'NOT JUDGED'].includes(v.status)),
    'every target got a verdict',
  );
  const ran = Object.keys(out.sizes[0].results).join(', ');
  const left = Object.keys(out.missing);
  s.finish(
    `ran ${ran}${left.length ? `; not installed: ${left.join(', ')}` : ''}${out.sizes.some((z) => z.agreement) ? '; agreement with pandas checked' : ''}`,
  );
}

main().catch((e) => {
  console.error(e.stack ?? e);
  process.exit(1);
});
