/**
 * Registering a plain .onnx file (what `ferry models register model.onnx --name NAME` sends): the bytes are
 * checked — an ONNX model that onnxruntime loads, with tensor outputs — before anything is stored, so a
 * broken or non-ONNX file is refused at registration with a clear 400, never at deploy time.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ArtifactStore } from '../../artifacts/index.js';
import { AlreadyExistsError, InvalidParameterError } from '../../errors.js';
import type { RegistryService } from '../../registry/index.js';
import { SessionPool } from '../runtime/session-pool.js';

export const FEATURES_TAG = 'ferry.features';
export const SIGNATURE_TAG = 'ferry.signature';

export function parseFeatureList(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const names = raw.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new InvalidParameterError('features', "'features' must be comma-separated names with none empty.");
  if (new Set(names).size !== names.length) throw new InvalidParameterError('features', "'features' names must be unique.");
  return names;
}

export async function registerOnnx(
  deps: { registry: RegistryService; artifacts: ArtifactStore; maxBytes: number },
  input: { name: string; bytes: Uint8Array; features?: string[]; description?: string; userId: string },
) {
  // Loading is the real check: it parses the graph, resolves its operators and reads its signature.
  const pool = await SessionPool.load(input.bytes, { workers: 1, intraOpNumThreads: 1 }, input.features);
  const signature = pool.signature;
  await pool.release();
  const path = `registry/${encodeURIComponent(input.name)}/${randomUUID()}/model.onnx`;
  await deps.artifacts.put(path, Readable.from([Buffer.from(input.bytes)]), deps.maxBytes);
  await deps.registry.createModel(input.name, undefined, []).catch((err: unknown) => {
    if (!(err instanceof AlreadyExistsError)) throw err;
  });
  const tags = [{ key: SIGNATURE_TAG, value: JSON.stringify({ inputs: signature.inputs, outputs: signature.outputs, features: signature.features }) }];
  if (input.features) tags.push({ key: FEATURES_TAG, value: input.features.join(',') });
  const version = await deps.registry.createVersion({
    name: input.name,
    source: `mlflow-artifacts:/${path}`,
    ...(input.description ? { description: input.description } : {}),
    tags,
    userId: input.userId,
  });
  return { model_version: version, signature };
}
