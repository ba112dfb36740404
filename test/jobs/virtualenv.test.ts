/**
 * env_manager virtualenv on the local executor: the job runs in a virtual environment built from the project's
 * python_env.yaml (a tiny pure-Python package from PyPI), kept in Ferry's envs cache under the data dir, and a
 * second job with the same python_env.yaml reuses it instead of building it again.
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachStore } from '../support/stores.js';
import { fullLog, HAVE_VENV, type JobsTestServer, startJobsServer, uploadProject, waitForJob, zipOf } from './support.js';

const MLPROJECT = `name: venv
python_env: python_env.yaml
entry_points:
  main:
    command: "python show.py"
`;
const PYTHON_ENV = `python: "3.11"
build_dependencies:
  - pip
dependencies:
  - six==1.16.0
`;
// mlflow-free on purpose: the venv holds only six (and pip).
const SHOW = `import json, sys, six
print('PREFIX=' + sys.prefix, flush=True)
print('SIX=' + six.__file__, flush=True)
try:
    import mlflow
    print('MLFLOW=present')
except ImportError:
    print('MLFLOW=absent')
`;

forEachStore('virtualenv jobs', (kind) => {
  describe.skipIf(!HAVE_VENV)('on the local executor', () => {
    let t: JobsTestServer;
    let digest: string;
    beforeAll(async () => {
      t = await startJobsServer(kind);
      const up = await uploadProject(t, await zipOf({ MLproject: MLPROJECT, 'python_env.yaml': PYTHON_ENV, 'show.py': SHOW }));
      expect(up.status).toBe(201);
      expect(up.body.project.has_python_env).toBe(true);
      digest = up.body.project.digest;
    }, 60_000);
    afterAll(async () => t?.close());

    async function run(): Promise<{ log: string; prefix: string }> {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, env_manager: 'virtualenv' });
      expect(sub.status, JSON.stringify(sub.body)).toBe(201);
      expect(sub.body.job.env_manager).toBe('virtualenv');
      const job = await waitForJob(t, sub.body.job.job_id, ['succeeded', 'failed', 'cancelled'], 180_000);
      const log = await fullLog(t, job.job_id);
      expect(job.state, log).toBe('succeeded');
      const prefix = /^PREFIX=(.*)$/m.exec(log)?.[1];
      expect(prefix, log).toBeDefined();
      return { log, prefix: prefix! };
    }

    it('builds the environment once, runs the job in it, and reuses it for the next job', async () => {
      const envs = join(realpathSync(t.dataDir), 'jobs', 'envs');
      const first = await run();
      expect(realpathSync(first.prefix).startsWith(`${envs}/`), first.log).toBe(true);
      expect(first.log).toContain('ferry: building it');
      expect(first.log).toMatch(new RegExp(`^SIX=${first.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/lib/python[\\d.]+/site-packages/six\\.py$`, 'm'));
      // The environment is the project's, not the server's: mlflow (in the test venv) is not in it.
      expect(first.log).toContain('MLFLOW=absent');

      const second = await run();
      expect(second.prefix).toBe(first.prefix);
      expect(second.log).not.toContain('ferry: building it');
      expect(second.log).toContain(`SIX=${first.prefix}`);
    }, 240_000);

    it('refuses virtualenv for a project without python_env.yaml', async () => {
      const up = await uploadProject(t, await zipOf({ MLproject: 'name: bare\nentry_points:\n  main:\n    command: "python -c pass"\n' }));
      const res = await t.call('POST', '/api/v1/jobs', { project: up.body.project.digest, env_manager: 'virtualenv' });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('env_manager');
    });
  });
});
