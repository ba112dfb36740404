/**
 * How a run that does not promote ends: whatever it changed is put back — the deployment to the revision before
 * the run, its A/B test stopped, its job cancelled — and then the terminal step is written with its reason.
 * Each undo looks before it acts, so a finish resumed after a crash restores once.
 */
import { type Act, type Result, byLine, loopPrincipal } from './act.js';
import { trainingJobId } from './actions-training.js';
import { step } from './run-context.js';

export async function finish(a: Act): Promise<Result> {
  const { row, ctx } = a.run;
  const ending = ctx.ending!;
  const links: Record<string, unknown> = {};
  const restored: Record<string, unknown> = {};
  // The job: the one recorded, or the one a crash may have submitted before recording it (its id is the run's).
  const jobId = ctx.job_id ?? (a.run.spec.training ? trainingJobId(row.id) : null);
  if (jobId) {
    const job = await a.world.job(jobId).catch(() => null);
    if (job && (job.state === 'queued' || job.state === 'starting' || job.state === 'running')) {
      await a.world.cancelJob(jobId, loopPrincipal(row));
      restored['job_cancelled'] = jobId;
    }
  }
  // Every canary step's A/B test that may be running (a crash can leave one made but not recorded).
  for (let i = 0; i < a.run.spec.rollout.steps.length; i++) {
    const name = `${a.loop.name}-${row.seq}-c${i + 1}`;
    const test = await a.world.d.abtests.get(name).catch(() => null);
    if (test?.state === 'running') await a.world.d.abtests.stop(name, byLine(row), `loop run ${ending.kind.replace('_', ' ')}`);
    if (test) links['abtest'] = name;
  }
  if (ending.state !== 'dry_run') {
    // The alias, if a promotion that did not complete moved it.
    const alias = a.run.spec.rollout.alias ?? 'champion';
    if (ctx.alias_before !== undefined && row.candidate_version && (await a.world.aliasVersion(a.loop.model, alias)) === row.candidate_version) {
      if (ctx.alias_before === null) await a.world.deleteAlias(a.loop.model, alias);
      else await a.world.setAlias(a.loop.model, alias, ctx.alias_before, { name: byLine(row, 'restore'), role: 'editor', restore: true });
      restored['alias_restored_to'] = ctx.alias_before;
    }
    if (ctx.baseline_revision !== null) {
      if (!(await a.world.deploymentExists(a.loop.deployment))) restored['deployment_restored_to'] = null;
      else {
        const by = byLine(row, 'restore');
        const revisions = await a.world.revisions(a.loop.deployment);
        const done = revisions.find((r) => r.created_by === by);
        const current = await a.world.deployment(a.loop.deployment);
        // Changed by this run since the baseline (its own shadow or canary revisions): restore the baseline.
        const changedByRun = revisions.some((r) => r.revision > ctx.baseline_revision! && r.created_by.startsWith(`${byLine(row)} (`));
        if (done) links['deployment_revision'] = done.revision;
        else if (changedByRun && current.revision !== ctx.baseline_revision) {
          const back = await a.world.rollbackDeployment(a.loop.deployment, ctx.baseline_revision, by);
          links['deployment_revision'] = back.revision;
          restored['deployment_restored_to'] = ctx.baseline_revision;
        }
      }
    }
  }
  return terminal(a, links, restored);
}

/** The run's last step: its ending, with what was put back. */
export function terminal(a: Act, links: Record<string, unknown>, restored: Record<string, unknown>, note = ''): Result {
  const { row, ctx } = a.run;
  const ending = ctx.ending!;
  const reason = note ? `${ending.reason.replace(/\.$/, '')}; ${note}.` : ending.reason;
  return {
    steps: [
      step(ending.kind, ending.kind === 'dry_run' ? 'info' : 'failed', reason, {
        actor: ending.actor,
        links: { ...links, ...(row.candidate_version ? { model_version: row.candidate_version } : {}), ...(ctx.job_id ? { job_id: ctx.job_id } : {}) },
        evidence: { ...ending.evidence, ...restored },
      }),
    ],
    ctx: { ...ctx, ending },
    state: ending.state,
    phase: ending.kind,
    patch: { ended_at: a.now, reason },
  };
}
