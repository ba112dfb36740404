/**
 * The Kubernetes executor: a job is a batch/v1 Job named by its handle (`job-<32 hex>`, `…-aN` for retries), its
 * environment in a Secret the Job owns. The cluster holds all state, so a restarted server re-attaches by name, and
 * a repeated submit finds the Job already there (409) instead of starting it twice. Finished Jobs go away after
 * ttlSecondsAfterFinished, their Secret and pods with them.
 */
import { BatchV1Api, CoreV1Api, KubeConfig, type V1Job, type V1Pod } from '@kubernetes/client-node';
import type { ExecutorSettings } from '../executor-settings.js';
import { type ExecutionRequest, type ExecutionStatus, type Executor, ExecutorError, type LogSlice } from './executor.js';
import { kubeError, statusCode, withTimeout } from './kubernetes-errors.js';
import { CONTAINER, type JobManifestOptions, jobManifest, ownerOf, secretManifest, secretName } from './kubernetes-manifests.js';

export interface KubernetesExecutorOptions extends JobManifestOptions {
  server: string;
  token?: string | undefined;
  /** PEM of the API server's CA (else the system's CAs). */
  caCert?: string | undefined;
  insecureSkipTlsVerify?: boolean;
  /** Most log bytes handed over per call. */
  maxLogSlice?: number;
  /** Longest wait for one API call. */
  callTimeoutMs?: number;
}

/** A handle is a Job name Ferry made: a DNS label, never a path. */
const HANDLE = /^job-[0-9a-f]{32}(-a[0-9]{1,2})?$/;

export function kubernetesExecutor(s: ExecutorSettings, token: string | undefined): KubernetesExecutor {
  if (!s.server || !s.image) throw new ExecutorError("A kubernetes executor needs 'server' and 'image'.", false);
  return new KubernetesExecutor({
    server: s.server,
    namespace: s.namespace ?? 'default',
    image: s.image,
    serviceAccount: s.service_account,
    ttlSecondsAfterFinished: s.ttl_seconds_after_finished ?? 3600,
    token,
    caCert: s.ca_cert,
    insecureSkipTlsVerify: s.insecure_skip_tls_verify ?? false,
  });
}

export class KubernetesExecutor implements Executor {
  readonly kind = 'kubernetes' as const;
  private readonly batch: BatchV1Api;
  private readonly core: CoreV1Api;
  /** Handles this process asked to stop: their Job's disappearance is the stop, not a loss. */
  private readonly cancelled = new Set<string>();

  constructor(private readonly o: KubernetesExecutorOptions) {
    if (o.server.startsWith('http:') && !o.insecureSkipTlsVerify)
      throw new ExecutorError(`The API server ${o.server} is plain http: use https, or set insecure_skip_tls_verify (tests only).`, false);
    // Built in code, never from a kubeconfig file: the settings are all there is.
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'ferry',
          server: o.server,
          skipTLSVerify: o.insecureSkipTlsVerify ?? false,
          ...(o.caCert ? { caData: Buffer.from(o.caCert).toString('base64') } : {}),
        },
      ],
      users: [{ name: 'ferry', ...(o.token ? { token: o.token } : {}) }],
      contexts: [{ name: 'ferry', cluster: 'ferry', user: 'ferry', namespace: o.namespace }],
      currentContext: 'ferry',
    });
    this.batch = kc.makeApiClient(BatchV1Api);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(fn(), this.o.callTimeoutMs ?? 30_000, what);
    } catch (err) {
      throw kubeError(err, what, this.o.server);
    }
  }

  /** The call's answer, or null when the object is not there (404). */
  private async maybe<T>(what: string, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await withTimeout(fn(), this.o.callTimeoutMs ?? 30_000, what);
    } catch (err) {
      if (statusCode(err) === 404) return null;
      throw kubeError(err, what, this.o.server);
    }
  }

  private name(handle: string): string {
    if (!HANDLE.test(handle)) throw new ExecutorError(`Not a Kubernetes job handle: '${handle}'.`, false);
    return handle;
  }

  async submit(req: ExecutionRequest): Promise<string> {
    const name = this.name(req.jobId);
    const namespace = this.o.namespace;
    const body = jobManifest(req, this.o);
    let job = await this.maybe(`read job ${name}`, () => this.batch.readNamespacedJob({ name, namespace }));
    // The Secret first, so the pod never waits for it; a repeated submit refreshes its values (a new attempt token).
    await this.putSecret(req, job);
    if (!job) {
      try {
        job = await withTimeout(this.batch.createNamespacedJob({ namespace, body }), this.o.callTimeoutMs ?? 30_000, `create job ${name}`);
      } catch (err) {
        if (statusCode(err) === 409) {
          // Created meanwhile (a retried call whose first answer was lost): the same job.
          job = await this.call(`read job ${name}`, () => this.batch.readNamespacedJob({ name, namespace }));
        } else {
          const e = kubeError(err, `create job ${name}`, this.o.server);
          if (!e.transient) await this.maybe('delete secret', () => this.core.deleteNamespacedSecret({ name: secretName(name), namespace })).catch(() => {});
          throw e;
        }
      }
      await this.putSecret(req, job);
    }
    return name;
  }

  /** Creates or replaces the job's Secret; owned by the Job once there is one. */
  private async putSecret(req: ExecutionRequest, job: V1Job | null): Promise<void> {
    const namespace = this.o.namespace;
    const name = secretName(req.jobId);
    const body = secretManifest(req, this.o, job ? ownerOf(job) : undefined);
    try {
      await withTimeout(this.core.createNamespacedSecret({ namespace, body }), this.o.callTimeoutMs ?? 30_000, `create secret ${name}`);
    } catch (err) {
      if (statusCode(err) !== 409) throw kubeError(err, `create secret ${name}`, this.o.server);
      await this.call(`replace secret ${name}`, () => this.core.replaceNamespacedSecret({ name, namespace, body }));
    }
  }

  private async pods(name: string): Promise<V1Pod[]> {
    const list = await this.call(`list pods of ${name}`, () => this.core.listNamespacedPod({ namespace: this.o.namespace, labelSelector: `job-name=${name}` }));
    // Newest first (backoffLimit 0 makes one, but a pod can be replaced when its node goes away).
    return list.items.sort((a, b) => (b.metadata?.creationTimestamp?.getTime() ?? 0) - (a.metadata?.creationTimestamp?.getTime() ?? 0));
  }

  async status(handle: string): Promise<ExecutionStatus> {
    const name = this.name(handle);
    const job = await this.maybe(`read job ${name}`, () => this.batch.readNamespacedJob({ name, namespace: this.o.namespace }));
    if (!job) {
      if (this.cancelled.has(handle)) return { state: 'stopped', message: 'The Kubernetes Job was deleted on cancel.' };
      return { state: 'lost', message: `The Kubernetes Job ${this.o.namespace}/${name} is gone (deleted, or removed after its TTL).` };
    }
    const cond = (type: string) => job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
    if (cond('Complete')) return { state: 'succeeded', exitCode: 0 };
    const failed = cond('Failed');
    if (failed) return this.failure(name, `${failed.reason ?? 'Failed'}: ${failed.message ?? 'the Job failed'}`);
    if (job.metadata?.deletionTimestamp) {
      // Foreground deletion: the Job stays until its pods are gone.
      if (this.cancelled.has(handle)) return { state: 'running' };
      return { state: 'stopped', message: `The Kubernetes Job ${this.o.namespace}/${name} is being deleted.` };
    }
    if ((job.status?.active ?? 0) > 0) return { state: 'running' };
    return { state: 'pending' };
  }

  /** A failed Job's outcome with its container's exit code and reason, when the pod is still there to tell. */
  private async failure(name: string, jobReason: string): Promise<ExecutionStatus> {
    const pod = (await this.pods(name).catch(() => []))[0];
    const term = pod?.status?.containerStatuses?.find((c) => c.name === CONTAINER)?.state?.terminated;
    if (!term) return { state: 'failed', message: `The Kubernetes Job failed (${jobReason}).` };
    const why = [term.reason, term.message].filter(Boolean).join(': ');
    return {
      state: 'failed',
      exitCode: term.exitCode,
      message: `The command exited with code ${term.exitCode}${why ? ` (${why})` : ''}; the Kubernetes Job failed (${jobReason}).`,
    };
  }

  async logs(handle: string, offset: number): Promise<LogSlice> {
    const name = this.name(handle);
    const max = this.o.maxLogSlice ?? 1024 * 1024;
    const none = { text: '', nextOffset: offset };
    const pod = (await this.pods(name))[0];
    const podName = pod?.metadata?.name;
    if (!podName || pod.status?.phase === 'Pending') return none;
    let text: string;
    try {
      // The API has no byte offset: read up to offset + max bytes and hand over what lies past the offset.
      text = await withTimeout(
        this.core.readNamespacedPodLog({ name: podName, namespace: this.o.namespace, container: CONTAINER, limitBytes: offset + max }),
        this.o.callTimeoutMs ?? 30_000,
        `read the log of ${podName}`,
      );
    } catch (err) {
      // A pod whose log cannot be had (not started, its node gone, no kubelet to serve it) has none yet; the job goes on.
      if (err instanceof ExecutorError || statusCode(err) === null) throw kubeError(err, `read the log of ${podName}`, this.o.server);
      return none;
    }
    // Offsets count the UTF-8 bytes of the text as read; a character cut at the limit comes whole next time.
    let buf = Buffer.from(text, 'utf8');
    if (buf.length >= offset + max - 3) buf = Buffer.from(text.replace(/\uFFFD+$/, ''), 'utf8');
    // Less than the limit came back: that is the whole log the pod has.
    const atEnd = Buffer.byteLength(text, 'utf8') < offset + max;
    if (buf.length <= offset) return { ...none, atEnd };
    const slice = buf.subarray(offset, offset + max);
    return { text: slice.toString('utf8'), nextOffset: offset + slice.length, atEnd: atEnd && offset + slice.length === buf.length };
  }

  async cancel(handle: string): Promise<void> {
    const name = this.name(handle);
    const namespace = this.o.namespace;
    this.cancelled.add(handle);
    // Foreground: the Job goes once its pods have; the Secret goes with it (its owner reference).
    await this.maybe(`delete job ${name}`, () => this.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Foreground' }));
    // A Secret without an owner (its submit never got that far) would outlive the Job: deleted here.
    const secret = await this.maybe(`read secret ${secretName(name)}`, () => this.core.readNamespacedSecret({ name: secretName(name), namespace }));
    if (secret && !secret.metadata?.ownerReferences?.length)
      await this.maybe(`delete secret ${secretName(name)}`, () => this.core.deleteNamespacedSecret({ name: secretName(name), namespace }));
  }

  async close(): Promise<void> {
    this.cancelled.clear();
  }
}
