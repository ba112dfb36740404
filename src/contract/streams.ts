/**
 * Stream bindings: a deployment consuming a Kafka topic, a Redis stream or a NATS JetStream subject, scoring each
 * message with the same traffic split, logging and A/B assignment as its HTTP traffic, and producing the result
 * to an output topic (bad messages to a dead-letter one). Credentials are write-only: a binding answers whether
 * it has them, never what they are.
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { Empty, EpochMs, Nullable, SlugName, StringEnum, Text } from './common.js';

const tag = 'streams';

export const STREAM_KINDS = ['kafka', 'redis', 'nats'] as const;
export const StreamKind = StringEnum(STREAM_KINDS, {
  description: 'kafka (a topic, consumer group), redis (a Redis stream, XREADGROUP group) or nats (a JetStream subject, durable consumer)',
});

export const STREAM_FORMATS = ['records', 'v2', 'bytes'] as const;
export const StreamFormat = StringEnum(STREAM_FORMATS, {
  description:
    "records: a JSON object per message, one row ({feature: value}) or MLflow's scoring forms (instances, dataframe_split, dataframe_records, inputs); v2: the Open Inference Protocol's JSON inference request; bytes: rows of little-endian numbers in the model's feature order, as `bytes_dtype` says",
});

/** A name as brokers take it: topics, streams and subjects (dots for NATS subjects, no wildcards). */
const Destination = (description: string) =>
  Type.String({ minLength: 1, maxLength: 249, pattern: '^[A-Za-z0-9._-]+$', description: `${description}: letters, digits, '.', '_' and '-'` });

const BrokerUrl = Type.String({
  minLength: 1,
  maxLength: 2048,
  pattern: '^[^\\u0000\\s]+$',
  description:
    'kafka: bootstrap servers as host:port[,host:port…]; redis: redis://[host][:port][/db] (or rediss:// for TLS); nats: nats://host:port[,nats://…] (or tls://…). No credentials in the URL: give them in `credentials`.',
});

const FieldName = (o: { description: string }) => Text({ minLength: 1, maxLength: 256, ...o });

const StreamCredentials = Type.Object(
  {
    username: Text({ minLength: 1, maxLength: 256 }),
    password: Text({ minLength: 1, maxLength: 1024 }),
    mechanism: Type.Optional(StringEnum(['plain', 'scram-sha-256', 'scram-sha-512'] as const, { description: 'kafka SASL mechanism (default plain)' })),
  },
  { description: 'write-only: stored encrypted, never returned (a binding answers has_credentials)' },
);

/** What a binding is, as given: only kind, url, input and output are required. */
export const StreamBindingInput = Type.Object({
  name: SlugName,
  kind: StreamKind,
  url: BrokerUrl,
  input: Destination('the topic (kafka), stream key (redis) or subject (nats) to consume'),
  output: Destination('where results go'),
  dead_letter: Type.Optional(Destination("where messages that cannot be scored go, with the reason (default: the input's name + '.dlq')")),
  group: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[A-Za-z0-9._-]+$',
      description: "the consumer group (kafka, redis) or durable consumer (nats) every replica joins (default 'ferry-<deployment>-<binding>')",
    }),
  ),
  format: Type.Optional(StreamFormat),
  bytes_dtype: Type.Optional(StringEnum(['float32', 'float64'] as const, { description: "format bytes: each row's numbers (default float32)" })),
  id_field: Type.Optional(
    FieldName({
      description:
        "a field of the message whose value is the request id (records and v2: a top-level field; v2's `id` by default). Absent: the id comes from the message's place in the stream (topic, partition and offset; the stream entry id; the stream sequence), so a redelivered message gets the same id",
    }),
  ),
  key_field: Type.Optional(
    FieldName({
      description:
        "a field of the message whose value is the sticky unit (A/B tests, sticky routes); absent: the message's key (kafka) when it has one, else the deployment's sticky key",
    }),
  ),
  batch_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'messages fetched per read (default 100)' })),
  max_wait_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, description: 'how long a read waits for messages (default 100 ms)' })),
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024, description: 'messages being scored at once per replica (default 64)' })),
  credentials: Type.Optional(StreamCredentials),
  tls: Type.Optional(Type.Boolean({ description: 'connect with TLS (kafka; redis and nats also take rediss:// and tls:// URLs). Default false' })),
  enabled: Type.Optional(Type.Boolean({ description: 'consume (default true); false stops consuming and keeps the binding' })),
});

/** A change: every field but name and kind may change; credentials given replace the stored ones, null removes them. */
export const StreamBindingUpdate = Type.Partial(
  Type.Composite([Type.Omit(StreamBindingInput, ['name', 'kind', 'credentials']), Type.Object({ credentials: Nullable(StreamCredentials) })]),
);

export const StreamState = StringEnum(['starting', 'running', 'paused', 'stopped', 'failed'] as const, {
  description:
    'starting (connecting), running, paused (the deployment is not ready or its queue is full: consumption waits, nothing is dropped), stopped (disabled), failed (see reason; retried)',
});

export const StreamStatus = Type.Object({
  state: StreamState,
  reason: Type.Optional(Type.String({ description: 'why it is paused or failed' })),
  lag: Nullable(Type.Integer({ minimum: 0, description: 'messages in the input not yet consumed by the group (null until known)' })),
  messages_in: Type.Integer({ minimum: 0, description: 'messages consumed by this replica since it started' }),
  messages_out: Type.Integer({ minimum: 0, description: 'results produced by this replica since it started' }),
  dead_lettered: Type.Integer({ minimum: 0, description: 'messages this replica sent to the dead-letter destination' }),
  redelivered: Type.Integer({ minimum: 0, description: 'messages seen again whose prediction was logged already (scored and produced again, logged once)' }),
  updated_at: Nullable(EpochMs),
});

/** A binding as answered: never its credentials. */
export const StreamBinding = Type.Object({
  deployment: Type.String(),
  name: Type.String(),
  kind: StreamKind,
  url: Type.String(),
  input: Type.String(),
  output: Type.String(),
  dead_letter: Type.String(),
  group: Type.String(),
  format: StreamFormat,
  bytes_dtype: StringEnum(['float32', 'float64'] as const),
  id_field: Nullable(Type.String()),
  key_field: Nullable(Type.String()),
  batch_size: Type.Integer(),
  max_wait_ms: Type.Integer(),
  concurrency: Type.Integer(),
  tls: Type.Boolean(),
  has_credentials: Type.Boolean(),
  enabled: Type.Boolean(),
  created_at: EpochMs,
  created_by: Type.String(),
  updated_at: EpochMs,
  status: StreamStatus,
});

const DeploymentParams = Type.Object({ name: Type.String({ minLength: 1 }) });
const BindingParams = Type.Object({ name: Type.String({ minLength: 1 }), stream: Type.String({ minLength: 1 }) });
const One = Type.Object({ stream: StreamBinding });

export const listStreamBindings = defineOperation({
  method: 'GET',
  path: '/api/v1/deployments/:name/streams',
  operationId: 'listStreamBindings',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A deployment's stream bindings with their state and lag",
  params: DeploymentParams,
  responses: { 200: Type.Object({ streams: Type.Array(StreamBinding) }) },
});

export const createStreamBinding = defineOperation({
  method: 'POST',
  path: '/api/v1/deployments/:name/streams',
  operationId: 'createStreamBinding',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Bind a deployment to a stream: consume its input, produce results to its output',
  description: 'The binding starts consuming on every replica (one consumer group: each message is scored by one of them).',
  params: DeploymentParams,
  body: StreamBindingInput,
  responses: { 200: One },
});

export const getStreamBinding = defineOperation({
  method: 'GET',
  path: '/api/v1/deployments/:name/streams/:stream',
  operationId: 'getStreamBinding',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'One stream binding with its state and lag',
  params: BindingParams,
  responses: { 200: One },
});

export const updateStreamBinding = defineOperation({
  method: 'PUT',
  path: '/api/v1/deployments/:name/streams/:stream',
  operationId: 'updateStreamBinding',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Change a stream binding (its consumers restart with the change after committing what they produced)',
  params: BindingParams,
  body: StreamBindingUpdate,
  responses: { 200: One },
});

export const deleteStreamBinding = defineOperation({
  method: 'DELETE',
  path: '/api/v1/deployments/:name/streams/:stream',
  operationId: 'deleteStreamBinding',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Remove a stream binding (its consumers stop after committing what they produced)',
  params: BindingParams,
  responses: { 200: Empty },
});
