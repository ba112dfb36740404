/**
 * SIGKILL while a local job writes to tracking: the job logs one metric step at a time to its run through the
 * MLflow client (retrying a step the server did not answer, as a training script behind a flaky network would) and
 * writes each answered step to a ledger file; the server is killed after a seeded number of answered steps and
 * started again on the same store, data dir and port. Per docs/jobs.md the restarted server re-attaches the job
 * (never starting it again): it ends succeeded, started once, attempts 1; its run is FINISHED and holds every step
 * the job was answered for, each with its value, none that was never sent; its token is revoked.
 * (test/jobs/local-restart.test.ts covers a sleeping job and a queued one; this one writes through the kill.)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, chaosRig, type ChaosRig, ok200, seeded, seededInt } from './support.js';
import { uploadZip, waitFor } from '../support/ferry-servers.js';
import { forEachStore } from '../support/stores.js';
import { HAVE_VENV, VENV_BIN, zipOf } from '../jobs/support.js';

const STEPS = 150;

const MLPROJECT = `name: chaos-logger
entry_points:
  main:
    parameters:
      ledger: {type: string}
      marker: {type: string}
      steps: {type: float}
    command: "python logger.py {ledger} {marker} {steps}"
`;
// Each step's metric goes in one log_batch; an unanswered call is tried again (its own retries off, so a dead
// server is noticed in a second, not minutes); each answered step is appended to the ledger.
const LOGGER = `import os, sys, time
os.environ['MLFLOW_HTTP_REQUEST_MAX_RETRIES'] = '0'
os.environ['MLFLOW_HTTP_REQUEST_TIMEOUT'] = '5'
from mlflow.tracking import MlflowClient
from mlflow.entities import Metric
ledger, marker, steps = sys.argv[1], sys.argv[2], int(float(sys.argv[3]))
with open(marker, 'a') as f:
    f.write(os.environ['FERRY_JOB_ID'] + '\\n')
client = MlflowClient()
run = os.environ['MLFLOW_RUN_ID']
for step in range(steps):
    tries = 0
    while True:
        tries += 1
        try:
            client.log_batch(run, metrics=[Metric('loss', 1.0 / (step + 1), 1700000000000 + step, step)])
            break
        except Exception as e:
            if tries > 600:
                raise
            print('step %d try %d failed: %s' % (step, tries, type(e).__name__), flush=True)
            time.sleep(0.2)
    with open(ledger, 'a') as f:
        f.write('%d %d\\n' % (step, tries))
    time.sleep(0.05)
print('logged %d steps' % steps, flush=True)
`;

/** The ledger's lines: step → tries it took. */
function ledgerOf(file: string): Map<number, number> {
  const steps = new Map<number, number>();
  if (!existsSync(file)) return steps;
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [step, tries] = line.split(' ').map(Number);
    steps.set(step!, tries!);
  }
  return steps;
}

forEachStore('SIGKILL while a local job logs to tracking', (kind) => {
  describe.skipIf(!HAVE_VENV)('job', () => {
    let rig: ChaosRig;
    let shared: string;
    beforeAll(async () => {
      shared = mkdtempSync(join(tmpdir(), 'ferry-chaos-job-'));
      // One job at a time, a short lease (the restart re-attaches soon), the venv's python with mlflow.
      rig = await chaosRig(kind, {
        FERRY_JOBS_LEASE_SECONDS: '3',
        FERRY_JOBS_POLL_MS: '100',
        FERRY_JOBS_LOCAL_CONCURRENCY: '1',
        PATH: `${VENV_BIN}:${process.env['PATH']}`,
      });
    }, 400_000);
    afterAll(async () => {
      await rig?.close();
      if (shared) rmSync(shared, { recursive: true, force: true });
    });

    it('re-attaches the job, which ends once with every answered step in its FINISHED run', async () => {
      const killAt = seededInt(seeded(`job-${kind}`), 10, 40);
      const digest = await uploadZip(rig.server, await zipOf({ MLproject: MLPROJECT, 'logger.py': LOGGER }));
      const ledger = join(shared, 'ledger.txt');
      const marker = join(shared, 'started.txt');
      const submitted = await adminCall(rig.server, 'POST', '/api/v1/jobs', { project: digest, parameters: { ledger, marker, steps: String(STEPS) } });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
      const id = submitted.body.job.job_id as string;

      const before = await waitFor(
        async () => ledgerOf(ledger).size,
        (n) => n >= killAt,
        120_000,
      );
      expect(before, `steps the job logged before the kill (server output:\n${rig.server.output()})`).toBeGreaterThanOrEqual(killAt);
      await rig.kill();
      const answeredBeforeRestart = ledgerOf(ledger).size;
      expect(answeredBeforeRestart, 'the job went on past the kill before the restart').toBeLessThan(STEPS);

      const again = await rig.restart();
      const job = async () => (await ok200(again, 'GET', `/api/v1/jobs/${id}`)).job;
      const done = await waitFor(job, (j) => ['succeeded', 'failed', 'cancelled'].includes(j?.state), 180_000, 250);
      const log = (await ok200(again, 'GET', `/api/v1/jobs/${id}/logs?offset=0`)).data as string;
      expect(done, log).toMatchObject({ state: 'succeeded', attempts: 1, exit_code: 0 });
      const runId = done.run_id as string;
      // Started once: re-attached, never run again.
      expect(readFileSync(marker, 'utf8').trim().split('\n')).toEqual([id]);
      expect(log.match(/logged \d+ steps/g), log).toEqual([`logged ${STEPS} steps`]);

      // Every step the job was answered for is in its run, with its value; no step that was not sent.
      const answered = ledgerOf(ledger);
      expect(answered.size).toBe(STEPS);
      const history = (await ok200(again, 'GET', `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`)).metrics as {
        step: number;
        value: number;
      }[];
      const seen = new Map<number, number>();
      for (const m of history) {
        expect(m.value, `step ${m.step}`).toBe(1 / (m.step + 1));
        seen.set(m.step, (seen.get(m.step) ?? 0) + 1);
      }
      expect([...answered.keys()].filter((s) => !seen.has(s))).toEqual([]);
      // A step stored more than once can only be one the job sent again after an unanswered try.
      expect([...seen].filter(([s, n]) => n > (answered.get(s) ?? 0))).toEqual([]);
      const retried = [...answered].filter(([, tries]) => tries > 1).length;
      console.log(`[chaos ${kind}] job: killed after ${answeredBeforeRestart} answered steps (seeded ${killAt}); ${retried} steps retried across the outage`);

      const run = (await ok200(again, 'GET', `/api/2.0/mlflow/runs/get?run_id=${runId}`)).run;
      expect(run.info.status).toBe('FINISHED');
      expect(run.info.end_time).toBeTypeOf('number');
      expect(run.data.metrics.find((m: { key: string }) => m.key === 'loss')).toMatchObject({ step: STEPS - 1, value: 1 / STEPS });
      const tokens = (await ok200(again, 'GET', '/api/v1/tokens')).tokens.filter((t: { name: string }) => t.name === id);
      expect(tokens).toHaveLength(1);
      expect(tokens[0].revoked_at).toBeTypeOf('number');
    }, 360_000);
  });
});
