// Lets pytest profile a data file with Ferry's compiled table core (dist/data/table): prints one JSON object
// {schema, rows, bytes, report} for `node data_node.mjs <file> <csv|jsonl|parquet> [tuning JSON]`, or
// {error, location} on a DataFileError. The tuning ({rangeBytes, workers}) makes small files run on threads. Non-finite numbers cross as the strings "NaN", "Infinity", "-Infinity".
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'data', 'table', 'index.js');
const { profileTable, profileReport } = await import(pathToFileURL(DIST).href);
const replace = (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);

const [file, format, tuning] = process.argv.slice(2);
try {
  const r = await profileTable(file, { format }, tuning ? JSON.parse(tuning) : undefined);
  const report = profileReport(r.profile, r.schema, { top: 1000 });
  process.stdout.write(JSON.stringify({ schema: r.schema, rows: r.rows, bytes: r.bytes, report }, replace));
} catch (err) {
  if (err?.code !== 'INVALID_DATA_FILE') throw err;
  process.stdout.write(JSON.stringify({ error: err.message, location: err.location }));
}
