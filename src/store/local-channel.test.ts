/** In-process cluster messages (SQLite): delivered to every subscriber of the key, a throwing one included. */
import { expect, it } from 'vitest';
import { localChannel } from './local-channel.js';

const drained = () => new Promise((r) => setImmediate(r));

it('a message reaches every subscriber of the same key, later and asynchronously', async () => {
  const key = `k-${Math.random()}`;
  const a = localChannel(key);
  const b = localChannel(key);
  const got: string[] = [];
  const stop = await b.listen('ch', (p) => got.push(p));
  await a.notify('ch', 'one');
  expect(got).toEqual([]); // asynchronous, as NOTIFY is
  await drained();
  expect(got).toEqual(['one']);
  await stop();
  await a.notify('ch', 'two');
  await drained();
  expect(got).toEqual(['one']);
  // A subscriber after every other one left still hears the key's messages.
  const again = await b.listen('ch', (p) => got.push(p));
  await a.notify('ch', 'three');
  await drained();
  expect(got).toEqual(['one', 'three']);
  await again();
});

it('a subscriber that throws does not stop the others (nor end the process)', async () => {
  const key = `k-${Math.random()}`;
  const ch = localChannel(key);
  const got: string[] = [];
  await ch.listen('ch', () => {
    throw new Error('subscriber bug');
  });
  await ch.listen('ch', (p) => got.push(p));
  await ch.notify('ch', 'x');
  await drained();
  expect(got).toEqual(['x']);
});
