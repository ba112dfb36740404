/**
 * What every client command shares: the SDK client built from --url/--token (else FERRY_URL/FERRY_TOKEN),
 * output helpers (JSON or readable) and how errors read on stderr. Loaded only when a command runs
 * (option parsers are in options.ts).
 */
import type { Command } from 'commander';
import { DurationError, parseDuration } from '../contract/duration.js';
import { FerryApiError, FerryClient, FerryConnectionError } from '../sdk/index.js';

/** The SDK client for this invocation: global --url/--token win over FERRY_URL/FERRY_TOKEN. */
export function clientFor(cmd: Command): FerryClient {
  const opts = cmd.optsWithGlobals<{ url?: string; token?: string }>();
  const url = opts.url || process.env['FERRY_URL'] || undefined;
  const token = opts.token || process.env['FERRY_TOKEN'] || undefined;
  return new FerryClient({ url, token });
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function print(text: string): void {
  process.stdout.write(text);
}

/** A hint for people (stderr, so stdout stays parseable). */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

export function morePagesNote(what: string, nextPageToken: string | undefined): void {
  if (nextPageToken) note(`(more ${what}: repeat with --page-token ${nextPageToken})`);
}

const two = (n: number) => String(n).padStart(2, '0');

/** Epoch ms → local `YYYY-MM-DD HH:MM:SS`; '' for none. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/**
 * A duration flag (`--window 1.5h`, `--since 1h30m`), checked against the API's one grammar (docs/api.md,
 * Durations) before anything is sent, so a typo is refused naming the flag rather than a field of the request.
 */
export function durationFlag(value: string, flag: string, opts: { allowZero?: boolean } = {}): string {
  try {
    parseDuration(value, { field: flag, ...opts });
  } catch (err) {
    throw err instanceof DurationError ? new Error(err.message) : err;
  }
  return value;
}

/** A run's elapsed time for tables (not the API's duration grammar): 1234 → '1.2s', 95000 → '1m35s', 7200000 → '2h0m'. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${Math.floor(s % 60)}s`;
  return `${Math.floor(m / 60)}h${m % 60}m`;
}

/** Metric values: numbers to 6 significant digits; "NaN"/"Infinity" strings as they are. */
export function formatValue(v: number | string): string {
  if (typeof v !== 'number') return v;
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** The one-line message after `ferry: ` for an error, with a hint where one helps. */
export function describeError(err: unknown): string {
  if (err instanceof FerryApiError) {
    if (err.status === 401) return `${err.message} (pass --token or set FERRY_TOKEN)`;
    const fields = err.errors.filter((e) => e.field && !err.message.includes(e.message)).map((e) => `${e.field}: ${e.message}`);
    return fields.length ? `${err.message} (${fields.join('; ')})` : err.message;
  }
  if (err instanceof FerryConnectionError) return `${err.message} (is the server running? set --url or FERRY_URL)`;
  return err instanceof Error ? err.message : String(err);
}
