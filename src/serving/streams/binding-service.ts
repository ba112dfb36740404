/**
 * Stream bindings as records: create, change, delete, list; each change is told to the listeners (this replica's
 * consumers, and the other replicas through the cluster's messages). Credentials are sealed with the server key
 * before they are stored and opened only for a consumer.
 */
import type { Store } from '../../store/index.js';
import { isUniqueViolation } from '../../store/index.js';
import { AlreadyExistsError, NotFoundError } from '../../errors.js';
import * as repo from './binding-repo.js';
import {
  type BindingInput,
  type BindingUpdate,
  type Credentials,
  recordOf,
  rowOf,
  specOf,
  type StreamBindingRecord,
  type StreamBindingSpec,
  updatedSpec,
} from './binding-spec.js';

/** Seals and opens secrets with the server key (the jobs' SecretBox, given by app.ts). */
export interface SecretSealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** A binding with its credentials opened: what a consumer connects with (never answered by the API). */
export interface RunnableBinding extends StreamBindingRecord {
  credentials: Credentials | null;
  /** Set when the stored credentials cannot be opened here (another server key): the binding does not start. */
  credentialsError?: string;
}

export class StreamBindingService {
  private readonly listeners: ((deployment: string, name: string) => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly secrets: SecretSealer,
    /** Throws NotFoundError when the deployment does not exist. */
    private readonly deploymentExists: (name: string) => Promise<void>,
  ) {}

  /** Called after each recorded change of a binding. */
  onChanged(fn: (deployment: string, name: string) => void): void {
    this.listeners.push(fn);
  }

  private changed(deployment: string, name: string): void {
    for (const fn of this.listeners) fn(deployment, name);
  }

  async create(deployment: string, input: BindingInput, by: string): Promise<StreamBindingRecord> {
    await this.deploymentExists(deployment);
    const spec = specOf(deployment, input);
    if (await repo.findBinding(this.store.db, deployment, spec.name)) throw this.exists(deployment, spec.name);
    const now = Date.now();
    const sealed = input.credentials ? this.secrets.seal(JSON.stringify(input.credentials)) : null;
    await repo.insertBinding(this.store.db, rowOf(spec, sealed, by, now, now)).catch((err: unknown) => {
      throw isUniqueViolation(err) ? this.exists(deployment, spec.name) : err;
    });
    this.changed(deployment, spec.name);
    return this.get(deployment, spec.name);
  }

  private exists(deployment: string, name: string): AlreadyExistsError {
    return new AlreadyExistsError(`Deployment '${deployment}' already has a stream binding '${name}'.`);
  }

  async update(deployment: string, name: string, u: BindingUpdate): Promise<StreamBindingRecord> {
    const row = await this.row(deployment, name);
    const spec = updatedSpec(recordOf(row), u);
    const sealed = u.credentials === undefined ? row.credentials : u.credentials === null ? null : this.secrets.seal(JSON.stringify(u.credentials));
    // Who changed it is in the audit log.
    await repo.updateBinding(this.store.db, rowOf(spec, sealed, row.created_by, Number(row.created_at), Date.now()));
    this.changed(deployment, name);
    return this.get(deployment, name);
  }

  async delete(deployment: string, name: string): Promise<void> {
    const r = await repo.deleteBinding(this.store.db, deployment, name);
    if (Number(r.numDeletedRows) === 0) throw this.missing(deployment, name);
    this.changed(deployment, name);
  }

  private missing(deployment: string, name: string): NotFoundError {
    return new NotFoundError(`Deployment '${deployment}' has no stream binding '${name}'.`);
  }

  private async row(deployment: string, name: string) {
    const row = await repo.findBinding(this.store.db, deployment, name);
    if (!row) {
      await this.deploymentExists(deployment);
      throw this.missing(deployment, name);
    }
    return row;
  }

  async get(deployment: string, name: string): Promise<StreamBindingRecord> {
    return recordOf(await this.row(deployment, name));
  }

  async list(deployment: string): Promise<StreamBindingRecord[]> {
    await this.deploymentExists(deployment);
    return (await repo.listBindings(this.store.db, deployment)).map(recordOf);
  }

  /** Every binding with its credentials opened, for this replica's consumers. */
  async runnable(deployment?: string, name?: string): Promise<RunnableBinding[]> {
    const rows =
      name !== undefined && deployment !== undefined
        ? [await repo.findBinding(this.store.db, deployment, name)].filter((r) => r !== undefined)
        : await repo.listBindings(this.store.db, deployment);
    return rows.map((r) => {
      if (!r.credentials) return { ...recordOf(r), credentials: null };
      try {
        return { ...recordOf(r), credentials: JSON.parse(this.secrets.open(r.credentials)) as Credentials };
      } catch {
        // Sealed with another key: this binding cannot run here; the others still do.
        return {
          ...recordOf(r),
          credentials: null,
          credentialsError: "The binding's credentials cannot be opened with this server's key: every replica needs the same FERRY_SECRET_KEY.",
        };
      }
    });
  }
}

export type { StreamBindingSpec };
