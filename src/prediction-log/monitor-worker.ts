/**
 * The monitoring thread: builds rows from packed prediction events, applies PII rules, fills the window
 * profiles and writes both to the store through its own connection, so none of it runs on the server's
 * event loop. Messages are handled one at a time, in order.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/index.js';
import type { PackedBatch } from './event-codec.js';
import { type LogOutcome, processBatch } from './log-processing.js';
import type { MonitoringSettings } from './monitoring-settings.js';
import { MonitoringState } from './monitoring-state.js';

const { storeUrl, replica, nice } = workerData as { storeUrl: string; replica: string; nice: number };
// Opt-in (FERRY_MONITORING_NICE): at a higher nice value the scheduler runs the event loop and the inference
// workers first when cores are contended, and this thread on what is left — which under sustained load can be
// too little, and the log's bounded queue then drops (counted) rows. The default, 0, keeps the log complete. Only on Linux, where the nice value is per thread (who=0
// is this one); elsewhere it would lower the whole process.
if (nice > 0 && process.platform === 'linux') {
  try {
    setPriority(0, nice);
  } catch {
    // Where the platform refuses, logging runs at the request path's priority.
  }
}
const store = await openStore(storeUrl);
const state = new MonitoringState(store, replica);
await state.load();
const write = store.predictionWriter({ sameThread: true });
const persistTimer = setInterval(() => void state.persist().catch(() => {}), 5_000);
persistTimer.unref();

type Msg = { id: number; kind: 'ready' | 'batch' | 'sync' | 'close'; settings?: Record<string, MonitoringSettings> } & Partial<PackedBatch>;

async function handle(msg: Msg): Promise<Record<string, unknown>> {
  if (msg.kind === 'batch') {
    for (const [d, s] of Object.entries(msg.settings ?? {})) state.setSettings(d, s);
    const counts = new Map<string, number>();
    const count = (d: string, outcome: LogOutcome, n: number) => counts.set(`${d}\0${outcome}`, (counts.get(`${d}\0${outcome}`) ?? 0) + n);
    let failure: unknown = null;
    await processBatch(
      msg as PackedBatch,
      state,
      (rows, ids) => write.insert(rows, ids),
      count,
      (err) => (failure = err),
    );
    // The batch's buffers go back to the server's thread, to be packed into again.
    const buffers = [...new Set([msg.nums!.buffer, msg.tags!.buffer, msg.heads!.buffer])];
    return { counts: [...counts].map(([k, n]) => [...k.split('\0'), n]), ...(failure ? { warning: String(failure) } : {}), buffers };
  }
  if (msg.kind === 'sync') await state.persist();
  if (msg.kind === 'close') {
    clearInterval(persistTimer);
    await state.persist();
    await store.close();
  }
  return {};
}

let chain: Promise<unknown> = Promise.resolve();
parentPort!.on('message', (msg: Msg) => {
  chain = chain.then(() =>
    handle(msg).then(
      (r) => parentPort!.postMessage({ id: msg.id, ...r }, (r['buffers'] as ArrayBuffer[] | undefined) ?? []),
      (err: unknown) => parentPort!.postMessage({ id: msg.id, error: String((err as Error)?.stack ?? err) }),
    ),
  );
});
