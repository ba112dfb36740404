/**
 * The pure parts of `ferry loops`: the spec file (YAML or JSON, a local training project, update bodies), the
 * worked example in docs/loops-cli.md checked against the API's contract, and the readable output: the loops and
 * runs tables, a run's timeline, watched lines, the verdict.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { describe, expect, it, vi } from 'vitest';
import { LoopCreate as LoopCreateSchema, LoopUpdate as LoopUpdateSchema } from '../src/contract/loops.js';
import { formatTime } from '../src/cli/context.js';
import {
  evidenceText,
  loopsTable,
  loopSummary,
  rolloutSummary,
  runsTable,
  runText,
  stepKind,
  stepLine,
  thresholdSummary,
  trainingSummary,
  triggerSummary,
  triggerText,
  verdictText,
} from '../src/cli/loops-format.js';
import { localProject, parseLoopSpec, specFormat, updateBody, withProject } from '../src/cli/loops-spec.js';
import type { LoopInfo, LoopRunDetail, LoopStep } from '../src/sdk/index.js';

// Plain text, whatever the terminal: picocolors decides at import (and colours under CI=true), so before the imports.
vi.hoisted(() => {
  process.env['NO_COLOR'] = '1';
});

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIGEST = `sha256:${'ab12'.repeat(16)}`;

// The body as the server's validator reads it (strict types: nothing coerced), so a spec passing here is not refused for its shape.
const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
function problems(schema: TSchema, value: unknown): string[] {
  const validate = ajv.compile(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** The YAML block after the `loops-example` marker in docs/loops-cli.md. */
function docsExample(): string {
  const doc = readFileSync(join(root, 'docs/loops-cli.md'), 'utf8');
  const m = /<!-- loops-example[^>]*-->\s*```yaml\n([\s\S]*?)```/.exec(doc);
  if (!m) throw new Error('docs/loops-cli.md has no loops-example YAML block');
  return m[1]!;
}

describe('the spec file', () => {
  it("reads the docs' worked example as a loop the contract accepts, once its local project is uploaded", () => {
    const file = join(root, 'loop.yaml'); // where the docs say it is saved
    const spec = parseLoopSpec(docsExample(), file);
    expect(spec).toMatchObject({ name: 'credit-risk-retrain', model: 'credit-risk', deployment: 'credit' });
    expect(spec.triggers).toEqual([{ kind: 'alert', rule: 'credit-drift' }]);
    expect(spec.gate.thresholds).toEqual([{ metric: 'accuracy', margin: 0.01 }]);
    expect(spec.rollout).toEqual({ shadow: { duration: '10m' }, steps: [{ weight: 10 }, { weight: 50 }] });
    // The folder it names is the example project, found relative to the spec file.
    const folder = localProject(spec, file);
    expect(folder).toBe(join(root, 'examples/sklearn-credit'));
    expect(existsSync(join(folder!, 'MLproject'))).toBe(true);
    // As written, the folder is not a digest the API takes; with the upload's digest in its place, it is valid.
    expect(problems(LoopCreateSchema, spec)).toContain('/training/project must match pattern "^sha256:[0-9a-f]{64}$"');
    const sent = withProject(spec, DIGEST);
    expect(problems(LoopCreateSchema, sent)).toEqual([]);
    expect(problems(LoopUpdateSchema, updateBody(sent, { name: 'credit-risk-retrain', model: 'credit-risk', deployment: 'credit' }, file))).toEqual([]);
  });

  it('reads JSON by extension, YAML otherwise (stdin too), and sends numeric dataset versions as text', () => {
    const body = {
      name: 'l',
      model: 'm',
      deployment: 'd',
      training: { git: { url: 'https://example.com/r.git', commit: 'abcdef1' }, data: { dataset: 'train', version: 3 } },
      gate: { holdout: { dataset: 'h', version: 12 }, thresholds: [{ metric: 'roc_auc', lower: 0.7 }] },
      rollout: { steps: [] },
    };
    expect(specFormat('a.JSON')).toBe('json');
    expect(specFormat('a.yml')).toBe('yaml');
    expect(specFormat('-')).toBe('yaml');
    const fromJson = parseLoopSpec(JSON.stringify(body), 'loop.json');
    expect(fromJson.gate.holdout).toEqual({ dataset: 'h', version: '12' });
    expect(fromJson.training?.data).toEqual({ dataset: 'train', version: '3' });
    // YAML reads JSON too (stdin has no extension).
    expect(parseLoopSpec(JSON.stringify(body), '-')).toEqual(fromJson);
    expect(problems(LoopCreateSchema, fromJson)).toEqual([]);
    // The same body with its versions left numbers would be refused: the conversion matters.
    expect(problems(LoopCreateSchema, body)).toEqual(expect.arrayContaining(['/training/data/version must be string', '/gate/holdout/version must be string']));
    // A git source or no training: nothing to upload.
    expect(localProject(fromJson, 'loop.json')).toBeUndefined();
    expect(localProject({ ...fromJson, training: { project: DIGEST } }, 'loop.json')).toBeUndefined();
    expect(localProject({ ...fromJson, training: null }, 'loop.json')).toBeUndefined();
    expect(withProject({ ...fromJson, training: null }, DIGEST).training).toBeNull();
  });

  it('resolves a local project against the spec file, or the working directory for stdin', () => {
    const spec = parseLoopSpec('name: l\nmodel: m\ndeployment: d\ntraining: {project: ../proj}\ngate: {thresholds: []}\nrollout: {steps: []}\n', 'x.yaml');
    expect(localProject(spec, '/specs/loops/l.yaml')).toBe('/specs/proj');
    expect(localProject(spec, '-')).toBe(resolve('../proj'));
    expect(localProject({ ...spec, training: { project: '/abs/proj' } }, '/specs/l.yaml')).toBe('/abs/proj');
  });

  it('refuses what is not a loop spec, naming the file', () => {
    expect(() => parseLoopSpec('{', 'l.json')).toThrow(/^l.json: not valid JSON/);
    expect(() => parseLoopSpec('a: [1,', 'l.yaml')).toThrow(/^l.yaml: not valid YAML/);
    expect(() => parseLoopSpec('- 1\n- 2\n', 'l.yaml')).toThrow('l.yaml: must be a YAML mapping (the body of POST /api/v1/loops)');
    expect(() => parseLoopSpec('[]', 'l.json')).toThrow('l.json: must be a JSON object');
    expect(() => parseLoopSpec('name: l\nmodel: m\ngate: {thresholds: []}\n', 'l.yaml')).toThrow('l.yaml: a loop needs deployment, rollout');
    // An update needs no name, model or deployment.
    expect(parseLoopSpec('gate: {thresholds: []}\nrollout: {steps: []}\n', 'u.yaml', 'update')).toEqual({ gate: { thresholds: [] }, rollout: { steps: [] } });
    expect(() => parseLoopSpec('gate: {thresholds: []}\n', 'u.yaml', 'update')).toThrow('u.yaml: a loop needs rollout');
  });

  it("makes an update body: the loop's name, model and deployment left out, a different one refused", () => {
    const loop = { name: 'l', model: 'm', deployment: 'd' };
    const spec = parseLoopSpec('name: l\nmodel: m\ndeployment: d\ngate: {thresholds: []}\nrollout: {steps: []}\ndry_run: true\n', 'l.yaml');
    expect(updateBody(spec, loop, 'l.yaml')).toEqual({ gate: { thresholds: [] }, rollout: { steps: [] }, dry_run: true });
    expect(() => updateBody({ ...spec, deployment: 'other' }, loop, 'l.yaml')).toThrow(
      "l.yaml: deployment is 'other' but loop l has 'd' (a loop's deployment cannot change: create a new loop)",
    );
  });
});

const T0 = Date.UTC(2026, 11, 7, 4, 0, 0);

const loop: LoopInfo = {
  name: 'credit-risk-retrain',
  model: 'credit-risk',
  deployment: 'credit',
  description: null,
  state: 'active',
  spec: {
    triggers: [
      { kind: 'alert', rule: 'credit-drift' },
      { kind: 'schedule', cron: '0 3 * * *' },
      { kind: 'labels', min_labels: 500 },
    ],
    debounce: '10m',
    training: { project: DIGEST, data: { dataset: 'credit-risk', production_window: '7d' } },
    gate: { holdout: { dataset: 'credit-risk-holdout' }, thresholds: [{ metric: 'accuracy', margin: 0.01 }] },
    rollout: { shadow: { duration: '10m' }, steps: [{ weight: 10 }, { weight: 50 }] },
    approvals: [{ at: 'before_promotion' }],
    dry_run: false,
  },
  created_at: T0 - 86_400_000,
  created_by: 'alice',
  updated_at: T0 - 86_400_000,
  last_run: { seq: 3, state: 'running', started_at: T0, reason: 'Canary step 1 of 2 passed.' },
};

function step(seq: number, kind: LoopStep['kind'], status: LoopStep['status'], reason: string, more: Partial<LoopStep> = {}): LoopStep {
  return { seq, kind, status, index: null, of: null, actor: 'loop', at: T0 + seq * 60_000, links: {}, evidence: {}, reason, ...more };
}

const run: LoopRunDetail = {
  loop: 'credit-risk-retrain',
  seq: 3,
  state: 'awaiting_approval',
  phase: 'awaiting_approval',
  dry_run: false,
  author: 'loop',
  trigger: 'alert',
  candidate_version: '7',
  champion_version: '6',
  started_at: T0,
  updated_at: T0 + 6 * 60_000,
  ended_at: null,
  reason: 'Awaiting approval before promotion.',
  steps: [
    step(1, 'triggered', 'info', 'Alert credit-drift fired.', { links: { alert_rule: 'credit-drift' } }),
    step(2, 'training', 'passed', 'Job finished and registered version 7.', { links: { job_id: 'job-1', model_version: '7' } }),
    step(3, 'evaluating', 'passed', 'Accuracy 0.861 vs 0.855: the interval of the difference [-0.004, 0.016] clears -0.01.', {
      evidence: { metric: 'accuracy', candidate: 0.861, champion: 0.855 },
    }),
    step(4, 'canary', 'passed', 'Canary at 10%: the judge passes.', { index: 1, of: 2, links: { abtest: 'loop-credit-risk-retrain-3' } }),
    step(5, 'canary', 'passed', 'Canary at 50%: the judge passes.', { index: 2, of: 2 }),
    step(6, 'awaiting_approval', 'info', 'Awaiting approval before promotion.'),
  ],
  triggers: [
    { kind: 'alert', at: T0, actor: 'loop', detail: 'alert credit-drift fired', coalesced: false },
    { kind: 'manual', at: T0 + 90_000, actor: 'bob', detail: 'triggered by hand: new data', coalesced: true },
  ],
};

describe('readable output', () => {
  it("summarises a loop's triggers, training, gate and rollout", () => {
    expect(triggerSummary({ kind: 'alert' })).toBe('any alert on the deployment');
    expect(triggerSummary({ kind: 'schedule', cron: '0 3 * * *', timezone: 'Europe/Paris' })).toBe('schedule 0 3 * * * (Europe/Paris)');
    expect(triggerSummary({ kind: 'dataset', dataset: 'credit-risk' })).toBe('new version of dataset credit-risk');
    expect(thresholdSummary({ metric: 'accuracy', margin: 0.01 })).toBe('accuracy margin 0.01');
    expect(thresholdSummary({ metric: 'log_loss', upper: 0.5, absolute: -0.02, relative: 0.05, per_slice: false })).toBe(
      'log_loss <= 0.5, abs change -0.02, rel change +5.00%, overall only',
    );
    expect(rolloutSummary({ shadow: { duration: '10m' }, steps: [{ weight: 10 }, { weight: 50 }] })).toBe('shadow 10m, canary 10% -> 50%, then alias champion');
    expect(rolloutSummary({ shadow: null, steps: [], alias: 'prod' })).toBe('no shadow, no canary, then alias prod');
    expect(trainingSummary(loop.spec.training)).toBe('sha256:ab12ab12… main on credit-risk@latest + 7d of production');
    expect(trainingSummary({ git: { url: 'https://g/r.git', commit: 'abcdef1234567890', subdirectory: 'train' }, entry_point: 'fit' })).toBe(
      'https://g/r.git@abcdef123456:train fit',
    );
    expect(trainingSummary(null)).toMatch(/^none/);

    const text = loopSummary(loop);
    expect(text.split('\n')[0]).toBe('Loop credit-risk-retrain: model credit-risk on deployment credit, active');
    expect(text).toMatch(/triggers +manual; alert credit-drift; schedule 0 3 \* \* \* \(UTC\); 500 new labels\n/);
    expect(text).toMatch(/gate +accuracy margin 0\.01 on credit-risk-holdout@latest\n/);
    expect(text).toMatch(/rollout +shadow 10m, canary 10% -> 50%, then alias champion\n/);
    expect(text).toMatch(/approvals +before promotion\n/);
    expect(text).toContain(`last run   #3 running, started ${formatTime(T0)}: Canary step 1 of 2 passed.`);
  });

  it('lists loops and runs, one row each', () => {
    const lines = loopsTable([loop, { ...loop, name: 'other', state: 'paused', last_run: null, spec: { ...loop.spec, triggers: [], dry_run: true } }]).split(
      '\n',
    );
    expect(lines[0]).toMatch(/^NAME +MODEL +DEPLOYMENT +STATE +TRIGGERS +LAST RUN +STARTED +REASON$/);
    expect(lines[1]).toMatch(
      /^credit-risk-retrain +credit-risk +credit +active +manual alert schedule labels +#3 running +\S+ \S+ +Canary step 1 of 2 passed\.$/,
    );
    expect(lines[2]).toMatch(/^other +credit-risk +credit +paused \(dry run\) +manual$/);

    const ended = { ...run, state: 'promoted' as const, phase: 'promoted' as const, ended_at: T0 + 95_000 };
    const rows = runsTable([run, ended], T0 + 7_200_000).split('\n');
    expect(rows[0]).toMatch(/^SEQ +STATE +PHASE +TRIGGER +AUTHOR +CANDIDATE +CHAMPION +STARTED +DURATION +REASON$/);
    expect(rows[1]).toMatch(/^ +3 +awaiting_approval +awaiting_approval +alert +loop +7 +6 +\S+ \S+ +2h0m +Awaiting approval before promotion\.$/);
    expect(rows[2]).toMatch(/ +promoted +promoted +.* +1m35s +/);
  });

  it("prints a run's timeline: one row per step with the canary step i/n, then its triggers, then what it waits for", () => {
    expect(stepKind(run.steps[3]!)).toBe('canary 1/2');
    expect(stepKind(run.steps[2]!)).toBe('evaluating');
    const text = runText(run, { now: T0 + 10 * 60_000 });
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      `Loop credit-risk-retrain run #3: awaiting_approval (awaiting_approval), candidate 7 vs champion 6; alert trigger by loop at ${formatTime(T0)}, for 10m0s`,
    );
    const steps = lines.slice(lines.indexOf('Steps') + 1, lines.indexOf('Triggers') - 1);
    expect(steps[0]).toMatch(/^ {2}SEQ +TIME +KIND +STATUS +ACTOR +REASON$/);
    expect(steps.slice(1).map((l) => l.trim().split(/ {2,}/))).toEqual(
      run.steps.map((s) => [String(s.seq), formatTime(s.at), stepKind(s), s.status, s.actor, s.reason]),
    );
    const triggers = lines.slice(lines.indexOf('Triggers') + 1);
    expect(triggers[0]).toMatch(/^ {2}TIME +KIND +ACTOR +COALESCED +DETAIL$/);
    expect(triggers[1]!.trim().split(/ {2,}/)).toEqual([formatTime(T0), 'alert', 'loop', 'no (started the run)', 'alert credit-drift fired']);
    expect(triggers[2]!.trim().split(/ {2,}/)).toEqual([formatTime(T0 + 90_000), 'manual', 'bob', 'yes', 'triggered by hand: new data']);
    expect(text.trimEnd().split('\n').at(-1)).toBe('Awaiting approval: ferry loops approve credit-risk-retrain 3 [--reject] [--reason TEXT]');
    expect(text).not.toContain('Evidence');
    expect(runText({ ...run, steps: [], triggers: [] })).toContain('  (no steps yet)\n');
  });

  it("shows each step's links and evidence on request", () => {
    const text = runText(run, { evidence: true });
    expect(text).toContain('Evidence\n');
    const ev = evidenceText(run.steps);
    expect(ev).toContain('  #2 training passed\n    links     job job-1, model version 7\n');
    expect(ev).toContain('  #3 evaluating passed\n    evidence  {"metric":"accuracy","candidate":0.861,"champion":0.855}\n');
    expect(ev).toContain('  #4 canary 1/2 passed\n    links     abtest loop-credit-risk-retrain-3\n');
    expect(ev).toContain('  #5 canary 2/2 passed\n  #6');
  });

  it('prints watched steps as lines, the trigger answer and the verdict', () => {
    expect(stepLine(run.steps[3]!)).toBe(`    4  ${formatTime(run.steps[3]!.at)}  canary 1/2  passed  loop  Canary at 10%: the judge passes.\n`);
    const info = { ...run, state: 'running' as const, phase: 'training' as const };
    expect(triggerText({ loop_run: info, coalesced: false })).toBe('Started run #3 of loop credit-risk-retrain, judging version 7.\n');
    expect(triggerText({ loop_run: { ...info, candidate_version: null, dry_run: true }, coalesced: false })).toBe(
      'Started run #3 of loop credit-risk-retrain (dry run: decides, changes nothing).\n',
    );
    expect(triggerText({ loop_run: info, coalesced: true })).toBe(
      'Run #3 of loop credit-risk-retrain is going (running, training): the trigger is recorded on it; no new run started.\n',
    );
    expect(
      verdictText({
        ok: true,
        inconclusive: false,
        verdict: 'pass',
        lift: 0.0123,
        interval: [0.001, 0.0236],
        loop_run: 3,
        phase: 'canary',
        reason: 'The candidate is no worse.',
      }),
    ).toBe('ok: pass, lift +1.23% [+0.10%, +2.36%] (run #3, canary)\n  The candidate is no worse.\n');
    expect(
      verdictText({ ok: false, inconclusive: true, verdict: null, lift: null, interval: null, loop_run: null, phase: null, reason: 'No rollout under way.' }),
    ).toBe('not ok: no verdict\n  No rollout under way.\n');
  });
});
