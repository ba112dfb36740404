/**
 * The Jobs page in a real chromium against a real `ferry server` whose local executor runs the test venv's
 * python: a succeeded job (with a model version registered from its run), a failed one and a running one that
 * prints a line every 0.1 s. The list shows their states and filters them and refreshes itself while a job is
 * active; a job's page shows its log (live for the running job, kept at the end unless scrolled up), an
 * editor's Cancel of someone else's job is refused in words, a viewer gets no Cancel, an admin's Cancel
 * ends the job; the run link opens the run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import yazl from 'yazl';
import { FerryClient, type Job } from '../../src/sdk/index.js';
import { closeBrowser, describeUi, openUi, type UiSession } from '../support/browser.js';
import { type FerryServer, ROOT, startFerry } from '../support/ferry-process.js';
import { fixture } from '../support/models.js';

/** The test venv (python for the local executor's jobs); the test talks to the server only over HTTP. */
const VENV_BIN = join(ROOT, '.venv', 'bin');

const MLPROJECT = `name: ui-demo
entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
    command: "python -c 'import sys; print(\\"training with alpha\\", sys.argv[1])' {alpha}"
  fail:
    command: "python -c 'import sys; print(\\"going down\\"); sys.exit(3)'"
  tick:
    command: "python tick.py"
`;
// Long enough for the whole test (it is cancelled); one line every 0.1 s.
const TICK = `import time
for i in range(3000):
    print(f"tick {i}", flush=True)
    time.sleep(0.1)
`;

function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [path, data] of Object.entries(files)) zip.addBuffer(Buffer.from(data), path);
  zip.end();
  return new Promise((res, rej) => {
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => parts.push(c));
    zip.outputStream.on('error', rej);
    zip.outputStream.on('end', () => res(Buffer.concat(parts)));
  });
}

async function waitFor(client: FerryClient, jobId: string, states: string[]): Promise<Job> {
  const end = Date.now() + 60_000;
  for (;;) {
    const job = await client.jobs.get(jobId);
    if (states.includes(job.state)) return job;
    if (Date.now() > end) throw new Error(`job ${jobId} is ${job.state}, not ${states.join('|')}: ${job.message ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const short = (id: string) => id.slice(0, 12);

describeUi('Jobs page', () => {
  let server: FerryServer;
  let client: FerryClient;
  let ui: UiSession;
  let ok: Job;
  let failed: Job;
  let running: Job;
  let editorToken: string;
  let viewerToken: string;

  beforeAll(async () => {
    if (!existsSync(join(VENV_BIN, 'python'))) throw new Error(`the Jobs UI test needs the test venv's python at ${VENV_BIN}`);
    server = await startFerry({
      env: { PATH: `${VENV_BIN}:${process.env['PATH']}`, FERRY_JOBS_POLL_MS: '200', FERRY_JOBS_LOCAL_CONCURRENCY: '4' },
    });
    client = new FerryClient({ url: server.url, token: server.adminToken });
    const project = await client.jobs.uploadProject(await zipOf({ MLproject: MLPROJECT, 'tick.py': TICK }));
    const okSub = await client.jobs.submit({ project: project.digest, parameters: { alpha: 0.25 }, experiment_name: 'ui-jobs' });
    const failSub = await client.jobs.submit({ project: project.digest, entry_point: 'fail', experiment_name: 'ui-jobs' });
    ok = await waitFor(client, okSub.job_id, ['succeeded', 'failed', 'cancelled']);
    failed = await waitFor(client, failSub.job_id, ['succeeded', 'failed', 'cancelled']);
    expect([ok.state, failed.state]).toEqual(['succeeded', 'failed']);
    // A model version registered from the succeeded job's run (what a training project does with mlflow).
    const first = await client.modelVersions.register('credit', readFileSync(fixture('credit_gbdt.onnx')));
    await client.modelVersions.create({ name: 'credit', source: first.model_version.source, runId: ok.run_id });
    running = await waitFor(client, (await client.jobs.submit({ project: project.digest, entry_point: 'tick' })).job_id, ['running']);
    editorToken = (await client.tokens.create({ name: 'ed', role: 'editor' })).token;
    viewerToken = (await client.tokens.create({ name: 'vi', role: 'viewer' })).token;
    ui = await openUi(server.url);
    await ui.signIn(server.adminToken);
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
    await closeBrowser();
    await server?.stop();
  });

  const rowOf = (id: string) => ui.page.getByRole('row').filter({ has: ui.page.getByText(short(id), { exact: true }) });

  it('lists the jobs with their states and filters them by state and executor', async () => {
    await ui.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Jobs' }).click();
    await expect.poll(() => ui.page.getByRole('table', { name: 'Jobs' }).getByRole('row').count()).toBe(4);
    for (const [job, state] of [
      [ok, 'succeeded'],
      [failed, 'failed'],
      [running, 'running'],
    ] as const) {
      const row = rowOf(job.job_id);
      await expect.poll(() => row.locator('.badge').textContent()).toBe(state);
      const text = await row.textContent();
      expect(text).toContain('ui-demo');
      expect(text).toContain(job.entry_point);
      expect(text).toContain('local');
    }
    await expect.poll(() => ui.page.getByText('auto-refresh on').count()).toBe(1);
    await ui.screenshot('list');

    await ui.page.getByLabel('State').selectOption('failed');
    await expect.poll(() => ui.page.url()).toContain('state=failed');
    await expect.poll(() => ui.page.getByRole('table', { name: 'Jobs' }).getByRole('row').count()).toBe(2);
    expect(await rowOf(failed.job_id).count()).toBe(1);
    // Nothing active on screen: no refresh.
    expect(await ui.page.getByText('auto-refresh on').count()).toBe(0);

    await ui.page.getByLabel('State').selectOption('');
    await ui.page.getByLabel('Executor').selectOption('local');
    await expect.poll(() => ui.page.url()).toContain('executor=local');
    await expect.poll(() => ui.page.getByRole('table', { name: 'Jobs' }).getByRole('row').count()).toBe(4);
    ui.expectNoConsoleErrors();
  });

  it('shows a succeeded job: timing, command, parameters, its log, its model version and a working run link', async () => {
    await ui.goto(`#/jobs/${ok.job_id}`);
    await expect.poll(() => ui.page.locator('.page-header .badge').textContent()).toBe('succeeded');
    const log = ui.page.getByTestId('job-log');
    await expect.poll(() => log.textContent()).toContain('training with alpha 0.25');
    await expect.poll(() => ui.page.getByRole('region', { name: 'Log' }).getByRole('status').textContent()).toBe('complete');
    expect(await ui.page.locator('.job-command').textContent()).toBe(ok.command);
    expect(await ui.page.getByRole('table', { name: 'Parameters' }).textContent()).toContain('alpha0.25');
    const timing = await ui.page.getByRole('region', { name: 'Timing' }).textContent();
    for (const step of ['submitted', 'started', 'running', 'succeeded', 'Queue wait', 'Run time']) expect(timing).toContain(step);
    expect(await ui.page.getByRole('region', { name: 'Job' }).textContent()).toContain('1 of 1');
    expect(await ui.page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);

    const produced = ui.page.getByRole('region', { name: 'Produced' });
    const version = produced.getByRole('link', { name: 'credit v2' });
    await version.waitFor();
    expect(await version.getAttribute('href')).toBe('#/models/credit/versions/2');
    expect(await produced.getByRole('link', { name: /credit v1/ }).count()).toBe(0);
    await ui.screenshot('succeeded');

    await produced.getByRole('link', { name: ok.run_id }).click();
    await expect.poll(() => ui.page.url()).toContain(`#/runs/${ok.run_id}`);
    await expect.poll(() => ui.page.locator('.meta').first().textContent()).toContain(ok.run_id);
    ui.expectNoConsoleErrors();
  });

  it('shows why a job failed, with its exit code and log', async () => {
    await ui.goto(`#/jobs/${failed.job_id}`);
    await expect.poll(() => ui.page.locator('.page-header .badge').textContent()).toBe('failed');
    await expect.poll(() => ui.page.getByTestId('job-log').textContent()).toContain('going down');
    const facts = await ui.page.getByRole('region', { name: 'Job' }).textContent();
    expect(facts).toContain('Exit code3');
    expect(failed.message).toBeTruthy();
    expect(facts).toContain(failed.message!);
    expect(await ui.page.getByRole('region', { name: 'Produced' }).textContent()).toContain('none registered from this run');
    ui.expectNoConsoleErrors();
  });

  it('follows a running job: the log grows live and stays at its end unless scrolled up', async () => {
    // Not ui.goto: the page holds a log request open while the job runs, so the network is never idle.
    await ui.page.goto(`${server.url}/#/jobs/${running.job_id}`);
    await expect.poll(() => ui.page.locator('.page-header .badge').textContent()).toBe('running');
    expect(running.external_id).toBeTruthy();
    expect(await ui.page.getByRole('region', { name: 'Job' }).textContent()).toContain(`handle ${running.external_id!}`);
    const log = ui.page.getByTestId('job-log');
    const lastTick = async () => Math.max(-1, ...[...((await log.textContent()) ?? '').matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    await expect.poll(lastTick, { timeout: 30_000 }).toBeGreaterThanOrEqual(60);
    const seen = await lastTick();
    await expect.poll(lastTick, { timeout: 30_000 }).toBeGreaterThanOrEqual(seen + 10);
    const scroll = () => log.evaluate((el) => ({ top: el.scrollTop, bottomGap: el.scrollHeight - el.scrollTop - el.clientHeight }));
    expect((await scroll()).bottomGap).toBeLessThanOrEqual(24);

    // Scrolled up, the view stays put while lines keep arriving; Follow goes back to the end.
    await log.evaluate((el) => {
      el.scrollTop = 0;
    });
    const follow = ui.page.getByRole('button', { name: '↓ Follow' });
    await follow.waitFor();
    const before = await lastTick();
    await expect.poll(lastTick, { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 10);
    expect((await scroll()).top).toBe(0);
    await follow.click();
    await expect.poll(async () => (await scroll()).bottomGap).toBeLessThanOrEqual(24);
    await ui.screenshot('running');
    ui.expectNoConsoleErrors();
  });

  it("refuses an editor's cancel of someone else's job in words, and shows a viewer no Cancel", async () => {
    const viewer = await openUi(server.url, { testName: 'jobs-viewer' });
    try {
      await viewer.signIn(viewerToken);
      await viewer.page.goto(`${server.url}/#/jobs/${running.job_id}`);
      await expect.poll(() => viewer.page.locator('.page-header .badge').textContent()).toBe('running');
      await expect.poll(() => viewer.page.getByTestId('job-log').textContent()).toContain('tick');
      expect(await viewer.page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
      viewer.expectNoConsoleErrors();
    } finally {
      await viewer.close();
    }

    const editor = await openUi(server.url, { testName: 'jobs-editor' });
    try {
      await editor.signIn(editorToken);
      await editor.page.goto(`${server.url}/#/jobs/${running.job_id}`);
      await editor.page.getByRole('button', { name: 'Cancel job' }).click();
      const dialog = editor.page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
      const refusal = dialog.getByRole('alert');
      await expect.poll(() => refusal.textContent()).toContain('Not allowed');
      expect(await refusal.textContent()).toContain('only they or an admin can cancel it');
      await editor.screenshot('editor-refused');
      await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
      expect((await client.jobs.get(running.job_id)).state).toBe('running');
      editor.expectNoConsoleErrors([/status of 403/]);
    } finally {
      await editor.close();
    }
  });

  it('cancels the running job from its page; the list, left open, refreshes itself to show it', async () => {
    // The list in a second signed-in tab, left open while the job is cancelled in the first.
    const list = await openUi(server.url, { testName: 'jobs-list' });
    try {
      await list.signIn(server.adminToken);
      await list.goto('#/jobs');
      const row = list.page.getByRole('row').filter({ has: list.page.getByText(short(running.job_id), { exact: true }) });
      await expect.poll(() => row.locator('.badge').textContent()).toBe('running');

      await ui.page.getByRole('button', { name: 'Cancel job' }).click();
      await ui.page.getByRole('dialog').getByRole('button', { name: 'Yes, cancel it' }).click();
      await expect.poll(() => ui.page.locator('.page-header .badge').textContent(), { timeout: 30_000 }).toBe('cancelled');
      await expect.poll(() => ui.page.getByRole('region', { name: 'Log' }).getByRole('status').textContent(), { timeout: 30_000 }).toBe('complete');
      expect(await ui.page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
      expect((await client.jobs.get(running.job_id)).state).toBe('cancelled');
      await ui.screenshot('cancelled');

      await expect.poll(() => row.locator('.badge').textContent(), { timeout: 30_000 }).toBe('cancelled');
      await expect.poll(() => list.page.getByText('auto-refresh on').count()).toBe(0);
      list.expectNoConsoleErrors();
      ui.expectNoConsoleErrors();
    } finally {
      await list.close();
    }
  });
});
