/**
 * This server's name at the brokers, made once per data dir and host and kept there: a Redis consumer that restarts
 * under the same name finds the entries it had read and not acknowledged (its pending list) at once.
 *
 * Replicas may share a data dir (a shared volume): two consumers under one name would both take that name's pending
 * entries as their own and score them side by side. So the name is kept per host, and on one host it belongs to one
 * live process at a time (a pid file): a second process sharing it runs under the name and its pid, for that run
 * only (what it leaves pending is claimed by the others after 30 s, as a dead replica's is).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

const FILE = 'stream-consumer-name';
const VALID = /^[A-Za-z0-9._-]{1,100}$/;

export function streamConsumerName(dataDir: string, host = hostname()): string {
  const h = host.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 40) || 'ferry';
  mkdirSync(dataDir, { recursive: true });
  const name = keptName(join(dataDir, `${FILE}.${h}`), join(dataDir, FILE), h);
  return holds(join(dataDir, `${FILE}.${h}.pid`)) ? name : `${name}-${process.pid}`;
}

/** The name kept in `file`, made when missing (the one data dir-wide file of earlier versions is kept for its host). */
function keptName(file: string, legacy: string, host: string): string {
  const read = (f: string) => {
    try {
      const name = readFileSync(f, 'utf8').trim();
      return VALID.test(name) ? name : null;
    } catch {
      return null;
    }
  };
  const kept = read(file);
  if (kept) return kept;
  const old = read(legacy);
  const name = old?.startsWith(`${host}-`) ? old : `${host}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(file, name + '\n', { flag: 'wx' });
    return name;
  } catch {
    // Another process on this host made it first.
    return read(file) ?? name;
  }
}

/** Whether this process holds the pid file: it is missing, ours, or left by a process that is gone. */
function holds(pidFile: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    pid = 0;
  }
  if (pid === process.pid) return true;
  if (pid > 0 && alive(pid)) return false;
  writeFileSync(pidFile, `${process.pid}\n`);
  // Two processes taking a stale file at once: the last write wins, the other runs under its own name.
  return Number(readFileSync(pidFile, 'utf8').trim()) === process.pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
