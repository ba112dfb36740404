// Memory stays bounded whatever the file size: a generated file of a few hundred MB is profiled while the process's
// resident memory is watched. FERRY_TEST_BIG_DATA=1 adds a file over 2 GB (past Buffer and int32 offset limits).
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profileTable } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-big-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CSV of about `mb` MB: an id, a number, and a long text drawn from 40 values; returns its path and rows. */
function generate(mb: number): { path: string; rows: number } {
  const path = join(dir, `big-${mb}.csv`);
  const texts = Array.from({ length: 40 }, (_, k) => `text ${k} `.padEnd(900, String.fromCharCode(97 + (k % 26))));
  const fd = openSync(path, 'w');
  writeSync(fd, 'id,x,text\n');
  let rows = 0;
  const perBlock = 1024; // ~1 MB per block
  for (let b = 0; b < mb; b++) {
    const lines: string[] = [];
    for (let i = 0; i < perBlock; i++, rows++) lines.push(`${rows},${(rows % 1000) / 8},${texts[rows % 40]}`);
    writeSync(fd, lines.join('\n') + '\n');
  }
  closeSync(fd);
  return { path, rows };
}

async function profileWatchingMemory(path: string): Promise<{ rows: number; growthMb: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const r = await profileTable(path, { format: 'csv', onProgress: () => (peak = Math.max(peak, process.memoryUsage.rss())) }, { workers: 1 });
  peak = Math.max(peak, process.memoryUsage.rss());
  if (process.env.FERRY_TEST_BIG_DATA) console.log(`rows ${r.rows}, memory growth ${((peak - base) / 2 ** 20).toFixed(0)} MB`);
  return { rows: r.rows, growthMb: (peak - base) / 2 ** 20 };
}

describe('big files', () => {
  it('profiles a 300 MB CSV in bounded memory', async () => {
    const { path, rows } = generate(300);
    const r = await profileWatchingMemory(path);
    expect(r.rows).toBe(rows);
    expect(r.growthMb).toBeLessThan(150); // the file is 300 MB; the read holds one 8 MB buffer and one batch
  }, 180_000);

  it.runIf(process.env.FERRY_TEST_BIG_DATA === '1')(
    'profiles a CSV over 2 GB',
    async () => {
      const { path, rows } = generate(2200);
      const r = await profileWatchingMemory(path);
      expect(r.rows).toBe(rows);
      expect(r.growthMb).toBeLessThan(200);
    },
    600_000,
  );
});
