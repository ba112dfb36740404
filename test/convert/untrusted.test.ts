/**
 * What a conversion must not trust, with stand-in jobs that write a chosen conversion.json (and model.onnx) into the
 * folder they are given: versions registered from the same files do not clobber each other's ONNX file; a report
 * of the wrong types, with NaN and an onnx_path of its own, or over the read limit, is refused or ignored, never
 * followed; a model deleted and registered again under its name does not inherit the old model's conversion; a
 * version deleted while it converts does not stop the ticker from following the others.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { ConversionService } from '../../src/convert/index.js';
import { HAVE_VENV, type JobsTestServer, startJobsServer, waitForJob } from '../jobs/support.js';
import { standInProject } from './support.js';
import { forEachStore } from '../support/stores.js';

const ADMIN = { name: 'admin', role: 'admin' as const, kind: 'token' as const };
const SCHEME = 'mlflow-artifacts:/';
const MLMODEL = 'flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n  sklearn:\n    sklearn_version: 1.9.1\n';

forEachStore('ONNX conversion of untrusted results', (kind) => {
  describe.skipIf(!HAVE_VENV)('stand-in jobs', () => {
    let t: JobsTestServer;
    const dirs: string[] = [];
    beforeAll(async () => {
      t = await startJobsServer(kind, { FERRY_CONVERT_ON_REGISTER: '0', FERRY_CONVERT_POLL_MS: '200' });
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    const artifactsRoot = () => join(t.dataDir, 'artifacts');
    const abs = (storePath: string) => join(artifactsRoot(), storePath);

    /** A project that copies report.json (as conversion.json) and model.onnx, when given, into its destination. */
    function standIn(report: string | null, onnx: boolean, sleepS = 0): string {
      const dir = standInProject('python write.py {destination}', {
        'write.py': `import os, shutil, sys, time
time.sleep(${sleepS})
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(${JSON.stringify(artifactsRoot())}, sys.argv[1][len(${JSON.stringify(SCHEME)}):])
os.makedirs(out, exist_ok=True)
for src, dst in (("model.onnx", "model.onnx"), ("report.json", "conversion.json")):
    if os.path.exists(os.path.join(here, src)):
        shutil.copy(os.path.join(here, src), os.path.join(out, dst))
`,
      });
      dirs.push(dir);
      if (report !== null) writeFileSync(join(dir, 'report.json'), report);
      if (onnx) writeFileSync(join(dir, 'model.onnx'), 'not really onnx');
      return dir;
    }

    const service = (projectDir: string) =>
      new ConversionService({
        store: t.store,
        artifacts: new LocalArtifactStore(artifactsRoot()),
        registry: t.app.ferry.registry,
        jobs: t.app.ferry.jobs.service,
        projectDir,
        executor: 'local',
        waitMs: 60_000,
        pollMs: 100,
      });

    /** Registers a version of `model` whose files (an MLmodel with the sklearn flavor) are at `storePath`. */
    async function register(model: string, storePath: string): Promise<string> {
      mkdirSync(abs(storePath), { recursive: true });
      writeFileSync(join(abs(storePath), 'MLmodel'), MLMODEL);
      const created = await t.call('POST', '/api/2.0/mlflow/registered-models/create', { name: model });
      expect([200, 400]).toContain(created.status);
      const v = await t.call('POST', '/api/2.0/mlflow/model-versions/create', { name: model, source: `${SCHEME}${storePath}` });
      expect(v.status, JSON.stringify(v.body)).toBe(200);
      return String(v.body.model_version.version);
    }

    async function converted(svc: ConversionService, model: string, version: string) {
      const { conversion } = await svc.start(model, version, ADMIN);
      await waitForJob(t, conversion.job_id, ['succeeded', 'failed'], 60_000);
      for (let i = 0; i < 100; i++) {
        const c = await svc.get(model, version);
        if (c.state === 'succeeded' || c.state === 'failed') return c;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`conversion of ${model} ${version} did not end`);
    }

    const ok = JSON.stringify({ status: 'succeeded', flavor: 'sklearn', estimator: 'LogisticRegression', check: { passed: true, max_abs_diff: 0 } });

    it('keeps one version’s ONNX file when another version registered from the same files converts', async () => {
      const a = await register('twin-a', 'shared/model');
      const b = await register('twin-b', 'shared/model');
      const first = await converted(service(standIn(ok, true)), 'twin-a', a);
      expect(first.state).toBe('succeeded');
      expect(existsSync(abs(first.onnx_path!))).toBe(true);
      const failing = JSON.stringify({ status: 'failed', step: 'convert', estimator: 'X', error: 'no converter' });
      const second = await converted(service(standIn(failing, false)), 'twin-b', b);
      expect(second.state).toBe('failed');
      // twin-a still serves its file.
      expect(existsSync(abs(first.onnx_path!))).toBe(true);
      expect(await service(standIn(ok, true)).servingPath('twin-a', a)).toBe(first.onnx_path);
    }, 120_000);

    it('ignores a report’s own onnx_path and its fields of the wrong types; NaN is no number', async () => {
      const v = await register('odd', 'odd/model');
      const report =
        '{"status": "succeeded", "estimator": 123, "step": {}, "onnx_path": "../../elsewhere/model.onnx", ' +
        '"check": {"passed": true, "max_abs_diff": NaN, "tolerance": "1e-5", "labels_equal": "yes", "compared": "probabilities"}}';
      const c = await converted(service(standIn(report, true)), 'odd', v);
      expect(c.state).toBe('succeeded');
      expect(c.onnx_path).toBe(`odd/model/ferry-onnx/${c.job_id}/model.onnx`);
      expect(c.estimator).toBeNull();
      expect(c.check).toMatchObject({ passed: true, max_abs_diff: null, tolerance: null, labels_equal: null, compared: ['probabilities'] });
      const res = await t.call('GET', `/api/v1/models/odd/versions/${v}/conversion`);
      expect(res.status).toBe(200);
      expect(res.body.conversion.onnx_path).toBe(c.onnx_path);
    }, 120_000);

    it('does not serve a model whose report of success holds no check that passed, or one over its tolerance', async () => {
      const cases: [string, object, RegExp][] = [
        ['unchecked', { status: 'succeeded', estimator: 'LogisticRegression' }, /holds no check that passed/],
        ['nullcheck', { status: 'succeeded', check: { passed: null, max_abs_diff: 0 } }, /holds no check that passed/],
        ['overtol', { status: 'succeeded', check: { passed: true, max_abs_diff: 0.5, tolerance: 1e-5 } }, /max abs difference 0\.5 is over its tolerance/],
      ];
      for (const [model, report, why] of cases) {
        const v = await register(model, `${model}/model`);
        const c = await converted(service(standIn(JSON.stringify(report), true)), model, v);
        expect(c.state, model).toBe('failed');
        expect(c.step, model).toBe('verify');
        expect(c.error, model).toMatch(why);
        expect(c.onnx_path, model).toBeNull();
      }
    }, 120_000);

    it('refuses a conversion.json past the read limit, naming its size', async () => {
      const v = await register('huge', 'huge/model');
      const report = JSON.stringify({ status: 'failed', step: 'convert', error: 'x'.repeat(2 * 1024 * 1024) });
      const c = await converted(service(standIn(report, false)), 'huge', v);
      expect(c.state).toBe('failed');
      expect(c.step).toBe('job');
      expect(c.error).toMatch(/a conversion\.json of \d+ bytes, more than the 1048576 Ferry reads/);
      expect(c.error!.length).toBeLessThan(500);
    }, 120_000);

    it('does not give a model registered again under a deleted model’s name that model’s conversion', async () => {
      const v = await register('reborn', 'reborn-old/model');
      const old = await converted(service(standIn(ok, true)), 'reborn', v);
      expect(old.state).toBe('succeeded');
      expect((await t.call('DELETE', '/api/2.0/mlflow/registered-models/delete', { name: 'reborn' })).status).toBe(200);
      const again = await register('reborn', 'reborn-new/model');
      expect(again).toBe(v);
      expect((await t.call('GET', `/api/v1/models/reborn/versions/${again}/conversion`)).status).toBe(404);
      const fresh = await converted(service(standIn(ok, true)), 'reborn', again);
      expect(fresh.job_id).not.toBe(old.job_id);
      expect(fresh.onnx_path).toMatch(/^reborn-new\/model\//);
    }, 120_000);

    it('neither records nor tags an old conversion on a version registered again while it converted', async () => {
      const v = await register('relive', 'relive-old/model');
      const svc = service(standIn(ok, true, 2));
      const old = await svc.start('relive', v, ADMIN);
      expect((await t.call('DELETE', '/api/2.0/mlflow/registered-models/delete', { name: 'relive' })).status).toBe(200);
      expect(await register('relive', 'relive-new/model')).toBe(v);
      await waitForJob(t, old.conversion.job_id, ['succeeded', 'failed'], 60_000);
      await svc.syncActive();
      const tags = (await t.call('GET', `/api/2.0/mlflow/model-versions/get?name=relive&version=${v}`)).body.model_version.tags ?? [];
      expect(tags.filter((x: { key: string }) => x.key.startsWith('ferry.onnx.'))).toEqual([]);
      expect((await t.call('GET', `/api/v1/models/relive/versions/${v}/conversion`)).status).toBe(404);
    }, 120_000);

    it('refuses (400) a deploy waiting on a conversion forgotten because its model was registered again', async () => {
      const v = await register('swap', 'swap-old/model');
      const svc = service(standIn(ok, true, 3));
      await svc.start('swap', v, ADMIN);
      const waiting = svc.servingPath('swap', v).then(
        () => null,
        (err: unknown) => err,
      );
      expect((await t.call('DELETE', '/api/2.0/mlflow/registered-models/delete', { name: 'swap' })).status).toBe(200);
      expect(await register('swap', 'swap-new/model')).toBe(v);
      const err = (await waiting) as { code?: string; message?: string } | null;
      // Polled in the moment between the delete and the registration, the version is not found (404); after, the
      // conversion is not this version's (400). Never a TypeError (500).
      expect(['INVALID_PARAMETER_VALUE', 'RESOURCE_DOES_NOT_EXIST'], String(err)).toContain(err?.code);
      if (err?.code === 'INVALID_PARAMETER_VALUE') expect(err.message).toContain('was registered again while its ONNX conversion ran');
    }, 120_000);

    it('follows the other conversions when a version was deleted while it converted', async () => {
      const gone = await register('gone', 'gone/model');
      const svc = service(standIn(ok, true, 2));
      const first = await svc.start('gone', gone, ADMIN);
      expect((await t.call('DELETE', '/api/2.0/mlflow/model-versions/delete', { name: 'gone', version: gone })).status).toBe(200);
      const other = await register('other', 'other/model');
      const second = await service(standIn(ok, true)).start('other', other, ADMIN);
      await waitForJob(t, first.conversion.job_id, ['succeeded', 'failed'], 60_000);
      await waitForJob(t, second.conversion.job_id, ['succeeded', 'failed'], 60_000);
      await expect(svc.syncActive()).resolves.toBeUndefined();
      const rows = await t.store.db.selectFrom('model_conversions').selectAll().where('model', 'in', ['gone', 'other']).execute();
      const by = Object.fromEntries(rows.map((r) => [r.model, r]));
      expect(by['other']!.state).toBe('succeeded');
      expect(by['gone']).toMatchObject({ state: 'failed', step: 'job', error: `Model gone version ${gone} was deleted while it was converted.` });
    }, 120_000);
  });
});
