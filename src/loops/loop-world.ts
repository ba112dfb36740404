/**
 * What a loop acts on, through the other capabilities' public surfaces: the registry (versions, aliases), the
 * deployment (routes, shadows, revisions), jobs, datasets, the prediction log, alerts and A/B tests. One adapter,
 * so the driver's steps read as the loop's story and not as calls into five services.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Principal } from '../api-route.js';
import type { AbTestService } from '../abtests/index.js';
import type { AlertEngine } from '../alerts/index.js';
import { type DatasetService, readTableRows } from '../data/index.js';
import type { JobService } from '../jobs/index.js';
import { inputRowsOf, outputRowsOf, predictionsWithFeedback } from '../prediction-log/index.js';
import type { AliasActor, RegistryService } from '../registry/index.js';
import { type DeploymentRuntime, type DeploymentService, type ModelLoader, type ModelSignature, scoreVersion, versionSignature } from '../serving/index.js';
import type { Store } from '../store/index.js';

export interface LoopWorldDeps {
  store: Store;
  registry: RegistryService;
  deployments: DeploymentService;
  runtime: DeploymentRuntime;
  loader: ModelLoader;
  jobs: JobService;
  datasets: DatasetService;
  alerts: AlertEngine;
  abtests: AbTestService;
  /** Rows a dataset read or a production window may hold (they are scored in memory). */
  maxRows?: number;
}

export type DeploymentRecord = Awaited<ReturnType<DeploymentService['get']>>;
export type DeploymentSpec = DeploymentRecord['spec'];
/** A deployment's spec as a change request takes it (what the loop writes). */
export type DeploymentSpecInput = Parameters<DeploymentService['update']>[1];
export type RouteInput = DeploymentSpecInput['routes'][number];
export type RefInput = { model: string; version?: string | undefined; alias?: string | undefined };

/** The input form of a stored spec: the loop changes routes and shadows and keeps the rest. */
export function specInput(spec: DeploymentSpec): DeploymentSpecInput {
  const ref = (r: RefInput) => (r.version !== undefined ? { model: r.model, version: r.version } : { model: r.model, alias: r.alias! });
  return {
    routes: spec.routes.map((r) => ({ ...ref(r), weight: r.weight })),
    shadow: spec.shadow.map(ref),
    ...(spec.sticky_key ? { sticky_key: spec.sticky_key } : {}),
    batching: { max_batch_size: spec.batching.maxBatchSize, max_queue_delay_ms: spec.batching.maxQueueDelayMs, max_queue_rows: spec.batching.maxQueueRows },
  };
}

/** A labelled row of production traffic: what the model was given, and the truth that came back. */
export interface LabelledRow {
  request_id: string;
  row: number;
  features: Record<string, unknown>;
  truth: unknown;
  kind: string;
  ts: number;
  model_version: string;
}

const DEFAULT_MAX_ROWS = 200_000;

export class LoopWorld {
  readonly maxRows: number;

  constructor(readonly d: LoopWorldDeps) {
    this.maxRows = d.maxRows ?? DEFAULT_MAX_ROWS;
  }

  // ---- registry ----

  async modelExists(name: string): Promise<boolean> {
    return this.d.registry.getModel(name).then(
      () => true,
      () => false,
    );
  }

  async versionExists(model: string, version: string): Promise<boolean> {
    return this.d.registry.getVersion(model, version).then(
      () => true,
      () => false,
    );
  }

  /** Versions of the model, highest first (at most 200). */
  async versions(model: string): Promise<{ version: string; user_id: string; run_id: string | null; creation_timestamp: number }[]> {
    const r = await this.d.registry.searchVersions({
      filter: `name='${model.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
      maxResults: 200,
      orderBy: ['version DESC'],
    });
    return r.model_versions.map((v) => ({
      version: String(v.version),
      user_id: String(v.user_id ?? ''),
      run_id: v.run_id ? String(v.run_id) : null,
      creation_timestamp: Number(v.creation_timestamp),
    }));
  }

  async aliasVersion(model: string, alias: string): Promise<string | null> {
    return this.d.registry.versionByAlias(model, alias).then(
      (v) => String(v.version),
      () => null,
    );
  }

  /** Asks the registry's alias guard (approval gates) first: a refusal is a 403 FerryError. */
  setAlias(model: string, alias: string, version: string, actor: AliasActor): Promise<void> {
    return this.d.registry.setAlias(model, alias, version, actor);
  }

  deleteAlias(model: string, alias: string): Promise<void> {
    return this.d.registry.deleteAlias(model, alias);
  }

  signature(model: string, version: string): Promise<ModelSignature> {
    return versionSignature(this.d.loader, model, version);
  }

  async score(model: string, version: string, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    return (await scoreVersion(this.d.loader, model, version, rows)).outputs;
  }

  // ---- the deployment ----

  deployment(name: string): Promise<DeploymentRecord> {
    return this.d.deployments.get(name);
  }

  async deploymentExists(name: string): Promise<boolean> {
    return this.deployment(name).then(
      () => true,
      () => false,
    );
  }

  /** The version behind a route (by version, or its alias now). */
  async resolve(ref: RefInput): Promise<string> {
    const r = ref.version !== undefined ? { model: ref.model, version: ref.version } : { model: ref.model, alias: ref.alias ?? '' };
    return (await this.d.loader.resolve(r)).version;
  }

  /** The model's version taking the largest share of the deployment's traffic, or null when it serves none. */
  async champion(deployment: string, model: string): Promise<string | null> {
    const d = await this.deployment(deployment);
    const mine = d.spec.routes.filter((r) => r.model === model).sort((a, b) => b.weight - a.weight);
    return mine[0] ? this.resolve(mine[0]) : null;
  }

  updateDeployment(name: string, spec: DeploymentSpecInput, by: string): Promise<DeploymentRecord> {
    return this.d.deployments.update(name, spec, by, (c) => this.d.runtime.activate(c));
  }

  rollbackDeployment(name: string, revision: number, by: string): Promise<DeploymentRecord> {
    return this.d.deployments.rollback(name, revision, by, (c) => this.d.runtime.activate(c));
  }

  revisions(name: string) {
    return this.d.deployments.revisions(name);
  }

  // ---- jobs ----

  submitJob(body: Parameters<JobService['submit']>[0], who: Principal, jobId: string) {
    return this.d.jobs.submit(body, who, { jobId });
  }

  job(jobId: string) {
    return this.d.jobs.get(jobId);
  }

  async cancelJob(jobId: string, who: Principal): Promise<void> {
    await this.d.jobs.cancel(jobId, who).catch(() => {});
  }

  // ---- data ----

  /** A dataset version's rows, read whole (bounded by maxRows). */
  async readDataset(name: string, ref: string | undefined): Promise<{ version: number; rows: Record<string, unknown>[] }> {
    const row = await this.d.datasets.resolve(name, ref, 'dataset');
    const opened = await this.d.datasets.open(name, String(row.version));
    const chunks: Buffer[] = [];
    for await (const c of opened.stream) chunks.push(c as Buffer);
    const table = await readTableRows(Buffer.concat(chunks), { format: opened.format as 'csv', maxRows: this.maxRows });
    return { version: Number(row.version), rows: table.rows };
  }

  async latestDatasetVersion(name: string): Promise<number | null> {
    return this.d.datasets.resolve(name, 'latest').then(
      (r) => Number(r.version),
      () => null,
    );
  }

  /** Pushes rows as JSON Lines: the same rows again give the same version (pushes are content-addressed). */
  async pushDataset(name: string, rows: Record<string, unknown>[], by: string, description: string): Promise<number> {
    const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const pushed = await this.d.datasets.push(name, Readable.from([Buffer.from(text)]), { format: 'jsonl', filename: `${name}.jsonl`, description }, by);
    return Number(pushed.version.version);
  }

  // ---- the prediction log ----

  /** Answered requests of the deployment in [from, to) with label or value feedback: per feedback row, the inputs and the truth. */
  async labelledRows(deployment: string, from: number, to: number): Promise<LabelledRow[]> {
    const joined = await predictionsWithFeedback(this.d.store.db, deployment, from, to, this.maxRows, { inputs: true });
    const out: LabelledRow[] = [];
    for (const j of joined) {
      if (j.kind !== 'label' && j.kind !== 'value') continue;
      const flat = JSON.parse(j.inputs!) as { names: string[]; values: unknown[] };
      const row = inputRowsOf(flat as Parameters<typeof inputRowsOf>[0], j.rows)[j.row];
      if (!row) continue;
      out.push({
        request_id: j.request_id,
        row: j.row,
        features: row,
        truth: JSON.parse(j.value) as unknown,
        kind: j.kind,
        ts: j.ts,
        model_version: j.model_version,
      });
    }
    return out;
  }

  /** How many label or value feedback rows answered the deployment's requests in [from, to) (up to `cap`). */
  async labelCount(deployment: string, from: number, to: number, cap: number): Promise<number> {
    // Outcome feedback is read too and not counted: room for it, so the labels are not cut short.
    const joined = await predictionsWithFeedback(this.d.store.db, deployment, from, to, Math.min(this.maxRows, cap * 4));
    return joined.filter((j) => j.kind === 'label' || j.kind === 'value').length;
  }

  // ---- alerts ----

  /** Firing events of the deployment's rules (one rule, by name or id, if given) after history id `after`, oldest first. */
  async firings(deployment: string, rule: string | undefined, after: number): Promise<{ id: number; rule: string; ts: number; value: number | null }[]> {
    const page = await this.d.alerts.rules.history({ deployment, ...(rule !== undefined ? { rule } : {}), maxResults: 100 });
    return page.events
      .filter((e) => e.event === 'firing' && e.id > after)
      .map((e) => ({ id: e.id, rule: e.rule, ts: e.ts, value: e.value }))
      .reverse();
  }
}

export { outputRowsOf };

/**
 * Whether a labelled production row is kept out of training for the gate: a hash of its request id and row below
 * `share`, so the same rows are held out at every run and on every replica.
 */
export function heldOut(r: { request_id: string; row: number }, share: number): boolean {
  if (share <= 0) return false;
  const h = createHash('sha256').update(`${r.request_id}\0${r.row}`).digest();
  return h.readUInt32BE(0) / 2 ** 32 < share;
}
