/**
 * Notifiers (where grouped alerts are sent) and the admin's destination allow/deny list. A notifier's secret
 * is write-only: stored for signing, never returned (views say has_secret) and never logged.
 */
import { randomUUID } from 'node:crypto';
import { AlreadyExistsError, InvalidParameterError, NotFoundError } from '../errors.js';
import type { Static } from '@sinclair/typebox';
import type { AlertDestinationsInput, NotifierInput, NotifierUpdate } from '../contract/alerts.js';
import { isUniqueViolation, type Store } from '../store/index.js';
import type { Clock } from './alert-service.js';
import { type DestinationPolicy, EMPTY_POLICY, parsePolicy, type Resolver, systemResolver, vetUrl } from './destinations.js';
import * as repo from './notify-repo.js';

/** webhook: Ferry's signed body; slack: Slack's incoming webhook; alertmanager: Prometheus Alertmanager's webhook body. */
export const NOTIFIER_KINDS = ['webhook', 'slack', 'alertmanager'] as const;
export type NotifierKind = (typeof NOTIFIER_KINDS)[number];

export interface NotifierView {
  id: string;
  name: string;
  kind: NotifierKind;
  url: string;
  has_secret: boolean;
  enabled: boolean;
  created_at: number;
  created_by: string;
  updated_at: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MIN_SECRET = 16;
const MAX_SECRET = 512;
const MAX_URL = 2048;
const POLICY_KEY = 'destinations';

export function notifierView(r: repo.NotifierRow): NotifierView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as NotifierKind,
    url: r.url,
    has_secret: r.secret !== null && r.secret !== '',
    enabled: Boolean(r.enabled),
    created_at: Number(r.created_at),
    created_by: r.created_by,
    updated_at: Number(r.updated_at),
  };
}

function secretOf(secret: string | undefined, kind: NotifierKind, required: boolean): string | null | undefined {
  if (secret === undefined) {
    if (required && kind === 'webhook')
      throw new InvalidParameterError('secret', "A webhook notifier needs a 'secret' (the HMAC-SHA256 key receivers verify signatures with).");
    return required ? null : undefined;
  }
  if (secret.length < MIN_SECRET || secret.length > MAX_SECRET)
    throw new InvalidParameterError('secret', `'secret' must be ${MIN_SECRET} to ${MAX_SECRET} characters.`);
  // PostgreSQL text cannot hold NUL; refused on both stores alike.
  if (secret.includes('\0')) throw new InvalidParameterError('secret', "'secret' must not contain NUL characters.");
  return secret;
}

export class NotifierService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock = Date.now,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  async policy(): Promise<DestinationPolicy> {
    const raw = await repo.getSetting(this.store.db, POLICY_KEY);
    return raw ? { ...EMPTY_POLICY, ...(JSON.parse(raw) as DestinationPolicy) } : EMPTY_POLICY;
  }

  async setPolicy(input: Static<typeof AlertDestinationsInput>, by: string): Promise<DestinationPolicy> {
    const p = parsePolicy(input);
    await repo.putSetting(this.store.db, POLICY_KEY, JSON.stringify(p), by, this.now());
    return p;
  }

  private async checkedUrl(raw: unknown): Promise<string> {
    if (typeof raw === 'string' && raw.length > MAX_URL) throw new InvalidParameterError('url', `'url' exceeds ${MAX_URL} characters.`);
    const vetted = await vetUrl(raw, await this.policy(), this.resolve);
    return vetted.url.toString();
  }

  async create(input: Static<typeof NotifierInput>, by: string): Promise<NotifierView> {
    const { name } = input;
    if (!NAME.test(name))
      throw new InvalidParameterError(
        'name',
        name ? `Invalid name '${name}': letters, digits and _ . -, at most 64 characters.` : "Missing value for required parameter 'name'.",
      );
    const kind = input.kind ?? 'webhook';
    if (!NOTIFIER_KINDS.includes(kind)) throw new InvalidParameterError('kind', `Invalid kind '${kind}': use webhook, slack or alertmanager.`);
    const url = await this.checkedUrl(input.url);
    const secret = secretOf(input.secret, kind, true) ?? null;
    const now = this.now();
    const row: repo.NotifierRow = {
      id: randomUUID(),
      name,
      kind,
      url,
      secret,
      enabled: (input.enabled ?? true) ? 1 : 0,
      created_at: now,
      created_by: by,
      updated_at: now,
    };
    if (await repo.findNotifier(this.store.db, name)) throw new AlreadyExistsError(`Notifier '${name}' already exists.`);
    await repo.insertNotifier(this.store.db, row).catch((err: unknown) => {
      throw isUniqueViolation(err) ? new AlreadyExistsError(`Notifier '${name}' already exists.`) : err;
    });
    return notifierView(row);
  }

  private async row(ref: string): Promise<repo.NotifierRow> {
    const r = await repo.findNotifier(this.store.db, ref);
    if (!r) throw new NotFoundError(`Notifier '${ref}' does not exist.`);
    return r;
  }

  async get(ref: string): Promise<NotifierView> {
    return notifierView(await this.row(ref));
  }

  async list(): Promise<NotifierView[]> {
    return (await repo.listNotifiers(this.store.db)).map(notifierView);
  }

  /** Changes url, secret, enabled (name and kind are fixed). A new url is checked against the policy. */
  async update(ref: string, input: Static<typeof NotifierUpdate>): Promise<NotifierView> {
    const current = await this.row(ref);
    const patch: Partial<repo.NotifierRow> = { updated_at: this.now() };
    if (input.url !== undefined) patch.url = await this.checkedUrl(input.url);
    const secret = secretOf(input.secret, current.kind as NotifierKind, false);
    if (secret !== undefined) patch.secret = secret;
    if (input.enabled !== undefined) patch.enabled = input.enabled ? 1 : 0;
    await repo.updateNotifier(this.store.db, current.id, patch);
    return this.get(current.id);
  }

  async delete(ref: string): Promise<void> {
    await repo.deleteNotifier(this.store.db, (await this.row(ref)).id);
  }

  /** Enabled notifiers with their secrets (for sending only; never shaped into a response). */
  enabledWithSecrets(): Promise<repo.NotifierRow[]> {
    return repo.listNotifiers(this.store.db, { enabledOnly: true });
  }
}
