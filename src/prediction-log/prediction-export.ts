/** Prediction-log rows as the API answers them, and their export as JSON Lines or CSV (streamed page by page). */
import { Readable } from 'node:stream';
import type { FlatInputs, FlatOutputs } from '../serving/index.js';
import { inputRowsOf, outputRowsOf } from './flat-rows.js';
import type { LoggedRow } from './prediction-batch.js';

export interface PredictionOut {
  request_id: string;
  row: number;
  timestamp: string;
  deployment: string;
  revision: number;
  model: string;
  model_version: string;
  route: 'main' | 'shadow';
  status: 'ok' | 'client_error' | 'error';
  latency_us: number;
  error: string | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** The A/B test that counted the request, and its unit there (keyed when PII rules cover the sticky key). */
  unit?: string;
  abtest?: string;
}

/** A logged request as its predictions, one per row (a request that could not be read: one, without inputs). */
export function predictionsOut(r: LoggedRow): PredictionOut[] {
  const rows = Number(r.rows);
  const inputs = inputRowsOf(JSON.parse(r.inputs) as FlatInputs, rows);
  const outputs = outputRowsOf(JSON.parse(r.outputs) as FlatOutputs, rows);
  const base = {
    request_id: r.request_id,
    timestamp: new Date(Number(r.ts)).toISOString(),
    deployment: r.deployment,
    revision: Number(r.revision),
    // route and status are written by the log from these unions.
    model: r.model,
    model_version: r.model_version,
    route: r.route as PredictionOut['route'],
    status: r.status as PredictionOut['status'],
    latency_us: Number(r.latency_us),
    error: r.error,
    ...(r.unit !== undefined ? { unit: r.unit } : {}),
    ...(r.abtest !== undefined ? { abtest: r.abtest } : {}),
  };
  const n = Math.max(1, rows);
  return Array.from({ length: n }, (_, row) => ({ ...base, row, inputs: inputs[row] ?? {}, outputs: outputs[row] ?? {} }));
}

// unit and abtest: empty for a request no A/B test counted.
const FIXED = [
  'request_id',
  'row',
  'timestamp',
  'deployment',
  'revision',
  'model',
  'model_version',
  'route',
  'status',
  'latency_us',
  'error',
  'unit',
  'abtest',
] as const;

/** One CSV cell. Strings that a spreadsheet would run as a formula are prefixed with ' (CSV injection). */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV with one column per input ("input.<feature>") and output ("output.<name>"), named from the first page;
 * a later row's keys outside those go to the `extra` column as JSON, so nothing is dropped.
 */
export function csvExport(pages: AsyncIterable<PredictionOut[]>): Readable {
  async function* lines(): AsyncGenerator<string> {
    let inCols: string[] | null = null;
    let outCols: string[] = [];
    for await (const page of pages) {
      if (!inCols) {
        inCols = [...new Set(page.flatMap((p) => Object.keys(p.inputs)))];
        outCols = [...new Set(page.flatMap((p) => Object.keys(p.outputs)))];
        yield [...FIXED, ...inCols.map((c) => `input.${c}`), ...outCols.map((c) => `output.${c}`), 'extra'].map(csvCell).join(',') + '\n';
      }
      let chunk = '';
      for (const p of page) {
        const extra: Record<string, unknown> = {};
        for (const k of Object.keys(p.inputs)) if (!inCols.includes(k)) extra[`input.${k}`] = p.inputs[k];
        for (const k of Object.keys(p.outputs)) if (!outCols.includes(k)) extra[`output.${k}`] = p.outputs[k];
        const cells = [
          ...FIXED.map((k) => p[k]),
          ...inCols.map((c) => p.inputs[c]),
          ...outCols.map((c) => p.outputs[c]),
          Object.keys(extra).length ? extra : null,
        ];
        chunk += cells.map(csvCell).join(',') + '\n';
      }
      yield chunk;
    }
    if (!inCols) yield FIXED.join(',') + ',extra\n';
  }
  return Readable.from(lines());
}

export function jsonlExport(pages: AsyncIterable<PredictionOut[]>): Readable {
  async function* lines(): AsyncGenerator<string> {
    for await (const page of pages) yield page.map((p) => JSON.stringify(p)).join('\n') + (page.length ? '\n' : '');
  }
  return Readable.from(lines());
}
