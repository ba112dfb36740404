/**
 * `ferry quickstart` end to end: the built CLI on a temp data dir, as a person runs it (the default replay,
 * not a shortened one), then every piece of the demo checked through the SDK; a second start on the same
 * data dir reuses the demo (--json); --no-demo starts bare.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FerryClient } from '../sdk/index.js';
import { ensureBuilt, ROOT } from '../../test/support/ferry-process.js';
import { chromiumAvailable, closeBrowser, openUi } from '../../test/support/browser.js';

const TOKEN = 'ferry-quickstart-test-token-0123456789';
const CLEARED = [
  'FERRY_URL',
  'FERRY_TOKEN',
  'FERRY_HOST',
  'FERRY_PORT',
  'FERRY_DATA_DIR',
  'FERRY_STORE',
  'FERRY_INSECURE_NO_AUTH',
  'FERRY_ADMIN_TOKEN',
  'FERRY_ALLOWED_HOSTS',
  'FERRY_LOG_LEVEL',
  'FORCE_COLOR',
];

interface Quickstart {
  child: ChildProcess;
  out(): string;
  waitFor(re: RegExp, ms: number): Promise<RegExpExecArray>;
  /** Signals the process and resolves with its exit code. */
  stop(sig?: NodeJS.Signals): Promise<number | null>;
}

function quickstart(args: string[]): Quickstart {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FERRY_ADMIN_TOKEN: TOKEN };
  for (const k of CLEARED) if (k !== 'FERRY_ADMIN_TOKEN') delete env[k];
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'ferry.js'), 'quickstart', '--port', '0', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let all = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => ((stdout += d), (all += d)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (all += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    out: () => all,
    waitFor: (re, ms) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no ${re} within ${ms} ms:\n${all}`)), ms);
        const check = () => {
          const m = re.exec(stdout);
          if (m) done(null, m);
        };
        const onExit = (code: number | null) => done(new Error(`quickstart exited (${code}) before ${re}:\n${all}`));
        function done(err: Error | null, m?: RegExpExecArray) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.off('exit', onExit);
          if (err) reject(err);
          else resolve(m!);
        }
        child.stdout!.on('data', check);
        child.once('exit', onExit);
        check();
      }),
    async stop(sig = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

describe('ferry quickstart', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'ferry-quickstart-')), 'data');
  let qs: Quickstart;
  let client: FerryClient;
  let url = '';
  let loadedIn = 0;

  beforeAll(async () => {
    await ensureBuilt();
    const t0 = Date.now();
    qs = quickstart(['--data-dir', dataDir]);
    const [, token] = await qs.waitFor(/^Token\s+(\S+)$/m, 150_000);
    loadedIn = (Date.now() - t0) / 1000;
    url = (await qs.waitFor(/^Open\s+(\S+)$/m, 1000))[1]!;
    expect(token).toBe(TOKEN);
    client = new FerryClient({ url, token: TOKEN });
  }, 180_000);

  afterAll(async () => {
    await qs?.stop();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('prints the URL, the token, the steps and what to look at', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const out = qs.out();
    expect(out).toMatch(/dataset credit-risk: version 1/);
    expect(out).toMatch(/Alert firing: credit-risk-drift/);
    expect(out).toMatch(/v1 to 90% of requests and v2 to 10%/);
    console.log(`quickstart: URL and token printed after ${loadedIn.toFixed(1)} s`);
  });

  it('has the dataset in two versions, with the inferred suite run on version 2', async () => {
    const versions = await client.data.versions('credit-risk');
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
    const v1 = versions.find((v) => v.version === 1)!;
    const v2 = versions.find((v) => v.version === 2)!;
    expect(v1.rows).toBe(2000);
    expect(v2.rows).toBeGreaterThan(v1.rows);
    const validations = await client.data.versionValidations('credit-risk', 2);
    expect(validations.map((v) => [v.suite, v.success])).toContainEqual(['credit-risk-checks', true]);
  });

  it('has tracked runs with params, stepped metrics and their training data', async () => {
    const experiment = await client.experiments.getByName('credit-risk');
    const found = await client.runs.search({ experimentIds: [experiment.experiment_id] });
    // The three tracked runs the demo logs (the fourth is the job that trained the deliberately worse version).
    const runs = found.runs.filter((r) => !r.data.tags.some((t) => t.key === 'ferry.job_id'));
    expect(runs).toHaveLength(3);
    expect(found.runs).toHaveLength(4);
    const digests = new Set((await client.data.versions('credit-risk')).map((v) => v.digest));
    for (const run of runs) {
      expect(run.info.status).toBe('FINISHED');
      expect(run.data.params.map((p) => p.key)).toEqual(expect.arrayContaining(['max_depth', 'learning_rate', 'n_estimators']));
      const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m]));
      expect(metrics['val_loss']?.step).toBe(19);
      expect(metrics['train_loss']?.step).toBe(19);
      expect(typeof metrics['val_auc']?.value).toBe('number');
      const input = run.inputs.dataset_inputs[0]!;
      expect(input.tags).toContainEqual({ key: 'mlflow.data.context', value: 'training' });
      expect(digests.has(input.dataset.digest)).toBe(true);
    }
  });

  it('has model versions registered from their runs, with lineage both ways', async () => {
    // 1 and 2 from the tracked runs; 3, the worse version, and 4, the loop's retrained one, from their jobs' runs.
    const versions = await client.modelVersions.listForModel('credit-risk');
    expect(versions.map((v) => v.version).sort()).toEqual(['1', '2', '3', '4']);
    for (const v of versions) expect(v.run_id).toMatch(/^[0-9a-f]{32}$/);
    const lineage = await client.data.modelLineage('credit-risk', 2);
    expect(lineage.run?.run_id).toBe(versions.find((v) => v.version === '2')!.run_id);
    expect(lineage.datasets[0]!.dataset_versions.map((d) => d.ref)).toEqual(['credit-risk@2']);
    const back = await client.data.lineage('credit-risk', 1);
    expect(back.model_versions.map((m) => m.version)).toEqual(['1']);
  });

  it('serves v1 at 90 and v2 at 10, both ready', async () => {
    const d = await client.deployments.get('credit-risk');
    expect(d.spec.routes.map((r) => [r.model, r.version, r.weight])).toEqual([
      ['credit-risk', '1', 90],
      ['credit-risk', '2', 10],
    ]);
    // Main routes first (the loop's candidate may be shadowing already, after them; a revision that adds the shadow
    // reports its routes loading for a moment).
    let status = d.status;
    for (let i = 0; i < 50 && status.routes.slice(0, 2).some((r) => r.state !== 'ready'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await client.deployments.get('credit-risk')).status;
    }
    expect(status.routes.slice(0, 2).map((r) => r.state)).toEqual(['ready', 'ready']);
    const settings = await client.monitoring.settings('credit-risk');
    expect(settings.settings.window).toBe('10s');
  });

  it('logged predictions over several windows; the early ones match the training data, the later ones drift', async () => {
    const { predictions } = await client.monitoring.predictions('credit-risk', { from: '15m', limit: 1000, route: 'main' });
    expect(new Set(predictions.map((p) => p.model_version))).toEqual(new Set(['1', '2']));
    const { windows } = await client.http.get<{ windows: { start: string; rows: number; dataset_drift: boolean }[] }>(
      '/api/v1/deployments/credit-risk/drift/windows',
      { from: '15m' },
    );
    // The replay starts early in a window, so even the first one holds hundreds of rows (no drift by chance).
    expect(windows.find((w) => w.rows > 0)!.rows).toBeGreaterThan(300);
    const busy = windows.filter((w) => w.rows >= 100);
    expect(busy.length).toBeGreaterThanOrEqual(4);
    expect(busy.slice(0, 2).map((w) => w.dataset_drift)).toEqual([false, false]);
    expect(busy.at(-1)!.dataset_drift).toBe(true);
    const reference = await client.monitoring.drift('credit-risk', { from: '15m' });
    expect(reference.reference.rows).toBe(2000);
    expect(reference.dataset_drift).toBe(true);
    expect(reference.features.find((f) => f.name === 'income')?.drifted).toBe(true);
  });

  it('turned feedback labels into live performance per model version', async () => {
    const perf = await client.monitoring.performance('credit-risk', { from: '15m' });
    expect(perf.versions.map((v) => v.model_version).sort()).toEqual(['1', '2']);
    for (const v of perf.versions) {
      expect(v.n).toBeGreaterThan(20);
      expect(v.task).toBe('classification');
      expect(typeof ('accuracy' in v ? v.accuracy : undefined)).toBe('number');
      expect(typeof ('roc_auc' in v ? v.roc_auc : undefined)).toBe('number');
    }
  });

  it('runs an A/B test of the canary on accuracy and log loss from the feedback labels', async () => {
    expect(qs.out()).toMatch(/A\/B test credit-risk-v2, v2 against v1 on accuracy/);
    const info = await client.abtests.get('credit-risk-v2');
    // Stopped with its verdict when the loop takes the deployment over.
    expect([info.state, info.arms]).toEqual([
      'stopped',
      [
        { version: '1', weight: 90 },
        { version: '2', weight: 10 },
      ],
    ]);
    const report = await client.abtests.report('credit-risk-v2');
    const [accuracy, logLoss] = report.metrics;
    expect([accuracy!.metric, logLoss!.metric]).toEqual(['model:accuracy', 'model:log_loss']);
    for (const arm of accuracy!.arms) {
      // Units of the replay's first 25 s are mature (15 s windows): about 450 requests on v1, 50 on v2.
      expect(arm.units, arm.arm).toBeGreaterThan(10);
      expect(arm.mean).toBeGreaterThan(0.5);
      expect(arm.mean).toBeLessThanOrEqual(1);
    }
    expect(['better', 'worse', 'inconclusive']).toContain(report.decision.verdict);
    expect(report.decision.reason.length).toBeGreaterThan(10);
  });

  it('has the drift alert firing and the error-rate rule quiet', async () => {
    const alerts = await client.alerts.list({ deployment: 'credit-risk', state: 'all' });
    const state = Object.fromEntries(alerts.map((a) => [a.rule, a.state]));
    expect(state).toEqual({ 'credit-risk-drift': 'firing', 'credit-risk-errors': 'inactive' });
    const history = await client.alerts.history({ deployment: 'credit-risk' });
    expect(history.events.some((e) => e.rule === 'credit-risk-drift' && e.event === 'firing' && e.value === 1)).toBe(true);
  });

  it('tells the loop story: a worse version rejected at the gate, then drift → retrain → gate → shadow → canary → promoted', async () => {
    expect(qs.out()).toMatch(/Loop credit-risk-retrain/);
    const first = await client.loops.run('credit-risk-retrain', 1);
    expect([first.trigger, first.state]).toEqual(['registry', 'rejected']);
    const gate = first.steps.find((s) => s.kind === 'evaluating')!;
    expect(gate.reason).toMatch(/^Rejected: /);
    // The drift alert's run trains with a job on the local executor and goes through every step to promotion.
    let second = await client.loops.run('credit-risk-retrain', 2);
    expect(second.trigger).toBe('alert');
    const end = Date.now() + 120_000;
    while (second.ended_at === null && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 500));
      second = await client.loops.run('credit-risk-retrain', 2);
    }
    expect(second.state, second.steps.map((s) => `${s.kind}: ${s.reason}`).join('\n')).toBe('promoted');
    expect(second.steps.map((s) => s.kind)).toEqual(
      expect.arrayContaining(['triggered', 'training', 'registered', 'evaluating', 'shadow', 'canary', 'promoted']),
    );
    const job = await client.jobs.get(second.steps.find((s) => s.kind === 'training')!.links.job_id!);
    expect(job.state).toBe('succeeded');
    const d = await client.deployments.get('credit-risk');
    expect(d.spec.routes.find((r) => r.version === second.candidate_version)?.weight).toBe(90);
    expect((await client.modelVersions.getByAlias('credit-risk', 'champion')).version).toBe(second.candidate_version);
  }, 150_000);

  it('serves the web UI at / (when it is built)', async () => {
    const res = await fetch(`${url}/`);
    await res.arrayBuffer();
    if (existsSync(join(ROOT, 'dist', 'ui', 'index.html'))) expect(res.status).toBe(200);
    else expect([200, 404]).toContain(res.status);
  });

  // What a newcomer opens: every section renders the demo's content in a real browser, with no console errors.
  it.runIf(chromiumAvailable())(
    'shows the demo on every page of the web UI (chromium)',
    async () => {
      const ui = await openUi(url, { testName: 'quickstart-demo' });
      try {
        await ui.signIn(TOKEN);
        const visit = async (hash: string, texts: (string | RegExp)[], shot: string) => {
          await ui.goto(hash);
          for (const t of texts) await ui.page.getByText(t).first().waitFor();
          await ui.screenshot(shot);
        };
        await visit('#/', ['credit-risk', /90\s*%/], 'home-deployments');
        await visit('#/deployments/credit-risk', [/90\s*%/, /10\s*%/, 'Revisions'], 'deployment');
        await visit('#/monitoring/credit-risk', ['income'], 'monitoring-drift');
        await ui.page.getByText('income').first().click();
        await ui.page.locator('svg, canvas').first().waitFor();
        await ui.screenshot('monitoring-income-histogram');
        await visit('#/alerts', ['credit-risk-drift'], 'alerts');
        await visit('#/models/credit-risk', ['champion', 'challenger'], 'model');
        await visit('#/data/credit-risk', ['credit-risk'], 'dataset');
        await visit('#/experiments', ['credit-risk'], 'experiments');
        await visit('#/abtests/credit-risk-v2', ['model:accuracy', 'model:log_loss'], 'abtest');
        ui.expectNoConsoleErrors();
      } finally {
        await ui.close();
        await closeBrowser();
      }
    },
    120_000,
  );

  it('stops cleanly on SIGINT and reuses the demo on the next start (--json)', async () => {
    const t0 = Date.now();
    const code = await qs.stop('SIGINT');
    expect({ code, output: code === 0 ? '' : qs.out().slice(-2000) }).toEqual({ code: 0, output: '' });
    console.log(`quickstart: stopped ${Date.now() - t0} ms after SIGINT`);
    const again = quickstart(['--data-dir', dataDir, '--json', '--no-live']);
    try {
      const [line] = await again.waitFor(/^\{.*\}$/m, 30_000);
      const ready = JSON.parse(line) as { url: string; token: string; data_dir: string; live_traffic: boolean; demo: { reused?: boolean } };
      expect(ready).toMatchObject({ token: TOKEN, data_dir: dataDir, live_traffic: false, demo: { reused: true } });
      const c = new FerryClient({ url: ready.url, token: TOKEN });
      expect((await c.modelVersions.listForModel('credit-risk')).length).toBe(4);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 60_000);

  it('--no-demo starts an empty server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-quickstart-bare-'));
    const bare = quickstart(['--data-dir', dir, '--no-demo', '--json']);
    try {
      const ready = JSON.parse((await bare.waitFor(/^\{.*\}$/m, 30_000))[0]) as { url: string; demo: unknown };
      expect(ready.demo).toBeNull();
      const c = new FerryClient({ url: ready.url, token: TOKEN });
      expect(await c.deployments.list()).toEqual([]);
    } finally {
      await bare.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
