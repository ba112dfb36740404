/**
 * Per-deployment monitoring settings: how much of the traffic the prediction log keeps, for how long, what
 * happens to personal data before anything is stored, and the profile window.
 */
import { InvalidParameterError } from '../errors.js';
import type { Static } from '@sinclair/typebox';
import type { MonitoringSettingsInput as SettingsInputSchema } from '../contract/monitoring.js';
import { durationField } from '../fields.js';

export interface MonitoringSettings {
  /** false: the deployment's requests are neither logged nor profiled (monitoring off). */
  enabled: boolean;
  /** Share of requests whose rows are stored (0..1). Profiles see every request regardless. */
  sample_rate: number;
  retention_days: number;
  /** Input fields removed before storage and profiling / replaced by a keyed hash (HMAC-SHA256). */
  pii: { drop: string[]; hash: string[] };
  /** Profile window, e.g. "1h". */
  window: string;
}

export const DEFAULT_SETTINGS: MonitoringSettings = { enabled: true, sample_rate: 1, retention_days: 30, pii: { drop: [], hash: [] }, window: '1h' };

const MIN_WINDOW_MS = 10_000;
const MAX_WINDOW_MS = 7 * 86_400_000;

/** A (partial) settings change as the API takes it: fields left out keep their values. */
export type MonitoringSettingsInput = Static<typeof SettingsInputSchema>;

/** Applies a settings change over the current settings (its shape is the contract's); each refusal names the field. */
export function parseSettings(body: MonitoringSettingsInput, current: MonitoringSettings = DEFAULT_SETTINGS): MonitoringSettings {
  const out: MonitoringSettings = { ...current, pii: { ...current.pii } };
  if (body.enabled !== undefined) out.enabled = body.enabled;
  if (body.sample_rate !== undefined) out.sample_rate = body.sample_rate;
  if (body.retention_days !== undefined) out.retention_days = body.retention_days;
  if (body.pii !== undefined) {
    out.pii = { drop: [...new Set(body.pii.drop ?? [])], hash: [...new Set(body.pii.hash ?? [])] };
    const both = out.pii.drop.filter((f) => out.pii.hash.includes(f));
    if (both.length) throw new InvalidParameterError('pii', `Field '${both[0]}' is both dropped and hashed; choose one.`);
  }
  if (body.window !== undefined) {
    const ms = durationField(body.window, 'window');
    if (ms < MIN_WINDOW_MS || ms > MAX_WINDOW_MS || (86_400_000 % ms !== 0 && ms % 86_400_000 !== 0)) {
      throw new InvalidParameterError('window', "'window' must divide a day or be whole days, from 10s to 7d (e.g. 5m, 15m, 1h, 1d).");
    }
    out.window = body.window;
  }
  return out;
}

export function windowMs(s: MonitoringSettings): number {
  return durationField(s.window, 'window');
}
