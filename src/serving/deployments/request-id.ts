/**
 * Request ids: UUID version 7 (RFC 9562) — 48 bits of Unix milliseconds, then random bits. The prediction
 * log finds a request from the time in its id (serving passes the request's own timestamp), and ids sort by
 * time, so a range of feedback ids is a range of time; 74 random bits keep them unguessable and unique.
 */
import { randomFillSync } from 'node:crypto';

const pool = new Uint8Array(16 * 256);
let used = pool.length;
const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function requestId(now = Date.now()): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const b = pool.subarray(used, used + 16);
  used += 16;
  // 48-bit big-endian timestamp (Math.floor keeps it exact: 2^48 ms is the year 10889).
  let t = Math.floor(now);
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | (b[6]! & 0x0f); // version 7
  b[8] = 0x80 | (b[8]! & 0x3f); // variant 10
  let id = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) id += '-';
    id += hex[b[i]!]!;
  }
  return id;
}
