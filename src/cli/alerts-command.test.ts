/** `ferry alerts ...` (built, as child processes) against a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FerryServer, failed, ok, runCli, startFerry } from '../../test/support/ferry-process.js';

let server: FerryServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startFerry();
  env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken, HOOK_SECRET: 'cli-secret-0123456789' };
});

afterAll(async () => {
  await server?.stop();
});

const ferry = (...args: string[]) => runCli(args, env, { timeoutMs: 60_000 });

describe('ferry alerts against a real server', () => {
  it('creates, lists and deletes rules (table and --json)', async () => {
    const created = JSON.parse(
      ok(
        await ferry(
          'alerts',
          'rules',
          'create',
          '--name',
          'cli-errors',
          '--deployment',
          'credit',
          '--metric',
          'error_rate',
          '--comparison',
          '>',
          '--threshold',
          '0.05',
          '--for',
          '5m',
          '--severity',
          'critical',
          '--label',
          'team=risk',
          '--json',
        ),
      ),
    );
    expect(created.rule).toMatchObject({ name: 'cli-errors', threshold: 0.05, for: '5m', severity: 'critical', labels: { team: 'risk' } });
    expect(
      ok(
        await ferry(
          'alerts',
          'rules',
          'create',
          '--name',
          'cli-drift',
          '--deployment',
          'credit',
          '--metric',
          'drift_score:age',
          '--comparison',
          '>=',
          '--threshold',
          '0.2',
        ),
      ),
    ).toMatch(/^Created alert rule cli-drift .*drift_score:age >= 0.2 over 5m, for 0s, warning\.\n$/);
    const table = ok(await ferry('alerts', 'rules', 'list'));
    expect(table.split('\n')[0]).toMatch(/^NAME\s+DEPLOYMENT\s+CONDITION\s+WINDOW\s+FOR\s+SEVERITY\s+ENABLED\s+ID$/);
    expect(table).toMatch(/cli-errors\s+credit\s+error_rate > 0.05\s+5m\s+5m\s+critical\s+yes/);
    expect(JSON.parse(ok(await ferry('alerts', 'rules', 'list', '--deployment', 'credit', '--json'))).rules).toHaveLength(2);
    expect(ok(await ferry('alerts', 'rules', 'delete', 'cli-drift'))).toBe('Deleted alert rule cli-drift.\n');
  });

  it('refuses a malformed rule with the field named and exit 1', async () => {
    const err = failed(
      await ferry('alerts', 'rules', 'create', '--name', 'x', '--deployment', 'credit', '--metric', 'cpu', '--comparison', '>', '--threshold', '1'),
    );
    expect(err).toMatch(/^ferry: Unknown metric 'cpu'/);
    expect(
      failed(await ferry('alerts', 'rules', 'create', '--name', 'x', '--deployment', 'credit', '--metric', 'mae', '--comparison', '>', '--threshold', 'high')),
    ).toMatch(/threshold.*must be a number/);
    expect(
      failed(
        await ferry(
          'alerts',
          'rules',
          'create',
          '--name',
          'x',
          '--deployment',
          'credit',
          '--metric',
          'mae',
          '--comparison',
          '>',
          '--threshold',
          '1',
          '--window',
          '-5m',
        ),
      ),
    ).toMatch(/window/);
  });

  it('takes durations in the one grammar of the API: --window 1.5h and --for 1h30m, refusing others naming the flag', async () => {
    const rule = [
      'alerts',
      'rules',
      'create',
      '--name',
      'cli-dur',
      '--deployment',
      'credit',
      '--metric',
      'error_rate',
      '--comparison',
      '>',
      '--threshold',
      '1',
    ];
    const created = JSON.parse(ok(await ferry(...rule, '--window', '1.5h', '--for', '1h30m', '--json'))).rule;
    expect(created).toMatchObject({ window: '1h30m', window_ms: 5_400_000, for: '1h30m', for_ms: 5_400_000 });
    expect(failed(await ferry(...rule, '--window', '30m1h'))).toMatch(/^ferry: '--window' must be a duration such as 90s, 5m, 1h30m or 1\.5h/);
    expect(failed(await ferry('alerts', 'silence', '--matcher', 'deployment=credit', '--for', '2 hours'))).toMatch(/'--for' must be a duration/);
    expect(JSON.parse(ok(await ferry('alerts', 'history', '--since', '1h30m', '--json')))).toEqual({ events: [] });
    expect(ok(await ferry('alerts', 'rules', 'delete', 'cli-dur'))).toBe('Deleted alert rule cli-dur.\n');
  });

  it('lists current alerts, evaluates and shows history', async () => {
    expect((await ferry('alerts')).stderr).toBe('No alerts.\n');
    expect(JSON.parse(ok(await ferry('alerts', '--json')))).toEqual({ alerts: [] });
    expect(JSON.parse(ok(await ferry('alerts', 'list', '--state', 'all', '--json'))).alerts[0]).toMatchObject({ rule: 'cli-errors', state: 'inactive' });
    expect(ok(await ferry('alerts', 'evaluate'))).toMatch(/^Evaluated 1 rule at /);
    expect(JSON.parse(ok(await ferry('alerts', 'history', '--deployment', 'credit', '--since', '1h', '--json')))).toEqual({ events: [] });
    expect((await ferry('alerts', 'history')).stderr).toBe('No alert events.\n');
  });

  it('silences by matcher for a duration', async () => {
    const out = JSON.parse(
      ok(
        await ferry(
          'alerts',
          'silence',
          '--matcher',
          'deployment=credit',
          '--matcher',
          'severity=~warn.*',
          '--for',
          '2h',
          '--comment',
          'maintenance',
          '--json',
        ),
      ),
    );
    expect(out.silence).toMatchObject({
      status: 'active',
      comment: 'maintenance',
      matchers: [
        { name: 'deployment', value: 'credit', is_regex: false },
        { name: 'severity', value: 'warn.*', is_regex: true },
      ],
    });
    expect(out.silence.ends_at - out.silence.starts_at).toBe(7_200_000);
    expect(ok(await ferry('alerts', 'silences'))).toMatch(/active\s+deployment=credit, severity=~warn\.\*/);
    expect(failed(await ferry('alerts', 'silence', '--matcher', 'nonsense', '--for', '2h'))).toMatch(/name=value/);
  });

  it('adds notifiers with the secret from an environment variable, within the destination policy', async () => {
    expect(
      failed(await ferry('alerts', 'notifiers', 'add', '--name', 'hook', '--webhook-url', 'http://169.254.169.254/', '--secret-env', 'HOOK_SECRET')),
    ).toMatch(/url.*link-local/);
    expect(ok(await ferry('alerts', 'destinations', '--allow', '127.0.0.1'))).toMatch(/^allow\s+127\.0\.0\.1\n/);
    const added = ok(
      await ferry('alerts', 'notifiers', 'add', '--name', 'hook', '--webhook-url', 'http://127.0.0.1:9/hook', '--secret-env', 'HOOK_SECRET', '--json'),
    );
    expect(added).not.toContain(env['HOOK_SECRET']);
    expect(JSON.parse(added).notifier).toMatchObject({ name: 'hook', has_secret: true });
    expect(failed(await ferry('alerts', 'notifiers', 'add', '--name', 'h2', '--webhook-url', 'http://127.0.0.1:9/', '--secret-env', 'UNSET_VAR'))).toMatch(
      /UNSET_VAR/,
    );
    const list = ok(await ferry('alerts', 'notifiers', 'list'));
    expect(list).toMatch(/hook\s+webhook\s+http:\/\/127\.0\.0\.1:9\/hook\s+yes\s+yes/);
    expect(list).not.toContain(env['HOOK_SECRET']);
    expect(ok(await ferry('alerts', 'notifiers', 'delete', 'hook'))).toBe('Deleted notifier hook.\n');
  });
});
