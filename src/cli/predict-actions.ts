/**
 * What `ferry predict` does (its definition is in predict-command.ts):
 * `--data '{"instances": [...]}'` sends one request and prints its predictions as a table (`--json`: the server's
 * answer as JSON); `--file rows.jsonl [--batch-size 100]` streams JSON Lines (one record per line) in batches and
 * writes one JSON line per row to stdout: {"row", "prediction", "model_version"}. A progress bar goes to stderr,
 * and only when stderr is a terminal.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { FerryClient, PredictRequest, PredictResponse } from '../sdk/index.js';
import { clientFor, describeError, formatValue, note, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { type Cell, type Column, formatTable } from './table.js';

export interface PredictOptions extends OutputOptions {
  data?: string;
  file?: string;
  batchSize: number;
}

/** The --data text → a request body, or an error that says what is wrong with it. */
export function parseRequest(text: string): PredictRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new Error(`--data is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('--data must be a JSON object, e.g. \'{"instances": [{"x": 1}]}\'');
  return body as PredictRequest;
}

const cell = (v: unknown): Cell =>
  typeof v === 'number' ? formatValue(v) : v === null || typeof v === 'string' || typeof v === 'boolean' || v === undefined ? v : JSON.stringify(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One line per row: a PREDICTION column, or one column per output when the model has several. */
export function predictionsTable(predictions: readonly unknown[]): string {
  const rows = predictions.map((prediction, row) => ({ row, prediction }));
  const outputs = predictions.length > 0 && predictions.every(isRecord) ? [...new Set(predictions.flatMap((p) => Object.keys(p)))] : null;
  const columns: Column<(typeof rows)[number]>[] = [
    { header: 'ROW', value: (r) => r.row, align: 'right' },
    ...(outputs
      ? outputs.map((name) => ({ header: name, value: (r: (typeof rows)[number]) => cell((r.prediction as Record<string, unknown>)[name]), maxWidth: 60 }))
      : [{ header: 'PREDICTION', value: (r: (typeof rows)[number]) => cell(r.prediction), maxWidth: 80 }]),
  ];
  return formatTable(columns, rows);
}

function printAnswer(res: PredictResponse): void {
  note(`${res.deployment} revision ${res.revision}: ${res.model} version ${res.model_version} (request ${res.request_id})`);
  print(predictionsTable(res.predictions));
}

/** One line of the file → a record, or an error naming the line. */
export function parseRecord(line: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${where}: expected a JSON object (one record per line), got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

/** Writes to stdout, waiting when the pipe is full (so a slow reader never makes us buffer the whole output). */
function writeOut(text: string): Promise<void> {
  if (process.stdout.write(text)) return Promise.resolve();
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}

interface Progress {
  update(bytes: number, rows: number): void;
  stop(): void;
}

/** A bytes-read bar for a file on a terminal; otherwise nothing. */
function progressFor(file: string): Progress {
  if (!process.stderr.isTTY || file === '-') return { update: () => {}, stop: () => {} };
  const total = statSync(file).size;
  const bar = new cliProgress.SingleBar(
    { format: 'predict |{bar}| {percentage}% | {rows} rows | ETA {eta_formatted}', stream: process.stderr, hideCursor: true, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0, { rows: 0 });
  return { update: (bytes, rows) => bar.update(Math.min(bytes, total), { rows }), stop: () => bar.stop() };
}

interface Batch {
  records: Record<string, unknown>[];
  /** The file line each record came from. */
  lines: number[];
  firstRow: number;
}

/**
 * Where a refused batch went wrong: the server names a row of the batch ("Row 3: ..."), which becomes the
 * file's line; otherwise the batch's line range.
 */
export function batchErrorMessage(label: string, batchLines: readonly number[], message: string): string {
  const row = /^Row (\d+):\s*(.*)$/s.exec(message);
  const line = row ? batchLines[Number(row[1])] : undefined;
  if (row && line !== undefined) return `${label} line ${line}: ${row[2]}`;
  const first = batchLines[0];
  const last = batchLines[batchLines.length - 1];
  return `${label} ${first === last ? `line ${first}` : `lines ${first}-${last}`}: ${message}`;
}

async function predictBatch(client: FerryClient, deployment: string, batch: Batch, label: string): Promise<string> {
  let res;
  try {
    res = await client.deployments.predict(deployment, { instances: batch.records });
  } catch (err) {
    throw new Error(batchErrorMessage(label, batch.lines, describeError(err)), { cause: err });
  }
  if (!Array.isArray(res.predictions) || res.predictions.length !== batch.records.length) {
    const got = Array.isArray(res.predictions) ? res.predictions.length : 'no';
    throw new Error(batchErrorMessage(label, batch.lines, `the server answered ${got} predictions for ${batch.records.length} rows`));
  }
  return res.predictions.map((prediction, i) => `${JSON.stringify({ row: batch.firstRow + i, prediction, model_version: res.model_version })}\n`).join('');
}

function checkReadable(file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (!isFile) throw new Error(`cannot read ${file}: not a file`);
}

/** Streams the file (or stdin for '-') through the deployment in batches; rows are numbered from 0, lines from 1. */
export async function predictFile(client: FerryClient, deployment: string, file: string, batchSize: number): Promise<number> {
  const label = file === '-' ? 'stdin' : file;
  if (file !== '-') checkReadable(file);
  const input = file === '-' ? process.stdin : createReadStream(file);
  const progress = progressFor(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let rows = 0;
  let bytes = 0;
  let batch: Batch = { records: [], lines: [], firstRow: 0 };
  const flush = async () => {
    if (batch.records.length === 0) return;
    await writeOut(await predictBatch(client, deployment, batch, label));
    rows += batch.records.length;
    progress.update(bytes, rows);
    batch = { records: [], lines: [], firstRow: rows };
  };
  try {
    for await (const line of lines) {
      lineNo++;
      bytes += Buffer.byteLength(line) + 1;
      if (line.trim() === '') continue; // blank lines (a trailing one, say) carry no record
      batch.records.push(parseRecord(line, `${label} line ${lineNo}`));
      batch.lines.push(lineNo);
      if (batch.records.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    lines.close();
    progress.stop();
  }
  return rows;
}

export async function predict(deployment: string, opts: PredictOptions, cmd: Command): Promise<void> {
  // `--json '<body>'` was the request flag once: the body then arrives as an extra argument.
  const extra = cmd.args.slice(1);
  if (extra.length > 0)
    throw new Error(`unexpected argument ${JSON.stringify(extra[0])}: pass the request body with --data '<json>' (--json prints the answer as JSON)`);
  if ((opts.data === undefined) === (opts.file === undefined)) throw new Error("pass exactly one of --data '<request>' or --file <rows.jsonl>");
  const client = clientFor(cmd);
  if (opts.file !== undefined) {
    await predictFile(client, deployment, opts.file, opts.batchSize);
    return;
  }
  const res = await client.deployments.predict(deployment, parseRequest(opts.data!));
  if (opts.json) return printJson(res);
  printAnswer(res);
}
