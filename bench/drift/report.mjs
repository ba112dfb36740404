// The drift benchmark's printed table: both sides' wall time and peak memory, the ratios against the
// issue's targets, and each column's verdict side by side.
import { availableParallelism } from 'node:os';

export const TARGET_SPEEDUP = 10; // Evidently wall time / Ferry end-to-end wall time
export const TARGET_MEMORY = 1 / 5; // Ferry peak RSS / Evidently peak RSS

const nil = (v) => v === null || v === undefined || Number.isNaN(v);
const int = (v) => (nil(v) ? '-' : Math.round(v).toLocaleString('en-US'));
const sec = (ms) => (nil(ms) ? '-' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const mib = (v) => (nil(v) ? '-' : `${int(v)} MiB`);
const score = (v) => (nil(v) ? '-' : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(1) : v.toFixed(4));
const verdict = (ok) => (nil(ok) ? '[N/A]   ' : ok ? '[MET]   ' : '[MISSED]');
const BASIS = { sketch: 'k', exact: 'e', sample: 'r' };
const METHOD = {
  'Wasserstein distance (normed)': 'wasserstein',
  'Jensen-Shannon distance': 'jensenshannon',
  'K-S p_value': 'ks',
  'chi-square p_value': 'chisquare',
  'Z-test p_value': 'z',
};

/** Ratios, targets and per-column agreement; kept in the JSON too. */
export function judge(out) {
  const f = out.ferry;
  const e = out.evidently;
  const speedup = e ? (e.wall_s * 1000) / f.total_ms : null;
  const memory = e ? f.peak_mb / e.peak_mb : null;
  const rows = out.meta.columns.map((c) => {
    const a = f.columns[c.name] ?? null;
    const b = e?.columns[c.name] ?? null;
    return { name: c.name, kind: c.kind, injected: c.drift, ferry: a, evidently: b, agree: a && b ? a.drifted === b.drifted : null };
  });
  return {
    speedup,
    speedup_compare_only: e ? (e.wall_s * 1000) / out.ferry_compare.total_ms : null,
    memory_ratio: memory,
    memory_ratio_above_loaded: e ? (f.peak_mb - f.rss_loaded_mb) / (e.peak_mb - e.rss_loaded_mb) : null,
    speed_met: e ? speedup >= TARGET_SPEEDUP : null,
    memory_met: e ? memory <= TARGET_MEMORY : null,
    agree: rows.filter((r) => r.agree === true).length,
    compared: rows.filter((r) => r.agree !== null).length,
    columns: rows,
  };
}

/** Why the two verdicts can differ on a column: Ferry's Wasserstein comes from KLL sketches, not raw data. */
function why(r) {
  const a = r.ferry;
  const b = r.evidently;
  if (!a || !b) return 'one side has no result';
  if (a.method !== METHOD[b.method]) return `different method (${a.method} vs ${b.method}): Ferry picks it from its 1,000-value reservoir`;
  const near = Math.abs(b.score - b.threshold) < 0.02;
  if (a.basis === 'sketch') return `score from KLL sketches (rank error ≈1%)${near ? "; Evidently's exact score is within 0.02 of the threshold" : ''}`;
  if (a.basis === 'sample') return 'Ferry tests uniform 1,000-row samples (reservoirs)';
  return 'same method on the same counts: unexpected';
}

export function printReport(out, j, a) {
  const f = out.ferry;
  const c = out.ferry_compare;
  const e = out.evidently;
  const nNum = out.meta.columns.filter((x) => x.kind === 'numerical').length;
  const nDrift = out.meta.columns.filter((x) => x.drift && !x.drift.startsWith('small')).length;
  console.log('');
  console.log(
    `Drift benchmark: ${int(a.rows)} reference rows vs ${int(a.rows)} current rows × ${out.meta.columns.length} features ` +
      `(${nNum} numeric, ${out.meta.columns.length - nNum} categorical; drift injected in ${nDrift}, a small shift in 1)`,
  );
  console.log(
    `  ${availableParallelism()} cores; Node ${f.node}` +
      (e ? `; evidently ${e.evidently_version}, pandas ${e.pandas_version}` : '') +
      `; data generated once (seed ${a.seed}) and loaded into memory before timing on both sides`,
  );
  const ingest =
    f.ingest === 'rows' ? 'updateRow(record) per row' : `updateColumns(${f.batch_rows > 0 ? `${int(f.batch_rows)}-row batches` : 'whole columns'})`;
  console.log(
    `  Ferry: DatasetProfile(PROFILE_OPTIONS + schema).${ingest} ` +
      `per side, then featureDrift × ${out.meta.columns.length} + datasetSummary. Evidently: Report([DataDriftPreset()]).run(current, reference) + snapshot.dict()`,
  );
  console.log(`  peak memory: each side in its own fresh process (Ferry VmHWM, Python ru_maxrss); "loaded" = after imports + data, before timing`);

  console.log(`\n  ${''.padEnd(42)}${'wall time'.padStart(11)}${'peak mem'.padStart(12)}${'loaded'.padStart(12)}`);
  const row = (label, ms, peak, loaded) =>
    console.log(
      `  ${label.padEnd(42)}${sec(ms).padStart(11)}${(peak === undefined ? '' : mib(peak)).padStart(12)}${(loaded === undefined ? '' : mib(loaded)).padStart(12)}`,
    );
  row('Ferry end to end', f.total_ms, f.peak_mb, f.rss_loaded_mb);
  row('  profile reference', f.profile_reference_ms);
  row('  profile current', f.profile_current_ms);
  row('  compare (featureDrift × 20 + summary)', f.compare_ms);
  row('Ferry compare-only (stored profiles)', c.total_ms, c.peak_mb, c.hwm_start_mb);
  if (e) row('Evidently DataDriftPreset', e.wall_s * 1000, e.peak_mb, e.rss_loaded_mb);
  else console.log('  Evidently DataDriftPreset                 skipped (--skip-evidently)');
  console.log(
    `  stored profile sizes: reference ${int(f.profile_bytes.reference / 1024)} KiB, current ${int(f.profile_bytes.current / 1024)} KiB` +
      (e ? `; Python after imports alone: ${mib(e.rss_imports_mb)} (import ${e.import_s.toFixed(1)} s, not timed)` : ''),
  );

  if (e) {
    console.log('\nRatios (same run)');
    console.log(`  time   Evidently / Ferry end to end      ${j.speedup.toFixed(1).padStart(7)}×   target ≥ ${TARGET_SPEEDUP}×     ${verdict(j.speed_met)}`);
    console.log(
      `  memory Ferry / Evidently peak            ${j.memory_ratio.toFixed(3).padStart(7)}    target ≤ ${TARGET_MEMORY.toFixed(2)}   ${verdict(j.memory_met)}`,
    );
    console.log(`  (time   Evidently / Ferry compare-only    ${j.speedup_compare_only.toFixed(0).padStart(7)}×)`);
    console.log(
      `  (memory above "loaded", Ferry / Evidently ${j.memory_ratio_above_loaded.toFixed(3).padStart(7)}: ${mib(f.peak_mb - f.rss_loaded_mb)} vs ${mib(e.peak_mb - e.rss_loaded_mb)})`,
    );
  }

  console.log('\nVerdicts per column (score: distance, or p-value for tests; * = drifted)');
  console.log(`  ${'column'.padEnd(22)}${'injected drift'.padEnd(40)}${'Ferry'.padEnd(30)}${e ? 'Evidently'.padEnd(30) : ''}`);
  const cell = (r, m) =>
    r ? `${(m ?? r.method).padEnd(14)}${score(r.score).padStart(10)} ${r.drifted ? '*' : ' '}${r.basis ? ` ${BASIS[r.basis]}` : ''}` : '-';
  for (const r of j.columns) {
    const flag = r.agree === false ? '  DIFFERS' : '';
    console.log(
      `  ${r.name.padEnd(22)}${(r.injected ?? '-').padEnd(40)}${cell(r.ferry).padEnd(30)}${e ? cell(r.evidently, METHOD[r.evidently?.method]).padEnd(30) : ''}${flag}`,
    );
    if (r.agree === false) console.log(`    ${''.padEnd(20)}why: ${why(r)}`);
  }
  console.log(
    '  Ferry basis: k = KLL sketches, e = exact (every value: category counts, or numbers within the 100,000-value budget), r = 1,000-row reservoir samples',
  );
  const ds = (x) => (x ? `${x.number_drifted} drifted` : '-');
  if (e)
    console.log(
      `  agreement: ${j.agree} of ${j.compared} columns; dataset: Ferry ${ds(f.summary)} (dataset_drift ${f.summary.dataset_drift}), Evidently ${ds(e.dataset)}`,
    );
  else console.log(`  dataset: Ferry ${ds(f.summary)} (dataset_drift ${f.summary.dataset_drift})`);
}
