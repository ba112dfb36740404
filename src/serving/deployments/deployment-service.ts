/**
 * Deployments as records: create, change (each change a numbered revision), roll back (a new revision that
 * copies an earlier one, so history stays linear), delete. The serving runtime applies the current revision.
 */
import type { Store } from '../../store/index.js';
import { isUniqueViolation } from '../../store/index.js';
import { AlreadyExistsError, InvalidParameterError, NotFoundError } from '../../errors.js';
import * as repo from './deployment-repo.js';
import { type DeploymentSpec, type DeploymentSpecInput, type ModelRef, parseDeploymentSpec, specJson } from './deployment-spec.js';

/** Checks a model reference against the registry and returns the version it means now. */
export interface ModelResolver {
  resolve(ref: ModelRef): Promise<{ model: string; version: string }>;
}

export interface DeploymentRecord {
  name: string;
  revision: number;
  spec: DeploymentSpec;
  created_at: number;
  updated_at: number;
  created_by: string;
}

/** Applied to a candidate revision before it is recorded: a revision whose models do not load is refused. */
export type Activate = (candidate: DeploymentRecord) => Promise<void>;

const noActivate: Activate = async () => {};

/** A revision's spec as stored: written by specJson, so it has the input's shape (with the defaults filled in). */
function storedSpec(text: string): DeploymentSpec {
  return parseDeploymentSpec(JSON.parse(text) as DeploymentSpecInput);
}

export class DeploymentService {
  private readonly changeListeners: ((name: string) => void)[] = [];
  /**
   * Changes of one deployment made here run one at a time, activation and write together: two concurrent updates
   * would otherwise go live in one order and be recorded in the other, leaving this replica serving the older.
   */
  private readonly busy = new Map<string, Promise<unknown>>();

  private serially<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.busy.get(name) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => {});
    this.busy.set(name, settled);
    void settled.then(() => {
      if (this.busy.get(name) === settled) this.busy.delete(name);
    });
    return next;
  }

  /** Called after each recorded change (create, update, rollback, delete): replicas are told from here. */
  onChanged(fn: (name: string) => void): void {
    this.changeListeners.push(fn);
  }

  private changed(name: string): void {
    for (const fn of this.changeListeners) fn(name);
  }

  constructor(
    private readonly store: Store,
    private readonly resolver: ModelResolver,
  ) {}

  private async validate(spec: DeploymentSpec): Promise<void> {
    for (const [i, r] of [...spec.routes, ...spec.shadow].entries()) {
      await this.resolver.resolve(r).catch((err: unknown) => {
        const where = i < spec.routes.length ? `routes[${i}]` : `shadow[${i - spec.routes.length}]`;
        throw new InvalidParameterError(where, `${where}: ${(err as Error).message}`);
      });
    }
  }

  private candidate(name: string, revision: number, spec: DeploymentSpec, by: string, createdAt: number): DeploymentRecord {
    return { name, revision, spec, created_at: createdAt, updated_at: Date.now(), created_by: by };
  }

  /** `name` and the input's shape are checked by the contract (a URL-safe name; bounds and lengths). */
  async create(name: string, input: DeploymentSpecInput, by: string, activate: Activate = noActivate): Promise<DeploymentRecord> {
    return this.serially(name, async () => {
      const spec = parseDeploymentSpec(input);
      await this.validate(spec);
      if (await repo.findDeployment(this.store.db, name)) throw new AlreadyExistsError(`Deployment '${name}' already exists.`);
      const now = Date.now();
      await activate(this.candidate(name, 1, spec, by, now));
      await this.store.db
        .transaction()
        .execute(async (trx) => {
          if (await repo.findDeployment(trx, name)) throw new AlreadyExistsError(`Deployment '${name}' already exists.`);
          await repo.insertDeployment(trx, name, by, now);
          await repo.addRevision(trx, name, JSON.stringify(specJson(spec)), by, 'created', now);
        })
        .catch((err: unknown) => {
          throw isUniqueViolation(err) ? new AlreadyExistsError(`Deployment '${name}' already exists.`) : err;
        });
      this.changed(name);
      return this.get(name);
    });
  }

  async update(name: string, input: DeploymentSpecInput, by: string, activate: Activate = noActivate): Promise<DeploymentRecord> {
    return this.serially(name, async () => {
      const current = await this.get(name);
      const spec = parseDeploymentSpec(input);
      await this.validate(spec);
      await activate(this.candidate(name, current.revision + 1, spec, current.created_by, current.created_at));
      const comment = 'updated';
      await this.store.db.transaction().execute((trx) => repo.addRevision(trx, name, JSON.stringify(specJson(spec)), by, comment, Date.now()));
      this.changed(name);
      return this.get(name);
    });
  }

  async rollback(name: string, toRevision: number, by: string, activate: Activate = noActivate): Promise<DeploymentRecord> {
    return this.serially(name, async () => {
      const current = await this.get(name);
      const old = await repo.findRevision(this.store.db, name, toRevision);
      if (!old) throw new NotFoundError(`Deployment '${name}' has no revision ${toRevision}.`);
      const spec = storedSpec(old.spec);
      await this.validate(spec);
      await activate(this.candidate(name, current.revision + 1, spec, current.created_by, current.created_at));
      await this.store.db.transaction().execute((trx) => repo.addRevision(trx, name, old.spec, by, `rollback to revision ${toRevision}`, Date.now()));
      this.changed(name);
      return this.get(name);
    });
  }

  async get(name: string): Promise<DeploymentRecord> {
    const d = await repo.findDeployment(this.store.db, name);
    if (!d) throw new NotFoundError(`Deployment '${name}' does not exist.`);
    const rev = await repo.findRevision(this.store.db, name, d.current_revision);
    return { name, revision: d.current_revision, spec: storedSpec(rev!.spec), created_at: d.created_at, updated_at: d.updated_at, created_by: d.created_by };
  }

  async list(): Promise<DeploymentRecord[]> {
    const rows = await repo.listDeployments(this.store.db);
    return Promise.all(rows.map((r) => this.get(r.name)));
  }

  async revisions(name: string) {
    await this.get(name);
    const rows = await repo.listRevisions(this.store.db, name);
    return rows.map((r) => ({
      revision: r.revision,
      spec: specJson(storedSpec(r.spec)),
      created_at: r.created_at,
      created_by: r.created_by,
      comment: r.comment,
    }));
  }

  async delete(name: string): Promise<void> {
    return this.serially(name, async () => {
      await this.get(name);
      await this.store.db.transaction().execute((trx) => repo.deleteDeployment(trx, name));
      this.changed(name);
    });
  }
}
