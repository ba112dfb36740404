/**
 * Monitoring's in-memory state in one replica: per-deployment settings (cached, reloaded periodically so
 * replicas converge), the PII hash key, and the profiles of the windows this replica is filling. Windows are
 * persisted as this replica's rows (never overwriting another replica's) and evicted once past.
 */
import { randomBytes } from 'node:crypto';
import type { PredictionEvent } from '../serving/index.js';
import type { Store } from '../store/index.js';
import * as repo from './monitoring-repo.js';
import { DEFAULT_SETTINGS, type MonitoringSettings, windowMs } from './monitoring-settings.js';
import { WindowProfile, type WindowProfileJSON } from './window-profile.js';

/** The settings row that holds installation-wide values (a deployment name can never be '*'). */
const GLOBAL = '*';

interface OpenWindow {
  deployment: string;
  version: string;
  start: number;
  span: number;
  profile: WindowProfile;
  /** Opened for an event that came after the window was written and forgotten: merged with that row when written. */
  late: boolean;
}

export class MonitoringState {
  piiKey: Buffer = Buffer.alloc(0);
  /** Run before reading profiles: writes the windows being filled (here, or on the monitoring thread). */
  beforeRead: () => Promise<void> = () => this.persist();
  private settings = new Map<string, MonitoringSettings>();
  /** Counts setSettings calls; changedAt holds each deployment's latest (what a reload in flight must keep). */
  private changes = 0;
  private readonly changedAt = new Map<string, number>();
  private windows = new Map<string, OpenWindow>();
  /** The window the last event fell in (most events of a batch share it: no key to build, no lookup). */
  private last: { window: OpenWindow; settings: MonitoringSettings; end: number } | null = null;

  constructor(
    private readonly store: Store,
    readonly replica: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Loads settings and the PII key (created on first start; the first replica to write it wins). */
  async load(): Promise<void> {
    const db = this.store.db;
    if (!(await repo.getSettings(db, GLOBAL)))
      await repo.putSettingsIfAbsent(db, GLOBAL, JSON.stringify({ pii_hash_key: randomBytes(32).toString('hex') }), this.clock());
    await this.reload();
  }

  async reload(): Promise<void> {
    const since = this.changes;
    const rows = await repo.listSettings(this.store.db);
    const next = new Map<string, MonitoringSettings>();
    for (const r of rows) {
      const parsed = JSON.parse(r.settings) as Record<string, unknown>;
      if (r.deployment === GLOBAL) this.piiKey = Buffer.from(String(parsed['pii_hash_key']), 'hex');
      else next.set(r.deployment, { ...DEFAULT_SETTINGS, ...(parsed as Partial<MonitoringSettings>) });
    }
    // A setting changed here while the rows were being read is newer than what they say (its write may have
    // committed after the read began): keep it, or a just-saved change would be undone until the next reload.
    for (const [deployment, change] of this.changedAt) {
      const current = this.settings.get(deployment);
      if (change <= since) this.changedAt.delete(deployment);
      else if (current) next.set(deployment, current);
    }
    this.settings = next;
  }

  settingsFor(deployment: string): MonitoringSettings {
    return this.settings.get(deployment) ?? DEFAULT_SETTINGS;
  }

  /** Every deployment's settings (what the monitoring thread is told with each batch). */
  settingsSnapshot(): Record<string, MonitoringSettings> {
    return Object.fromEntries(this.settings);
  }

  setSettings(deployment: string, s: MonitoringSettings): void {
    this.settings.set(deployment, s);
    this.changedAt.set(deployment, ++this.changes);
  }

  private windowOf(e: PredictionEvent): WindowProfile {
    const settings = this.settingsFor(e.deployment);
    const last = this.last;
    if (
      last &&
      last.settings === settings &&
      last.window.deployment === e.deployment &&
      last.window.version === e.modelVersion &&
      e.ts >= last.window.start &&
      e.ts < last.end
    ) {
      last.window.profile.dirty = true;
      return last.window.profile;
    }
    const span = windowMs(settings);
    const start = Math.floor(e.ts / span) * span;
    const key = `${e.deployment}\0${e.modelVersion}\0${start}`;
    let w = this.windows.get(key);
    if (!w)
      this.windows.set(
        key,
        (w = { deployment: e.deployment, version: e.modelVersion, start, span, profile: new WindowProfile(), late: this.forgotten(start, span, this.clock()) }),
      );
    this.last = { window: w, settings, end: start + span };
    w.profile.dirty = true;
    return w.profile;
  }

  private countRequest(w: WindowProfile, e: PredictionEvent): void {
    if (e.route !== 'main') return; // shadow results are profiled (their own version) but are not traffic
    w.counts.requests++;
    w.counts.rows += e.rows;
    w.counts[e.status]++;
    if (e.status === 'ok') w.latency.update(e.latencyUs / 1e6);
  }

  /** A request as traffic of its window: counts by status, latency. */
  countTraffic(e: PredictionEvent): void {
    this.countRequest(this.windowOf(e), e);
  }

  /** Answered values (after PII rules), a list per column, into the profile of `e`'s window. */
  profileColumns(e: PredictionEvent, inputs: Record<string, ArrayLike<unknown>>, outputs: Record<string, ArrayLike<unknown>>): void {
    const w = this.windowOf(e);
    w.inputs.updateColumns(inputs);
    w.outputs.updateColumns(outputs);
  }

  /** A request the log had no room for: still counted as traffic, and as dropped. */
  countDropped(e: PredictionEvent): void {
    const w = this.windowOf(e);
    this.countRequest(w, e);
    w.counts.dropped++;
  }

  countSampledOut(e: PredictionEvent): void {
    this.windowOf(e).counts.sampled_out++;
  }

  /** Profiles are whole windows: a range starting inside one includes that window. */
  windowStartOf(deployment: string, t: number): number {
    const span = windowMs(this.settingsFor(deployment));
    return Math.floor(t / span) * span;
  }

  /** Windows that ended before the previous one are forgotten once written. */
  private forgotten(start: number, span: number, now: number): boolean {
    return start + 2 * span < now;
  }

  /** Writes changed windows as this replica's rows; forgets windows that ended before the previous one. */
  async persist(): Promise<void> {
    const now = this.clock();
    for (const [key, w] of this.windows) {
      if (w.profile.dirty) {
        w.profile.dirty = false;
        if (w.late) {
          // What this replica wrote before forgetting the window is part of it.
          w.late = false;
          const rows = await repo.profilesBetween(this.store.db, w.deployment, w.start, w.start + 1, w.version);
          const mine = rows.find((r) => r.replica === this.replica);
          if (mine) w.profile.merge(WindowProfile.fromJSON(JSON.parse(mine.profile) as WindowProfileJSON));
        }
        const row = {
          deployment: w.deployment,
          model_version: w.version,
          window_start: w.start,
          replica: this.replica,
          profile: JSON.stringify(w.profile.toJSON()),
          updated_at: now,
        };
        await repo.upsertProfile(this.store.db, row);
      }
      if (this.forgotten(w.start, w.span, now) && !w.profile.dirty) {
        this.windows.delete(key);
        if (this.last?.window === w) this.last = null;
      }
    }
  }

  /** Every replica's profiles of [from, to), merged per model version (this replica's first persisted). */
  async profiles(deployment: string, from: number, to: number, modelVersion?: string): Promise<Map<string, WindowProfile>> {
    await this.beforeRead();
    const rows = await repo.profilesBetween(this.store.db, deployment, this.windowStartOf(deployment, from), to, modelVersion);
    const byVersion = new Map<string, WindowProfile>();
    for (const r of rows) {
      const p = WindowProfile.fromJSON(JSON.parse(r.profile) as WindowProfileJSON);
      const acc = byVersion.get(r.model_version);
      if (acc) acc.merge(p);
      else byVersion.set(r.model_version, p);
    }
    return byVersion;
  }

  /** Per-window profiles (for charts over time), merged across replicas and versions. */
  async windowSeries(deployment: string, from: number, to: number): Promise<{ start: number; profile: WindowProfile }[]> {
    await this.beforeRead();
    const rows = await repo.profilesBetween(this.store.db, deployment, this.windowStartOf(deployment, from), to);
    const byStart = new Map<number, WindowProfile>();
    for (const r of rows) {
      const p = WindowProfile.fromJSON(JSON.parse(r.profile) as WindowProfileJSON);
      const start = Number(r.window_start);
      const acc = byStart.get(start);
      if (acc) acc.merge(p);
      else byStart.set(start, p);
    }
    return [...byStart].sort((a, b) => a[0] - b[0]).map(([start, profile]) => ({ start, profile }));
  }
}
