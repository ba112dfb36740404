// CPU time of processes from /proc/<pid>/stat (utime + stime, all threads), for CPU per request: read before and
// after a measured window, the difference divided by the requests answered in it.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** { ppid, seconds } of one process, or null when it is gone. */
function stat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields that follow start after the last ')'.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { ppid: Number(f[1]), seconds: (Number(f[11]) + Number(f[12])) / TICKS };
  } catch {
    return null;
  }
}

/** CPU seconds of one process so far (NaN when it is gone). */
export function cpuSeconds(pid) {
  return stat(pid)?.seconds ?? NaN;
}

/** pid → CPU seconds of `root` and its direct children (PostgreSQL: the postmaster and its backends). */
export function treeSeconds(root) {
  const out = new Map();
  const own = stat(root);
  if (!own) return out;
  out.set(root, own.seconds);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s && s.ppid === root) out.set(Number(name), s.seconds);
  }
  return out;
}

/** CPU seconds spent between two treeSeconds() readings (a process born in between counts from zero). */
export function treeDelta(before, after) {
  let sum = 0;
  for (const [pid, s] of after) sum += s - (before.get(pid) ?? 0);
  return sum;
}

/** The postmaster's PID, from the first line of <data dir>/postmaster.pid. */
export function postmasterPid(dataDir) {
  return Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
}
