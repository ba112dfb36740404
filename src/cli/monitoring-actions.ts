/** What the monitoring commands do (their definitions are in monitoring-command.ts). */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { FeedbackItem, WindowQuery } from '../sdk/index.js';
import { clientFor, durationFlag, morePagesNote, note, print, printJson } from './context.js';
import { driftText, qualityText } from './monitoring-format.js';
import type { OutputOptions } from './options.js';
import { formatTable } from './table.js';

export interface WindowOptions extends OutputOptions {
  since?: string;
  from?: string;
  to?: string;
  modelVersion?: string;
}

export interface ReferenceOptions extends OutputOptions {
  from?: string;
  to?: string;
  dataset?: string;
  trainingData?: boolean;
  predictionColumn?: string;
}

export interface PredictionsOptions extends WindowOptions {
  status?: 'ok';
  limit?: number;
  pageToken?: string;
}

export interface ExportOptions extends WindowOptions {
  format: string;
  status?: 'ok';
}

function windowOf(o: WindowOptions): WindowQuery {
  // --since is a duration ("this long ago"); --from, an instant, is the server's to read (the same grammar for its durations).
  return {
    from: o.from ?? (o.since !== undefined ? durationFlag(o.since, '--since') : '24h'),
    ...(o.to ? { to: o.to } : {}),
    ...(o.modelVersion ? { modelVersion: o.modelVersion } : {}),
  };
}

function readText(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

/** Feedback items from a JSON Lines file (one item per line) or a JSON list. */
export function feedbackItems(text: string, file: string): FeedbackItem[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as FeedbackItem[];
  return trimmed
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as FeedbackItem;
      } catch {
        throw new Error(`${file} line ${i + 1}: not valid JSON`);
      }
    });
}

export async function showDrift(name: string, o: WindowOptions & { driftShare?: number }, cmd: Command): Promise<void> {
  const r = await clientFor(cmd).monitoring.drift(name, { ...windowOf(o), ...(o.driftShare !== undefined ? { driftShare: o.driftShare } : {}) });
  if (o.json) printJson(r);
  else print(driftText(r));
}

export async function showQuality(name: string, o: WindowOptions, cmd: Command): Promise<void> {
  const r = await clientFor(cmd).monitoring.quality(name, windowOf(o));
  if (o.json) printJson(r);
  else print(qualityText(r));
}

export async function showPerformance(name: string, o: WindowOptions, cmd: Command): Promise<void> {
  const r = await clientFor(cmd).monitoring.performance(name, windowOf(o));
  if (o.json) return printJson(r);
  if (r.n === 0) return print(`no predictions of ${name} with feedback in ${r.from} → ${r.to}\n`);
  const metric = (m: Record<string, unknown>, k: string) => (typeof m[k] === 'number' ? Number((m[k] as number).toPrecision(4)) : '-');
  const keys = r.overall?.task === 'regression' ? ['mae', 'rmse', 'r2', 'mape'] : ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss'];
  print(
    formatTable(
      [
        { header: 'model version', value: (v) => v.model_version },
        { header: 'n', value: (v) => v.n, align: 'right' },
        ...keys.map((k) => ({ header: k, value: (v: Record<string, unknown>) => metric(v, k), align: 'right' as const })),
      ],
      r.versions,
    ) + '\n',
  );
}

export async function setReference(name: string, file: string | undefined, o: ReferenceOptions, cmd: Command): Promise<void> {
  const given = [file !== undefined, o.from !== undefined, o.dataset !== undefined, Boolean(o.trainingData)].filter(Boolean).length;
  if (given !== 1) throw new Error('give exactly one of: a file, --from (a past window of traffic), --dataset NAME@VERSION, --training-data');
  const api = clientFor(cmd).monitoring;
  const opts = o.predictionColumn ? { predictionColumn: o.predictionColumn } : {};
  const r =
    file !== undefined
      ? await api.setReference(name, /\.(jsonl|ndjson)$/i.test(file) ? { jsonl: readText(file) } : { csv: readText(file) }, opts)
      : o.dataset !== undefined
        ? await api.setReference(name, { dataset: o.dataset }, opts)
        : o.trainingData
          ? await api.setReference(name, { trainingData: true }, opts)
          : await api.setReference(name, { from: o.from!, ...(o.to ? { to: o.to } : {}) });
  if (o.json) printJson({ reference: r });
  else print(`reference of ${name}: ${r.rows} rows (${JSON.stringify(r.source)})\n`);
}

export async function sendFeedback(file: string, o: OutputOptions, cmd: Command): Promise<void> {
  const items = feedbackItems(readText(file), file);
  const api = clientFor(cmd).monitoring;
  const bar =
    process.stderr.isTTY && items.length > 10_000
      ? new cliProgress.SingleBar({ format: 'feedback |{bar}| {value}/{total} items', stream: process.stderr }, cliProgress.Presets.shades_classic)
      : null;
  bar?.start(items.length, 0);
  let accepted = 0;
  const unknown: { index: number; request_id: string; row: number }[] = [];
  try {
    for (let i = 0; i < items.length; i += 10_000) {
      const r = await api.feedback(items.slice(i, i + 10_000)).catch((err: unknown) => {
        // A batch in which no id is known answers 404; the others still count.
        if ((err as { status?: number }).status === 404)
          return { accepted: 0, unknown: items.slice(i, i + 10_000).map((it, j) => ({ index: j, request_id: it.request_id, row: it.row ?? 0 })) };
        throw err;
      });
      accepted += r.accepted;
      unknown.push(...r.unknown.map((u) => ({ ...u, index: u.index + i })));
      bar?.update(Math.min(items.length, i + 10_000));
    }
  } finally {
    bar?.stop();
  }
  if (o.json) printJson({ accepted, unknown });
  else {
    print(`${accepted} of ${items.length} feedback items stored\n`);
    if (unknown.length)
      note(
        `${unknown.length} item(s) match no logged prediction, e.g. ${unknown
          .slice(0, 3)
          .map((u) => `${u.request_id} row ${u.row} (item ${u.index + 1})`)
          .join('; ')}`,
      );
  }
}

export async function listPredictions(name: string, o: PredictionsOptions, cmd: Command): Promise<void> {
  const r = await clientFor(cmd).monitoring.predictions(name, {
    ...windowOf(o),
    ...(o.status ? { status: o.status } : {}),
    limit: o.limit ?? 20,
    ...(o.pageToken ? { pageToken: o.pageToken } : {}),
  });
  if (o.json) return printJson(r);
  print(
    formatTable(
      [
        { header: 'time', value: (p) => p.timestamp },
        { header: 'request', value: (p) => `${p.request_id}/${p.row}` },
        { header: 'version', value: (p) => p.model_version },
        { header: 'route', value: (p) => p.route },
        { header: 'status', value: (p) => p.status },
        { header: 'latency µs', value: (p) => p.latency_us, align: 'right' },
        { header: 'outputs', value: (p) => JSON.stringify(p.outputs), maxWidth: 40 },
      ],
      r.predictions,
    ) + '\n',
  );
  morePagesNote('predictions', r.next_page_token);
}

/** The export is data, not a report: JSON Lines by default (what --json asks for too), or CSV. */
export async function exportPredictions(name: string, o: ExportOptions, cmd: Command): Promise<void> {
  if (o.format !== 'csv' && o.format !== 'jsonl') throw new Error('--format must be csv or jsonl');
  if (o.json && o.format === 'csv') throw new Error('--json exports JSON Lines; leave out --format csv');
  print(await clientFor(cmd).monitoring.exportPredictions(name, o.format, { ...windowOf(o), ...(o.status ? { status: o.status } : {}) }));
}
