/** The `ferry` CLI (built, as a child process) against a real server; seeded through the SDK. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FerryServer, failed, ok, runCli, startFerry, unusedPort } from '../../test/support/ferry-process.js';
import { FerryClient, type Run, type SearchRunsResponse } from '../sdk/index.js';

let server: FerryServer;
let env: Record<string, string>;
let expId: string;
const runIds: Record<string, string> = {};

beforeAll(async () => {
  server = await startFerry();
  env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken };
  const sdk = new FerryClient({ url: server.url, token: server.adminToken });
  expId = await sdk.experiments.create('cli-exp');
  for (const [name, rmse, alpha] of [
    ['run-a', 0.3, '0.1'],
    ['run-b', 0.7, '0.5'],
  ] as const) {
    const run = await sdk.runs.create({ experimentId: expId, runName: name });
    await sdk.runs.logBatch(run.info.run_id, {
      metrics: [
        { key: 'rmse', value: rmse },
        { key: 'r2', value: 1 - rmse },
      ],
      params: [{ key: 'alpha', value: alpha }],
      tags: [{ key: 'team', value: 'ml' }],
    });
    runIds[name] = run.info.run_id;
  }
  await sdk.runs.update(runIds['run-a']!, { status: 'FINISHED' });
  await sdk.models.create('cli-model', { description: 'the CLI test model' });
  await sdk.modelVersions.create({ name: 'cli-model', source: 'mlflow-artifacts:/x', runId: runIds['run-a'] });
  await sdk.modelVersions.create({ name: 'cli-model', source: 'mlflow-artifacts:/y', runId: runIds['run-b'] });
  await sdk.models.setAlias('cli-model', 'champion', 2);
});

afterAll(async () => {
  await server?.stop();
});

const ferry = (...args: string[]) => runCli(args, env);

/** Column start positions of a table's header must match where the row's values start. */
function columnStart(table: string, header: string): number {
  return table.split('\n')[0]!.indexOf(header);
}

describe('ferry CLI against a real server', () => {
  it('lists experiments as an aligned table and as JSON', async () => {
    const [table, json] = await Promise.all([ferry('experiments', 'list'), ferry('experiments', 'list', '--json')]);
    const out = ok(table);
    expect(out.split('\n')[0]).toMatch(/^\s*ID {2}NAME +STAGE +CREATED +ARTIFACT LOCATION$/);
    const line = out.split('\n').find((l) => l.includes('cli-exp'))!;
    expect(line.indexOf('cli-exp')).toBe(columnStart(out, 'NAME'));
    expect(line.indexOf('active')).toBe(columnStart(out, 'STAGE'));
    const parsed = JSON.parse(ok(json)) as { experiments: { name: string }[] };
    expect(parsed.experiments.map((e) => e.name)).toEqual(expect.arrayContaining(['Default', 'cli-exp']));
  });

  it('lists runs by experiment name or id, with filter, order and page size', async () => {
    const byName = ok(await ferry('runs', 'list', '--experiment', 'cli-exp'));
    expect(byName.split('\n')[0]).toMatch(/^RUN ID +NAME +STATUS +STARTED +DURATION +METRICS$/);
    expect(byName).toContain('run-a');
    expect(byName).toContain('run-b');
    expect(byName).toMatch(/r2=0\.7 rmse=0\.3/);
    const runA = byName.split('\n').find((l) => l.includes('run-a'))!;
    expect(runA.indexOf('FINISHED')).toBe(columnStart(byName, 'STATUS'));

    const filtered = ok(await ferry('runs', 'list', '--experiment', expId, '--filter', 'metrics.rmse < 0.5'));
    expect(filtered).toContain('run-a');
    expect(filtered).not.toContain('run-b');

    const res = await ferry('runs', 'list', '--experiment', 'cli-exp', '--order-by', 'metrics.rmse DESC', '--max-results', '1', '--json');
    const page = JSON.parse(ok(res)) as SearchRunsResponse;
    expect(page.runs.map((r) => r.info.run_name)).toEqual(['run-b']);
    expect(page.next_page_token).toBeTruthy();
    const next = JSON.parse(
      ok(await ferry('runs', 'list', '--experiment', 'cli-exp', '--order-by', 'metrics.rmse DESC', '--page-token', page.next_page_token!, '--json')),
    ) as SearchRunsResponse;
    expect(next.runs.map((r) => r.info.run_name)).toEqual(['run-a']);

    const hinted = await ferry('runs', 'list', '--experiment', 'cli-exp', '--max-results', '1');
    expect(hinted.stderr).toContain('--page-token');
  });

  it('shows a run with params, metrics and tags', async () => {
    const out = ok(await ferry('runs', 'show', runIds['run-a']!));
    expect(out).toMatch(/^Run ID +[0-9a-f]{32}$/m);
    expect(out).toMatch(/^Status +FINISHED$/m);
    expect(out).toMatch(/^Params\n {2}KEY +VALUE\n {2}alpha +0\.1$/m);
    expect(out).toMatch(/^ {2}rmse +0\.3 +0 /m);
    expect(out).toMatch(/^ {2}team +ml$/m);
    const run = JSON.parse(ok(await ferry('runs', 'show', runIds['run-b']!, '--json'))) as Run;
    expect(run.info).toMatchObject({ run_id: runIds['run-b'], run_name: 'run-b', status: 'RUNNING' });
    expect(run.data.params).toEqual([{ key: 'alpha', value: '0.5' }]);
  });

  it('lists models and shows one with its versions and aliases', async () => {
    const list = ok(await ferry('models', 'list'));
    expect(list.split('\n')[0]).toMatch(/^NAME +LATEST +ALIASES +UPDATED +DESCRIPTION$/);
    expect(list).toMatch(/^cli-model +2 +champion=v2 .* the CLI test model$/m);

    const show = ok(await ferry('models', 'show', 'cli-model'));
    expect(show).toMatch(/^Name +cli-model$/m);
    expect(show).toMatch(/^Aliases\n {2}ALIAS +VERSION\n {2}champion +2$/m);
    expect(show).toMatch(/^ {2} {6}2 +champion +None +READY .*mlflow-artifacts:\/y$/m);
    expect(show).toMatch(/^ {2} {6}1 +None +READY .*mlflow-artifacts:\/x$/m);

    const json = JSON.parse(ok(await ferry('models', 'show', 'cli-model', '--json'))) as {
      registered_model: { name: string };
      model_versions: { version: string; aliases: string[] }[];
    };
    expect(json.registered_model.name).toBe('cli-model');
    expect(json.model_versions.map((v) => [v.version, v.aliases])).toEqual(
      expect.arrayContaining([
        ['1', []],
        ['2', ['champion']],
      ]),
    );
    expect(JSON.parse(ok(await ferry('models', 'list', '--json'))).registered_models[0].name).toBe('cli-model');

    expect(failed(await ferry('models', 'show', 'nope'))).toMatch(/^ferry: .*nope/);
  });

  it('creates, lists and revokes tokens', async () => {
    const created = await ferry('token', 'create', '--role', 'editor', '--name', 'ci');
    const secret = ok(created).trim();
    expect(secret).not.toContain('\n');
    expect(secret.length).toBeGreaterThanOrEqual(16);
    expect(created.stderr).toContain("editor token 'ci'");

    // The new token works, through --token (which wins over FERRY_TOKEN).
    const asCi = await runCli(['--token', secret, 'experiments', 'list', '--json'], env);
    expect(JSON.parse(ok(asCi)).experiments.length).toBeGreaterThan(0);

    const list = ok(await ferry('token', 'list'));
    expect(list.split('\n')[0]).toMatch(/^ID +NAME +SCOPE +STATUS +EXPIRES +CREATED +CREATED BY$/);
    const { tokens } = JSON.parse(ok(await ferry('token', 'list', '--json'))) as { tokens: { token_id: string; name: string; role: string }[] };
    const ci = tokens.find((t) => t.name === 'ci')!;
    expect(ci.role).toBe('editor');
    expect(list).toMatch(new RegExp(`^${ci.token_id} +ci +editor +active `, 'm'));

    // An editor may not manage tokens.
    expect(failed(await runCli(['token', 'list'], { ...env, FERRY_TOKEN: secret }))).toMatch(/^ferry: Permission denied: .*'admin' role/);

    expect(ok(await ferry('token', 'revoke', ci.token_id))).toBe(`Revoked token ${ci.token_id}.\n`);
    expect(ok(await ferry('token', 'list'))).toMatch(new RegExp(`^${ci.token_id} +ci +editor +revoked `, 'm'));
    expect(failed(await runCli(['experiments', 'list'], { ...env, FERRY_TOKEN: secret }))).toMatch(
      /^ferry: Invalid credentials.*\(pass --token or set FERRY_TOKEN\)\n$/,
    );
    expect(failed(await ferry('token', 'revoke', ci.token_id, '--json'))).toMatch(/^ferry: No active token/);

    const json = JSON.parse(ok(await ferry('token', 'create', '--name', 'viewer-bot', '--json')));
    expect(json).toMatchObject({ name: 'viewer-bot', role: 'viewer', token: expect.any(String), token_id: expect.any(String) });
  });

  it('lets --url and --token override the environment', async () => {
    const bogus = { FERRY_URL: `http://127.0.0.1:${await unusedPort()}`, FERRY_TOKEN: 'wrong-token-wrong-token' };
    const res = await runCli(['--url', server.url, '--token', server.adminToken, 'experiments', 'list'], bogus);
    expect(ok(res)).toContain('cli-exp');
    const after = await runCli(['experiments', 'list', '--url', server.url, '--token', server.adminToken], bogus);
    expect(ok(after)).toContain('cli-exp');
  });

  it('reports errors as `ferry: <message>` with exit code 1', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}`;
    expect(failed(await runCli(['experiments', 'list'], { FERRY_URL: url }))).toMatch(
      new RegExp(`^ferry: cannot reach Ferry at ${url.replace(/\./g, '\\.')}: .*ECONNREFUSED`),
    );
    expect(failed(await ferry('runs', 'list', '--experiment', 'missing-exp'))).toBe("ferry: no experiment with id or name 'missing-exp'\n");
    expect(failed(await ferry('runs', 'list', '--experiment', 'cli-exp', '--max-results', 'abc'))).toMatch(
      /^ferry: option '--max-results <n>' argument 'abc' is invalid/,
    );
    expect(failed(await ferry('runs', 'list'))).toMatch(/^ferry: required option '--experiment <id\|name>' not specified/);
    expect(failed(await ferry('runs', 'list', '--experiment', 'cli-exp', '--filter', 'metrics.rmse <<< 1'))).toMatch(/^ferry: Invalid filter/);
    expect(failed(await ferry('token', 'create', '--name', 'x', '--role', 'root'))).toMatch(/^ferry: option '--role <role>' argument 'root' is invalid/);
    expect(failed(await runCli(['experiments', 'list'], { FERRY_URL: server.url }))).toMatch(/^ferry: Authentication required/);
  });
});
