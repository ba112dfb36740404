import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachStore } from '../support/stores.js';
import { fullLog, HAVE_VENV, type JobsTestServer, startJobsServer, uploadProject, waitForJob, zipOf } from './support.js';

const MLPROJECT = `name: tiny
entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
      note: {type: string, default: "hello world"}
    command: "python train.py --alpha {alpha} --note {note}"
  fail:
    command: "python -c 'import sys; print(\\"going down\\"); sys.exit(3)'"
  sleep:
    parameters:
      seconds: {type: float, default: 30}
    command: "python -c 'import time,sys; print(\\"sleeping\\", flush=True); time.sleep(float(sys.argv[1]))' {seconds}"
`;
const TRAIN = `import argparse, os, mlflow
p = argparse.ArgumentParser(); p.add_argument('--alpha', type=float); p.add_argument('--note')
a = p.parse_args()
print('alpha', a.alpha, 'note', a.note, 'run', os.environ['MLFLOW_RUN_ID'], flush=True)
with mlflow.start_run():
    mlflow.log_metric('score', a.alpha * 2)
print('token in env:', 'MLFLOW_TRACKING_TOKEN' in os.environ)
`;

forEachStore('local jobs', (kind) => {
  describe.skipIf(!HAVE_VENV)('end to end', () => {
    let t: JobsTestServer;
    let digest: string;
    beforeAll(async () => {
      t = await startJobsServer(kind);
      const up = await uploadProject(t, await zipOf({ MLproject: MLPROJECT, 'train.py': TRAIN }));
      expect(up.status).toBe(201);
      digest = up.body.project.digest;
    }, 60_000);
    afterAll(async () => t?.close());

    it('runs an entry point with parameters and logs to the run Ferry made', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, parameters: { alpha: '0.25', note: "it's; rm -rf /" } });
      expect(sub.status).toBe(201);
      expect(sub.body.job.command).toBe(`python train.py --alpha 0.25 --note 'it'"'"'s; rm -rf /'`);
      const job = await waitForJob(t, sub.body.job.job_id, ['succeeded', 'failed', 'cancelled']);
      const log = await fullLog(t, job.job_id);
      expect(job.state, log).toBe('succeeded');
      expect(log).toContain(`alpha 0.25 note it's; rm -rf / run ${job.run_id}`);
      const run = await t.call('GET', `/api/2.0/mlflow/runs/get?run_id=${job.run_id}`);
      expect(run.body.run.info.status).toBe('FINISHED');
      expect(run.body.run.data.metrics).toEqual([expect.objectContaining({ key: 'score', value: 0.5 })]);
      expect(run.body.run.data.tags).toEqual(
        expect.arrayContaining([
          { key: 'ferry.job_id', value: job.job_id },
          { key: 'ferry.project.digest', value: digest },
        ]),
      );
      // The job's token is revoked when it ends.
      const tokens = await t.call('GET', '/api/v1/tokens');
      const tok = tokens.body.tokens.find((x: any) => x.name === job.job_id);
      expect(tok?.revoked_at).toBeTypeOf('number');
    }, 90_000);

    it('fails a job whose command fails, with the exit code', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, entry_point: 'fail' });
      const job = await waitForJob(t, sub.body.job.job_id, ['succeeded', 'failed', 'cancelled']);
      expect(job.state).toBe('failed');
      expect(job.exit_code).toBe(3);
      expect(await fullLog(t, job.job_id)).toContain('going down');
    }, 60_000);

    it('cancels a running job', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, entry_point: 'sleep' });
      const id = sub.body.job.job_id;
      await waitForJob(t, id, ['running']);
      for (let i = 0; i < 100 && !(await fullLog(t, id)).includes('sleeping'); i++) await new Promise((r) => setTimeout(r, 100));
      const c = await t.call('POST', `/api/v1/jobs/${id}/cancel`, {});
      expect(c.status).toBe(200);
      const job = await waitForJob(t, id, ['succeeded', 'failed', 'cancelled'], 30_000);
      expect(job.state).toBe('cancelled');
      const run = await t.call('GET', `/api/2.0/mlflow/runs/get?run_id=${job.run_id}`);
      expect(run.body.run.info.status).toBe('KILLED');
    }, 60_000);

    it('refuses bad submissions with a 400 naming the field', async () => {
      const missing = await t.call('POST', '/api/v1/jobs', { project: digest, entry_point: 'nope' });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0].field).toBe('entry_point');
      const badType = await t.call('POST', '/api/v1/jobs', { project: digest, parameters: { alpha: 'lots' } });
      expect(badType.status).toBe(400);
      expect(badType.body.errors[0].field).toBe('parameters.alpha');
      const noMlproject = await uploadProject(t, await zipOf({ 'train.py': TRAIN }));
      expect(noMlproject.status).toBe(400);
      expect(noMlproject.body.detail).toContain('MLproject');
    }, 30_000);
  });
});
