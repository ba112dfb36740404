/**
 * SIGKILL during dataset pushes: concurrent pushers send distinct CSV files (a few MB each) to one dataset through
 * the real upload route, and one more streams half of its file and holds the rest, so the kill always lands in the
 * middle of an upload; the server is killed after a seeded number of answered pushes and started again on the same
 * store and data dir. Every acknowledged version is listed with its number, downloads byte-equal and carries its
 * profile; no version is listed that cannot be read; and pushing to the dataset works again — the cut-off file too.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AckLedger, adminCall, chaosRig, type ChaosRig, ok200, seeded, seededInt } from './support.js';
import { forEachStore } from '../support/stores.js';

const PUSHERS = 3;
const ROWS = 30_000;

/** A CSV of ROWS rows, different for every `n` (so each is a new version), about 1.5 MB. */
function csvFile(n: number): Buffer {
  const rand = seeded(`dataset-file-${n}`);
  const lines = ['id,age,income,score,city'];
  const cities = ['lyon', 'oslo', 'lima', 'pune', 'kobe'];
  for (let i = 0; i < ROWS; i++) {
    lines.push(`${i},${18 + Math.floor(rand() * 60)},${(20_000 + rand() * 80_000).toFixed(2)},${rand().toFixed(6)},${cities[(i + n) % 5]}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Pushed {
  digest: string;
  file: Buffer;
  version?: number;
}

/** Pushes `file` as version of dataset `chaos`; a `body` stream stands in for the whole file when given. */
async function push(server: { url: string; adminToken: string }, n: number, body: Buffer | ReadableStream<Uint8Array>) {
  const res = await fetch(`${server.url}/api/v1/datasets/chaos/versions?filename=part-${n}.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'text/csv' },
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : body,
    ...(Buffer.isBuffer(body) ? {} : { duplex: 'half' }),
  } as RequestInit);
  return { status: res.status, body: (await res.json()) as any };
}

forEachStore('SIGKILL during dataset pushes', (kind) => {
  let rig: ChaosRig;
  beforeAll(async () => {
    rig = await chaosRig(kind);
  }, 400_000);
  afterAll(async () => rig?.close());

  it('lists every acknowledged version, readable byte-equal with its profile, and nothing half-pushed', async () => {
    const rand = seeded(`dataset-${kind}`);
    const killAt = seededInt(rand, 3, 7);
    const ledger = new AckLedger<Pushed>();
    const refused: string[] = [];
    let dead = false;
    const server = rig.server;
    let n = 0;
    const pushers = Array.from({ length: PUSHERS }, async () => {
      while (!dead) {
        const i = n++;
        const file = csvFile(i);
        ledger.attempt(String(i), { digest: sha256(file), file });
        try {
          const res = await push(server, i, file);
          if (res.status !== 201) refused.push(`${i}: ${res.status} ${JSON.stringify(res.body)}`);
          else if (res.body.version.digest !== sha256(file)) refused.push(`${i}: answered digest ${res.body.version.digest}`);
          else {
            ledger.attempted.get(String(i))!.version = res.body.version.version;
            ledger.ack(String(i));
          }
        } catch {
          dead = true;
        }
      }
    });
    // The slow pusher: half of its file now, the rest never (the kill cuts it off mid-upload).
    const slowFile = csvFile(1_000);
    let slowSent = false;
    const slow = push(
      server,
      1_000,
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (slowSent) return new Promise<void>(() => {}); // hold the rest back
          slowSent = true;
          controller.enqueue(new Uint8Array(slowFile.subarray(0, slowFile.length >> 1)));
        },
      }),
    ).then(
      (res) => `answered ${res.status}: ${JSON.stringify(res.body)}`,
      () => 'cut off',
    );
    await ledger.untilAcked(killAt, 180_000);
    await rig.kill();
    dead = true;
    await Promise.all(pushers);
    expect(await slow).toBe('cut off');
    expect(refused).toEqual([]);

    const again = await rig.restart();
    // The cut-off uploads' spooled files are gone: a restarted server does not keep a dead one's scratch files.
    const spool = join(rig.dataDir, 'tmp', 'data-push');
    expect(existsSync(spool) ? readdirSync(spool) : [], 'spooled uploads left behind by the killed server').toEqual([]);
    const listed = (await ok200(again, 'GET', '/api/v1/datasets/chaos/versions?max_results=1000')).versions as {
      version: number;
      digest: string;
      rows: number;
    }[];
    const byDigest = new Map([...ledger.attempted.values()].map((p) => [p.digest, p]));
    // Listed: each acknowledged version, with the number it was answered with.
    const ackedListed = [...ledger.acked]
      .map((id) => ledger.attempted.get(id)!)
      .filter((p) => listed.some((v) => v.digest === p.digest && v.version === p.version));
    expect(ackedListed.length, `acknowledged versions listed after the restart (kill after ${killAt} acks)`).toBe(ledger.acked.size);
    // Nothing listed that was not pushed whole (the slow file's half is not a version), and numbers unique.
    expect(listed.filter((v) => !byDigest.has(v.digest)).map((v) => v.digest)).toEqual([]);
    expect(new Set(listed.map((v) => v.version)).size).toBe(listed.length);
    // Every listed version reads back: its bytes, and its profile of every row.
    for (const v of listed) {
      const file = await fetch(`${again.url}/api/v1/datasets/chaos/versions/${v.version}/file`, { headers: { authorization: `Bearer ${again.adminToken}` } });
      expect(file.status, `version ${v.version} download`).toBe(200);
      expect(sha256(Buffer.from(await file.arrayBuffer())), `version ${v.version} bytes`).toBe(v.digest);
      const shown = (await ok200(again, 'GET', `/api/v1/datasets/chaos/versions/${v.version}`)).version;
      expect(shown.rows).toBe(ROWS);
      expect(shown.profile.rows).toBe(ROWS);
      expect(shown.profile.columns.map((c: { name: string }) => c.name)).toEqual(['id', 'age', 'income', 'score', 'city']);
    }
    const cutOff = ledger.unacked();
    console.log(
      `[chaos ${kind}] dataset: killed after ${ledger.acked.size} acknowledged pushes (seeded ${killAt}); ${cutOff.length + 1} cut off (one mid-upload), ` +
        `${listed.length - ledger.acked.size} of them committed before the kill`,
    );

    // Pushing works again: the file that was cut off mid-upload becomes the next version.
    const top = Math.max(0, ...listed.map((v) => v.version));
    const res = await push(again, 1_000, slowFile);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.version).toMatchObject({ version: top + 1, digest: sha256(slowFile), rows: ROWS });
    const back = await adminCall(again, 'GET', `/api/v1/datasets/chaos/versions/${top + 1}`);
    expect(back.body.version.profile.rows).toBe(ROWS);
  }, 300_000);
});
