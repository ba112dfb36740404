// Ferry's side of the profiling benchmark, in a fresh process (so its peak memory is its own), on the compiled build.
//   node bench/data/ferry_side.mjs FILE [BATCH_ROWS] [WORKERS]
// Timed: profileTable(FILE, { format: 'csv' }) — the public API that `ferry data push` uses: schema inference on a
// sample, then one streaming pass (CSV tokenizer → typed batches → DatasetProfile.updateColumns; big files in byte
// ranges on worker threads, range profiles merged), and a second pass over any column demoted late. BATCH_ROWS and
// WORKERS (0 = Ferry's defaults) go to its options and tuning. Not timed: reading the summaries back for the check.
// Prints one JSON line: seconds, memory (MiB, from /proc/self/status), schema, and per-column summaries.
import { readFileSync } from 'node:fs';
// Through the package's entry points, never a path inside dist/. `ferry/data/table` is the table reader's own surface:
// the whole data capability (routes, services, store) would add ~30 MiB to the peak memory this benchmark compares.
import { profileTable } from 'ferry/data/table';

const [file, batchRowsArg, workersArg] = process.argv.slice(2);

function memory() {
  const text = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) / 1024;
  return { hwm_mib: kb('VmHWM'), rss_mib: kb('VmRSS') };
}

const loaded = memory().rss_mib;
const batchRows = Number(batchRowsArg) > 0 ? Number(batchRowsArg) : undefined;
const workers = Number(workersArg) > 0 ? Number(workersArg) : undefined;
const t0 = process.hrtime.bigint();
const result = await profileTable(file, { format: 'csv', ...(batchRows ? { batchRows } : {}) }, workers ? { workers } : undefined);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const mem = memory();

const columns = {};
for (const c of result.schema.columns) {
  const col = result.profile.column(c.name);
  const s = col.summary(5);
  columns[c.name] = {
    type: c.type,
    count: s.count,
    nulls: s.nulls,
    mean: s.mean,
    unique: s.unique_estimate ?? null,
    exact_items: col.frequent ? col.frequent.isExact : null,
    top: s.top.map((t) => [t.value, t.count]),
  };
}
console.log(
  JSON.stringify({
    tool: 'ferry',
    seconds,
    rows: result.rows,
    bytes: result.bytes,
    loaded_mib: loaded,
    peak_self_mib: mem.hwm_mib,
    max_rss_mib: process.resourceUsage().maxRSS / 1024,
    profile_bytes: result.profile.toBytes().length,
    warnings: result.schema.warnings,
    columns,
  }),
);
