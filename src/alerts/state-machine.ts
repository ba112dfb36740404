/**
 * One rule's alert state, stepped once per evaluation (Prometheus semantics, pure, no I/O):
 *   inactive ──condition──► pending ──held for `for`──► firing ──false for `keep_firing_for`──► resolved (inactive)
 * - `for` = 0 goes straight from inactive to firing.
 * - A pending alert whose condition turns false goes back to inactive (event 'inactive'), never firing.
 * - A firing alert whose condition turns false keeps firing until `keep_firing_for` has passed since the first
 *   false evaluation; a true evaluation in between resets that (no flapping resolve/fire pairs).
 * - No data (null) and NaN make the condition false (see conditionHolds).
 */

export type AlertStateName = 'inactive' | 'pending' | 'firing';
export type AlertEvent = 'pending' | 'firing' | 'resolved' | 'inactive';

export interface AlertStateValue {
  state: AlertStateName;
  active_since: number | null;
  firing_since: number | null;
  keep_firing_since: number | null;
  last_value: number | null;
  last_eval_at: number | null;
  resolved_at: number | null;
}

export const INITIAL_STATE: AlertStateValue = {
  state: 'inactive',
  active_since: null,
  firing_since: null,
  keep_firing_since: null,
  last_value: null,
  last_eval_at: null,
  resolved_at: null,
};

export interface Timing {
  for_ms: number;
  keep_firing_for_ms: number;
}

export interface Step {
  next: AlertStateValue;
  /** What happened in this evaluation, if anything. */
  event: AlertEvent | null;
}

export function step(prev: AlertStateValue, timing: Timing, holds: boolean, value: number | null, now: number): Step {
  const base = { ...prev, last_value: value, last_eval_at: now };
  if (holds) {
    switch (prev.state) {
      case 'inactive':
        if (timing.for_ms <= 0) return { next: { ...base, state: 'firing', active_since: now, firing_since: now, keep_firing_since: null }, event: 'firing' };
        return { next: { ...base, state: 'pending', active_since: now, firing_since: null, keep_firing_since: null }, event: 'pending' };
      case 'pending': {
        const since = prev.active_since ?? now;
        if (now - since >= timing.for_ms) return { next: { ...base, state: 'firing', firing_since: now, keep_firing_since: null }, event: 'firing' };
        return { next: base, event: null };
      }
      case 'firing':
        return { next: { ...base, keep_firing_since: null }, event: null };
    }
  }
  switch (prev.state) {
    case 'inactive':
      return { next: base, event: null };
    case 'pending':
      return { next: { ...base, state: 'inactive', active_since: null, firing_since: null, keep_firing_since: null }, event: 'inactive' };
    case 'firing': {
      const since = prev.keep_firing_since ?? now;
      if (timing.keep_firing_for_ms > 0 && now - since < timing.keep_firing_for_ms) return { next: { ...base, keep_firing_since: since }, event: null };
      return { next: { ...base, state: 'inactive', active_since: null, firing_since: null, keep_firing_since: null, resolved_at: now }, event: 'resolved' };
    }
  }
}
