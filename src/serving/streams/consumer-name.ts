/**
 * This server's name at the brokers, made once per data dir and kept there: a Redis consumer that restarts under
 * the same name finds the entries it had read and not acknowledged (its pending list) at once.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

const FILE = 'stream-consumer-name';

export function streamConsumerName(dataDir: string): string {
  const file = join(dataDir, FILE);
  try {
    const name = readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9._-]{1,100}$/.test(name)) return name;
  } catch {
    // made below
  }
  const host =
    hostname()
      .replace(/[^A-Za-z0-9.-]/g, '-')
      .slice(0, 40) || 'ferry';
  const name = `${host}-${randomBytes(4).toString('hex')}`;
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, name + '\n', { flag: 'wx' });
    return name;
  } catch {
    // Another process made it first.
    return readFileSync(file, 'utf8').trim();
  }
}
