// Core pinning: the load generator and the server under test on separate cores (taskset), so they stop competing
// for the same ones and every server in a comparison gets the same share of the machine.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

let haveTaskset = null;

/** Whether `taskset` (util-linux) runs here. */
export function tasksetAvailable() {
  haveTaskset ??= spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;
  return haveTaskset;
}

/** "0,2-3" → [0, 2, 3]. */
export function parseCpuList(list) {
  return String(list)
    .split(',')
    .filter(Boolean)
    .flatMap((part) => {
      const [a, b = a] = part.split('-').map(Number);
      return Array.from({ length: b - a + 1 }, (_, i) => a + i);
    });
}

/**
 * The plan for a run: {cores, pinned, load, server, serverCores, why}. With 2+ cores and taskset, the load generator
 * gets core 0 and the server the rest (`load`/`server` are taskset CPU lists; `serverCores` counts the server's). With
 * one core, no taskset or `mode` 'off', nothing is pinned and both share every core. `mode` may also be
 * "LOAD:SERVER" (two taskset lists) to choose the cores.
 */
export function cpuPlan(mode = 'auto') {
  const cores = availableParallelism();
  const all = `0-${cores - 1}`;
  const shared = (why) => ({ cores, pinned: false, load: all, server: all, serverCores: cores, why });
  if (mode === 'off') return shared('pinning off (--pin off)');
  if (!tasksetAvailable()) return shared('no taskset on PATH: client and servers share the cores');
  if (mode !== 'auto') {
    const [load, server] = mode.split(':');
    if (!load || !server) throw new Error(`--pin: expected auto, off or LOAD:SERVER (taskset CPU lists), got ${mode}`);
    return { cores, pinned: true, load, server, serverCores: parseCpuList(server).length, why: `load on CPUs ${load}, servers on ${server}` };
  }
  if (cores < 2) return shared('one core: client and servers share it');
  const server = cores === 2 ? '1' : `1-${cores - 1}`;
  return { cores, pinned: true, load: '0', server, serverCores: cores - 1, why: `load generator on CPU 0, servers on ${server}` };
}

/** [cmd, args] run under `taskset -c cpus` when the plan pins, unchanged otherwise. */
export function pinned(plan, cpus, cmd, args) {
  return plan?.pinned ? ['taskset', ['-c', cpus, cmd, ...args]] : [cmd, args];
}
