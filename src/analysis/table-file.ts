/** Reading a reference table sent as CSV (RFC 4180, header row) or JSON Lines into row objects. */
import { InvalidParameterError } from '../errors.js';

export const MAX_TABLE_ROWS = 5_000_000;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A CSV cell: empty is missing (null), a number-looking cell is a number, anything else text. */
function cell(raw: string, quoted: boolean): unknown {
  if (!quoted && raw === '') return null;
  if (!quoted && NUMBER.test(raw)) return Number(raw);
  return raw;
}

export function parseCsv(text: string): Record<string, unknown>[] {
  const records: { v: string; q: boolean }[][] = [];
  let row: { v: string; q: boolean }[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  const endField = () => {
    row.push({ v: field, q: quoted });
    field = '';
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') inQuotes = false;
      else field += ch;
    } else if (ch === '"' && field === '') {
      inQuotes = true;
      quoted = true;
    } else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      if (!(row.length === 1 && row[0]!.v === '' && !row[0]!.q)) records.push(row);
      if (records.length > MAX_TABLE_ROWS + 1) throw new InvalidParameterError('reference', `The table has more than ${MAX_TABLE_ROWS} rows.`);
      row = [];
    } else field += ch;
  }
  if (inQuotes) throw new InvalidParameterError('reference', 'The CSV ends inside a quoted field.');
  if (field !== '' || quoted || row.length) {
    endField();
    records.push(row);
  }
  const header = records.shift()?.map((c) => c.v.trim());
  if (!header || header.length === 0 || header.every((h) => h === '')) throw new InvalidParameterError('reference', 'The CSV needs a header row naming its columns.');
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup !== undefined) throw new InvalidParameterError('reference', `The CSV header names column '${dup}' twice.`);
  return records.map((r, i) => {
    if (r.length !== header.length) throw new InvalidParameterError('reference', `CSV line ${i + 2} has ${r.length} fields; the header has ${header.length}.`);
    const o: Record<string, unknown> = {};
    header.forEach((h, j) => (o[h] = cell(r[j]!.v, r[j]!.q)));
    return o;
  });
}

export function parseJsonl(text: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new InvalidParameterError('reference', `JSON Lines line ${i + 1} is not valid JSON.`);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InvalidParameterError('reference', `JSON Lines line ${i + 1} must be an object of column values.`);
    rows.push(v as Record<string, unknown>);
    if (rows.length > MAX_TABLE_ROWS) throw new InvalidParameterError('reference', `The table has more than ${MAX_TABLE_ROWS} rows.`);
  }
  return rows;
}
