// One claimer, as one Ferry server's worker would be: its own process and store connection, claiming with
// the queue's own queries (ferry/jobs/repo: claim, then updateOwned to finish) until told to stop and the
// queue is empty. Protocol on stdin/stdout: prints "ready", waits for "go"; "stop" means no more jobs are
// coming; at the end prints one JSON line with every claim.
//   node claimer.mjs STORE_URL OWNER POLL_MS
import { createInterface } from 'node:readline';
import { openStore } from 'ferry/store';
import { claim, updateOwned } from 'ferry/jobs/repo';

const [url, owner, pollArg] = process.argv.slice(2);
const pollMs = Number(pollArg);
const store = await openStore(url);
let go;
const started = new Promise((r) => (go = r));
let stopping = false;
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line === 'go') go();
  if (line === 'stop') stopping = true;
});
process.stdout.write('ready\n');
await started;

const claims = []; // [job_id, available_at, claimed_at (after the claim returned)]
let lost = 0;
let empty = 0;
const t0 = Date.now();
for (;;) {
  const job = await claim(store.db, store.dialect, { owner, now: Date.now(), leaseMs: 30_000, executors: ['bench'], reclaim: false });
  if (job) {
    const claimedAt = Date.now();
    // Finishing names the lease, as the worker does: false would mean another claimer took the same job.
    if (!(await updateOwned(store.db, job.job_id, owner, { state: 'succeeded', finished_at: Date.now(), lease_until: null }))) lost++;
    claims.push([job.job_id, Number(job.available_at), claimedAt]);
    continue;
  }
  if (stopping) break;
  empty++;
  await new Promise((r) => setTimeout(r, pollMs));
}
const t1 = Date.now();
await store.close();
// The open stdin would keep the process alive.
input.close();
process.stdin.destroy();
process.stdout.write(`${JSON.stringify({ owner, t0, t1, claims, lost, empty })}\n`);
