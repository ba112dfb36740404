/**
 * Outcome events from a file for `ferry outcomes send` (pure): a JSON list, a JSON object {"outcomes": [...]},
 * JSON Lines (one event per line) or CSV with a header naming the columns unit, request_id, metric, value,
 * timestamp (unit or request_id, and metric, required; an empty cell leaves the field out). The server checks
 * each event again; this only turns the file into events and names the line of a malformed one.
 */
import type { OutcomeItem } from '../sdk/index.js';

export type OutcomesFormat = 'json' | 'jsonl' | 'csv';
export const OUTCOME_FORMATS: readonly OutcomesFormat[] = ['json', 'jsonl', 'csv'];

const CSV_COLUMNS = ['unit', 'request_id', 'metric', 'value', 'timestamp'] as const;

/** The format by the file's extension, else by its first character ('[' or '{': JSON or JSON Lines, else CSV). */
export function detectFormat(file: string, text: string): OutcomesFormat {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  const first = text.trimStart()[0];
  if (first === '[') return 'json';
  if (first === '{') {
    // One JSON document ({"outcomes": [...]}, or one event) or JSON Lines: whether the whole text parses says which.
    try {
      JSON.parse(text);
      return 'json';
    } catch {
      return 'jsonl';
    }
  }
  return 'csv';
}

export function parseOutcomes(text: string, file: string, format: OutcomesFormat = detectFormat(file, text)): OutcomeItem[] {
  if (format === 'csv') return csvOutcomes(text, file);
  if (format === 'jsonl') return jsonLines(text, file);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (Array.isArray(v)) return v as OutcomeItem[];
  if (v !== null && typeof v === 'object' && Array.isArray((v as { outcomes?: unknown }).outcomes)) return (v as { outcomes: OutcomeItem[] }).outcomes;
  if (v !== null && typeof v === 'object') return [v as OutcomeItem];
  throw new Error(`${file}: must be a JSON list of outcome events, or {"outcomes": [...]}`);
}

function jsonLines(text: string, file: string): OutcomeItem[] {
  const out: OutcomeItem[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new Error(`${file} line ${i + 1}: not valid JSON`);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${file} line ${i + 1}: must be a JSON object (one outcome event)`);
    out.push(v as OutcomeItem);
  });
  return out;
}

/** RFC 4180 records: quoted fields may hold the delimiter, quotes ("") and newlines; CRLF or LF ends a record. */
export function csvRecords(text: string): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let started = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !started)) records.push({ fields, line: start });
    fields = [];
    field = '';
    started = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      started = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      started = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else {
      field += c;
      started = true;
    }
  }
  if (quoted) throw new Error(`a quoted field opened on line ${start} is never closed`);
  if (field !== '' || fields.length > 0 || started) endRecord();
  return records;
}

function csvOutcomes(text: string, file: string): OutcomeItem[] {
  let records: { fields: string[]; line: number }[];
  try {
    records = csvRecords(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const header = records.shift();
  if (!header) return [];
  const names = header.fields.map((h) => h.trim());
  const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`${file}: unknown column(s) ${unknown.join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}`);
  if (!names.includes('metric') || !(names.includes('unit') || names.includes('request_id')))
    throw new Error(`${file}: the header must name a metric column and a unit or request_id column (found: ${names.join(', ')})`);
  return records.map(({ fields, line }) => {
    if (fields.length !== names.length) throw new Error(`${file} line ${line}: ${fields.length} fields, the header has ${names.length}`);
    const item: Record<string, string | number> = {};
    names.forEach((name, j) => {
      const raw = fields[j]!.trim();
      if (raw === '') return;
      if (name === 'value') {
        const n = Number(raw);
        if (!Number.isFinite(n)) throw new Error(`${file} line ${line}: value '${raw}' is not a finite number`);
        item[name] = n;
      } else if (name === 'timestamp')
        item[name] = /^\d+$/.test(raw) ? Number(raw) : raw; // epoch ms, else ISO 8601 or a duration ago
      else item[name] = raw;
    });
    return item as OutcomeItem;
  });
}
