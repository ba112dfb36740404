/**
 * `ferry models convert` in-process against a listening test server (SQLite) running the real conversion job:
 * it waits for the end and prints a table (or --json), answers a succeeded conversion at once, --no-wait answers
 * the started one, and a refusal or a failed conversion exits non-zero.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ferryInProcess } from '../support/cli-in-process.js';
import { HAVE_VENV, type JobsTestServer, startJobsServer } from '../jobs/support.js';
import { logModel, waitForConversion } from './support.js';

describe.skipIf(!HAVE_VENV)('ferry models convert', () => {
  let t: JobsTestServer;
  beforeAll(async () => {
    t = await startJobsServer('sqlite', { FERRY_CONVERT_ON_REGISTER: '0', FERRY_CONVERT_POLL_MS: '200' });
  }, 60_000);
  afterAll(async () => t?.close());

  const ferry = (...args: string[]) => ferryInProcess(t.url, t.adminToken, args);

  it('converts, waits for the end and prints the check; again: the succeeded conversion at once', async () => {
    const logged = await logModel(t.url, t.adminToken, 'logistic', 'cli-lr');
    const run = await ferry('models', 'convert', 'cli-lr', logged.version);
    expect(run.code ?? 0).toBe(0);
    expect(run.out).toMatch(/State\s+succeeded/);
    expect(run.out).toMatch(/Estimator\s+LogisticRegression/);
    expect(run.out).toMatch(/Check\s+passed/);
    expect(run.out).toMatch(/ONNX file\s+.*ferry-onnx\/job-[0-9a-f]+\/model\.onnx/);
    expect(run.out).toContain('was converted to ONNX');

    const json = await ferry('models', 'convert', 'cli-lr', logged.version, '--json');
    const c = JSON.parse(json.out).conversion;
    expect(c).toMatchObject({ state: 'succeeded', model: 'cli-lr', version: logged.version, requested_by: 'admin' });

    const forced = await ferry('models', 'convert', 'cli-lr', logged.version, '--force', '--no-wait', '--json');
    const started = JSON.parse(forced.out).conversion;
    expect(started.state).toBe('queued');
    expect(started.job_id).not.toBe(c.job_id);
    expect(await waitForConversion(t, 'cli-lr', logged.version)).toMatchObject({ state: 'succeeded', job_id: started.job_id });
  }, 240_000);

  it('exits non-zero on a failed conversion and on a refusal', async () => {
    const custom = await logModel(t.url, t.adminToken, 'custom', 'cli-custom');
    const failed = await ferry('models', 'convert', 'cli-custom', custom.version);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/State\s+failed/);
    expect(failed.out).toMatch(/Failed step\s+convert/);
    expect(failed.out).toContain('the convert step failed for estimator');

    const plain = await logModel(t.url, t.adminToken, 'pyfunc', 'cli-plain');
    await expect(ferry('models', 'convert', 'cli-plain', plain.version)).rejects.toThrow(/no sklearn, xgboost or lightgbm flavor.*python_function/);
  }, 240_000);
});
