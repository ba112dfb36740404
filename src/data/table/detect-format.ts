// Which reader a pushed file needs: its name's extension, then its content type, then its first bytes.
import { DataFileError } from '../../errors.js';
import type { DataFormat } from './types.js';

const BY_EXTENSION = new Map<string, DataFormat>(
  Object.entries({
    csv: 'csv',
    tsv: 'csv',
    txt: 'csv',
    psv: 'csv',
    jsonl: 'jsonl',
    ndjson: 'jsonl',
    ldjson: 'jsonl',
    parquet: 'parquet',
    pq: 'parquet',
  }) as [string, DataFormat][],
);

const BY_CONTENT_TYPE = new Map<string, DataFormat>(
  Object.entries({
    'text/csv': 'csv',
    'text/tab-separated-values': 'csv',
    'application/csv': 'csv',
    'application/jsonl': 'jsonl',
    'application/x-ndjson': 'jsonl',
    'application/ndjson': 'jsonl',
    'application/json-lines': 'jsonl',
    'application/x-jsonlines': 'jsonl',
    'application/vnd.apache.parquet': 'parquet',
    'application/x-parquet': 'parquet',
    'application/parquet': 'parquet',
  }) as [string, DataFormat][],
);

/** From file name extension / content type / first bytes (Parquet magic PAR1, '{' → jsonl, else csv). Throws DataFileError when it cannot tell or the file is empty. */
export function detectFormat(o: { filename?: string; contentType?: string; head: Uint8Array }): DataFormat {
  const { head } = o;
  if (head.length === 0) throw new DataFileError('the file is empty');
  const ext = o.filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const byExt = ext !== undefined ? BY_EXTENSION.get(ext) : undefined;
  if (byExt) return byExt;
  const type = o.contentType?.split(';')[0].trim().toLowerCase();
  const byType = type !== undefined ? BY_CONTENT_TYPE.get(type) : undefined;
  if (byType) return byType;
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) return 'parquet'; // PAR1
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (i === head.length) throw new DataFileError('the file holds only whitespace');
  if (head[i] === 0x7b) return 'jsonl'; // '{'
  // Text of some kind is read as CSV; binary (a NUL byte, or another format's magic) cannot be told apart.
  if (head.subarray(0, 4096).includes(0)) {
    throw new DataFileError('cannot tell the file format (binary content that is not Parquet); send CSV, JSON Lines or Parquet');
  }
  return 'csv';
}
