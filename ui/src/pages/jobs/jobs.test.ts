import { describe, expect, it } from 'vitest';
import { durationCell, isJobState, JOB_STATES, queueWaitMs, relativeTime, runTimeMs, shortJobId, timeline } from './job-format.js';
import { appendLog, atBottom, dropPartialLine, EMPTY_LOG, tailOffset } from './log-buffer.js';

const T0 = 1_700_000_000_000;
const job = (over: Partial<Parameters<typeof queueWaitMs>[0]> = {}) => ({
  state: 'succeeded' as const,
  submitted_at: T0,
  started_at: T0 + 2_000,
  running_at: T0 + 3_000,
  finished_at: T0 + 65_000,
  ...over,
});

describe('job formats', () => {
  it('lists the states in lifecycle order and recognises them', () => {
    expect(JOB_STATES).toEqual(['queued', 'starting', 'running', 'succeeded', 'failed', 'cancelled']);
    expect(isJobState('running')).toBe(true);
    expect(isJobState('toString')).toBe(false);
    expect(isJobState(null)).toBe(false);
  });

  it('shortens job ids', () => {
    expect(shortJobId('job-0123456789abcdef0123456789abcdef')).toBe('job-01234567');
  });

  it('says how long ago', () => {
    expect(relativeTime(T0, T0 + 2_000)).toBe('just now');
    expect(relativeTime(T0, T0 + 45_000)).toBe('45s ago');
    expect(relativeTime(T0, T0 + 12 * 60_000)).toBe('12 min ago');
    expect(relativeTime(T0, T0 + 3 * 3_600_000)).toBe('3 h ago');
    expect(relativeTime(T0, T0 + 5 * 86_400_000)).toBe('5 d ago');
    expect(relativeTime(T0 + 10_000, T0)).toBe('just now');
    expect(relativeTime(null, T0)).toBe('');
  });

  it('measures queue wait and run time of ended, active and never-started jobs', () => {
    expect(queueWaitMs(job(), T0 + 99_000)).toBe(2_000);
    expect(runTimeMs(job(), T0 + 99_000)).toBe(62_000);
    // Running now: run time grows with the clock.
    const running = job({ state: 'running', finished_at: null });
    expect(runTimeMs(running, T0 + 10_000)).toBe(7_000);
    // Still queued: the wait so far, no run time.
    const queued = job({ state: 'queued', started_at: null, running_at: null, finished_at: null });
    expect(queueWaitMs(queued, T0 + 5_000)).toBe(5_000);
    expect(runTimeMs(queued, T0 + 5_000)).toBeNull();
    expect(durationCell(runTimeMs(queued, T0))).toBe('—');
    // Cancelled in the queue: it waited until it was cancelled.
    const dropped = job({ state: 'cancelled', started_at: null, running_at: null, finished_at: T0 + 4_000 });
    expect(queueWaitMs(dropped, T0 + 50_000)).toBe(4_000);
    expect(runTimeMs(dropped, T0 + 50_000)).toBeNull();
    // Failed while starting (never reported running): timed from its start.
    expect(runTimeMs(job({ state: 'failed', running_at: null, finished_at: T0 + 2_500 }), T0)).toBe(500);
    expect(durationCell(62_000)).toBe('1m 02s');
  });

  it('names the last timeline step after the final state', () => {
    expect(timeline(job({ state: 'failed' })).map((s) => s.label)).toEqual(['submitted', 'started', 'running', 'failed']);
    expect(timeline(job({ state: 'running', finished_at: null })).at(-1)).toEqual({ label: 'finished', at: null });
  });
});

describe('log buffer', () => {
  it('appends until the cap, then drops whole lines from the start', () => {
    let b = appendLog(EMPTY_LOG, 'one\ntwo\n', 12);
    expect(b).toEqual({ text: 'one\ntwo\n', dropped: 0 });
    b = appendLog(b, 'three\n', 12);
    expect(b).toEqual({ text: 'two\nthree\n', dropped: 4 });
    b = appendLog(b, 'four\nfive\n', 12);
    expect(b).toEqual({ text: 'four\nfive\n', dropped: 14 });
    expect(b.text.length).toBeLessThanOrEqual(12);
    expect(appendLog(b, '', 12)).toBe(b);
  });

  it('keeps a partial last line and cuts one line longer than the cap', () => {
    const b = appendLog({ text: 'abc\n', dropped: 0 }, 'defghij', 6);
    expect(b).toEqual({ text: 'efghij', dropped: 5 });
    const long = appendLog(EMPTY_LOG, `${'x'.repeat(20)}\n`, 8);
    expect(long.text).toBe(`${'x'.repeat(7)}\n`);
    expect(long.dropped).toBe(13);
  });

  it('stays bounded over many appends', () => {
    let b = EMPTY_LOG;
    for (let i = 0; i < 10_000; i++) b = appendLog(b, `line ${i}\n`, 1000);
    expect(b.text.length).toBeLessThanOrEqual(1000);
    expect(b.text.endsWith('line 9999\n')).toBe(true);
    expect(b.text.startsWith('line ')).toBe(true);
    expect(b.dropped + b.text.length).toBe(Array.from({ length: 10_000 }, (_, i) => `line ${i}\n`).join('').length);
  });

  it('reads only the tail of a long log, from a whole line', () => {
    expect(tailOffset(100, 1000)).toBe(0);
    expect(tailOffset(5000, 1000)).toBe(4000);
    expect(dropPartialLine('ial line\nnext\n')).toEqual({ text: 'next\n', dropped: 9 });
    expect(dropPartialLine('no newline yet')).toEqual({ text: '', dropped: 14 });
  });

  it('follows only when the view is at its end', () => {
    expect(atBottom({ scrollTop: 880, scrollHeight: 1000, clientHeight: 100 })).toBe(true);
    expect(atBottom({ scrollTop: 500, scrollHeight: 1000, clientHeight: 100 })).toBe(false);
    expect(atBottom({ scrollTop: 0, scrollHeight: 50, clientHeight: 100 })).toBe(true);
  });
});
