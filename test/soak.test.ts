/**
 * The soak's CI version: `bench/soak/run.sh --minutes 3` — a real `ferry server` under the mixed workload (predictions
 * with logging, feedback, tracking writes, drift reads, UI polling) at half the rate it sustains. The run fails itself
 * on a 5xx, a network error, a refused call, a dropped or failed prediction-log row, or an acknowledged prediction
 * missing from the log; memory growth and p99 flatness are printed as [MET]/[MISSED] (never a timing here). The
 * 30-minute run is `npm run test:soak`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
// A guard against a hung child, not a threshold: 3 minutes of load plus setup and the probe.
const HANG_MS = 900_000;
const tmp = mkdtempSync(join(tmpdir(), 'ferry-soak-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Summary {
  ok: boolean;
  calls: { calls: number; ok: number; c4xx: number; c5xx: number; network: number };
  predictions: number;
  logged: number;
  byKind: Record<string, { calls: number; ok: number }>;
}

test(
  'three minutes of mixed load: no 5xx, nothing refused, every acknowledged prediction logged',
  async () => {
    const out = join(tmp, 'summary.json');
    const run = await new Promise<{ code: number | null; text: string }>((done, fail) => {
      const p = spawn('bash', [join(ROOT, 'bench', 'soak', 'run.sh'), '--minutes', '3', '--probe-seconds', '15', '--out', out], { cwd: ROOT });
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.stderr.on('data', (d) => (text += d));
      p.on('error', fail);
      p.on('close', (code) => done({ code, text }));
    });
    console.log(run.text.slice(run.text.indexOf('# Soak')));
    expect(run.code, run.text).toBe(0);
    expect(run.text).toMatch(/^soak: OK \(8 checks/m);
    const s = JSON.parse(readFileSync(out, 'utf8')) as Summary;
    expect(s.calls.c5xx).toBe(0);
    expect(s.calls.network).toBe(0);
    expect(s.logged).toBe(s.predictions);
    // The mix really ran: every kind of call was made and answered.
    for (const kind of ['predict', 'feedback', 'log_batch', 'drift', 'ui']) expect(s.byKind[kind]?.ok ?? 0, kind).toBeGreaterThan(0);
  },
  HANG_MS,
);
