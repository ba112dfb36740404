/**
 * A stream binding as the runtime uses it: the API's input with its defaults filled in, the broker URL checked for
 * its kind, and the stored row's shape both ways. Credentials travel sealed (the store) or opened (a consumer);
 * never in what the API answers.
 */
import type { Static } from '@sinclair/typebox';
import type { StreamBindingInput, StreamBindingUpdate } from '../../contract/streams.js';
import { InvalidParameterError } from '../../errors.js';
import type { StreamBindingTable } from '../../store/index.js';

export type StreamKind = 'kafka' | 'redis' | 'nats';
export type StreamFormat = 'records' | 'v2' | 'bytes';
export type BindingInput = Static<typeof StreamBindingInput>;
export type BindingUpdate = Static<typeof StreamBindingUpdate>;
export type Credentials = NonNullable<BindingInput['credentials']>;

export interface StreamBindingSpec {
  deployment: string;
  name: string;
  kind: StreamKind;
  url: string;
  input: string;
  output: string;
  dead_letter: string;
  group: string;
  format: StreamFormat;
  bytes_dtype: 'float32' | 'float64';
  id_field: string | null;
  key_field: string | null;
  batch_size: number;
  max_wait_ms: number;
  concurrency: number;
  tls: boolean;
  enabled: boolean;
}

/** A binding with what the API answers besides its spec. */
export interface StreamBindingRecord extends StreamBindingSpec {
  has_credentials: boolean;
  created_at: number;
  created_by: string;
  updated_at: number;
}

export const DEFAULTS = { format: 'records', bytes_dtype: 'float32', batch_size: 100, max_wait_ms: 100, concurrency: 64, tls: false, enabled: true } as const;

/** Broker URLs without credentials (they belong in `credentials`, stored sealed) and with the kind's scheme. */
export function checkUrl(kind: StreamKind, url: string): void {
  const bad = (why: string): never => {
    throw new InvalidParameterError('url', `url: ${why}`);
  };
  if (kind === 'kafka') {
    // host:port[,host:port…], as Kafka clients take bootstrap servers.
    for (const part of url.split(',')) {
      const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(part);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) bad(`'${part}' is not host:port (kafka takes bootstrap servers as host:port[,host:port…])`);
    }
    return;
  }
  const schemes = kind === 'redis' ? ['redis:', 'rediss:'] : ['nats:', 'tls:'];
  for (const part of kind === 'nats' ? url.split(',') : [url]) {
    let u: URL;
    try {
      u = new URL(part);
    } catch {
      return bad(`'${part}' is not a URL (${schemes.map((s) => `${s}//host:port`).join(' or ')})`);
    }
    if (!schemes.includes(u.protocol)) bad(`${kind} takes ${schemes.join(' or ')} URLs, not ${u.protocol}`);
    if (u.username || u.password) bad('no credentials in the URL: give them in `credentials` (stored encrypted, never returned)');
    if (!u.hostname) bad(`'${part}' names no host`);
    if (kind === 'redis' && u.pathname.length > 1 && !/^\/\d{1,2}$/.test(u.pathname))
      bad(`a redis URL's path is the database number (/0…/15), not '${u.pathname}'`);
    if (u.search || u.hash) bad('no query or fragment in the URL');
  }
}

/** The spec a new binding gets from its input (defaults filled in). */
export function specOf(deployment: string, b: BindingInput): StreamBindingSpec {
  checkUrl(b.kind, b.url);
  if (b.format !== 'bytes' && b.bytes_dtype !== undefined) throw new InvalidParameterError('bytes_dtype', 'bytes_dtype applies to format bytes only.');
  const spec: StreamBindingSpec = {
    deployment,
    name: b.name,
    kind: b.kind,
    url: b.url,
    input: b.input,
    output: b.output,
    dead_letter: b.dead_letter ?? `${b.input}.dlq`,
    group: b.group ?? `ferry-${deployment}-${b.name}`,
    format: b.format ?? DEFAULTS.format,
    bytes_dtype: b.bytes_dtype ?? DEFAULTS.bytes_dtype,
    id_field: b.id_field ?? null,
    key_field: b.key_field ?? null,
    batch_size: b.batch_size ?? DEFAULTS.batch_size,
    max_wait_ms: b.max_wait_ms ?? DEFAULTS.max_wait_ms,
    concurrency: b.concurrency ?? DEFAULTS.concurrency,
    tls: b.tls ?? DEFAULTS.tls,
    enabled: b.enabled ?? DEFAULTS.enabled,
  };
  checkDestinations(spec, b.dead_letter === undefined);
  return spec;
}

/** A changed spec: the update's fields over the current ones (name and kind never change). */
export function updatedSpec(cur: StreamBindingSpec, u: BindingUpdate): StreamBindingSpec {
  const next: StreamBindingSpec = { ...cur };
  for (const k of [
    'url',
    'input',
    'output',
    'dead_letter',
    'group',
    'format',
    'bytes_dtype',
    'batch_size',
    'max_wait_ms',
    'concurrency',
    'tls',
    'enabled',
  ] as const) {
    const v = u[k];
    if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
  }
  if (u.id_field !== undefined) next.id_field = u.id_field;
  if (u.key_field !== undefined) next.key_field = u.key_field;
  checkUrl(next.kind, next.url);
  if (u.bytes_dtype !== undefined && next.format !== 'bytes') throw new InvalidParameterError('bytes_dtype', 'bytes_dtype applies to format bytes only.');
  checkDestinations(next);
  return next;
}

function checkDestinations(s: StreamBindingSpec, derivedDeadLetter = false): void {
  // Results or dead letters written to the input would be consumed again, for ever.
  if (s.output === s.input) throw new InvalidParameterError('output', 'output must differ from input (results would be consumed again).');
  if (s.dead_letter === s.input) throw new InvalidParameterError('dead_letter', 'dead_letter must differ from input (dead letters would be consumed again).');
  if (s.kind === 'nats' && (s.input.includes('*') || s.input.includes('>')))
    throw new InvalidParameterError('input', 'input must be one subject, without wildcards.');
  for (const field of ['input', 'output', 'dead_letter'] as const) {
    const why = destinationProblem(s.kind, s[field]);
    if (!why) continue;
    // The default dead letter is made from the input: say so, or the caller is told of a field they never gave.
    const derived = field === 'dead_letter' && derivedDeadLetter ? ` (the default, made from input: give a shorter input or a dead_letter)` : '';
    throw new InvalidParameterError(field, `${field} '${s[field]}' ${why}${derived}.`);
  }
  const why = groupProblem(s.kind, s.group);
  if (why) throw new InvalidParameterError('group', `group '${s.group}' ${why}.`);
}

/** Kafka's own limit on a topic's name (the broker refuses longer ones). */
const KAFKA_TOPIC_MAX = 249;
/** Redis takes any key; a bound keeps a mistaken one (a pasted document) out of the store and the logs. */
const REDIS_KEY_MAX = 1024;
/** NATS keeps a durable consumer in a file named after it. */
const NATS_NAME_MAX = 255;
// Control characters are what this looks for.
// eslint-disable-next-line no-control-regex
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;

/** Why a name cannot be a topic (kafka), stream key (redis) or subject (nats); null when it can. */
function destinationProblem(kind: StreamKind, name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (SPACE_OR_CONTROL.test(name)) return 'has whitespace or a control character';
  if (kind === 'kafka') {
    if (name === '.' || name === '..') return "is not a Kafka topic name ('.' and '..' are refused)";
    if (!/^[A-Za-z0-9._-]+$/.test(name)) return "has a character Kafka refuses in a topic name (letters, digits, '.', '_' and '-' only)";
    if (name.length > KAFKA_TOPIC_MAX) return `is ${name.length} characters; Kafka allows ${KAFKA_TOPIC_MAX}`;
    return null;
  }
  if (kind === 'redis') return name.length > REDIS_KEY_MAX ? `is ${name.length} characters; at most ${REDIS_KEY_MAX}` : null;
  if (name.split('.').some((t) => t === '')) return "is not a NATS subject (an empty token: '..', or a '.' at the start or end)";
  if (name.split('.').some((t) => t.includes('*') || t.includes('>'))) return 'is not one NATS subject (no wildcards)';
  return null;
}

/** Why a name cannot be the consumer group (kafka, redis) or durable consumer (nats); null when it can. */
function groupProblem(kind: StreamKind, group: string): string | null {
  if (group.length === 0) return 'is empty';
  if (SPACE_OR_CONTROL.test(group)) return 'has whitespace or a control character';
  if (kind !== 'nats') return null;
  if (/[.*>/\\]/.test(group)) return "is not a NATS durable consumer name ('.', '*', '>', '/' and '\\' are refused)";
  if (group.length > NATS_NAME_MAX) return `is ${group.length} characters; NATS allows ${NATS_NAME_MAX}`;
  return null;
}

export function rowOf(s: StreamBindingSpec, credentials: string | null, by: string, createdAt: number, now: number): StreamBindingTable {
  return {
    deployment: s.deployment,
    name: s.name,
    kind: s.kind,
    url: s.url,
    input: s.input,
    output: s.output,
    dead_letter: s.dead_letter,
    group_name: s.group,
    format: s.format,
    bytes_dtype: s.bytes_dtype,
    id_field: s.id_field,
    key_field: s.key_field,
    batch_size: s.batch_size,
    max_wait_ms: s.max_wait_ms,
    concurrency: s.concurrency,
    tls: s.tls ? 1 : 0,
    credentials,
    enabled: s.enabled ? 1 : 0,
    created_at: createdAt,
    created_by: by,
    updated_at: now,
  };
}

export function recordOf(r: StreamBindingTable): StreamBindingRecord {
  return {
    deployment: r.deployment,
    name: r.name,
    kind: r.kind as StreamKind,
    url: r.url,
    input: r.input,
    output: r.output,
    dead_letter: r.dead_letter,
    group: r.group_name,
    format: r.format as StreamFormat,
    bytes_dtype: r.bytes_dtype as 'float32' | 'float64',
    id_field: r.id_field,
    key_field: r.key_field,
    batch_size: Number(r.batch_size),
    max_wait_ms: Number(r.max_wait_ms),
    concurrency: Number(r.concurrency),
    tls: Number(r.tls) === 1,
    enabled: Number(r.enabled) === 1,
    has_credentials: r.credentials !== null,
    created_at: Number(r.created_at),
    created_by: r.created_by,
    updated_at: Number(r.updated_at),
  };
}
