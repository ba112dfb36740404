// Ferry's side of the drift benchmark, in a fresh process (so peaks don't mix), on the compiled build.
//   node ferry_side.mjs e2e DATA_DIR OUT_DIR [BATCH_ROWS] [columns|rows]
//     load both tables (not timed); profile reference and current (DatasetProfile with PROFILE_OPTIONS and
//     a schema of kinds, updateColumns per batch, or updateRow per record as monitoring does, the record
//     objects built on the fly inside the timing); featureDrift for every column + datasetSummary. Writes
//     both profiles' bytes to OUT_DIR for the compare-only row.
//   node ferry_side.mjs compare OUT_DIR
//     production's path: the stored profiles' bytes → DatasetProfile.fromBytes → featureDrift + summary.
// Prints one JSON line; memory figures are VmHWM / VmRSS from /proc/self/status, in MiB.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// Ferry through its package entry points (package.json "exports"), never paths inside dist/. The window profile's
// options come from a light entry of their own: the whole prediction-log surface would add ~11 MiB to the peak
// memory this benchmark compares.
import { DatasetProfile, featureDrift, profileDriftSummary as datasetSummary } from 'ferry/stats';
import { PROFILE_OPTIONS } from 'ferry/prediction-log/window-profile';
import { loadSide } from './gen.mjs';

function status() {
  const text = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) / 1024;
  return { hwm_mb: kb('VmHWM'), rss_mb: kb('VmRSS') };
}

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

function profile(columns, schema, batchRows, ingest) {
  const p = new DatasetProfile({ ...PROFILE_OPTIONS, schema });
  const names = Object.keys(columns);
  const rows = columns[names[0]].length;
  if (ingest === 'rows') {
    const cols = names.map((n) => columns[n]);
    for (let i = 0; i < rows; i++) {
      const rec = {};
      for (let j = 0; j < names.length; j++) {
        const v = cols[j][i];
        rec[names[j]] = v !== v ? null : v; // a missing number arrives as null in a request
      }
      p.updateRow(rec);
    }
    return p;
  }
  const step = batchRows > 0 ? batchRows : rows;
  for (let start = 0; start < rows; start += step) {
    const end = Math.min(rows, start + step);
    const batch = {};
    for (const n of names) {
      const c = columns[n];
      batch[n] = start === 0 && end === rows ? c : c instanceof Float64Array ? c.subarray(start, end) : c.slice(start, end);
    }
    p.updateColumns(batch);
  }
  return p;
}

function compare(ref, cur, names) {
  const features = [];
  for (const name of names) {
    const f = featureDrift(name, ref.columns.get(name), cur.columns.get(name));
    if (f) features.push(f);
  }
  return { features, summary: datasetSummary(features) };
}

const verdicts = (features) =>
  Object.fromEntries(
    features.map((f) => [
      f.name,
      {
        method: f.method,
        score: f.method === 'ks' || f.method === 'chisquare' || f.method === 'z' ? f.p_value : f.statistic,
        threshold: f.threshold,
        drifted: f.drifted,
        basis: f.basis,
      },
    ]),
  );

const [mode, dir, outDir, batchArg, ingest = 'columns'] = process.argv.slice(2);
if (mode === 'e2e') {
  const ref = loadSide(dir, 'reference');
  const cur = loadSide(dir, 'current');
  const schema = Object.fromEntries(ref.meta.columns.map((c) => [c.name, c.kind]));
  const names = ref.meta.columns.map((c) => c.name);
  const loaded = status();
  const t0 = process.hrtime.bigint();
  const refProfile = profile(ref.columns, schema, Number(batchArg ?? 0), ingest);
  const refMs = ms(t0);
  const t1 = process.hrtime.bigint();
  const curProfile = profile(cur.columns, schema, Number(batchArg ?? 0), ingest);
  const curMs = ms(t1);
  const t2 = process.hrtime.bigint();
  const { features, summary } = compare(refProfile, curProfile, names);
  const compareMs = ms(t2);
  const end = status();
  const refBytes = refProfile.toBytes();
  const curBytes = curProfile.toBytes();
  writeFileSync(join(outDir, 'reference.profile'), refBytes);
  writeFileSync(join(outDir, 'current.profile'), curBytes);
  console.log(
    JSON.stringify({
      node: process.version,
      rows: ref.meta.rows,
      batch_rows: Number(batchArg ?? 0),
      ingest,
      profile_reference_ms: refMs,
      profile_current_ms: curMs,
      compare_ms: compareMs,
      total_ms: refMs + curMs + compareMs,
      rss_loaded_mb: loaded.rss_mb,
      hwm_loaded_mb: loaded.hwm_mb,
      peak_mb: end.hwm_mb,
      profile_bytes: { reference: refBytes.length, current: curBytes.length },
      summary,
      columns: verdicts(features),
    }),
  );
} else if (mode === 'compare') {
  const before = status();
  const refBytes = readFileSync(join(dir, 'reference.profile'));
  const curBytes = readFileSync(join(dir, 'current.profile'));
  const t0 = process.hrtime.bigint();
  const ref = DatasetProfile.fromBytes(refBytes, PROFILE_OPTIONS);
  const cur = DatasetProfile.fromBytes(curBytes, PROFILE_OPTIONS);
  const { features, summary } = compare(ref, cur, [...ref.columns.keys()]);
  const totalMs = ms(t0);
  console.log(JSON.stringify({ total_ms: totalMs, hwm_start_mb: before.hwm_mb, peak_mb: status().hwm_mb, summary, columns: verdicts(features) }));
} else {
  console.error('usage: ferry_side.mjs e2e DATA_DIR OUT_DIR [BATCH_ROWS] | compare OUT_DIR');
  process.exit(2);
}
