/**
 * After the demo is loaded (or reopened), the new population keeps arriving while the server runs: one request
 * of 4 drifted applicants a second, with feedback labels. So the deployment's state stays what the demo shows —
 * the canary split, drift in every new window, the drift alert firing on current data — instead of going quiet
 * when the replay ends. `ferry quickstart --no-live` turns it off.
 */
import type { FerryClient } from '../../sdk/index.js';
import { type CreditRow, parseCredit, readDemoFile, seededRandom } from './assets.js';
import { drawRows, shuffled, type TrafficCounts, TrafficSender } from './traffic.js';

export const LIVE_INTERVAL_MS = 1000;
const ROWS = 4;

export interface LiveTraffic {
  readonly counts: TrafficCounts;
  stop(): void;
}

export function startLiveTraffic(client: FerryClient, table?: readonly CreditRow[]): LiveTraffic {
  const rows = table ?? parseCredit(new TextDecoder().decode(readDemoFile('credit_train.csv')));
  const rand = seededRandom(11);
  const pool = shuffled(rows, rand);
  const sender = new TrafficSender(client);
  let i = 0;
  const timer = setInterval(() => {
    if (sender.busy >= 2) return; // a slow server: skip a beat rather than pile up
    const batch = drawRows(pool, i * ROWS, ROWS, 1, rand);
    sender.send(batch.rows, batch.labelled);
    if (++i % 10 === 0) sender.flushFeedback();
  }, LIVE_INTERVAL_MS);
  return { counts: sender.counts, stop: () => clearInterval(timer) };
}
