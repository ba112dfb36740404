/**
 * A deploy of a version logged with its sklearn flavor and not converted yet (conversion at registration turned
 * off): the deploy starts the conversion, waits for it and serves the ONNX model; a forced conversion replaces it.
 * The service's handling of results it cannot trust, with tiny stand-in projects in a temp dir: a job that dies
 * before writing conversion.json fails with the job's own message, and a deploy's wait is bounded.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { ConversionService } from '../../src/convert/index.js';
import { HAVE_VENV, type JobsTestServer, startJobsServer } from '../jobs/support.js';
import { forEachStore } from '../support/stores.js';
import { logModel, pushCsv, standInProject, versionTags, waitForConversion } from './support.js';

const ADMIN = { name: 'admin', role: 'admin' as const, kind: 'token' as const };

const standIn = (command: string): string => standInProject(command);

forEachStore('ONNX conversion at deploy', (kind) => {
  describe.skipIf(!HAVE_VENV)('a version without a conversion', () => {
    let t: JobsTestServer;
    const dirs: string[] = [];
    beforeAll(async () => {
      t = await startJobsServer(kind, { FERRY_CONVERT_ON_REGISTER: '0', FERRY_CONVERT_POLL_MS: '200' });
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    /** A service on the test server's own store, registry and jobs, running `projectDir` instead of the real job. */
    const serviceWith = (projectDir: string, waitMs = 60_000) =>
      new ConversionService({
        store: t.store,
        artifacts: new LocalArtifactStore(join(t.dataDir, 'artifacts')),
        registry: t.app.ferry.registry,
        jobs: t.app.ferry.jobs.service,
        projectDir,
        executor: 'local',
        waitMs,
        pollMs: 100,
      });

    it('is converted by the deploy, which waits for it and serves the ONNX model; force converts again', async () => {
      const logged = await logModel(t.url, t.adminToken, 'logistic', 'late');
      // The run trained on a Ferry dataset version (lineage): the check samples it.
      const train = await pushCsv(t, 'late-train', logged.train_csv);
      const dataset = { name: 'late-train', digest: train.digest, source_type: 'http', source: '{"url": "x"}' };
      const linked = await t.call('POST', '/api/2.0/mlflow/runs/log-inputs', {
        run_id: logged.run_id,
        datasets: [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }],
      });
      expect(linked.status).toBe(200);
      // Registration started nothing (FERRY_CONVERT_ON_REGISTER=0).
      expect((await t.call('GET', `/api/v1/models/late/versions/${logged.version}/conversion`)).status).toBe(404);

      const dep = await t.call('POST', '/api/v1/deployments', { name: 'late', routes: [{ model: 'late', version: logged.version }] });
      expect(dep.status, JSON.stringify(dep.body)).toBe(200);
      expect(dep.body.deployment.status.routes[0]).toMatchObject({ state: 'ready', version: logged.version, converted: true });
      const c = (await t.call('GET', `/api/v1/models/late/versions/${logged.version}/conversion`)).body.conversion;
      expect(c).toMatchObject({ state: 'succeeded', requested_by: 'ferry:deploy', estimator: 'LogisticRegression' });
      expect(c.check).toMatchObject({ passed: true, training_data: `late-train@${train.version}` });
      expect(c.check.rows.training_sample).toBe(200);
      // Explicitly reported: the version's tags and the audit log say the deploy converted it.
      expect(await versionTags(t, 'late', logged.version)).toMatchObject({ 'ferry.onnx.conversion': 'succeeded', 'ferry.onnx.job_id': c.job_id });
      const audit = await t.call('GET', '/api/v1/audit?limit=50');
      expect(audit.body.entries).toContainEqual(expect.objectContaining({ actor: 'ferry:deploy', action: 'model.convert.deploy' }));
      const pred = await t.call('POST', '/api/v1/deployments/late/predict', { instances: logged.rows.slice(0, 3) });
      expect(pred.status, JSON.stringify(pred.body)).toBe(200);
      expect(pred.body.predictions).toHaveLength(3);

      const forced = await t.call('POST', `/api/v1/models/late/versions/${logged.version}/conversion`, { force: true });
      expect(forced.status).toBe(202);
      expect(forced.body.conversion.job_id).not.toBe(c.job_id);
      expect(forced.body.conversion.state).toBe('queued');
      const again = await waitForConversion(t, 'late', logged.version);
      expect(again).toMatchObject({ state: 'succeeded', job_id: forced.body.conversion.job_id, requested_by: 'admin' });
      expect((await versionTags(t, 'late', logged.version))['ferry.onnx.job_id']).toBe(again.job_id);
    }, 240_000);

    it('fails a conversion whose job died before reporting with the job’s message, and bounds a deploy’s wait', async () => {
      const logged = await logModel(t.url, t.adminToken, 'logistic', 'standin');
      const crash = standIn(`python -c 'import sys; print(\\"crashed\\"); sys.exit(3)' {model}`);
      const slow = standIn(`python -c 'import time; time.sleep(60)' {model}`);
      dirs.push(crash, slow);

      const svc = serviceWith(crash);
      const started = await svc.start('standin', logged.version, ADMIN);
      expect(started.started).toBe(true);
      let c = started.conversion;
      for (let i = 0; i < 600 && (c.state === 'queued' || c.state === 'running'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        c = await svc.get('standin', logged.version);
      }
      expect(c.state).toBe('failed');
      expect(c.step).toBe('job');
      expect(c.error).toBe('The command exited with code 3; it wrote no conversion.json.');
      expect(c.message).toContain('the conversion job failed before reporting');
      // A deploy is refused with that sentence.
      await expect(svc.servingPath('standin', logged.version)).rejects.toThrow(/failed before reporting/);

      // A conversion still running when the wait runs out: refused, naming the job, the conversion goes on.
      const bounded = serviceWith(slow, 500);
      const restarted = await bounded.start('standin', logged.version, ADMIN);
      expect(restarted.started).toBe(true);
      await expect(bounded.servingPath('standin', logged.version)).rejects.toThrow(
        new RegExp(`still (queued|running) after 1 s \\(job ${restarted.conversion.job_id}\\)`),
      );
      await t.app.ferry.jobs.service.cancel(restarted.conversion.job_id, ADMIN);
    }, 240_000);
  });
});
