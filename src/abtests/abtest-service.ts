/**
 * A/B tests on deployments: create (checked against the deployment), list, start, stop and the report. A
 * running test is assigned to the serving runtime, which splits the deployment's traffic by the test's salt
 * and tags each routed request with its unit; the exposure recorder writes those down, the report reads them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/abtests.js';
import { AlreadyExistsError, InvalidStateError, NotFoundError } from '../errors.js';
import { instantField } from '../fields.js';
import type { AbTestTable, Store } from '../store/index.js';
import { isUniqueViolation } from '../store/index.js';
import * as repo from './abtest-repo.js';
import { type AbTestCreateInput, type AbTestSpec, type DeploymentArms, type MetricPlan, buildSpec, metricPlan, metricPlans } from './abtest-spec.js';
import type { AbTestAggregator } from './aggregator.js';
import { type MetricAggregate, buildReport, historyPoints } from './report.js';
import { exposedByArm, matureMoments } from './report-query.js';

export type AbTestInfo = Static<typeof C.AbTestInfo>;
export type AbTestReport = Static<typeof C.AbTestReport>;

/** What the service needs of serving: the deployment's record, its live routes, and where assignments go. */
export interface ServingPort {
  deployment(
    name: string,
  ): Promise<{ name: string; spec: { routes: { model: string; version?: string; alias?: string; weight: number }[]; sticky_key?: string } }>;
  /** The live main and shadow routes (main first, in the spec's order); throws when the deployment is not live. */
  liveRoutes(name: string): { model: string; version: string }[];
  setAssignment(deployment: string, a: { abtestId: string; salt: string } | null): void;
}

export interface AbTestServiceDeps {
  store: Store;
  serving: ServingPort;
  /** Writes buffered exposures (the report counts requests served a moment ago). */
  flushExposures: () => Promise<void>;
  /** Keeps the tests' aggregates; builds those of a test made before they existed. */
  aggregator: AbTestAggregator;
  clock?: () => number;
}

const DEFAULT_POINTS = 30;

function infoOf(row: AbTestTable): AbTestInfo {
  const spec = JSON.parse(row.spec) as AbTestSpec;
  return {
    id: row.abtest_id,
    name: row.name,
    deployment: row.deployment,
    description: spec.description,
    state: row.state as AbTestInfo['state'],
    unit_key: spec.unit_key,
    arms: spec.arms,
    control: spec.control,
    primary_metric: spec.primary_metric,
    guardrails: spec.guardrails,
    settings: spec.settings,
    created_at: Number(row.created_at),
    created_by: row.created_by,
    started_at: row.started_at === null ? null : Number(row.started_at),
    stopped_at: row.stopped_at === null ? null : Number(row.stopped_at),
    stopped_by: row.stopped_by,
    stop_reason: row.stop_reason,
  };
}

export class AbTestService {
  private readonly clock: () => number;
  /** Deployments this service has assigned a test to, and a count of assignment changes (see syncAssignments). */
  private readonly assigned = new Set<string>();
  private changes = 0;

  constructor(private readonly d: AbTestServiceDeps) {
    this.clock = d.clock ?? Date.now;
  }

  private get db() {
    return this.d.store.db;
  }

  /** The deployment's main routes with the versions they serve now (an alias route: the version it loaded). */
  private async deploymentArms(name: string): Promise<DeploymentArms> {
    const rec = await this.d.serving.deployment(name);
    let live: { model: string; version: string }[] | null = null;
    const routes = rec.spec.routes.map((r, i) => {
      if (r.version !== undefined) return { version: r.version, weight: r.weight };
      live ??= (() => {
        try {
          return this.d.serving.liveRoutes(name);
        } catch {
          return [];
        }
      })();
      const l = live[i];
      if (!l || l.model !== r.model)
        throw new InvalidStateError(
          `Deployment '${name}' route ${i} follows alias '${r.alias}', which has not loaded yet; try again once the deployment is ready.`,
        );
      return { version: l.version, weight: r.weight };
    });
    return { name: rec.name, routes, stickyKey: rec.spec.sticky_key ?? null };
  }

  private async row(name: string): Promise<AbTestTable> {
    const row = await repo.getByName(this.db, name);
    if (!row) throw new NotFoundError(`A/B test '${name}' does not exist.`);
    return row;
  }

  async create(input: AbTestCreateInput, by: string): Promise<AbTestInfo> {
    const spec = buildSpec(input, await this.deploymentArms(input.deployment));
    if (await repo.getByName(this.db, input.name)) throw new AlreadyExistsError(`A/B test '${input.name}' already exists.`);
    if (input.start !== false) await this.refuseSecond(input.deployment);
    const row: AbTestTable = {
      abtest_id: randomUUID(),
      name: input.name,
      deployment: input.deployment,
      state: 'draft',
      salt: randomBytes(16).toString('hex'),
      spec: JSON.stringify(spec),
      created_at: this.clock(),
      created_by: by,
      started_at: null,
      stopped_at: null,
      stopped_by: null,
      stop_reason: null,
      aggregated: 1,
    };
    try {
      await repo.insertTest(this.db, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AlreadyExistsError(`A/B test '${input.name}' already exists.`);
      throw err;
    }
    if (input.start === false) return infoOf(row);
    // Refused here (another test runs on the deployment), it stays a draft to start later.
    return this.start(input.name);
  }

  /** A draft's arms still have to be the deployment's versions and split (it may have changed since the test was made). */
  private async checkSplit(row: AbTestTable): Promise<void> {
    const spec = JSON.parse(row.spec) as AbTestSpec;
    const dep = await this.deploymentArms(row.deployment);
    const total = dep.routes.reduce((a, r) => a + r.weight, 0);
    const now = dep.routes.map((r) => ({ version: r.version, weight: (r.weight / total) * 100 }));
    const same = now.length === spec.arms.length && now.every((r) => spec.arms.some((a) => a.version === r.version && Math.abs(a.weight - r.weight) <= 1e-9));
    if (!same)
      throw new InvalidStateError(
        `A/B test '${row.name}' expects ${spec.arms.map((a) => `${a.version}: ${a.weight}%`).join(', ')} but deployment '${row.deployment}' now splits ` +
          `${now.map((r) => `${r.version}: ${r.weight}%`).join(', ')}; create a new test for the new split.`,
      );
  }

  private async refuseSecond(deployment: string): Promise<void> {
    const other = await repo.runningOf(this.db, deployment);
    if (other)
      throw new InvalidStateError(`Deployment '${deployment}' already runs A/B test '${other.name}': stop it first (one running test per deployment).`);
  }

  async list(f: { deployment?: string | undefined; state?: string | undefined }): Promise<AbTestInfo[]> {
    return (await repo.list(this.db, f)).map(infoOf);
  }

  async get(name: string): Promise<AbTestInfo> {
    return infoOf(await this.row(name));
  }

  async start(name: string): Promise<AbTestInfo> {
    const row = await this.row(name);
    if (row.state !== 'draft') throw new InvalidStateError(`A/B test '${name}' is ${row.state}: only a draft can start.`);
    await this.refuseSecond(row.deployment);
    await this.checkSplit(row);
    if (!(await repo.transition(this.db, row.abtest_id, 'draft', { state: 'running', started_at: this.clock() })))
      throw new InvalidStateError(`A/B test '${name}' changed state meanwhile; read it again.`);
    this.assign(row.deployment, { abtestId: row.abtest_id, salt: row.salt });
    return this.get(name);
  }

  async stop(name: string, by: string, reason?: string): Promise<AbTestInfo> {
    const row = await this.row(name);
    if (row.state === 'stopped') throw new InvalidStateError(`A/B test '${name}' is already stopped.`);
    const patch = { state: 'stopped', stopped_at: this.clock(), stopped_by: by, stop_reason: reason ?? null };
    if (!(await repo.transition(this.db, row.abtest_id, row.state, patch)))
      throw new InvalidStateError(`A/B test '${name}' changed state meanwhile; read it again.`);
    if (row.state === 'running') this.assign(row.deployment, null);
    return this.get(name);
  }

  private assign(deployment: string, a: { abtestId: string; salt: string } | null): void {
    this.changes++;
    if (a) this.assigned.add(deployment);
    else this.assigned.delete(deployment);
    this.d.serving.setAssignment(deployment, a);
  }

  /**
   * Makes the runtime's assignments those of the running tests in the store: at server start, and periodically,
   * so a replica learns of a start or stop made on another. A start or stop here while the rows were being read
   * is newer than what they say: that sync is dropped (the next one sees it).
   */
  async syncAssignments(): Promise<number> {
    const since = this.changes;
    const running = await repo.list(this.db, { state: 'running' });
    if (this.changes !== since) return running.length;
    const now = new Set(running.map((r) => r.deployment));
    for (const d of [...this.assigned]) if (!now.has(d)) this.assign(d, null);
    for (const r of running) this.assign(r.deployment, { abtestId: r.abtest_id, salt: r.salt });
    return running.length;
  }

  /** Running tests of a deployment (the alert metric). */
  async running(deployment: string): Promise<string[]> {
    return (await repo.list(this.db, { deployment, state: 'running' })).map((r) => r.name);
  }

  private async aggregate(id: string, plan: MetricPlan, arms: string[], at: number): Promise<MetricAggregate> {
    return { plan, moments: await matureMoments(this.db, id, plan, arms, at) };
  }

  async report(name: string, q: { at?: string | undefined; history?: boolean | undefined; points?: number | undefined } = {}): Promise<AbTestReport> {
    const now = this.clock();
    const at = q.at === undefined ? now : instantField(q.at, 'at', now);
    await this.d.flushExposures();
    const row = await this.row(name);
    const spec = JSON.parse(row.spec) as AbTestSpec;
    if (Number(row.aggregated) !== 1) await this.d.aggregator.build(row.abtest_id, spec);
    const arms = spec.arms.map((a) => a.version);
    const metrics: MetricAggregate[] = [];
    for (const plan of metricPlans(spec)) metrics.push(await this.aggregate(row.abtest_id, plan, arms, at));
    const history: AbTestReport['history'] = [];
    if (q.history && row.started_at !== null) {
      const start = Number(row.started_at);
      const end = Math.max(start, at);
      const points = q.points ?? DEFAULT_POINTS;
      const primary = metricPlan(spec.primary_metric, 'primary');
      for (let k = 0; k < points; k++) {
        const t = Math.round(start + ((end - start) * k) / (points - 1));
        history.push(...historyPoints(t, await this.aggregate(row.abtest_id, primary, arms, t), spec));
      }
    }
    return buildReport({
      abtest: row.name,
      state: row.state as AbTestReport['state'],
      at,
      spec,
      exposed: await exposedByArm(this.db, row.abtest_id, metricPlan(spec.primary_metric, 'primary'), arms, at),
      metrics,
      history,
    });
  }
}
