/**
 * Failed sign-ins counted per client address and per username, so passwords cannot be guessed at speed. A caller
 * past either limit is refused before its credential is checked (scrypt is not a CPU oracle to hammer) until the
 * window that counted its failures ends. In memory, per replica: N replicas allow up to N× the limit.
 */

export interface SignInLimits {
  /** Failures one address may have within the window; 0 turns the per-address limit off. */
  readonly maxPerAddress: number;
  /** Failures one username (basic auth) may have within the window; 0 turns the per-user limit off. */
  readonly maxPerUser: number;
  readonly windowMs: number;
  /** Most addresses (and, apart, usernames) remembered; past it the oldest is forgotten, so memory stays bounded. */
  readonly maxEntries?: number;
}

/** Why a caller is refused: which limit, and how long until its window ends. */
export interface SignInLock {
  readonly scope: 'address' | 'user';
  readonly retryAfterSeconds: number;
}

interface Window {
  count: number;
  /** When the first failure of this window happened (ms). */
  start: number;
}

const DEFAULT_MAX_ENTRIES = 100_000;

/** One kind of key (addresses, or usernames): failures per key in fixed windows that begin at the first failure. */
class FailureCounts {
  private readonly windows = new Map<string, Window>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxEntries: number,
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it is not locked. */
  lockedFor(key: string, now: number): number {
    if (this.max === 0) return 0;
    const w = this.windows.get(key);
    if (!w) return 0;
    const left = w.start + this.windowMs - now;
    if (left <= 0) {
      this.windows.delete(key);
      return 0;
    }
    return w.count >= this.max ? left : 0;
  }

  fail(key: string, now: number): void {
    if (this.max === 0) return;
    const w = this.windows.get(key);
    if (w && w.start + this.windowMs > now) {
      w.count++;
      return;
    }
    // A new window goes to the end of the map's order, so the first key is always the one unused the longest.
    this.windows.delete(key);
    this.windows.set(key, { count: 1, start: now });
    while (this.windows.size > this.maxEntries) this.windows.delete(this.windows.keys().next().value as string);
  }

  clear(key: string): void {
    this.windows.delete(key);
  }

  get size(): number {
    return this.windows.size;
  }
}

export class SignInLimiter {
  private readonly addresses: FailureCounts;
  private readonly users: FailureCounts;

  constructor(
    limits: SignInLimits,
    private readonly now: () => number = Date.now,
  ) {
    const cap = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.addresses = new FailureCounts(limits.maxPerAddress, limits.windowMs, cap);
    this.users = new FailureCounts(limits.maxPerUser, limits.windowMs, cap);
  }

  /** The lock that refuses this attempt (the longer one when both apply), or null to go on and check it. */
  check(address: string, username?: string): SignInLock | null {
    const now = this.now();
    const byAddress = this.addresses.lockedFor(address, now);
    const byUser = username === undefined ? 0 : this.users.lockedFor(username, now);
    if (byAddress === 0 && byUser === 0) return null;
    const scope = byAddress >= byUser ? 'address' : 'user';
    return { scope, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(byAddress, byUser) / 1000)) };
  }

  failed(address: string, username?: string): void {
    const now = this.now();
    this.addresses.fail(address, now);
    if (username !== undefined) this.users.fail(username, now);
  }

  /**
   * A user who proved their password starts again from zero. The address keeps its count: otherwise an attacker
   * holding one valid account could reset the per-address budget by signing in between guesses at others.
   */
  succeeded(username?: string): void {
    if (username !== undefined) this.users.clear(username);
  }

  /** How many addresses and usernames are remembered (for tests of the memory bound). */
  get size(): { addresses: number; users: number } {
    return { addresses: this.addresses.size, users: this.users.size };
  }
}
