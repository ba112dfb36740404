/**
 * ONNX conversion end to end, with the real jobs engine, the local executor and the real conversion job
 * (projects/onnx-convert) run by the test venv's Python: a LogisticRegression logged with mlflow.sklearn.log_model is
 * converted at registration, checked, tagged and deployed, and answers as the original; a custom transformer is
 * refused naming the step and the estimator; a model without a convertible flavor is refused naming its flavors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_VENV, type JobsTestServer, startJobsServer } from '../jobs/support.js';
import { forEachStore } from '../support/stores.js';
import { logModel, versionTags, waitForConversion } from './support.js';

forEachStore('ONNX conversion', (kind) => {
  describe.skipIf(!HAVE_VENV)('with the real conversion job', () => {
    let t: JobsTestServer;
    beforeAll(async () => {
      t = await startJobsServer(kind, { FERRY_CONVERT_POLL_MS: '200' });
    }, 60_000);
    afterAll(async () => t?.close());

    it('converts a LogisticRegression at registration, records the check on the version, and a deploy serves it', async () => {
      const logged = await logModel(t.url, t.adminToken, 'logistic', 'lr');
      // Registration started it, credited to the registering principal.
      const first = await t.call('GET', `/api/v1/models/lr/versions/${logged.version}/conversion`);
      expect(first.status).toBe(200);
      expect(first.body.conversion).toMatchObject({ model: 'lr', version: logged.version, flavor: 'sklearn', requested_by: 'admin' });
      const c = await waitForConversion(t, 'lr', logged.version);
      expect(c.state, JSON.stringify(c)).toBe('succeeded');
      expect(c.estimator).toBe('LogisticRegression');
      expect(c.step).toBeNull();
      expect(c.check.passed).toBe(true);
      expect(c.check.max_abs_diff).toBeLessThanOrEqual(1e-5);
      expect(c.onnx_path).toMatch(new RegExp(`/ferry-onnx/${c.job_id}/model\\.onnx$`));
      expect(c.message).toContain('was converted to ONNX from LogisticRegression, sklearn flavor');
      expect(Date.parse(c.created_at)).toBeGreaterThan(0);

      const tags = await versionTags(t, 'lr', logged.version);
      expect(tags['ferry.onnx.conversion']).toBe('succeeded');
      expect(tags['ferry.onnx.job_id']).toBe(c.job_id);
      expect(tags['ferry.onnx.check']).toMatch(/^passed \(max_abs_diff=/);
      // The job is a job like any other: its run, its log.
      const job = await t.call('GET', `/api/v1/jobs/${c.job_id}`);
      expect(job.body.job).toMatchObject({ state: 'succeeded', submitted_by: 'admin' });
      const audit = await t.call('GET', '/api/v1/audit?limit=50');
      expect(audit.body.entries.map((e: { action: string }) => e.action)).toContain('model.convert.registration');

      // Asked again without force: the succeeded conversion, nothing started.
      const again = await t.call('POST', `/api/v1/models/lr/versions/${logged.version}/conversion`, {});
      expect(again.status).toBe(200);
      expect(again.body.conversion.job_id).toBe(c.job_id);

      const dep = await t.call('POST', '/api/v1/deployments', { name: 'lr', routes: [{ model: 'lr', version: logged.version }] });
      expect(dep.status, JSON.stringify(dep.body)).toBe(200);
      expect(dep.body.deployment.status.routes[0]).toMatchObject({ state: 'ready', version: logged.version, converted: true });
      const pred = await t.call('POST', '/api/v1/deployments/lr/predict', { instances: logged.rows });
      expect(pred.status, JSON.stringify(pred.body)).toBe(200);
      const answers = pred.body.predictions as Record<string, unknown>[];
      expect(answers).toHaveLength(logged.rows.length);
      for (const [i, a] of answers.entries()) {
        const probs = Object.values(a).find((v) => Array.isArray(v)) as number[];
        const label = Object.values(a).find((v) => typeof v === 'number' || typeof v === 'string');
        expect(Number(label)).toBe(logged.labels![i]);
        for (const [j, p] of probs.entries()) expect(Math.abs(p - logged.probabilities![i]![j]!)).toBeLessThanOrEqual(1e-5);
      }
    }, 240_000);

    it('refuses a custom transformer naming the step and the estimator; a deploy is refused with that sentence', async () => {
      const logged = await logModel(t.url, t.adminToken, 'custom', 'custom');
      const c = await waitForConversion(t, 'custom', logged.version);
      expect(c.state, JSON.stringify(c)).toBe('failed');
      expect(c.step).toBe('convert');
      expect(c.message).toMatch(/cannot be converted to ONNX: the convert step failed for estimator/);
      expect(`${c.estimator} ${c.error}`).toContain('Doubler');
      const tags = await versionTags(t, 'custom', logged.version);
      expect(tags['ferry.onnx.conversion']).toBe('failed');

      const dep = await t.call('POST', '/api/v1/deployments', { name: 'custom', routes: [{ model: 'custom', version: logged.version }] });
      expect(dep.status).toBe(400);
      expect(dep.body.detail).toContain('the convert step failed for estimator');
      expect(dep.body.detail).toContain('Doubler');
    }, 240_000);

    it('refuses a model without a sklearn, xgboost or lightgbm flavor, naming its flavors', async () => {
      const logged = await logModel(t.url, t.adminToken, 'pyfunc', 'plain');
      const res = await t.call('POST', `/api/v1/models/plain/versions/${logged.version}/conversion`, {});
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'model', message: expect.stringContaining('its flavors: python_function') }]);
      // Nothing was started at registration either.
      expect((await t.call('GET', `/api/v1/models/plain/versions/${logged.version}/conversion`)).status).toBe(404);
    }, 120_000);
  });
});
