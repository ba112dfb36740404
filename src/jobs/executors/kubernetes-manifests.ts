/**
 * The Kubernetes objects of one job: a Secret `<name>-env` with its environment (the job's token among it, so
 * nothing secret is in the pod spec) and a batch/v1 Job that downloads the project zip, unpacks it and runs the
 * entry point's command. Pure functions: kubernetes-executor.ts sends them.
 */
import type { V1Job, V1OwnerReference, V1ResourceRequirements, V1Secret } from '@kubernetes/client-node';
import { shellQuote } from '../shell-quote.js';
import { type ExecutionRequest, ExecutorError, type JobResources } from './executor.js';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const JOB_ID_LABEL = 'ferry.job-id';
export const CONTAINER = 'job';
/** Where the project is unpacked: an emptyDir, so the image's own file system may be read-only. */
const WORK_DIR = '/ferry';

export interface JobManifestOptions {
  namespace: string;
  image: string;
  serviceAccount?: string | undefined;
  ttlSecondsAfterFinished: number;
}

export function secretName(name: string): string {
  return `${name}-env`;
}

function labels(req: ExecutionRequest): Record<string, string> {
  return { [MANAGED_BY]: 'ferry', [JOB_ID_LABEL]: req.env['FERRY_JOB_ID'] ?? req.jobId };
}

/** The job's environment and the project's signed URL (it grants the download, so it is a secret too). */
export function secretManifest(req: ExecutionRequest, o: JobManifestOptions, owner?: V1OwnerReference): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName(req.jobId), namespace: o.namespace, labels: labels(req), ...(owner ? { ownerReferences: [owner] } : {}) },
    type: 'Opaque',
    stringData: { ...req.env, FERRY_SOURCE_URL: req.sourceUrl },
  };
}

/** The Job as owner of its Secret: deleting the Job (cancel, TTL) deletes the Secret with it. */
export function ownerOf(job: V1Job): V1OwnerReference {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata!.name!, uid: job.metadata!.uid!, controller: true };
}

// Reads the URL from the environment (never from the command line) and unpacks with Python's zipfile,
// which the image has anyway; the canonical zip holds one top folder, project/.
const FETCH_PY = [
  'import io, os, urllib.request, zipfile',
  "with urllib.request.urlopen(os.environ['FERRY_SOURCE_URL'], timeout=300) as r: data = r.read()",
  "zipfile.ZipFile(io.BytesIO(data)).extractall('.')",
].join('\n');

/** The container's script, run in the work dir: fetch and unpack the project, then the command (its parameters already shell-quoted). */
export function jobScript(command: string): string {
  return [
    'set -e',
    'PY=$(command -v python3 || command -v python)',
    'echo "ferry: fetching the project"',
    `"$PY" -c ${shellQuote(FETCH_PY)}`,
    'cd project',
    'unset FERRY_SOURCE_URL',
    'set +e',
    command,
    '',
  ].join('\n');
}

/** Requests and limits from the job's resources: GPUs are an extended resource, which takes whole numbers only. */
export function resourcesOf(r: JobResources): V1ResourceRequirements | undefined {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (r.cpus !== undefined) requests['cpu'] = String(r.cpus);
  if (r.memory_mb !== undefined) requests['memory'] = limits['memory'] = `${r.memory_mb}Mi`;
  if (r.gpus !== undefined && r.gpus > 0) {
    if (!Number.isInteger(r.gpus)) throw new ExecutorError(`Kubernetes schedules whole GPUs only; resources.gpus is ${r.gpus}.`, false);
    limits['nvidia.com/gpu'] = String(r.gpus);
  }
  // No CPU limit: a limit throttles the training process; the request is what scheduling needs.
  if (!Object.keys(requests).length && !Object.keys(limits).length) return undefined;
  return { ...(Object.keys(requests).length ? { requests } : {}), ...(Object.keys(limits).length ? { limits } : {}) };
}

export function jobManifest(req: ExecutionRequest, o: JobManifestOptions): V1Job {
  const resources = resourcesOf(req.resources);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: req.jobId, namespace: o.namespace, labels: labels(req) },
    spec: {
      // Ferry retries (max_attempts) with a new attempt of its own; Kubernetes must not run the code twice.
      backoffLimit: 0,
      ttlSecondsAfterFinished: o.ttlSecondsAfterFinished,
      template: {
        metadata: { labels: labels(req) },
        spec: {
          restartPolicy: 'Never',
          ...(o.serviceAccount
            ? { serviceAccountName: o.serviceAccount }
            : // Training code has no business with the cluster's API unless an account was chosen for it.
              { automountServiceAccountToken: false }),
          containers: [
            {
              name: CONTAINER,
              image: o.image,
              command: ['sh', '-c', jobScript(req.command)],
              workingDir: WORK_DIR,
              envFrom: [{ secretRef: { name: secretName(req.jobId) } }],
              ...(resources ? { resources } : {}),
              volumeMounts: [{ name: 'work', mountPath: WORK_DIR }],
            },
          ],
          volumes: [{ name: 'work', emptyDir: {} }],
        },
      },
    },
  };
}
