/**
 * Parameters that try to inject shell, run for real on the local executor: an entry point prints its argv as
 * JSON, which must equal the values given, and no canary is touched. Then the refusals: odd parameter names,
 * a missing required parameter, wrong types, an unknown entry point, a disabled or unknown executor.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachStore } from '../support/stores.js';
import { fullLog, HAVE_VENV, type JobsTestServer, startJobsServer, uploadProject, waitForJob, zipOf } from './support.js';

const N = 20;
const names = Array.from({ length: N }, (_, i) => `p${i + 1}`);
const MLPROJECT = `name: argv
entry_points:
  main:
    parameters:
${names.map((n) => `      ${n}: string`).join('\n')}
    command: "python argv.py ${names.map((n) => `{${n}}`).join(' ')}"
  typed:
    parameters:
      lr: float
      data: {type: uri, default: "s3://bucket/x"}
    command: "python argv.py {lr} {data}"
  inherited:
    parameters:
      toString: string
      constructor: {type: float, default: 1}
    command: "python argv.py {toString} {constructor}"
`;
const ARGV = `import json, sys
print('ARGV=' + json.dumps(sys.argv[1:]), flush=True)
`;

forEachStore('job parameters', (kind) => {
  describe.skipIf(!HAVE_VENV)('on the local executor', () => {
    let t: JobsTestServer;
    let digest: string;
    const scratch = mkdtempSync(join(tmpdir(), 'ferry-params-'));
    const canaryDir = join(scratch, 'keep-me');
    const canary = (n: number) => join(scratch, `canary-${n}`);

    beforeAll(async () => {
      mkdirSync(canaryDir);
      writeFileSync(join(canaryDir, 'still-here'), 'x');
      t = await startJobsServer(kind);
      const up = await uploadProject(t, await zipOf({ MLproject: MLPROJECT, 'argv.py': ARGV }));
      expect(up.status).toBe(201);
      digest = up.body.project.digest;
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    async function argvOf(body: object): Promise<string[]> {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, ...body });
      expect(sub.status, JSON.stringify(sub.body)).toBe(201);
      const job = await waitForJob(t, sub.body.job.job_id, ['succeeded', 'failed', 'cancelled']);
      const log = await fullLog(t, job.job_id);
      expect(job.state, log).toBe('succeeded');
      const line = log.split('\n').find((l) => l.startsWith('ARGV='));
      expect(line, log).toBeDefined();
      return JSON.parse(line!.slice('ARGV='.length)) as string[];
    }

    it('passes every value as one argument, exactly, and runs none of it', async () => {
      const values = [
        `; rm -rf ${canaryDir}`,
        `$(touch ${canary(1)})`,
        `\`touch ${canary(2)}\``,
        `x\ntouch ${canary(3)}\n`,
        `a && touch ${canary(4)}`,
        `a | touch ${canary(5)}`,
        `a || touch ${canary(6)}; echo`,
        `it's`,
        `'; touch ${canary(7)}; '`,
        `say "hi" "$(touch ${canary(8)})"`,
        `back\\slash\\`,
        `{p1} { } {{`,
        'héllo ✓ 日本 🚀 \u202e',
        '',
        '$HOME ${PATH} *',
        '-rf',
        `> ${canary(9)}`,
        `\r\n\t`,
        `%s %n`,
        `' "`,
      ];
      expect(values).toHaveLength(N);
      const parameters = Object.fromEntries(names.map((n, i) => [n, values[i]!]));
      // Extra parameters become `--name value`, as mlflow run does, with the same quoting.
      const extra = { x: `$(touch ${canary(10)})`, 'odd.name-1': "'; touch x; '" };
      const argv = await argvOf({ parameters: { ...parameters, ...extra } });
      expect(argv).toEqual([...values, '--x', extra.x, '--odd.name-1', extra['odd.name-1']]);
      expect(existsSync(join(canaryDir, 'still-here'))).toBe(true);
      expect(readdirSync(scratch).filter((n) => n.startsWith('canary'))).toEqual([]);
    }, 60_000);

    it('reads a parameter named like an Object property (toString, constructor) as any other', async () => {
      const missing = await t.call('POST', '/api/v1/jobs', { project: digest, entry_point: 'inherited' });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0].field).toBe('parameters');
      expect(missing.body.detail).toContain("'toString'");
      expect(await argvOf({ entry_point: 'inherited', parameters: { toString: 'a b' } })).toEqual(['a b', '1']);
      expect(await argvOf({ entry_point: 'inherited', parameters: { toString: 'a', constructor: 2.5, valueOf: 'v' } })).toEqual(['a', '2.5', '--valueOf', 'v']);
      const badFloat = await t.call('POST', '/api/v1/jobs', { project: digest, entry_point: 'inherited', parameters: { toString: 'a', constructor: 'x' } });
      expect(badFloat.status).toBe(400);
      expect(badFloat.body.errors[0].field).toBe('parameters.constructor');
    }, 60_000);

    it('refuses parameter names that are not plain', async () => {
      for (const name of ['a;b', 'a b', '$(x)', '', 'a\nb', '--x=1 ;']) {
        const res = await t.call('POST', '/api/v1/jobs', { project: digest, parameters: { [name]: 'v' } });
        expect(res.status, name).toBe(400);
        expect(res.body.errors[0].field, name).toMatch(/^parameters/);
      }
      const proto = await t.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: { ...t.auth, 'content-type': 'application/json' },
        payload: `{"project":"${digest}","parameters":{"__proto__":{"p1":"x"}}}`,
      });
      expect(proto.statusCode).toBe(400);
    });

    it('refuses a missing required parameter, a wrong float, a wrong URI and an unknown entry point, naming the field', async () => {
      const cases: [object, string, RegExp][] = [
        [{ parameters: { p1: 'only one' } }, 'parameters', /'p2'/],
        [{ entry_point: 'typed' }, 'parameters', /'lr'/],
        [{ entry_point: 'typed', parameters: { lr: '0.1; rm -rf /' } }, 'parameters.lr', /float/],
        [{ entry_point: 'typed', parameters: { lr: 'nanx' } }, 'parameters.lr', /float/],
        [{ entry_point: 'typed', parameters: { lr: 1, data: 'not a uri' } }, 'parameters.data', /URI/],
        [{ entry_point: 'nope' }, 'entry_point', /Unknown entry point 'nope'/],
        [{ entry_point: '../argv.py' }, 'entry_point', /Unknown entry point/],
        [{ entry_point: 'argv.py; touch x' }, 'entry_point', /Unknown entry point/],
      ];
      const before = (await t.call('GET', '/api/v1/jobs?max_results=1000')).body.jobs.length;
      for (const [body, field, detail] of cases) {
        const res = await t.call('POST', '/api/v1/jobs', { project: digest, ...body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.errors[0].field, JSON.stringify(body)).toBe(field);
        expect(res.body.detail).toMatch(detail);
      }
      // Nothing was queued by any of them.
      expect((await t.call('GET', '/api/v1/jobs?max_results=1000')).body.jobs.length).toBe(before);
    });

    it('refuses a job on a disabled executor and on an unknown one', async () => {
      const name = `off-${randomBytes(3).toString('hex')}`;
      expect((await t.call('PUT', `/api/v1/executors/${name}`, { kind: 'local', enabled: false })).status).toBe(200);
      const before = (await t.call('GET', '/api/v1/jobs?max_results=1000')).body.jobs.length;
      const off = await t.call('POST', '/api/v1/jobs', { project: digest, parameters: Object.fromEntries(names.map((n) => [n, 'v'])), executor: name });
      expect(off.status).toBe(400);
      expect(off.body.errors[0].field).toBe('executor');
      expect(off.body.detail).toContain('turned off');
      const unknown = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'no-such-executor' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].field).toBe('executor');
      const invalid = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'Bad Name;' });
      expect(invalid.status).toBe(400);
      expect((await t.call('GET', '/api/v1/jobs?max_results=1000')).body.jobs.length).toBe(before);
    });
  });
});
