/**
 * From a registry reference to a warmed-up session: resolve the alias, find the version's files (an MLflow
 * `onnx` flavor folder with its MLmodel, or a plain .onnx), read the bytes from the artifact store and load
 * them. Loaded versions are shared by every deployment route that uses them (reference-counted), so a
 * canary and a shadow of the same version cost one session pool.
 */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { ArtifactStore } from '../../artifacts/index.js';
import { InvalidParameterError, NotFoundError } from '../../errors.js';
import type { RegistryService } from '../../registry/index.js';
import type { ModelRef } from './deployment-spec.js';
import type { ModelResolver } from './deployment-service.js';
import { FEATURES_TAG, parseFeatureList } from './model-upload.js';
import type { ServingMetrics } from '../runtime/serving-metrics.js';
import { type SessionOptions, SessionPool } from '../runtime/session-pool.js';

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Where a version without an onnx flavor gets one: an ONNX model converted from its other flavor (convert's
 * conversions, wired in app.ts). Answers the converted file's store path, waiting for a conversion under way, or
 * refuses naming why (a failed conversion's step and estimator, a flavor that does not convert).
 */
export interface OnnxSource {
  convertedPath(model: string, version: string): Promise<string>;
}

interface Entry {
  pool: Promise<SessionPool>;
  refs: number;
}

export class ModelLoader implements ModelResolver {
  private loaded = new Map<string, Entry>();
  private converted: OnnxSource | null = null;
  /** Versions whose ONNX model came from a conversion (what a deployment's route status reports). */
  private convertedVersions = new Set<string>();

  constructor(
    private readonly registry: RegistryService,
    private readonly artifacts: ArtifactStore,
    private readonly options: SessionOptions,
    private readonly metrics?: ServingMetrics,
  ) {}

  /** Whether the version is served from the ONNX model converted from its own flavor. */
  servesConverted(model: string, version: string): boolean {
    return this.convertedVersions.has(`${model}\0${version}`);
  }

  /** Versions logged without an onnx flavor are served from this source's conversions. */
  convertWith(source: OnnxSource): void {
    this.converted = source;
  }

  async resolve(ref: ModelRef): Promise<{ model: string; version: string }> {
    const v = ref.alias ? await this.registry.versionByAlias(ref.model, ref.alias) : await this.registry.getVersion(ref.model, ref.version!);
    return { model: ref.model, version: v.version };
  }

  /** The store path of the version's .onnx file. */
  private async onnxPath(model: string, version: string): Promise<string> {
    const { artifact_uri, store_path: base } = await this.registry.versionStorage(model, version);
    if (base === null)
      throw new InvalidParameterError(
        'source',
        `Model ${model} version ${version} lives at '${artifact_uri}', which this server does not store; register it from a run or upload it.`,
      );
    if (base.endsWith('.onnx')) return base;
    const files = await this.artifacts.list(base);
    const mlmodel = files.find((f) => posix.basename(f.path) === 'MLmodel');
    if (mlmodel) {
      const text = new TextDecoder().decode(await readAll((await this.artifacts.get(mlmodel.path)).stream));
      // The onnx flavor names its file: `onnx:\n    data: model.onnx`.
      const data = /^\s+data:\s*(\S+\.onnx)\s*$/m.exec(text.slice(text.search(/^\s*onnx:\s*$/m)));
      if ((text.search(/^\s*onnx:\s*$/m) < 0 || !data) && this.converted) {
        const path = await this.converted.convertedPath(model, version);
        this.convertedVersions.add(`${model}\0${version}`);
        return path;
      }
      if (text.search(/^\s*onnx:\s*$/m) < 0 || !data)
        throw new InvalidParameterError('model', `Model ${model} version ${version} has no onnx flavor; Ferry serves ONNX models (mlflow.onnx.log_model).`);
      return `${base}/${data[1]}`;
    }
    const onnx = files.filter((f) => !f.is_dir && f.path.endsWith('.onnx'));
    if (onnx.length === 1) return onnx[0]!.path;
    throw new NotFoundError(`Model ${model} version ${version}: no single .onnx file found at '${artifact_uri}'.`);
  }

  /** The version's ONNX file as bytes (what explanations read a tree ensemble from). */
  async onnxBytes(model: string, version: string): Promise<Uint8Array> {
    return readAll((await this.artifacts.get(await this.onnxPath(model, version))).stream);
  }

  /** A warmed-up pool for the version; call release() once per acquire(). */
  acquire(model: string, version: string): Promise<SessionPool> {
    const key = `${model}\0${version}`;
    let entry = this.loaded.get(key);
    if (!entry) {
      const pool = this.onnxPath(model, version).then(async (path) => {
        // Feature names given at registration (--features) win over the model's own metadata.
        const v = await this.registry.getVersion(model, version);
        const features = parseFeatureList(v.tags.find((t) => t.key === FEATURES_TAG)?.value);
        return SessionPool.load(await readAll((await this.artifacts.get(path)).stream), this.options, features);
      });
      entry = { pool, refs: 0 };
      this.loaded.set(key, entry);
      pool.then(
        (p) => {
          this.metrics?.loaded(model, version, p.loadMs);
          this.metrics?.sessions.inc(p.parallelism);
          this.metrics?.loadedVersions.set(this.loaded.size);
        },
        () => this.loaded.delete(key),
      );
    }
    entry.refs++;
    return entry.pool;
  }

  async release(model: string, version: string): Promise<void> {
    const key = `${model}\0${version}`;
    const entry = this.loaded.get(key);
    if (!entry) return;
    entry.refs--;
    if (entry.refs > 0) return;
    this.loaded.delete(key);
    this.metrics?.loadedVersions.set(this.loaded.size);
    await entry.pool.then(
      (p) => {
        this.metrics?.sessions.dec(p.parallelism);
        return p.release();
      },
      () => {},
    );
  }

  /** Loaded versions and their sessions (for metrics). */
  get loadedCount(): number {
    return this.loaded.size;
  }

  async close(): Promise<void> {
    const all = [...this.loaded.values()];
    this.loaded.clear();
    await Promise.all(
      all.map((e) =>
        e.pool.then(
          (p) => p.release(),
          () => {},
        ),
      ),
    );
  }
}
