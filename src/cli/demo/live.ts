/**
 * After the demo is loaded (or reopened), the new population keeps arriving for 30 minutes: two requests of 20
 * drifted applicants a second, with feedback labels. So the deployment's state stays what the demo shows — the
 * canary split, drift in every new window, the drift alert firing on current data — instead of going quiet when
 * the replay ends. 400 rows a 10-second window keep the unchanged feature (credit_lines) from drifting by chance,
 * as it does in windows of a few dozen rows; 30 minutes bound what it adds to the data dir (72,000 rows).
 * `ferry quickstart --no-live` turns it off.
 */
import type { FerryClient } from '../../sdk/index.js';
import { type CreditRow, parseCredit, readDemoFile, seededRandom } from './assets.js';
import { drawRows, shuffled, type TrafficCounts, TrafficSender } from './traffic.js';

export const LIVE_INTERVAL_MS = 500;
export const LIVE_FOR_MS = 1_800_000;
const ROWS = 20;

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
  const stop = () => {
    clearInterval(timer);
    clearTimeout(end);
    sender.flushFeedback();
  };
  const end = setTimeout(stop, LIVE_FOR_MS);
  return { counts: sender.counts, stop };
}
