/**
 * The first half of a loop run: decide the champion, train a candidate (a job given the training data as a new
 * dataset version) or take the one the trigger named, and check what the job registered.
 */
import { createHash } from 'node:crypto';
import { type Act, type Result, rethrowTransient, approvalGate, endWith, loopPrincipal } from './act.js';
import { ms } from './loop-spec.js';
import { type RunContext, step } from './run-context.js';
import { heldOut } from './loop-world.js';
import type { ModelSignature } from '../serving/index.js';

/** The job id of a run's training: the same on every try, so a resumed run finds its job instead of making one. */
export function trainingJobId(runId: string): string {
  return `job-${createHash('sha256').update(`${runId}\0training`).digest('hex').slice(0, 32)}`;
}

export async function start(a: Act): Promise<Result> {
  const { row, spec, ctx } = a.run;
  const champion = await a.world.champion(a.loop.deployment, a.loop.model);
  const patch = { champion_version: champion };
  if (ctx.given_candidate !== null) return { steps: [], ctx: { ...ctx, next: 'register' }, patch, phase: 'registered' };
  if (!spec.training || spec.dry_run || Number(row.dry_run) === 1) {
    // Nothing to train (or a dry run, which changes nothing, jobs included) and nothing given: judge the newest
    // version that is not the champion.
    const newest = (await a.world.versions(a.loop.model))[0]?.version ?? null;
    if (newest === null || newest === champion)
      return {
        ...endWith(a, {
          state: 'failed',
          kind: 'failed',
          actor: 'loop',
          reason: `${spec.training ? 'A dry run trains nothing, and' : 'The loop has no training job and'} model ${a.loop.model} has no version newer than the champion (${champion ?? 'none'}) to judge.`,
          evidence: { champion, newest },
        }),
        patch,
      };
    return { steps: [], ctx: { ...ctx, next: 'register', given_candidate: newest }, patch, phase: 'registered' };
  }
  return { steps: [], ctx: { ...ctx, next: 'train' }, patch, phase: 'training' };
}

/** The training set as rows: the pinned version, plus the recent labelled production traffic when asked. */
async function trainingRows(a: Act): Promise<{
  rows: Record<string, unknown>[];
  pinned: { dataset: string; version: number };
  production: number;
  heldOut: number;
  window: { from: number; to: number } | null;
}> {
  const data = a.run.spec.training!.data!;
  const pinned = await a.world.readDataset(data.dataset, data.version);
  const label = data.label ?? 'label';
  if (!data.production_window)
    return { rows: pinned.rows, pinned: { dataset: data.dataset, version: pinned.version }, production: 0, heldOut: 0, window: null };
  // The window ends when the run started, so a resumed run exports the same rows (and pushes the same version).
  const to = a.run.row.started_at;
  const from = to - ms(data.production_window, 'training.data.production_window');
  // The rows the gate keeps for itself are never trained on (so the gate's production numbers are out of sample).
  const share = data.holdout_share ?? 0.2;
  const all = await a.world.labelledRows(a.loop.deployment, from, to);
  const labelled = all.filter((r) => !heldOut(r, share));
  const columns = pinned.rows[0] ? Object.keys(pinned.rows[0]) : null;
  const fresh = labelled.map((l) => {
    const row: Record<string, unknown> = {};
    for (const c of columns ?? Object.keys(l.features)) if (c !== label) row[c] = l.features[c] ?? null;
    row[label] = l.truth;
    return row;
  });
  return {
    rows: [...pinned.rows, ...fresh],
    pinned: { dataset: data.dataset, version: pinned.version },
    production: fresh.length,
    heldOut: all.length - labelled.length,
    window: { from, to },
  };
}

export async function train(a: Act): Promise<Result> {
  const wait = approvalGate(a, 'before_training', 'train');
  if (wait) return wait;
  const { row, ctx } = a.run;
  const t = a.run.spec.training!;
  const parameters: Record<string, string | number | boolean> = { ...(t.parameters ?? {}) };
  // The training data is built and pushed first, and recorded on its own: a resumed run submits its job on the
  // version recorded, even if feedback that arrived since would make a new export differ.
  if (t.data && !ctx.training_data) {
    const built = await trainingRows(a);
    const datasets = [built.pinned];
    let target = built.pinned;
    if (built.production > 0) {
      const name = t.data.output_dataset ?? `${a.loop.name}-training`;
      const version = await a.world.pushDataset(
        name,
        built.rows,
        `loop:${row.loop}#${row.seq}`,
        `Training data of loop ${row.loop} run ${row.seq}: ${built.pinned.dataset} v${built.pinned.version} plus ${built.production} labelled production rows.`,
      );
      target = { dataset: name, version };
      datasets.push(target);
    }
    const evidence = {
      pinned: built.pinned,
      production_rows: built.production,
      held_out_for_gate: built.heldOut,
      production_window: built.window,
      rows: built.rows.length,
    };
    return { steps: [], ctx: { ...ctx, training_data: { datasets, target, evidence } } };
  }
  const datasets = ctx.training_data?.datasets ?? [];
  const evidence: Record<string, unknown> = ctx.training_data?.evidence ?? {};
  const trainingDataset: RunContext['training_dataset'] = ctx.training_data?.target ?? null;
  if (t.data && trainingDataset) {
    parameters[t.data.dataset_param ?? 'dataset'] = trainingDataset.dataset;
    parameters[t.data.version_param ?? 'dataset_version'] = String(trainingDataset.version);
  }
  const job = await a.world.submitJob(
    {
      ...(t.project ? { project: t.project } : { git: t.git! }),
      ...(t.entry_point ? { entry_point: t.entry_point } : {}),
      parameters,
      ...(t.executor ? { executor: t.executor } : {}),
      experiment_name: `loop-${a.loop.name}`,
      run_name: `${a.loop.name} #${row.seq}`,
    },
    loopPrincipal(row),
    trainingJobId(row.id),
  );
  const sentence = trainingDataset
    ? `Started training job ${job.job_id} on ${job.executor} with ${trainingDataset.dataset} v${trainingDataset.version}${
        (evidence['production_rows'] as number) > 0 ? ` (the pinned set plus ${evidence['production_rows'] as number} labelled production rows)` : ''
      }.`
    : `Started training job ${job.job_id} on ${job.executor}.`;
  return {
    steps: [
      step('training', 'started', sentence, {
        links: { job_id: job.job_id, run_id: job.run_id, dataset_versions: datasets },
        evidence: { ...evidence, parameters },
      }),
    ],
    ctx: { ...ctx, next: 'await_training', job_id: job.job_id, tracking_run_id: job.run_id, training_dataset: trainingDataset, phase_started_at: a.now },
    phase: 'training',
    state: 'running',
    wakeInMs: a.options.pollMs,
  };
}

export async function awaitTraining(a: Act): Promise<Result> {
  const { ctx } = a.run;
  const job = await a.world.job(ctx.job_id!);
  const links = { job_id: job.job_id, run_id: job.run_id };
  if (job.state === 'succeeded')
    return {
      steps: [step('training', 'passed', `Training job ${job.job_id} succeeded.`, { links, evidence: { state: job.state, exit_code: job.exit_code ?? null } })],
      ctx: { ...ctx, next: 'register' },
      phase: 'registered',
    };
  if (job.state === 'failed' || job.state === 'cancelled')
    return endWith(a, {
      state: 'failed',
      kind: 'failed',
      actor: 'loop',
      reason: `Training job ${job.job_id} ${job.state}${job.message ? `: ${job.message}` : '.'}`.replace(/\.?$/, '.'),
      evidence: { job_id: job.job_id, state: job.state, exit_code: job.exit_code ?? null, message: job.message ?? null },
    });
  const timeoutMs = ms(a.run.spec.training!.timeout ?? '2h', 'training.timeout');
  if (a.now - (ctx.phase_started_at ?? a.now) > timeoutMs) {
    await a.world.cancelJob(job.job_id, loopPrincipal(a.run.row));
    return endWith(a, {
      state: 'failed',
      kind: 'failed',
      actor: 'loop',
      reason: `Training job ${job.job_id} ran past the loop's timeout of ${a.run.spec.training!.timeout} and was cancelled.`,
      evidence: { job_id: job.job_id, state: job.state, timeout: a.run.spec.training!.timeout },
    });
  }
  return { steps: [], ctx, wakeInMs: a.options.pollMs };
}

/** Where two signatures differ, in words (empty: the candidate takes what the champion takes and answers the same). */
export function signatureDifferences(candidate: ModelSignature, champion: ModelSignature): string[] {
  const out: string[] = [];
  const champIn = new Map(champion.inputs.map((i) => [i.name, i]));
  for (const i of candidate.inputs) {
    const c = champIn.get(i.name);
    if (!c) out.push(`input '${i.name}' is new (the deployment's callers do not send it)`);
    else if (c.type !== i.type) out.push(`input '${i.name}' is ${i.type}, the champion's is ${c.type}`);
  }
  // A single-tensor model takes its features by position: the same names in the same order.
  if (candidate.layout === 'single-tensor' && candidate.features.join('\0') !== champion.features.join('\0'))
    out.push(`features [${candidate.features.join(', ')}] differ from the champion's [${champion.features.join(', ')}]`);
  const candOut = new Set(candidate.outputs.map((o) => o.name));
  for (const o of champion.outputs) if (!candOut.has(o.name)) out.push(`output '${o.name}' is missing`);
  return out;
}

export async function register(a: Act): Promise<Result> {
  const { row, ctx } = a.run;
  const model = a.loop.model;
  let candidate = ctx.given_candidate;
  if (candidate === null) {
    const mine = (await a.world.versions(model)).filter((v) => v.run_id === ctx.tracking_run_id);
    if (mine.length === 0)
      return endWith(a, {
        state: 'failed',
        kind: 'failed',
        actor: 'loop',
        reason: `Training job ${ctx.job_id} succeeded but registered no version of model ${model}.`,
        evidence: { job_id: ctx.job_id, run_id: ctx.tracking_run_id, model },
      });
    candidate = mine[0]!.version;
  } else if (!(await a.world.versionExists(model, candidate))) {
    return endWith(a, {
      state: 'failed',
      kind: 'failed',
      actor: 'loop',
      reason: `Model ${model} has no version ${candidate} to judge.`,
      evidence: { model, candidate },
    });
  }
  const champion = row.champion_version;
  const links = { model_version: candidate, ...(champion ? { champion_version: champion } : {}), ...(ctx.job_id ? { job_id: ctx.job_id } : {}) };
  if (champion !== null && champion === candidate)
    return endWith(a, {
      state: 'rejected',
      kind: 'rejected',
      actor: 'loop',
      reason: `Version ${candidate} of ${model} is already the champion of ${a.loop.deployment}: nothing to roll out.`,
      evidence: { candidate, champion },
    });
  let differences: string[] = [];
  try {
    const cand = await a.world.signature(model, candidate);
    differences = champion !== null ? signatureDifferences(cand, await a.world.signature(model, champion)) : [];
  } catch (err) {
    rethrowTransient(err);
    return endWith(a, {
      state: 'failed',
      kind: 'failed',
      actor: 'loop',
      reason: `Version ${candidate} of ${model} cannot be loaded for serving: ${(err as Error).message}`.replace(/\.?$/, '.'),
      evidence: { candidate, error: (err as Error).message },
    });
  }
  if (differences.length > 0)
    return endWith(a, {
      state: 'failed',
      kind: 'failed',
      actor: 'loop',
      reason: `Version ${candidate}'s signature does not match the champion's (version ${champion}): ${differences.join('; ')}.`,
      evidence: { candidate, champion, differences },
    });
  const how = ctx.given_candidate !== null ? `named by the ${row.trigger} trigger` : `registered by training job ${ctx.job_id}`;
  return {
    steps: [
      step(
        'registered',
        'passed',
        `Version ${candidate} of ${model}, ${how}, has the champion's signature${champion === null ? ' (there is no champion yet)' : ''}.`,
        {
          links,
          evidence: { candidate, champion, signature_checked: champion !== null },
        },
      ),
    ],
    ctx: { ...ctx, next: 'gate' },
    patch: { candidate_version: candidate },
    phase: 'evaluating',
  };
}
