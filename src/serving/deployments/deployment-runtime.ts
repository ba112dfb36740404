/**
 * What is live: for each deployment, the applied revision's routes with their warmed sessions and batchers.
 * apply() loads the new revision beside the old one, swaps atomically, then releases the old sessions once
 * their in-flight requests have finished — so updates and rollbacks drop no request.
 */
import { FerryError, InvalidParameterError, NotFoundError } from '../../errors.js';
import { Batcher } from '../runtime/batcher.js';
import type { DeploymentRecord } from './deployment-service.js';
import { type ModelRef, modelRefOf, specJson } from './deployment-spec.js';
import type { ModelLoader } from './model-loader.js';
import type { SessionPool } from '../runtime/session-pool.js';
import type { TensorValue } from '../runtime/tensor.js';
import type { Protocol, ServingMetrics } from '../runtime/serving-metrics.js';
import { featureFlat, outputFlat, type PredictionEvent, type PredictionObserver, type PredictionStatus } from './prediction-events.js';
import { requestId as newRequestId } from './request-id.js';
import { pickRoute } from './traffic.js';

export interface LiveRoute {
  ref: ModelRef;
  model: string;
  version: string;
  weight: number;
  pool: SessionPool;
  batcher: Batcher;
}

interface Live {
  record: DeploymentRecord;
  routes: LiveRoute[];
  shadow: LiveRoute[];
  inflight: number;
  drained: (() => void) | null;
}

export type RouteStatus = { model: string; ref: ModelRef; version?: string; state: 'loading' | 'ready' | 'failed'; reason?: string; converted?: boolean };

export interface InferenceResult {
  outputs: Record<string, TensorValue>;
  route: LiveRoute;
  requestId: string;
  revision: number;
}

type Prepared = { feeds: Record<string, TensorValue>; rows: number };

export interface InferOptions {
  /** The sticky key's value: the same value keeps to the same route. */
  sticky?: string | undefined;
  /** A model version addressed directly (not traffic: no shadows). */
  version?: string | undefined;
  /** The HTTP request's id (X-Request-Id), which the prediction answers and is logged under; default a fresh UUIDv7. */
  requestId?: string | undefined;
  /**
   * False for a redelivered stream message whose prediction is logged already: it is scored and answered again,
   * but not told to the observers (the prediction log and the A/B tests see each request once).
   */
  log?: boolean;
  /** Whether a failure is logged (default yes): a stream consumer that will retry the message logs only its last try. */
  logFailure?: (err: unknown) => boolean;
}
type Outcome = { status: PredictionStatus; prepared?: Prepared; outputs?: Record<string, TensorValue>; error?: string };

/** An A/B test running on a deployment: its id (tagged on the events) and the salt its units are split with. */
export interface Assignment {
  abtestId: string;
  salt: string;
}

/** The A/B test a routed request was counted in: its unit, and the field that unit came from. */
interface Exposure {
  abtest: string;
  unit: string;
  unitField?: string;
}

/** What reconcile compares: the record's identity and its spec as stored. */
interface Applied {
  revision: number;
  created_at: number;
  spec: string;
}

const appliedOf = (r: DeploymentRecord): Applied => ({ revision: r.revision, created_at: r.created_at, spec: JSON.stringify(specJson(r.spec)) });

/** How long a candidate activated here waits to be recorded before reconcile puts the store's record back. */
const RECORDING_GRACE_MS = 30_000;

export class DeploymentRuntime {
  private live = new Map<string, Live>();
  private status = new Map<string, { revision: number; routes: RouteStatus[] }>();
  /** Serialises apply() per deployment, so two quick updates cannot interleave their swaps. */
  private applying = new Map<string, Promise<unknown>>();
  /** Who is told of every request served and every shadow result (the prediction log, the A/B tests' exposures). */
  private observers: PredictionObserver[] = [];
  /** Per deployment, the A/B test it runs (kept apart from revisions: a new revision keeps the test). */
  private assignments = new Map<string, Assignment>();
  /** Per deployment, the record last applied here (what reconcile compares with the store). */
  private applied = new Map<string, Applied>();
  /**
   * Deployments whose candidate this replica activated and is about to record (until `recorded`, or a while, in
   * case the write failed): reconcile leaves them alone meanwhile, then makes them match the store again.
   */
  private recording = new Map<string, number>();
  /** Deployments with a candidate being activated here (not yet in the store): reconcile leaves them alone. */
  private activating = new Map<string, number>();

  constructor(
    private readonly loader: ModelLoader,
    /** The first observer (the prediction log); more with addObserver. */
    observer?: PredictionObserver,
    private readonly metrics?: ServingMetrics,
  ) {
    if (observer) this.observers.push(observer);
  }

  addObserver(o: PredictionObserver): void {
    this.observers.push(o);
  }

  /**
   * Assigns an A/B test to a deployment (null: none). While set, routed requests are split by the test's salt
   * and their events carry the test's id and unit. A deployment runs one test at a time; the caller (the A/B
   * tests service) decides which.
   */
  setAssignment(deployment: string, a: Assignment | null): boolean {
    const before = this.assignments.get(deployment);
    if (a) this.assignments.set(deployment, { abtestId: a.abtestId, salt: a.salt });
    else this.assignments.delete(deployment);
    // Whether anything changed (replicas tell each other only about changes).
    return before?.abtestId !== a?.abtestId || before?.salt !== a?.salt;
  }

  /** The A/B test a deployment runs here (its id), if any. */
  assignmentOf(deployment: string): string | null {
    return this.assignments.get(deployment)?.abtestId ?? null;
  }

  apply(record: DeploymentRecord): Promise<void> {
    const prev = this.applying.get(record.name) ?? Promise.resolve();
    const next = prev.then(
      () => this.doApply(record),
      () => this.doApply(record),
    );
    this.applying.set(record.name, next);
    return next;
  }

  /**
   * Applies a candidate revision and refuses it (400 naming the route) when a main route's model does not
   * load; the previous revision keeps serving.
   */
  async activate(record: DeploymentRecord): Promise<void> {
    this.activating.set(record.name, (this.activating.get(record.name) ?? 0) + 1);
    try {
      await this.activateCandidate(record);
      this.recording.set(record.name, Date.now() + RECORDING_GRACE_MS);
    } finally {
      const n = (this.activating.get(record.name) ?? 1) - 1;
      if (n > 0) this.activating.set(record.name, n);
      else this.activating.delete(record.name);
    }
  }

  private async activateCandidate(record: DeploymentRecord): Promise<void> {
    await this.apply(record);
    const routes = this.status.get(record.name)?.routes ?? [];
    const failed = routes.findIndex((r, i) => i < record.spec.routes.length && r.state === 'failed');
    if (failed >= 0) {
      const r = routes[failed]!;
      // Keep the status of what serves, not of the refused candidate.
      const live = this.live.get(record.name);
      if (live) {
        this.status.set(record.name, { revision: live.record.revision, routes: this.readyStatus(live) });
        this.applied.set(record.name, appliedOf(live.record));
      } else {
        this.status.delete(record.name);
        this.applied.delete(record.name);
      }
      throw new InvalidParameterError(
        `routes[${failed}]`,
        `Model ${r.model} ${r.ref.alias ? `@${r.ref.alias}` : `version ${r.ref.version}`} cannot be served: ${r.reason}`,
      );
    }
  }

  private readyStatus(live: Live): RouteStatus[] {
    return [...live.routes, ...live.shadow].map((r) => ({ model: r.model, ref: r.ref, version: r.version, state: 'ready' as const, ...this.converted(r) }));
  }

  /** A route served from a converted ONNX model says so (the deploy's answer reports the conversion). */
  private converted(r: { model: string; version: string }): { converted?: true } {
    return this.loader.servesConverted(r.model, r.version) ? { converted: true } : {};
  }

  private async loadRoute(ref: ModelRef, weight: number, record: DeploymentRecord): Promise<LiveRoute> {
    const { model, version } = await this.loader.resolve(ref);
    const pool = await this.loader.acquire(model, version);
    const observer = this.metrics?.batchObserver(record.name, version);
    return { ref, model, version, weight, pool, batcher: new Batcher(pool, record.spec.batching, pool.parallelism, observer) };
  }

  private async doApply(record: DeploymentRecord): Promise<void> {
    const refs = [...record.spec.routes.map((r) => ({ ref: modelRefOf(r), weight: r.weight })), ...record.spec.shadow.map((r) => ({ ref: r, weight: 0 }))];
    this.status.set(record.name, { revision: record.revision, routes: refs.map(({ ref }) => ({ model: ref.model, ref, state: 'loading' })) });
    this.applied.set(record.name, appliedOf(record));
    const results = await Promise.allSettled(refs.map(({ ref, weight }) => this.loadRoute(ref, weight, record)));
    const routes: RouteStatus[] = results.map((r, i) =>
      r.status === 'fulfilled'
        ? { model: r.value.model, ref: refs[i]!.ref, version: r.value.version, state: 'ready', ...this.converted(r.value) }
        : { model: refs[i]!.ref.model, ref: refs[i]!.ref, state: 'failed', reason: (r.reason as Error).message },
    );
    this.status.set(record.name, { revision: record.revision, routes });
    const loaded = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (results.slice(0, record.spec.routes.length).some((r) => r.status === 'rejected')) {
      // A revision with a failed main route never takes traffic; the previous one keeps serving.
      await Promise.all(loaded.map((l) => this.loader.release(l.model, l.version)));
      return;
    }
    const n = record.spec.routes.length;
    const next: Live = {
      record,
      routes: loaded.slice(0, n),
      shadow: results.slice(n).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
      inflight: 0,
      drained: null,
    };
    const old = this.live.get(record.name);
    this.live.set(record.name, next); // the atomic switch: new requests now see the new revision
    if (old) await this.retire(old);
  }

  private async retire(old: Live): Promise<void> {
    if (old.inflight > 0) await new Promise<void>((resolve) => (old.drained = resolve));
    await Promise.all([...old.routes, ...old.shadow].map((r) => this.loader.release(r.model, r.version)));
  }

  /** The candidate activated here was recorded (or refused): reconcile may compare it with the store again. */
  recorded(name: string): void {
    this.recording.delete(name);
  }

  /** Removes a deployment; serialised with apply(), so a load in progress cannot go live after it. */
  remove(name: string): Promise<void> {
    const prev = this.applying.get(name) ?? Promise.resolve();
    const next = prev.then(
      () => this.doRemove(name),
      () => this.doRemove(name),
    );
    this.applying.set(name, next);
    return next;
  }

  private async doRemove(name: string): Promise<void> {
    const old = this.live.get(name);
    this.live.delete(name);
    this.status.delete(name);
    this.applied.delete(name);
    // A deployment created again under the name is not in the old one's test.
    this.assignments.delete(name);
    if (old) await this.retire(old);
  }

  /**
   * Makes what is live match the store's records (another replica changed them): a record whose revision this
   * replica has not applied is applied, a deployment no longer recorded is removed. Returns what it did.
   */
  async reconcile(records: readonly DeploymentRecord[]): Promise<{ applied: string[]; removed: string[] }> {
    const applied: string[] = [];
    const removed: string[] = [];
    const names = new Set(records.map((r) => r.name));
    for (const r of records) if ((await this.reconcileOne(r.name, r)) === 'applied') applied.push(r.name);
    for (const name of new Set([...this.applied.keys(), ...this.live.keys()]))
      if (!names.has(name) && (await this.reconcileOne(name, null)) === 'removed') removed.push(name);
    return { applied, removed };
  }

  /** One deployment's record in the store (null: gone) against what is live here. */
  async reconcileOne(name: string, record: DeploymentRecord | null): Promise<'applied' | 'removed' | 'unchanged'> {
    if (this.activating.has(name)) return 'unchanged';
    const until = this.recording.get(name);
    if (until !== undefined && until > Date.now()) return 'unchanged';
    this.recording.delete(name);
    const a = this.applied.get(name);
    if (!record) {
      if (!a && !this.live.has(name) && !this.applying.has(name)) return 'unchanged';
      await this.remove(name);
      return a || this.live.has(name) ? 'removed' : 'unchanged';
    }
    // The same record as the store's (a candidate activated here but never recorded differs in its spec).
    const want = appliedOf(record);
    if (a && a.created_at === want.created_at && a.revision === want.revision && a.spec === want.spec) return 'unchanged';
    await this.apply(record);
    return 'applied';
  }

  statusOf(name: string) {
    const s = this.status.get(name);
    const live = this.live.get(name);
    return { serving_revision: live?.record.revision ?? null, applied_revision: s?.revision ?? null, routes: s?.routes ?? [] };
  }

  /** The live deployment's route for this request (weighted, or pinned by the sticky value). */
  private liveOf(name: string): Live {
    const live = this.live.get(name);
    if (live) return live;
    if (this.status.has(name)) throw new FerryError('OVERLOADED', `Deployment '${name}' is not ready yet (loading or failed); see its status.`);
    throw new NotFoundError(`Deployment '${name}' does not exist.`);
  }

  /** The sticky key of the live revision (read per request, so from memory, never the store). */
  stickyKey(name: string): string | undefined {
    return this.liveOf(name).record.spec.sticky_key;
  }

  /** Whether the deployment has a live revision (what /v2/models/{name}/ready reports). */
  isReady(name: string): boolean {
    return this.live.has(name);
  }

  /** The live routes (main and shadow), for metadata and version-addressed requests. */
  liveRoutes(name: string): LiveRoute[] {
    const live = this.liveOf(name);
    return [...live.routes, ...live.shadow];
  }

  private enter(name: string, sticky?: string, version?: string): { live: Live; route: LiveRoute; assignment?: Assignment } {
    const live = this.liveOf(name);
    let route: LiveRoute;
    let assignment: Assignment | undefined;
    if (version !== undefined) {
      const match = [...live.routes, ...live.shadow].find((r) => r.version === version);
      if (!match)
        throw new NotFoundError(
          `Deployment '${name}' does not serve model version ${version} (it serves ${[...new Set(live.routes.map((r) => r.version))].join(', ')}).`,
        );
      route = match;
    } else {
      // A request addressed to a version is not traffic: it is in no test.
      assignment = this.assignments.get(name);
      route =
        live.routes[
          pickRoute(
            live.routes.map((r) => r.weight),
            sticky,
            assignment?.salt,
          )
        ]!;
    }
    live.inflight++;
    return assignment ? { live, route, assignment } : { live, route };
  }

  private leave(live: Live): void {
    live.inflight--;
    if (live.inflight === 0 && live.drained) live.drained();
  }

  /**
   * Runs one request: `prepare` turns the body into feeds for the chosen route's signature (so routes with
   * different signatures each get what they expect). Shadows get a copy after the answer is computed.
   */
  async infer(name: string, protocol: Protocol, prepare: (route: LiveRoute) => Prepared, opts: InferOptions = {}): Promise<InferenceResult> {
    const { sticky, version } = opts;
    const { live, route, assignment } = this.enter(name, sticky, version);
    const log = opts.log ?? true;
    // Without the request's id, one clock reading for both: the log finds a request from the time in its id
    // (prediction-log/prediction-batch.ts; an id that does not carry the time is mapped to it there).
    const ts = Date.now();
    const requestId = opts.requestId ?? newRequestId(ts);
    // Without a sticky value the request is its own unit (routed at random, as without a test).
    const stickyKey = live.record.spec.sticky_key;
    const exposure: Exposure | undefined = assignment
      ? sticky !== undefined && stickyKey !== undefined
        ? { abtest: assignment.abtestId, unit: sticky, unitField: stickyKey }
        : { abtest: assignment.abtestId, unit: requestId }
      : undefined;
    const started = performance.now();
    let prepared: Prepared | undefined;
    try {
      prepared = prepare(route);
      const outputs = await route.batcher.submit(prepared.feeds, prepared.rows);
      const seconds = (performance.now() - started) / 1000;
      this.metrics?.observe(name, route.version, protocol, 'ok', seconds);
      if (log) this.emit(live, route, 'main', requestId, ts, seconds, { status: 'ok', prepared, outputs }, exposure);
      // A version-addressed request is a direct call, not traffic: it is not mirrored.
      if (version === undefined && log) for (const s of live.shadow) this.runShadow(live, s, prepare, requestId);
      const written = this.durable();
      if (written) await written;
      return { outputs, route, requestId, revision: live.record.revision };
    } catch (err) {
      const clientError = err instanceof FerryError && err.status < 500;
      this.metrics?.observe(name, route.version, protocol, clientError ? 'client_error' : 'error', 0);
      const seconds = (performance.now() - started) / 1000;
      if (log && (opts.logFailure?.(err) ?? true))
        this.emit(
          live,
          route,
          'main',
          requestId,
          ts,
          seconds,
          {
            status: clientError ? 'client_error' : 'error',
            ...(prepared ? { prepared } : {}),
            error: (err as Error).message,
          },
          exposure,
        );
      const written = this.durable();
      if (written) await written;
      throw err;
    } finally {
      this.leave(live);
    }
  }

  /** Waits for what the observers must finish before an answer (the log's journal write of this tick's events). */
  private durable(): Promise<unknown> | undefined {
    let waits: Promise<void>[] | undefined;
    for (const o of this.observers) {
      const p = o.durable?.();
      if (p) (waits ??= []).push(p);
    }
    return waits === undefined ? undefined : waits.length === 1 ? waits[0] : Promise.all(waits);
  }

  private emit(live: Live, route: LiveRoute, kind: 'main' | 'shadow', requestId: string, ts: number, seconds: number, o: Outcome, exposure?: Exposure): void {
    if (this.observers.length === 0) return;
    const rows = o.prepared?.rows ?? 0;
    const sig = route.pool.signature;
    const event: PredictionEvent = {
      deployment: live.record.name,
      revision: live.record.revision,
      model: route.model,
      modelVersion: route.version,
      route: kind,
      requestId,
      ts,
      latencyUs: Math.round(seconds * 1e6),
      status: o.status,
      ...(o.error !== undefined ? { error: o.error } : {}),
      rows,
      inputFlat: () => (o.prepared ? featureFlat(sig, o.prepared.feeds, rows) : { names: [], values: [] }),
      outputFlat: () => (o.outputs ? outputFlat(o.outputs, rows) : { names: [], widths: [], values: [] }),
      ...(exposure ? { unit: exposure.unit, abtest: exposure.abtest, ...(exposure.unitField !== undefined ? { unitField: exposure.unitField } : {}) } : {}),
    };
    // One observer failing (a bug) must not fail the request nor keep the others from hearing of it.
    for (const obs of this.observers) {
      try {
        obs.prediction(event);
      } catch {
        // observers count and report their own failures
      }
    }
  }

  private runShadow(live: Live, route: LiveRoute, prepare: (route: LiveRoute) => Prepared, requestId: string): void {
    const name = live.record.name;
    const ts = Date.now();
    const started = performance.now();
    const done = (o: Outcome) => {
      this.metrics?.shadows.inc({ deployment: name, model_version: route.version, outcome: o.status === 'ok' ? 'ok' : 'error' });
      this.emit(live, route, 'shadow', requestId, ts, (performance.now() - started) / 1000, o);
    };
    let prepared: Prepared;
    try {
      prepared = prepare(route);
    } catch (err) {
      done({ status: 'client_error', error: (err as Error).message });
      return;
    }
    route.batcher.submit(prepared.feeds, prepared.rows).then(
      (outputs) => done({ status: 'ok', prepared, outputs }),
      (err: unknown) => done({ status: 'error', prepared, error: (err as Error).message }),
    );
  }

  /** Re-resolves alias routes; a deployment whose alias moved is re-applied (same revision, new version). */
  async followAliases(get: (name: string) => Promise<DeploymentRecord>): Promise<void> {
    for (const [name, live] of this.live) {
      const all = [...live.routes, ...live.shadow];
      const moved = await Promise.all(
        all.map(async (r) => r.ref.alias !== undefined && (await this.loader.resolve(r.ref).catch(() => null))?.version !== r.version),
      );
      if (moved.some(Boolean)) await this.apply(await get(name));
    }
  }

  async close(): Promise<void> {
    const names = [...this.live.keys()];
    await Promise.all(names.map((n) => this.remove(n)));
  }
}
