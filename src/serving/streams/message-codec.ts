/**
 * Stream messages in and out: a message's bytes → the model's feeds (through the same codecs as HTTP, so a bad
 * message is refused with the same reason naming the field), its request id and sticky unit; outputs → the result
 * message. Refusals are InvalidParameterErrors: the consumer sends such a message to the dead-letter destination.
 */
import { createHash } from 'node:crypto';
import { InvalidParameterError } from '../../errors.js';
import type { ModelSignature } from '../runtime/signature.js';
import type { TensorValue } from '../runtime/tensor.js';
import { toPredictions } from '../protocols/predictions.js';
import { recordsToFeeds } from '../protocols/records-codec.js';
import { outputsToV2, v2RequestToFeeds } from '../protocols/v2-codec.js';
import type { StreamBindingSpec } from './binding-spec.js';
import type { InMessage } from './stream-adapter.js';

/** A message read: its body (JSON, or the bytes), request id and sticky unit; or why it cannot be scored. */
export interface Decoded {
  requestId: string;
  sticky: string | undefined;
  body: unknown;
}

const FORMS = ['instances', 'dataframe_split', 'dataframe_records', 'inputs'];
/** Request ids are at most 200 visible ASCII characters (as X-Request-Id): longer positions are hashed. */
const USABLE_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * The request id a message's place gives: the same on every delivery of that message. Names the broker, the
 * input and the place in it, so two bindings (or an input renamed) never share ids.
 */
export function positionId(b: Pick<StreamBindingSpec, 'kind' | 'input'>, m: Pick<InMessage, 'partition' | 'position'>): string {
  const id = `${b.kind}:${b.input}:${m.partition}:${m.position}`;
  return USABLE_ID.test(id) ? id : `${b.kind}:${createHash('sha256').update(id).digest('base64url').slice(0, 43)}`;
}

function field(body: unknown, name: string): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  return (body as Record<string, unknown>)[name];
}

function textOf(v: unknown, what: string, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new InvalidParameterError(name, `The ${what} '${name}' must be a string or number.`);
  return String(v);
}

/** Reads a message; throws InvalidParameterError (dead-lettered) when it is not what the binding's format says. */
export function decodeMessage(b: StreamBindingSpec, m: InMessage, deploymentStickyKey: string | undefined): Decoded {
  let body: unknown;
  if (b.format === 'bytes') body = m.value;
  else {
    try {
      body = JSON.parse(m.value.toString('utf8'));
    } catch (err) {
      throw new InvalidParameterError('message', `The message is not JSON (${(err as Error).message}).`);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidParameterError('message', 'The message must be a JSON object.');
  }
  const idField = b.id_field ?? (b.format === 'v2' ? 'id' : null);
  const given = idField !== null ? textOf(field(body, idField), 'id field', idField) : undefined;
  if (given !== undefined && !USABLE_ID.test(given))
    throw new InvalidParameterError(idField!, `The id field '${idField}' must be 1 to 200 visible ASCII characters without spaces.`);
  const requestId = given ?? positionId(b, m);
  const stickyField = b.key_field ?? (m.key === null ? deploymentStickyKey : undefined);
  const sticky = stickyField !== undefined ? textOf(field(body, stickyField), 'key field', stickyField) : (m.key ?? undefined);
  return { requestId, sticky, body };
}

/** The body's rows as feeds for a route's signature (called per route: routes may differ in signature). */
export function feedsOf(
  b: StreamBindingSpec,
  body: unknown,
  sig: ModelSignature,
  maxRows: number,
  metaFields: (string | null | undefined)[] = [b.id_field, b.key_field],
): { feeds: Record<string, TensorValue>; rows: number } {
  if (b.format === 'v2') {
    const p = v2RequestToFeeds(body, sig, maxRows);
    return { feeds: p.feeds, rows: p.rows };
  }
  if (b.format === 'bytes') return recordsToFeeds({ instances: bytesRows(body as Buffer, b.bytes_dtype, sig.features.length) }, sig, maxRows);
  // MLflow's scoring forms, or one row as a plain object: its id and key fields are not features (unless the model
  // has a feature of that name), so they are left out of the row.
  const o = body as Record<string, unknown>;
  if (FORMS.some((k) => k in o)) return recordsToFeeds(o, sig, maxRows);
  const meta = metaFields.filter((f) => f !== null && f !== undefined && Object.hasOwn(o, f) && !sig.features.includes(f));
  let row = o;
  if (meta.length > 0) {
    row = { ...o };
    for (const f of meta) delete row[f!];
  }
  return recordsToFeeds({ instances: [row] }, sig, maxRows);
}

/** Little-endian numbers, `width` per row, in the model's feature order. */
function bytesRows(buf: Buffer, dtype: 'float32' | 'float64', width: number): number[][] {
  const size = dtype === 'float32' ? 4 : 8;
  const rowBytes = size * width;
  if (buf.length === 0 || buf.length % rowBytes !== 0)
    throw new InvalidParameterError(
      'message',
      `The message has ${buf.length} bytes; format bytes needs rows of ${width} ${dtype} values (${rowBytes} bytes each).`,
    );
  const rows: number[][] = [];
  for (let at = 0; at < buf.length; at += rowBytes) {
    const row = new Array<number>(width);
    for (let j = 0; j < width; j++) row[j] = size === 4 ? buf.readFloatLE(at + 4 * j) : buf.readDoubleLE(at + 8 * j);
    rows.push(row);
  }
  return rows;
}

/** What the result message says: the predictions and where they came from. */
export interface ResultFacts {
  deployment: string;
  requestId: string;
  model: string;
  modelVersion: string;
  revision: number;
  outputs: Record<string, TensorValue>;
  outputOrder: string[];
}

/** The result message: v2 answers in the v2 form; records and bytes as the records API answers. */
export function encodeResult(b: StreamBindingSpec, r: ResultFacts): Buffer {
  const route = { model: r.model, model_version: r.modelVersion, deployment: r.deployment, revision: r.revision, request_id: r.requestId };
  if (b.format === 'v2') {
    const v2 = outputsToV2(r.outputs, { modelName: r.deployment, modelVersion: r.modelVersion, id: r.requestId, requestId: r.requestId });
    return Buffer.from(JSON.stringify({ ...v2, ...route }));
  }
  return Buffer.from(JSON.stringify({ predictions: toPredictions(r.outputs, r.outputOrder), ...route }));
}
