/**
 * Finds a model version's signature: the tag Ferry wrote at upload; else the MLmodel file next to the
 * model's files (listed first, so a version without one costs no failed request); else the Open Inference
 * Protocol metadata of a deployment serving the version. Each source is one or two requests, tried in order.
 */
import { type Deployment, FerryApiError, type FerryClient, type ModelVersion } from '../../../../src/sdk/index.js';
import { type ModelSignature, signatureFromMlmodel, signatureFromTags, signatureFromV2 } from './signature.js';

const SCHEME = 'mlflow-artifacts:';
const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

export interface SignatureResult {
  signature: ModelSignature | null;
  /** Where it was looked for, in words (shown when nothing was found). */
  looked: string[];
}

/** The proxy's store path of an `mlflow-artifacts:` URI (no `..`), or null. */
export function storePath(uri: string): string | null {
  if (!uri.startsWith(SCHEME)) return null;
  const parts = uri
    .slice(SCHEME.length)
    .split('/')
    .filter((s) => s !== '');
  return parts.some((p) => p === '.' || p === '..') ? null : parts.join('/');
}

/** A deployment whose live routes serve `model` version `version`, if any. */
export function servingDeployment(deployments: readonly Deployment[], model: string, version: string): string | undefined {
  return deployments.find((d) => (d.status?.routes ?? []).some((r) => r.model === model && r.version === version && r.state === 'ready'))?.name;
}

async function fromMlmodel(client: FerryClient, v: ModelVersion): Promise<ModelSignature | null> {
  const { artifact_uri } = await client.http.get<{ artifact_uri: string }>('/api/2.0/mlflow/model-versions/get-download-uri', {
    name: v.name,
    version: v.version,
  });
  const dir = storePath(artifact_uri);
  if (dir === null || dir.endsWith('.onnx')) return null;
  const listing = await client.http.get<{ files?: { path: string; is_dir: boolean }[] }>(PROXY, { path: dir });
  if (!(listing.files ?? []).some((f) => f.path === 'MLmodel' && !f.is_dir)) return null;
  const path = [...dir.split('/'), 'MLmodel'].map(encodeURIComponent).join('/');
  const { text } = await client.http.send('GET', `${PROXY}/${path}`, { accept: '*/*' });
  return signatureFromMlmodel(text);
}

export async function loadSignature(client: FerryClient, v: ModelVersion): Promise<SignatureResult> {
  const looked = ['the ferry.signature tag (written when an .onnx file is uploaded)'];
  const tagged = signatureFromTags(v.tags);
  if (tagged) return { signature: tagged, looked };

  looked.push("the MLmodel file's signature (mlflow.onnx.log_model(..., signature=...))");
  // Files that are gone or unreadable (a 4xx) only mean there is no MLmodel to read; anything else is shown.
  const mlmodel = await fromMlmodel(client, v).catch((err: unknown) => {
    if (err instanceof FerryApiError && err.status >= 400 && err.status < 500) return null;
    throw err;
  });
  if (mlmodel) return { signature: mlmodel, looked };

  looked.push('a deployment serving this version');
  const deployment = servingDeployment(await client.deployments.list(), v.name, v.version);
  if (deployment === undefined) return { signature: null, looked };
  const meta = await client.http.get<unknown>(`/v2/models/${encodeURIComponent(deployment)}/versions/${encodeURIComponent(v.version)}`);
  const served = signatureFromV2(meta);
  return { signature: served ? { ...served, servedBy: deployment } : null, looked };
}
