/** Flags + environment → one frozen configuration. Flags win over FERRY_* variables, which win over defaults. */
import { join, resolve } from 'node:path';
import { InvalidParameterError } from './errors.js';

export interface FerryConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** sqlite:PATH or postgres://… */
  readonly storeUrl: string;
  /**
   * Where artifact files live (models, run artifacts, dataset files, job projects); replicas share one: an absolute
   * folder, or an s3:// URL kept as given (checked by openArtifactStore, which names 'artifacts' in a refusal).
   */
  readonly artifacts: string;
  readonly insecureNoAuth: boolean;
  /** Host names the server answers to (DNS-rebinding protection); '*' = any. */
  readonly allowedHosts: readonly string[];
  readonly maxArtifactBytes: number;
  /**
   * Artifact downloads answered with a redirect to a presigned URL of the bucket, valid this many seconds (the
   * client fetches the bytes from S3 directly); 0 (the default): the server streams them. Only an S3 store presigns.
   */
  readonly artifactsPresignSeconds: number;
  /**
   * Which proxies' X-Forwarded-For to believe for the caller's address (audit rows): false (none: the address is the
   * peer's), true (any), a hop count, or addresses/CIDRs. From FERRY_TRUST_PROXY.
   */
  readonly trustProxy: boolean | number | string[];
  readonly bodyLimitBytes: number;
  /** Used as the admin token on first start, if set (for automation). */
  readonly adminToken: string | undefined;
  readonly logLevel: string;
  /** Worker threads (onnxruntime sessions) per served model version. */
  readonly inferenceWorkers: number;
  /** onnxruntime intra-op threads per session (per worker). */
  readonly intraOpThreads: number;
  /** Models whose single-row run is at most this many µs also run lone small batches on the main thread; 0: never. */
  readonly inlineInferenceUs: number;
  /** Most rows one prediction request may carry. */
  readonly maxPredictRows: number;
  /** Nice value (0-19) of the monitoring thread; above 0 logging yields the CPU to the request path (and may drop). */
  readonly monitoringNice: number;
  /** Failed sign-ins one client address may have per window before it is refused (429); 0: no per-address limit. */
  readonly authMaxFailuresPerIp: number;
  /** Failed sign-ins one username may have per window before it is refused (429); 0: no per-user limit. */
  readonly authMaxFailuresPerUser: number;
  readonly authFailureWindowSeconds: number;
  /** Built-in TLS: PEM certificate (chain) and private key files, both or neither; the server then speaks https. */
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
}

export interface ConfigFlags {
  host?: string;
  port?: string | number;
  dataDir?: string;
  store?: string;
  /** A folder or s3://bucket/prefix?… (FERRY_ARTIFACTS). */
  artifacts?: string;
  /** The older form: a folder only (FERRY_ARTIFACTS_DIR). */
  artifactsDir?: string;
  insecureNoAuth?: boolean;
  allowedHosts?: string;
  maxArtifactBytes?: string | number;
  logLevel?: string;
  inferenceWorkers?: string | number;
  authMaxFailuresPerIp?: string | number;
  authMaxFailuresPerUser?: string | number;
  tlsCert?: string;
  tlsKey?: string;
}

function intOf(raw: string | number | undefined, field: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidParameterError(field, `Invalid ${field} '${raw}': expected an integer from ${min} to ${max}.`);
  return n;
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]', '::1'];

function trustProxyOf(raw: string | undefined): boolean | number | string[] {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return intOf(v, 'trust-proxy', 0, 0, 100);
  const list = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.find((x) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x));
  if (bad !== undefined)
    throw new InvalidParameterError(
      'trust-proxy',
      `Invalid FERRY_TRUST_PROXY entry '${bad}': expected true, a hop count, or addresses/CIDRs separated by commas.`,
    );
  return list;
}

const HAS_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

/**
 * The artifacts location: --artifacts (a folder or a URL) or the older --artifacts-dir (a folder), flags over
 * FERRY_ARTIFACTS / FERRY_ARTIFACTS_DIR, default <data-dir>/artifacts. Folders are made absolute; a URL is kept as
 * given. Two settings that disagree are refused rather than one silently winning.
 */
function artifactsLocation(flags: ConfigFlags, env: NodeJS.ProcessEnv, dataDir: string): string {
  const pick = (location: string | undefined, dir: string | undefined, names: string): { value: string; isDir: boolean } | undefined => {
    if (location && dir && location !== dir) throw new InvalidParameterError('artifacts', `Give ${names}, not both.`);
    if (location) return { value: location, isDir: false };
    if (dir) return { value: dir, isDir: true };
    return undefined;
  };
  const chosen =
    pick(flags.artifacts, flags.artifactsDir, '--artifacts or --artifacts-dir') ??
    pick(env['FERRY_ARTIFACTS'], env['FERRY_ARTIFACTS_DIR'], 'FERRY_ARTIFACTS or FERRY_ARTIFACTS_DIR');
  if (!chosen) return join(dataDir, 'artifacts');
  if (HAS_SCHEME.test(chosen.value)) {
    if (chosen.isDir)
      throw new InvalidParameterError('artifacts', 'The artifacts dir setting takes a folder; give a URL (s3://…) as --artifacts / FERRY_ARTIFACTS.');
    return chosen.value;
  }
  return resolve(chosen.value);
}

/** --tls-cert and --tls-key (or FERRY_TLS_CERT / FERRY_TLS_KEY) come together; one alone is refused, naming the other. */
function tlsFiles(flags: ConfigFlags, env: NodeJS.ProcessEnv): { tlsCert: string | undefined; tlsKey: string | undefined } {
  const cert = flags.tlsCert ?? (env['FERRY_TLS_CERT'] || undefined);
  const key = flags.tlsKey ?? (env['FERRY_TLS_KEY'] || undefined);
  if (cert && !key) throw new InvalidParameterError('tls-key', '--tls-cert was given without --tls-key (FERRY_TLS_KEY): built-in TLS needs both files.');
  if (key && !cert) throw new InvalidParameterError('tls-cert', '--tls-key was given without --tls-cert (FERRY_TLS_CERT): built-in TLS needs both files.');
  return { tlsCert: cert ? resolve(cert) : undefined, tlsKey: key ? resolve(key) : undefined };
}

export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): FerryConfig {
  const host = flags.host ?? env['FERRY_HOST'] ?? '127.0.0.1';
  const dataDir = resolve(flags.dataDir ?? env['FERRY_DATA_DIR'] ?? './ferry-data');
  const storeUrl = flags.store ?? env['FERRY_STORE'] ?? `sqlite:${join(dataDir, 'ferry.db')}`;
  const extraHosts = (flags.allowedHosts ?? env['FERRY_ALLOWED_HOSTS'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const wildcardBind = host === '0.0.0.0' || host === '::';
  const allowedHosts = [...new Set([...LOOPBACK, ...(wildcardBind ? [] : [host.toLowerCase()]), ...extraHosts])];
  return Object.freeze({
    host,
    port: intOf(flags.port ?? env['FERRY_PORT'], 'port', 5050, 0, 65535),
    dataDir,
    storeUrl,
    artifacts: artifactsLocation(flags, env, dataDir),
    insecureNoAuth: flags.insecureNoAuth ?? env['FERRY_INSECURE_NO_AUTH'] === '1',
    allowedHosts: Object.freeze(allowedHosts),
    maxArtifactBytes: intOf(flags.maxArtifactBytes ?? env['FERRY_MAX_ARTIFACT_BYTES'], 'max-artifact-bytes', 5 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    // SigV4 presigned URLs last at most 7 days.
    trustProxy: trustProxyOf(env['FERRY_TRUST_PROXY']),
    artifactsPresignSeconds: intOf(env['FERRY_ARTIFACTS_PRESIGN_SECONDS'], 'artifacts-presign-seconds', 0, 0, 604_800),
    // MLflow's log-batch limit is 1 MB; a little headroom for JSON framing.
    bodyLimitBytes: 2 * 1024 * 1024,
    adminToken: env['FERRY_ADMIN_TOKEN'] || undefined,
    logLevel: flags.logLevel ?? env['FERRY_LOG_LEVEL'] ?? 'info',
    inferenceWorkers: intOf(flags.inferenceWorkers ?? env['FERRY_INFERENCE_WORKERS'], 'inference-workers', 2, 1, 64),
    intraOpThreads: intOf(env['FERRY_INTRA_OP_THREADS'], 'intra-op-threads', 1, 1, 64),
    inlineInferenceUs: intOf(env['FERRY_INLINE_INFERENCE_US'], 'inline-inference-us', 100, 0, 10_000),
    maxPredictRows: 10_000,
    monitoringNice: intOf(env['FERRY_MONITORING_NICE'], 'monitoring-nice', 0, 0, 19),
    // A per-user lock lets anyone delay that user; the per-address budget bounds how many users one address can
    // lock (two per window with these defaults), and the per-user limit stays well above a few typos.
    authMaxFailuresPerIp: intOf(flags.authMaxFailuresPerIp ?? env['FERRY_AUTH_MAX_FAILURES_PER_IP'], 'auth-max-failures-per-ip', 20, 0, 1_000_000),
    authMaxFailuresPerUser: intOf(flags.authMaxFailuresPerUser ?? env['FERRY_AUTH_MAX_FAILURES_PER_USER'], 'auth-max-failures-per-user', 10, 0, 1_000_000),
    authFailureWindowSeconds: intOf(env['FERRY_AUTH_FAILURE_WINDOW_S'], 'auth-failure-window-s', 600, 1, 86_400),
    ...tlsFiles(flags, env),
  });
}
