/**
 * Jobs (native API, /api/v1/jobs and /api/v1/executors): MLflow Projects run on an executor (local, Ray,
 * Kubernetes) through a durable queue; their projects, logs, cancellation; the executors an admin configures.
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { EpochMs, NO_NUL, Nullable, PageToken, StringEnum, Text } from './common.js';
import { Duration } from './duration.js';

const tag = 'jobs';
const P = '/api/v1/jobs';

export const JOB_STATES = ['queued', 'starting', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const TERMINAL_JOB_STATES = ['succeeded', 'failed', 'cancelled'] as const;
export const EXECUTOR_KINDS = ['local', 'ray', 'kubernetes'] as const;
export const ENV_MANAGERS = ['local', 'virtualenv'] as const;
/** MLflow Project parameter types. */
export const PARAMETER_TYPES = ['string', 'float', 'path', 'uri'] as const;

export const JobState = StringEnum(JOB_STATES);
export const ExecutorKind = StringEnum(EXECUTOR_KINDS);
export const EnvManager = StringEnum(ENV_MANAGERS, {
  description: "local: the executor's own Python; virtualenv: a virtual environment built from python_env.yaml (cached by its digest)",
});

/** A job's id: also its Ray submission_id and Kubernetes Job name, so it is a DNS label. */
export const JobId = Type.String({ pattern: '^job-[0-9a-f]{32}$', description: "'job-' and 32 hex digits" });
export const ProjectDigest = Type.String({ pattern: '^sha256:[0-9a-f]{64}$', description: "a stored project: 'sha256:' and 64 hex digits" });
export const ExecutorName = Type.String({
  pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
  description: 'lowercase letters, digits and dashes; 1–63 characters',
});

export const ProjectParameter = Type.Object({
  name: Type.String(),
  type: StringEnum(PARAMETER_TYPES),
  default: Nullable(Type.String({ description: 'as the MLproject file gives it, as text; null: required' })),
});

export const ProjectEntryPoint = Type.Object({
  name: Type.String(),
  parameters: Type.Array(ProjectParameter),
  command: Type.String({ description: 'the command template, {name} placeholders unsubstituted' }),
});

export const Project = Type.Object({
  digest: ProjectDigest,
  name: Type.String({ description: "the MLproject's name (the folder's name when it has none)" }),
  entry_points: Type.Array(ProjectEntryPoint),
  has_python_env: Type.Boolean({ description: 'the project has a python_env.yaml' }),
  files: Type.Integer({ description: 'number of files' }),
  size_bytes: Type.Integer({ description: 'unpacked size' }),
});

export const Resources = Type.Object(
  {
    cpus: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1024, description: 'CPUs for the entry point (Ray entrypoint_num_cpus, a Kubernetes request)' }),
    ),
    gpus: Type.Optional(Type.Number({ minimum: 0, maximum: 64, description: 'GPUs for the entry point' })),
    memory_mb: Type.Optional(Type.Integer({ minimum: 1, maximum: 4_194_304, description: 'memory in MiB' })),
  },
  { additionalProperties: false },
);

/**
 * One schema with a list of types, not an anyOf: the server coerces query-style values to a schema's type, and with
 * an anyOf the string branch would turn a JSON true into "true" before Python's str() rules ("True") apply.
 */
const ParamValue = Type.Unsafe<string | number | boolean>({
  type: ['string', 'number', 'boolean'],
  maxLength: 6000,
  pattern: NO_NUL,
  description: 'text, a number or a boolean; sent to the program as Python would print it (True, 1e-07)',
});

export const GitSource = Type.Object(
  {
    url: Text({ minLength: 1, maxLength: 2000, description: 'https://, http://, ssh:// or git@host:path (file:// only where the admin allows it)' }),
    commit: Type.String({ pattern: '^[0-9a-f]{7,40}$', description: 'the commit (hex), so the job runs exactly this code' }),
    subdirectory: Type.Optional(Text({ maxLength: 1000, description: 'the project folder inside the repository' })),
  },
  { additionalProperties: false },
);

export const JobSubmission = Type.Object(
  {
    project: Type.Optional(ProjectDigest),
    git: Type.Optional(GitSource),
    entry_point: Type.Optional(Text({ minLength: 1, maxLength: 200, description: "default 'main'" })),
    parameters: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.\\-]{1,200}$' }), ParamValue, {
        maxProperties: 200,
        description: "values for the entry point's parameters; others are passed as --name value, as mlflow run does",
      }),
    ),
    executor: Type.Optional(ExecutorName),
    experiment_id: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
    experiment_name: Type.Optional(Text({ minLength: 1, maxLength: 500 })),
    run_name: Type.Optional(Text({ minLength: 1, maxLength: 250 })),
    resources: Type.Optional(Resources),
    env_manager: Type.Optional(EnvManager),
    max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'tries in all (default 1: training is not retried)' })),
    retry_backoff: Type.Optional(Duration('wait before the 2nd try, doubling after (default 30s)')),
    priority: Type.Optional(Type.Integer({ minimum: -100, maximum: 100, description: 'higher first (default 0)' })),
  },
  { additionalProperties: false, description: 'exactly one of project (a stored zip) or git' },
);

export const Job = Type.Object({
  job_id: JobId,
  state: JobState,
  executor: Type.String(),
  project: Type.Object({
    digest: ProjectDigest,
    name: Type.String(),
    git_url: Type.Optional(Type.String()),
    git_commit: Type.Optional(Type.String()),
  }),
  entry_point: Type.String(),
  parameters: Type.Record(Type.String(), Type.String()),
  command: Type.String({ description: 'the command the executor runs, parameters substituted and shell-quoted' }),
  env_manager: EnvManager,
  resources: Resources,
  experiment_id: Type.String(),
  run_id: Type.String({ description: 'the MLflow run Ferry made for the job (MLFLOW_RUN_ID)' }),
  submitted_by: Type.String(),
  submitted_at: EpochMs,
  started_at: Nullable(EpochMs),
  running_at: Nullable(EpochMs),
  finished_at: Nullable(EpochMs),
  attempts: Type.Integer(),
  max_attempts: Type.Integer(),
  priority: Type.Integer(),
  cancel_requested: Type.Boolean(),
  exit_code: Nullable(Type.Integer()),
  message: Nullable(Type.String({ description: 'why the job is in its state (a failure, a retry, who cancelled)' })),
  log_bytes: Type.Integer(),
  external_id: Nullable(Type.String({ description: "the executor's handle: Ray submission id, Kubernetes Job name" })),
});

const JobParams = Type.Object({ job_id: JobId });
const JobAnswer = Type.Object({ job: Job });

export const uploadJobProject = defineOperation({
  method: 'POST',
  path: `${P}/projects`,
  operationId: 'uploadJobProject',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Store an MLflow Project (a zip with an MLproject file at its root or in its one top folder); answers its digest',
  description:
    'The zip is checked (no absolute paths, no `..`, no links, at most 20,000 files and 1 GiB unpacked) and stored content-addressed: the same files give the same digest.',
  rawBody: {
    description: 'The project as a zip file',
    content: { 'application/zip': { schema: Type.String({ format: 'binary' }) }, 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } },
  },
  responses: { 200: Type.Object({ project: Project }), 201: Type.Object({ project: Project }) },
});

export const getJobProject = defineOperation({
  method: 'GET',
  path: `${P}/projects/:digest`,
  operationId: 'getJobProject',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'A stored project: its name, entry points and parameters',
  params: Type.Object({ digest: ProjectDigest }),
  responses: { 200: Type.Object({ project: Project }) },
});

export const submitJob = defineOperation({
  method: 'POST',
  path: P,
  operationId: 'submitJob',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Submit a job: an entry point of a stored project (or a git commit) with parameters, on an executor',
  description:
    'Parameters are checked against the entry point (required ones, float types) before anything is queued. Ferry creates the MLflow run the job logs to (MLFLOW_RUN_ID) and a token for this job alone.',
  body: JobSubmission,
  responses: { 201: JobAnswer },
});

export const listJobs = defineOperation({
  method: 'GET',
  path: P,
  operationId: 'listJobs',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Jobs, newest first',
  query: Type.Object({
    state: Type.Optional(JobState),
    executor: Type.Optional(ExecutorName),
    experiment_id: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
    submitted_by: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
    run_id: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$' })),
    max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 100' })),
    page_token: Type.Optional(Type.String({ pattern: '^\\d{1,15}:job-[0-9a-f]{32}$', description: 'next_page_token of the previous page' })),
  }),
  responses: { 200: Type.Object({ jobs: Type.Array(Job), next_page_token: Type.Optional(PageToken) }) },
});

export const getJob = defineOperation({
  method: 'GET',
  path: `${P}/:job_id`,
  operationId: 'getJob',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'A job',
  params: JobParams,
  responses: { 200: JobAnswer },
});

export const JobLogs = Type.Object({
  job_id: JobId,
  state: JobState,
  offset: Type.Integer({ description: 'where data starts (bytes)' }),
  next_offset: Type.Integer({ description: 'ask again from here' }),
  data: Type.String({ description: "the log's text from offset (stdout and stderr interleaved)" }),
  done: Type.Boolean({ description: 'the job has ended and the whole log has been read' }),
});

export const getJobLogs = defineOperation({
  method: 'GET',
  path: `${P}/:job_id/logs`,
  operationId: 'getJobLogs',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A job's log from an offset; with wait, holds the answer until new lines arrive or the job ends (follow)",
  params: JobParams,
  query: Type.Object({
    offset: Type.Optional(Type.Integer({ minimum: 0, description: 'bytes already read (default 0)' })),
    max_bytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 4_194_304, description: 'at most this much (default 1 MiB)' })),
    wait: Type.Optional(Type.Integer({ minimum: 0, maximum: 60, description: 'seconds to wait for new data when there is none (default 0)' })),
  }),
  responses: { 200: JobLogs },
});

export const cancelJob = defineOperation({
  method: 'POST',
  path: `${P}/:job_id/cancel`,
  operationId: 'cancelJob',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Cancel a job: a queued one at once, a running one through its executor (editors cancel their own jobs, admins any)',
  params: JobParams,
  body: Nullable(Type.Object({}, { additionalProperties: false, description: 'nothing: send {} or no body' })),
  responses: { 200: JobAnswer },
});

export const downloadJobSource = defineOperation({
  method: 'GET',
  path: `${P}/:job_id/source.zip`,
  operationId: 'downloadJobSource',
  tag,
  access: 'public',
  style: 'native',
  summary: "A job's project zip, for its executor (a short-lived signed URL: no token, the signature is the credential)",
  params: JobParams,
  query: Type.Object({
    expires: Type.Integer({ minimum: 0, description: 'epoch seconds after which the URL is refused' }),
    signature: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'HMAC-SHA256 of job id and expiry, base64url' }),
  }),
  responses: {
    200: {
      description: 'The project as a zip with one top folder (what Ray expects of a remote working_dir)',
      content: { 'application/zip': { schema: Type.String({ format: 'binary' }) } },
    },
  },
});

/**
 * The same zip by project: the URL a job's executor is given. It depends only on the project and a time window, so
 * every job of a project within the window gets the same URL, and Ray (which caches a working_dir by its URL)
 * downloads and unpacks a project once, not once per job.
 */
export const downloadProjectSource = defineOperation({
  method: 'GET',
  path: `${P}/projects/:digest/source.zip`,
  operationId: 'downloadProjectSource',
  tag,
  access: 'public',
  style: 'native',
  summary:
    "A project's zip, for the executors of its jobs (a signed URL that lasts one to two windows of the URL lifetime: no token, the signature is the credential)",
  params: Type.Object({ digest: ProjectDigest }),
  query: Type.Object({
    expires: Type.Integer({ minimum: 0, description: 'epoch seconds after which the URL is refused' }),
    signature: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'HMAC-SHA256 of the project digest and expiry, base64url' }),
  }),
  responses: {
    200: {
      description: 'The project as a zip with one top folder (what Ray expects of a remote working_dir)',
      content: { 'application/zip': { schema: Type.String({ format: 'binary' }) } },
    },
  },
});

// ---- executors ----

/**
 * An http(s) URL of a cluster or of Ferry: a host name or IPv4 address (no IPv6 literal, no user info), an
 * optional port and path. Checked by pattern so a client learns what it sent wrong, and parsed again by the server.
 */
const HttpUrl = (description: string) =>
  Type.String({ pattern: '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][^\\s\\u0000]*)?$', maxLength: 2000, description });

const executorFields = {
  kind: ExecutorKind,
  enabled: Type.Optional(Type.Boolean({ description: 'default true' })),
  tracking_uri: Type.Optional(HttpUrl("Ferry's URL as the executor's jobs reach it (default: the server's own URL)")),
  max_concurrent: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 10_000, description: 'jobs this executor runs at once (local default: one per two cores; others 100)' }),
  ),
  env_manager: Type.Optional(EnvManager),
  // local
  grace_period: Type.Optional(Duration('local: after SIGTERM, wait this long before SIGKILL (default 10s)')),
  // ray
  address: Type.Optional(HttpUrl("ray: the head's dashboard URL (http://host:8265)")),
  // kubernetes
  server: Type.Optional(HttpUrl("kubernetes: the API server's URL")),
  namespace: Type.Optional(
    Type.String({ pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$', description: 'kubernetes: namespace of the Jobs (default "default")' }),
  ),
  image: Type.Optional(Text({ minLength: 1, maxLength: 1000, description: 'kubernetes: the image that runs the project (Python with mlflow)' })),
  service_account: Type.Optional(Type.String({ pattern: '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$', description: "kubernetes: the pods' service account" })),
  ca_cert: Type.Optional(Text({ maxLength: 20_000, description: "kubernetes: PEM of the API server's CA" })),
  insecure_skip_tls_verify: Type.Optional(Type.Boolean({ description: 'kubernetes: do not verify the API server certificate (tests only)' })),
  ttl_seconds_after_finished: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 31_536_000, description: 'kubernetes: delete finished Jobs after this (default 3600)' }),
  ),
  // credentials: either given (stored encrypted, never returned) or named in the server's environment
  token: Type.Optional(Text({ minLength: 1, maxLength: 10_000, description: 'a bearer token for the cluster; stored encrypted and never returned' })),
  token_env: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$', description: "the server's environment variable that holds the token" })),
};

export const ExecutorInput = Type.Object(executorFields, { additionalProperties: false });

export const Executor = Type.Object({
  name: Type.String(),
  kind: ExecutorKind,
  enabled: Type.Boolean(),
  tracking_uri: Nullable(Type.String()),
  max_concurrent: Type.Integer(),
  env_manager: EnvManager,
  grace_period: Type.Optional(Type.String()),
  address: Type.Optional(Type.String()),
  server: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  image: Type.Optional(Type.String()),
  service_account: Type.Optional(Type.String()),
  insecure_skip_tls_verify: Type.Optional(Type.Boolean()),
  ttl_seconds_after_finished: Type.Optional(Type.Integer()),
  has_ca_cert: Type.Boolean(),
  has_token: Type.Boolean({ description: 'a token is stored (its value is never returned)' }),
  token_env: Type.Optional(Type.String()),
  source: StringEnum(['builtin', 'config-file', 'api'] as const, { description: 'where the setting came from' }),
  updated_at: Nullable(EpochMs),
  updated_by: Nullable(Type.String()),
});

const ExecutorParams = Type.Object({ name: ExecutorName });

export const listExecutors = defineOperation({
  method: 'GET',
  path: '/api/v1/executors',
  operationId: 'listExecutors',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Executors jobs can run on (credentials never shown)',
  responses: { 200: Type.Object({ executors: Type.Array(Executor) }) },
});

export const getExecutor = defineOperation({
  method: 'GET',
  path: '/api/v1/executors/:name',
  operationId: 'getExecutor',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'An executor',
  params: ExecutorParams,
  responses: { 200: Type.Object({ executor: Executor }) },
});

export const putExecutor = defineOperation({
  method: 'PUT',
  path: '/api/v1/executors/:name',
  operationId: 'putExecutor',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Create or replace an executor (a token given is stored encrypted; leave it out to keep the stored one)',
  params: ExecutorParams,
  body: ExecutorInput,
  responses: { 200: Type.Object({ executor: Executor }) },
});

export const deleteExecutor = defineOperation({
  method: 'DELETE',
  path: '/api/v1/executors/:name',
  operationId: 'deleteExecutor',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Remove an executor set through the API (refused while it has unfinished jobs)',
  params: ExecutorParams,
  responses: { 200: Type.Object({ executor: Executor }) },
});
