/**
 * bench/lib: the robust-measurement pieces every benchmark shares (rounds, medians, judging targets on the median of
 * enough rounds, core plans, per-thread CPU from /proc). Pure functions on fixed numbers; the /proc reader on a real
 * child process. No timing is asserted.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';

interface Judged {
  value: number;
  met: boolean | null;
  claimed: boolean;
  verdict: string;
  note: string;
}
interface Thread {
  label: string;
  us_per_req: number;
}
interface Lib {
  MIN_ROUNDS: number;
  summarize(xs: number[]): { n: number; median: number; min: number; max: number; q1: number; q3: number };
  withSpread(xs: number[], fmt?: (v: number) => string): string;
  judge(target: string, xs: number[], o: { atLeast?: number; atMost?: number; minRounds?: number }): Judged;
  medianOf(rs: object[]): Record<string, unknown> & { spread: Record<string, [number, number]>; rounds: object[] };
  alternate(rounds: number, subjects: string[], fn: (s: string, r: number) => Promise<void>): Promise<void>;
  parseCpuList(list: string): number[];
  cpuPlan(mode?: string): { cores: number; pinned: boolean; load: string; server: string; serverCores: number };
  pinned(plan: { pinned: boolean } | null, cpus: string, cmd: string, args: string[]): [string, string[]];
  cpuSnapshot(pid: number): unknown;
  cpuDelta(a: unknown, b: unknown): { total_s: number; main_s: number | null; threads: { label: string; cpu_s: number }[] } | null;
  cpuPerRequest(d: unknown, requests: number): { cpu_us_per_req: number; threads: Thread[] } | null;
}

// A path in a variable: the module is plain JavaScript without declarations, typed here by Lib.
const LIB = pathToFileURL(join(resolve(import.meta.dirname, '..'), 'bench', 'lib', 'index.mjs')).href;
const lib = (): Promise<Lib> => import(LIB) as Promise<Lib>;

describe('rounds and medians', () => {
  test('summarize: median, quartiles and range of the finite values', async () => {
    const { summarize } = await lib();
    expect(summarize([5, 1, 3, 2, 4, Number.NaN])).toEqual({ n: 5, median: 3, min: 1, max: 5, q1: 2, q3: 4 });
    expect(summarize([1, 2, 3, 10]).median).toBe(2.5);
    expect(summarize([]).n).toBe(0);
  });

  test('withSpread prints the median, the range and the count', async () => {
    const { withSpread } = await lib();
    expect(withSpread([1, 2, 3, 10, 4], (v) => v.toFixed(1))).toBe('3.0 (1.0–10.0, 5 rounds)');
    expect(withSpread([7])).toBe('7 (1 round)');
    expect(withSpread([])).toBe('-');
  });

  test('judge claims a target only when the median of at least 5 rounds meets it', async () => {
    const { judge, MIN_ROUNDS } = await lib();
    expect(MIN_ROUNDS).toBe(5);
    // One wild round does not decide: the median does.
    const met = judge('ratio', [6, 7, 1, 8, 9], { atLeast: 5 });
    expect([met.value, met.met, met.claimed, met.verdict.trim()]).toEqual([7, true, true, '[MET]']);
    const few = judge('ratio', [6, 7, 8, 9], { atLeast: 5 });
    expect([few.met, few.claimed, few.verdict.trim()]).toEqual([true, false, '[N/A]']);
    expect(few.note).toMatch(/fewer than 5, not claimed/);
    const missed = judge('p99', [0.2, 0.5, 0.6, 0.7, 0.1], { atMost: 1 / 3 });
    expect([missed.value, missed.met, missed.verdict.trim()]).toEqual([0.5, false, '[MISSED]']);
    // A miss on fewer rounds is still a miss; nothing measured is neither.
    expect(judge('x', [9], { atMost: 1 }).verdict.trim()).toBe('[MISSED]');
    expect(judge('x', [], { atMost: 1 }).met).toBeNull();
    expect(judge('x', [Number.NaN], { atMost: 1 }).verdict.trim()).toBe('[N/A]');
  });

  test('medianOf reduces per-round results, nested objects and per-thread lists alike', async () => {
    const { medianOf } = await lib();
    const m = medianOf([
      { rps: 10, name: 'a', raw: { p50: 1 }, threads: [{ label: 'main', us: 5 }] },
      {
        rps: 30,
        name: 'b',
        raw: { p50: 5 },
        threads: [
          { label: 'main', us: 7 },
          { label: 'node.2', us: 1 },
        ],
      },
      { rps: 20, name: 'c', raw: { p50: 2 }, threads: [{ label: 'main', us: 6 }] },
    ]);
    expect(m['rps']).toBe(20);
    expect(m.spread['rps']).toEqual([10, 30]);
    expect(m['name']).toBe('a');
    expect(m.rounds).toHaveLength(3);
    expect((m['raw'] as { p50: number }).p50).toBe(2);
    expect(m['threads']).toEqual([
      { label: 'main', us: 6 },
      { label: 'node.2', us: 1 },
    ]);
  });

  test('alternate reverses the order every other round', async () => {
    const { alternate } = await lib();
    const seen: string[] = [];
    await alternate(3, ['a', 'b', 'c'], async (s, r) => {
      seen.push(`${r}${s}`);
    });
    expect(seen).toEqual(['0a', '0b', '0c', '1c', '1b', '1a', '2a', '2b', '2c']);
  });
});

describe('core plans', () => {
  test('CPU lists, the off plan, and taskset wrapping only when pinned', async () => {
    const { parseCpuList, cpuPlan, pinned } = await lib();
    expect(parseCpuList('0,2-4')).toEqual([0, 2, 3, 4]);
    const off = cpuPlan('off');
    expect(off.pinned).toBe(false);
    expect(pinned(off, off.server, 'node', ['x.mjs'])).toEqual(['node', ['x.mjs']]);
    expect(pinned({ pinned: true }, '1', 'node', ['x.mjs'])).toEqual(['taskset', ['-c', '1', 'node', 'x.mjs']]);
    expect(() => cpuPlan('0')).toThrow(/LOAD:SERVER/);
  });
});

describe('CPU per thread from /proc', () => {
  test.runIf(process.platform === 'linux')('counts a busy child (its own process group) and names its main thread', async () => {
    const { cpuSnapshot, cpuDelta, cpuPerRequest } = await lib();
    // A child that spins until it has used 0.3 s of CPU (its own clock, not a wall-clock bound), then waits on stdin.
    const busy = 'const t=process.cpuUsage();while(process.cpuUsage(t).user<300000);process.stdout.write("done\\n");process.stdin.resume()';
    const child = spawn(process.execPath, ['-e', busy], { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      const pid = child.pid as number;
      const before = cpuSnapshot(pid);
      await new Promise<void>((done) => child.stdout.once('data', () => done()));
      const d = cpuDelta(before, cpuSnapshot(pid));
      expect(d).not.toBeNull();
      expect(d?.total_s).toBeGreaterThan(0);
      expect(d?.main_s).toBeGreaterThan(0);
      expect(d?.threads[0]?.label).toBe('node/main');
      const per = cpuPerRequest(d, 10);
      expect(per?.cpu_us_per_req).toBeCloseTo((1e6 * (d?.total_s ?? 0)) / 10, 6);
      expect(cpuPerRequest(d, 0)).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
