import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { streamConsumerName } from './consumer-name.js';

describe('stream consumer name', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'ferry-consumer-name-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is kept in the data dir: the same server started again gets the same name', () => {
    const d = dir();
    const first = streamConsumerName(d, 'pod-a');
    expect(first).toMatch(/^pod-a-[0-9a-f]{8}$/);
    expect(streamConsumerName(d, 'pod-a')).toBe(first);
  });

  it('differs between hosts sharing a data dir', () => {
    const d = dir();
    const a = streamConsumerName(d, 'pod-a');
    const b = streamConsumerName(d, 'pod-b');
    expect(b).not.toBe(a);
    expect(streamConsumerName(d, 'pod-a')).toBe(a);
    expect(streamConsumerName(d, 'pod-b')).toBe(b);
  });

  it('differs for a second live process on the host, and is the kept one again once the first is gone', async () => {
    const d = dir();
    const kept = streamConsumerName(d, 'pod-a');
    // Another live process holds the name.
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    writeFileSync(join(d, 'stream-consumer-name.pod-a.pid'), `${other.pid}\n`);
    expect(streamConsumerName(d, 'pod-a')).toBe(`${kept}-${process.pid}`);
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    expect(streamConsumerName(d, 'pod-a')).toBe(kept);
  });

  it('keeps the name an earlier version made for this host', () => {
    const d = dir();
    writeFileSync(join(d, 'stream-consumer-name'), 'pod-a-0123abcd\n');
    expect(streamConsumerName(d, 'pod-a')).toBe('pod-a-0123abcd');
    expect(streamConsumerName(d, 'pod-b')).not.toBe('pod-a-0123abcd');
  });

  it('is taken back from a process that has exited', () => {
    const d = dir();
    const mine = streamConsumerName(d, 'pod-a');
    // A process that exited left its pid file: the name is taken back.
    const gone = spawnSync('true');
    writeFileSync(join(d, 'stream-consumer-name.pod-a.pid'), `${gone.pid}\n`);
    expect(streamConsumerName(d, 'pod-a')).toBe(mine);
  });
});
