/**
 * The executors jobs may run on: the built-in `local` one (on unless FERRY_JOBS_LOCAL=0), those of an admin's
 * config file (FERRY_EXECUTORS_FILE, JSON or YAML `{executors: {name: {...}}}`), and those set through the API
 * (which win). Credentials are sealed at rest and never leave through the API; a token can also be named by an
 * environment variable of the server (`token_env`).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { ExecutorInput } from '../contract/jobs.js';
import type { ExecutorInputBody, ExecutorInfo, ExecutorSettings } from './executor-settings.js';
import { InvalidParameterError, InvalidStateError, NotFoundError } from '../errors.js';
import type { Store } from '../store/index.js';
import type { Executor } from './executors/executor.js';
import { createExecutor } from './executors/index.js';
import { durationMs } from './durations.js';
import * as repo from './job-repo.js';
import type { SecretBox } from './secret-box.js';

export type { ExecutorInputBody, ExecutorInfo, ExecutorSettings } from './executor-settings.js';

export interface ExecutorServiceOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}

/** The API's schema checks the config file's entries too. */
const SETTINGS_TTL_MS = 1000;

const checkInput = new Ajv({ strict: false }).compile<ExecutorInputBody>(ExecutorInput);

function defaultLocal(env: NodeJS.ProcessEnv): ExecutorSettings {
  const n = Number(env['FERRY_JOBS_LOCAL_CONCURRENCY'] || 0);
  return {
    name: 'local',
    kind: 'local',
    enabled: env['FERRY_JOBS_LOCAL'] !== '0',
    max_concurrent: Number.isInteger(n) && n > 0 ? n : Math.max(1, Math.floor(availableParallelism() / 2)),
    source: 'builtin',
    updated_at: null,
    updated_by: null,
  };
}

export class ExecutorService {
  private readonly fromFile: ExecutorSettings[];
  private readonly instances = new Map<string, { key: string; executor: Executor }>();
  private readonly env: NodeJS.ProcessEnv;
  private cached: { at: number; list: ExecutorSettings[] } | null = null;

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly opts: ExecutorServiceOptions,
  ) {
    this.env = opts.env ?? process.env;
    this.fromFile = this.readConfigFile();
  }

  private readConfigFile(): ExecutorSettings[] {
    const file = this.env['FERRY_EXECUTORS_FILE'];
    if (!file) return [];
    const doc = parse(readFileSync(file, 'utf8')) as { executors?: Record<string, unknown> } | null;
    const out: ExecutorSettings[] = [];
    for (const [name, raw] of Object.entries(doc?.executors ?? {})) {
      if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) throw new Error(`${file}: executor name '${name}' must be lowercase letters, digits and dashes.`);
      if (!checkInput(raw)) {
        const first = checkInput.errors?.[0];
        throw new Error(`${file}: executor '${name}': ${first ? `${first.instancePath || '/'} ${first.message}` : 'invalid'}`);
      }
      out.push({ ...this.check(name, raw), source: 'config-file', updated_at: null, updated_by: null });
    }
    return out;
  }

  /** Checks what one kind needs; answers the settings with defaults filled. */
  private check(name: string, input: ExecutorInputBody): Omit<ExecutorSettings, 'source' | 'updated_at' | 'updated_by'> {
    if (input.kind === 'ray' && !input.address)
      throw new InvalidParameterError('address', `A ray executor needs 'address', its head's dashboard URL (http://host:8265).`);
    if (input.kind === 'kubernetes') {
      if (!input.server) throw new InvalidParameterError('server', "A kubernetes executor needs 'server', the API server's URL.");
      if (!input.image) throw new InvalidParameterError('image', "A kubernetes executor needs 'image', the container image that runs projects.");
    }
    if (input.kind === 'local' && (input.address || input.server)) throw new InvalidParameterError('kind', 'A local executor takes no address or server.');
    if (input.grace_period !== undefined) durationMs(input.grace_period, 'grace_period');
    for (const field of ['address', 'server', 'tracking_uri'] as const) {
      const v = input[field];
      if (v === undefined) continue;
      try {
        new URL(v);
      } catch {
        throw new InvalidParameterError(field, `'${field}' is not a URL: '${v}'.`);
      }
    }
    return { ...input, name };
  }

  private async rows(): Promise<ExecutorSettings[]> {
    const rows = await repo.listExecutorRows(this.store.db);
    return rows.map((r) => {
      const cfg = JSON.parse(r.config) as ExecutorInputBody;
      const secrets = r.secrets ? (JSON.parse(this.box.open(r.secrets)) as { token?: string }) : {};
      return {
        ...cfg,
        ...(secrets.token ? { token: secrets.token } : {}),
        name: r.name,
        enabled: r.enabled === 1,
        source: 'api',
        updated_at: r.updated_at,
        updated_by: r.updated_by,
      };
    });
  }

  /** Every executor, by name: API settings over the config file's over the built-in local one. */
  async all(): Promise<ExecutorSettings[]> {
    // Read at most once a second: the worker asks for every job it starts and watches. A change made through this
    // server clears it at once; other replicas see it within the second.
    const now = Date.now();
    if (this.cached && now - this.cached.at < SETTINGS_TTL_MS) return this.cached.list;
    const list = await this.load();
    this.cached = { at: now, list };
    return list;
  }

  private async load(): Promise<ExecutorSettings[]> {
    const byName = new Map<string, ExecutorSettings>();
    byName.set('local', defaultLocal(this.env));
    for (const e of this.fromFile) byName.set(e.name, e);
    for (const e of await this.rows()) byName.set(e.name, e);
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async settings(name: string): Promise<ExecutorSettings> {
    const e = (await this.all()).find((x) => x.name === name);
    if (!e) throw new NotFoundError(`No executor '${name}'.`);
    return e;
  }

  view(e: ExecutorSettings): ExecutorInfo {
    const { token, ca_cert, ...rest } = e;
    return {
      ...rest,
      enabled: e.enabled !== false,
      tracking_uri: e.tracking_uri ?? null,
      max_concurrent: this.maxConcurrent(e),
      env_manager: e.env_manager ?? 'local',
      has_ca_cert: Boolean(ca_cert),
      has_token: Boolean(token),
    };
  }

  maxConcurrent(e: ExecutorSettings): number {
    return e.max_concurrent ?? (e.kind === 'local' ? defaultLocal(this.env).max_concurrent! : 100);
  }

  async list(): Promise<ExecutorInfo[]> {
    return (await this.all()).map((e) => this.view(e));
  }

  async get(name: string): Promise<ExecutorInfo> {
    return this.view(await this.settings(name));
  }

  async put(name: string, input: ExecutorInputBody, by: string): Promise<ExecutorInfo> {
    const checked = this.check(name, input);
    const { token, ...config } = checked;
    // A token left out keeps the stored one (so a client can change other settings without knowing it).
    const prior = (await this.rows()).find((r) => r.name === name);
    const keep = token ?? (prior && prior.kind === input.kind ? prior.token : undefined);
    const { name: _n, ...stored } = config;
    await repo.upsertExecutor(this.store.db, {
      name,
      kind: input.kind,
      enabled: input.enabled === false ? 0 : 1,
      config: JSON.stringify(stored),
      secrets: keep ? this.box.seal(JSON.stringify({ token: keep })) : null,
      updated_at: Date.now(),
      updated_by: by,
    });
    this.cached = null;
    return this.get(name);
  }

  async delete(name: string): Promise<ExecutorInfo> {
    const e = await this.settings(name);
    if (e.source !== 'api')
      throw new InvalidStateError(
        `Executor '${name}' comes from ${e.source === 'builtin' ? 'the server itself' : 'the config file'}; turn it off with enabled=false instead.`,
      );
    const unfinished = await repo.unfinishedOn(this.store.db, name);
    if (unfinished > 0) throw new InvalidStateError(`Executor '${name}' has ${unfinished} unfinished job(s); cancel them or wait.`);
    await repo.deleteExecutorRow(this.store.db, name);
    this.cached = null;
    this.instances.delete(name);
    return this.view(e);
  }

  /** The token to present to the cluster: the stored one, or the named environment variable's value. */
  tokenOf(e: ExecutorSettings): string | undefined {
    if (e.token) return e.token;
    if (e.token_env) return this.env[e.token_env] || undefined;
    return undefined;
  }

  /** The running executor for a name, rebuilt when its settings change. */
  async executor(name: string): Promise<{ settings: ExecutorSettings; executor: Executor }> {
    const settings = await this.settings(name);
    const key = JSON.stringify(settings, (k, v: unknown) => (k === 'updated_at' || k === 'updated_by' ? undefined : v));
    const have = this.instances.get(name);
    if (have && have.key === key) return { settings, executor: have.executor };
    await have?.executor.close?.();
    const executor = createExecutor(settings, {
      root: join(this.opts.dataDir, 'jobs'),
      token: this.tokenOf(settings),
      graceMs: settings.grace_period ? durationMs(settings.grace_period, 'grace_period') : 10_000,
    });
    this.instances.set(name, { key, executor });
    return { settings, executor };
  }

  async close(): Promise<void> {
    await Promise.all([...this.instances.values()].map((i) => i.executor.close?.()));
    this.instances.clear();
  }
}
