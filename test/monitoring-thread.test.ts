/**
 * FERRY_MONITORING_NICE puts the monitoring thread at a lower scheduling priority than the request path (the
 * default, 0, keeps them equal). Checked on the real server process: exactly one of its threads gets the nice
 * value, none by default.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startFerry } from './support/ferry-process.js';

/** The nice value of each thread of a process (field 19 of /proc/PID/task/TID/stat). */
function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe.runIf(process.platform === 'linux')('monitoring thread priority', () => {
  it.each<[Record<string, string>, number]>([
    [{}, 0],
    [{ FERRY_MONITORING_NICE: '10' }, 10],
    [{ FERRY_MONITORING_NICE: '19' }, 19],
  ])('with %j, the monitoring thread runs at nice %i and every other thread at 0', async (env, want) => {
    const s = await startFerry({ env });
    try {
      const nices = threadNices(s.pid);
      expect(nices.length).toBeGreaterThan(2);
      expect(nices[0]).toBe(0); // the main thread (task id = pid, listed first)
      expect(nices.filter((n) => n !== 0)).toEqual(want === 0 ? [] : [want]);
    } finally {
      await s.stop();
    }
  });

  it('refuses a nice value outside 0-19 at startup, naming the variable', async () => {
    await expect(startFerry({ env: { FERRY_MONITORING_NICE: '25' } })).rejects.toThrow(/monitoring-nice|FERRY_MONITORING_NICE/);
  });
});
