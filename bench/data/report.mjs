// The profiling benchmark's report: medians per tool, ratios against Ferry, the agreement check against pandas
// (the exact reference) and the issue's targets.
import { EXPECTED_TYPES } from './gen.mjs';

/** Ferry's peak memory may grow by at most this factor from the smallest to the largest size to count as bounded. */
export const BOUNDED_GROWTH = 1.25;
/** Means must agree with pandas' within this relative difference (both sum the same doubles, in another order). */
const MEAN_TOLERANCE = 1e-9;

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** runs: { tool: [measurement] } → { tool: medians and ranges }. */
export function summarize(runs) {
  const out = {};
  for (const [tool, ms] of Object.entries(runs)) {
    if (ms.length === 0) continue;
    out[tool] = {
      runs: ms.length,
      seconds: median(ms.map((m) => m.seconds)),
      seconds_all: ms.map((m) => m.seconds),
      wall_s: median(ms.map((m) => m.wall_s)),
      cpu_s: ms[0].cpu_s === null ? null : median(ms.map((m) => m.cpu_s)),
      peak_mib: median(ms.map((m) => m.peak_mib)),
      peak_all: ms.map((m) => m.peak_mib),
      peak_source: ms[0].peak_source,
      loaded_mib: median(ms.map((m) => m.loaded_mib)),
      profile_bytes: ms[0].profile_bytes ?? null,
      versions: ms[0].versions ?? null,
    };
  }
  return out;
}

const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const norm = (v) => (v === 'True' || v === 'False' ? v.toLowerCase() : v);

/** Compares every tool's first run with pandas' (exact: it holds every value). null without a pandas run. */
export function agreement(runs) {
  const ref = runs.pandas?.[0];
  if (!ref) return null;
  const out = {};
  for (const [tool, ms] of Object.entries(runs)) {
    if (tool === 'pandas' || tool === 'ferry-1thread' || ms.length === 0) continue;
    const r = ms[0];
    const a = {
      rows: { tool: r.rows, pandas: ref.rows },
      null_diffs: [],
      mean: { max_rel: 0, column: null, compared: 0, missing: [] },
      top: { max_rel: 0, column: null, differ: [] },
      unique: [],
      types: [],
    };
    for (const [name, p] of Object.entries(ref.columns)) {
      const c = r.columns[name];
      if (!c) {
        a.null_diffs.push({ column: name, tool: 'absent', pandas: p.nulls });
        continue;
      }
      if (c.nulls !== p.nulls) a.null_diffs.push({ column: name, tool: c.nulls, pandas: p.nulls });
      if (p.mean !== null) {
        if (c.mean === null || c.mean === undefined) a.mean.missing.push(name);
        else {
          a.mean.compared++;
          const d = rel(c.mean, p.mean);
          if (d >= a.mean.max_rel) a.mean = { ...a.mean, max_rel: d, column: name };
        }
      }
      if (p.top.length > 0) {
        const truth = new Map(p.top.map(([v, n]) => [norm(v), n]));
        const mine = c.top.map(([v, n]) => [norm(v), n]);
        const same = mine.length === p.top.length && mine.every(([v]) => truth.has(v));
        if (!same) {
          // A count above pandas' largest for the column is an overstatement, not a tie broken otherwise.
          const most = p.top[0][1];
          const over = mine.filter(([, n]) => n > most);
          a.top.differ.push({
            column: name,
            tool: mine.slice(0, 3),
            pandas: p.top.slice(0, 3),
            sketch: c.exact_items === false,
            overstated: over.length,
            most,
          });
        } else
          for (const [v, n] of mine) {
            const d = rel(n, truth.get(v));
            if (d >= a.top.max_rel) a.top = { ...a.top, max_rel: d, column: name };
          }
      }
      if (p.unique !== null && c.unique !== null && c.unique !== undefined)
        a.unique.push({ column: name, tool: c.unique, pandas: p.unique, rel: rel(Math.round(c.unique), p.unique) });
      if (tool === 'ferry' && c.type !== EXPECTED_TYPES[name]) a.types.push({ column: name, ferry: c.type, expected: EXPECTED_TYPES[name] });
    }
    // whylogs keeps no distribution for datetime columns: a missing mean there is its limitation, not a disagreement.
    const missingOk = tool !== 'ferry';
    a.ok =
      r.rows === ref.rows &&
      a.null_diffs.length === 0 &&
      (missingOk || a.mean.missing.length === 0) &&
      a.mean.max_rel <= MEAN_TOLERANCE &&
      a.types.length === 0;
    out[tool] = a;
  }
  return out;
}

const pad = (s, n) => String(s).padStart(n);
const f2 = (x) => x.toFixed(2);
const mib = (x) => Math.round(x).toLocaleString('en-US');

export function printSize(size, all) {
  const res = size.results;
  const ferry = res.ferry;
  console.log(`\n=== ${size.rows.toLocaleString('en-US')} rows × 20 columns — ${mib(size.bytes / 2 ** 20)} MiB CSV, median of ${all.repeat} run(s) ===`);
  console.log(
    `${'tool'.padEnd(17)}${pad('profiling s', 12)}${pad('process s', 11)}${pad('CPU s', 8)}${pad('peak RSS MiB', 14)}${pad('loaded MiB', 12)}${pad('time ×Ferry', 13)}${pad('memory ×Ferry', 15)}`,
  );
  for (const [tool, r] of Object.entries(res)) {
    console.log(
      `${tool.padEnd(17)}${pad(f2(r.seconds), 12)}${pad(f2(r.wall_s), 11)}${pad(r.cpu_s === null ? '-' : f2(r.cpu_s), 8)}${pad(mib(r.peak_mib), 14)}${pad(mib(r.loaded_mib), 12)}` +
        `${pad(f2(r.seconds / ferry.seconds), 13)}${pad(f2(r.peak_mib / ferry.peak_mib), 15)}`,
    );
  }
  for (const [tool, why] of Object.entries(all.missing)) console.log(`${tool.padEnd(17)}NOT RUN: ${why}`);
  if (all.repeat > 1)
    for (const [tool, r] of Object.entries(res))
      console.log(`  ${tool}: profiling s ${r.seconds_all.map(f2).join(', ')}; peak MiB ${r.peak_all.map(mib).join(', ')}`);
  console.log(
    `profiling s: the timed work inside the process (read + profile); process s: the whole child process (start, imports, exit);` +
      ` CPU s: user + system over all its threads (pandas and whylogs use one core, Ferry one thread per core);` +
      ` peak RSS: ${ferry.peak_source}; loaded: RSS once its libraries are imported, before the file is touched.`,
  );
  const bytes = Object.entries(res)
    .filter(([, r]) => r.profile_bytes)
    .map(([t, r]) => `${t} ${(r.profile_bytes / 1024).toFixed(0)} KiB`);
  if (bytes.length) console.log(`serialized profile: ${bytes.join(', ')}`);
}

export function printAgreement(size) {
  const ag = size.agreement;
  if (!ag) {
    console.log('agreement: no pandas run, nothing checked');
    return;
  }
  console.log('agreement with pandas (rows, null count per column, mean per numeric/datetime column, top-5 value counts, distinct counts):');
  for (const [tool, a] of Object.entries(ag)) {
    const parts = [`rows ${a.rows.tool === a.rows.pandas ? 'equal' : `${a.rows.tool} vs ${a.rows.pandas}`}`];
    parts.push(
      a.null_diffs.length === 0
        ? 'nulls equal in 20/20 columns'
        : `nulls differ in ${a.null_diffs.map((d) => `${d.column} (${d.tool} vs ${d.pandas})`).join(', ')}`,
    );
    parts.push(
      `means: max rel. diff ${a.mean.max_rel.toExponential(1)}${a.mean.column ? ` (${a.mean.column})` : ''} over ${a.mean.compared} columns` +
        (a.mean.missing.length ? `, none for ${a.mean.missing.join(', ')}` : ''),
    );
    parts.push(`top-5 counts: max rel. diff ${a.top.max_rel.toExponential(1)}${a.top.column ? ` (${a.top.column})` : ''}`);
    console.log(`  ${a.ok ? '[OK]  ' : '[DIFF]'} ${tool}: ${parts.join('; ')}`);
    for (const d of a.top.differ) {
      const why = d.tool.length === 0 ? ' (none reported)' : d.sketch ? " (sketch estimates: count + the sketch's offset)" : '';
      const over = d.overstated ? ` — ${d.overstated} of them above ${d.most}, the column's largest true count: overstated` : '';
      console.log(`         top-5 not the same values in ${d.column}${why}: ${tool} ${JSON.stringify(d.tool)}… vs pandas ${JSON.stringify(d.pandas)}…${over}`);
    }
    const off = a.unique.filter((u) => u.rel > 0);
    if (a.unique.length)
      console.log(
        `         distinct counts: ${a.unique.length} columns compared, ${off.length ? `off in ${off.map((u) => `${u.column} ${Math.round(u.tool)} vs ${u.pandas} (${(100 * u.rel).toFixed(1)}%)`).join(', ')}` : 'all exact'}`,
      );
    for (const t of a.types) console.log(`         type of ${t.column}: ${t.ferry}, expected ${t.expected}`);
  }
}

/** The issue's targets, printed and returned. */
export function printVerdicts(out) {
  const verdicts = [];
  console.log('\n=== targets ===');
  for (const s of out.sizes) {
    const r = s.results;
    const f = r.ferry.seconds;
    const whylogsBest = Math.min(r.whylogs?.seconds ?? Infinity, r['whylogs-chunked']?.seconds ?? Infinity);
    const rows = s.rows.toLocaleString('en-US');
    let v;
    if (!r.pandas || whylogsBest === Infinity) v = { target: 'faster', rows: s.rows, status: 'NOT JUDGED', detail: 'pandas or whylogs did not run' };
    else {
      const met = f < r.pandas.seconds && f < whylogsBest;
      v = {
        target: 'faster',
        rows: s.rows,
        status: met ? 'MET' : 'MISSED',
        detail:
          `Ferry ${f2(f)} s; pandas ${f2(r.pandas.seconds / f)}× Ferry's time, whylogs (faster mode) ${f2(whylogsBest / f)}×` +
          (r['ferry-1thread']
            ? ` (Ferry on one thread, ${f2(r['ferry-1thread'].seconds)} s: pandas ${f2(r.pandas.seconds / r['ferry-1thread'].seconds)}×, whylogs ${f2(whylogsBest / r['ferry-1thread'].seconds)}×)`
            : ''),
      };
    }
    verdicts.push(v);
    console.log(`[${v.status}] ${rows} rows, faster than pandas and whylogs: ${v.detail}`);
  }
  if (out.sizes.length >= 2) {
    const [lo, hi] = [out.sizes[0], out.sizes[out.sizes.length - 1]];
    const growth = (t) => (lo.results[t] && hi.results[t] ? hi.results[t].peak_mib / lo.results[t].peak_mib : null);
    const g = growth('ferry');
    const others = ['pandas', 'whylogs', 'whylogs-chunked'].filter((t) => growth(t) !== null).map((t) => `${t} ×${f2(growth(t))}`);
    const v = {
      target: 'bounded',
      status: g <= BOUNDED_GROWTH ? 'MET' : 'MISSED',
      detail:
        `Ferry's peak RSS ${mib(lo.results.ferry.peak_mib)} MiB at ${lo.rows.toLocaleString('en-US')} rows → ${mib(hi.results.ferry.peak_mib)} MiB at ` +
        `${hi.rows.toLocaleString('en-US')} (×${f2(g)} for ×${f2(hi.rows / lo.rows)} rows; bound ×${BOUNDED_GROWTH})` +
        (others.length ? `; for comparison ${others.join(', ')}` : ''),
    };
    verdicts.push(v);
    console.log(`[${v.status}] memory bounded regardless of file size: ${v.detail}`);
  } else console.log('[NOT JUDGED] memory bounded: needs two sizes (--rows 1000000,5000000)');
  const bad = out.sizes.filter((s) => s.agreement && !s.agreement.ferry?.ok);
  console.log(
    out.sizes.every((s) => !s.agreement)
      ? '[NOT CHECKED] agreement: no pandas run'
      : bad.length === 0
        ? '[OK] Ferry agrees with pandas at every size (rows, nulls, means, types)'
        : `[DIFF] Ferry disagrees with pandas at ${bad.map((s) => s.rows.toLocaleString('en-US')).join(', ')} rows (see above) — the figures compare different work`,
  );
  return verdicts;
}
