// CPU time of a server, whole and per thread, from /proc (Linux only): what a benchmark samples at the edges of a
// measured window to report CPU per request next to throughput, and which thread burned it.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

// utime and stime are in clock ticks; USER_HZ is 100 on every Linux we run on, asked once in case it is not.
let ticks = null;
function hz() {
  if (ticks === null) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** /proc/<pid>/stat (or a task's) → {comm, ppid, pgrp, cpu_s}, or null once it is gone. */
function stat(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  // comm sits in parentheses and may hold spaces; the fields after the last ')' start at the state (field 3).
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const f = text.slice(close + 2).split(' ');
  return { comm, ppid: Number(f[1]), pgrp: Number(f[2]), cpu_s: (Number(f[11]) + Number(f[12])) / hz() };
}

const listDir = (path) => {
  try {
    return readdirSync(path).filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
};

/**
 * A snapshot of a server's processes: `root` (a server started detached leads its own process group), every process
 * in its group, and every descendant of those (some servers start workers in a group of their own, e.g. BentoML's
 * supervisor): {root, total_s, threads: Map<tid, {pid, proc, name, cpu_s}>}. `name` is the thread's comm; a
 * process's main thread (tid = pid) is named `main`. Null where /proc cannot be read.
 */
export function snapshot(root) {
  const pids = listDir('/proc');
  if (pids.length === 0) return null;
  const procs = new Map();
  for (const pid of pids) {
    const p = stat(`/proc/${pid}/stat`);
    if (p) procs.set(Number(pid), p);
  }
  const mine = new Set([...procs].filter(([pid, p]) => pid === root || p.pgrp === root).map(([pid]) => pid));
  // Descendants: repeat until no process joins (a tree is shallow; each pass adds a generation).
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, p] of procs) {
      if (!mine.has(pid) && mine.has(p.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  const threads = new Map();
  let total = 0;
  for (const pid of mine) {
    const p = procs.get(pid);
    for (const tid of listDir(`/proc/${pid}/task`)) {
      const t = stat(`/proc/${pid}/task/${tid}/stat`);
      if (!t || !Number.isFinite(t.cpu_s)) continue;
      threads.set(tid, { pid, tid: Number(tid), proc: p.comm, name: Number(tid) === pid ? 'main' : t.comm, cpu_s: t.cpu_s });
      total += t.cpu_s;
    }
  }
  return { root, total_s: total, threads };
}

/**
 * CPU spent between two snapshots: {total_s, main_s, threads: [{label, count, cpu_s}]} (main_s: the root process's
 * main thread, e.g. a Node server's event loop), busiest first. A thread's label is `<process comm>[#n]/<thread name>`
 * (#n: the n-th process of the server by pid, when it has several), with `.k` for the k-th thread of that name in its
 * process by thread id where names repeat (Node names none of its worker threads: node.1, node.2, ..., in creation
 * order), so the same thread keeps its label from round to round. A thread that started inside the window counts from
 * zero; one that ended inside it is lost (its ticks go with it).
 */
export function delta(before, after) {
  if (!before || !after) return null;
  const list = [...after.threads.values()];
  const pids = [...new Set(list.map((t) => t.pid))].sort((x, y) => (x === after.root ? -1 : y === after.root ? 1 : x - y));
  const threads = [];
  for (const pid of pids) {
    const own = list.filter((t) => t.pid === pid).sort((x, y) => x.tid - y.tid);
    const seen = new Map();
    for (const t of own) {
      const k = (seen.get(t.name) ?? 0) + 1;
      seen.set(t.name, k);
      const repeated = own.filter((o) => o.name === t.name).length > 1;
      const label = `${t.proc}${pids.length > 1 ? `#${pids.indexOf(pid) + 1}` : ''}/${t.name}${repeated ? `.${k}` : ''}`;
      const cpu_s = t.cpu_s - (before.threads.get(String(t.tid))?.cpu_s ?? 0);
      threads.push({ label, count: 1, cpu_s });
    }
  }
  threads.sort((x, y) => y.cpu_s - x.cpu_s);
  const lead = String(after.root);
  const main_s = after.threads.has(lead) ? after.threads.get(lead).cpu_s - (before.threads.get(lead)?.cpu_s ?? 0) : null;
  return { total_s: threads.reduce((s, g) => s + g.cpu_s, 0), main_s, threads };
}

/**
 * CPU per request over a window: {cpu_us_per_req, threads: [{label, count, us_per_req}]} (threads that spent
 * nothing left out), or null without a delta or a request.
 */
export function perRequest(d, requests) {
  if (!d || !(requests > 0)) return null;
  return {
    cpu_us_per_req: (1e6 * d.total_s) / requests,
    threads: d.threads.filter((t) => t.cpu_s > 0).map((t) => ({ label: t.label, count: t.count, us_per_req: (1e6 * t.cpu_s) / requests })),
  };
}
