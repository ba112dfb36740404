/**
 * How a run that does not promote ends: whatever it changed is put back — the deployment to the revision before
 * the run, its A/B test stopped, its job cancelled — and then the terminal step is written with its reason.
 * Each undo looks before it acts, so a finish resumed after a crash restores once.
 */
import { type Act, type Result, byLine, loopPrincipal } from './act.js';
import { step } from './run-context.js';

export async function finish(a: Act): Promise<Result> {
  const { row, ctx } = a.run;
  const ending = ctx.ending!;
  const links: Record<string, unknown> = {};
  const restored: Record<string, unknown> = {};
  if (ctx.job_id) {
    const job = await a.world.job(ctx.job_id).catch(() => null);
    if (job && (job.state === 'queued' || job.state === 'starting' || job.state === 'running')) {
      await a.world.cancelJob(ctx.job_id, loopPrincipal(row));
      restored['job_cancelled'] = ctx.job_id;
    }
  }
  if (ctx.abtest) {
    const test = await a.world.d.abtests.get(ctx.abtest).catch(() => null);
    if (test?.state === 'running') await a.world.d.abtests.stop(ctx.abtest, byLine(row), `loop run ${ending.kind.replace('_', ' ')}`);
    links['abtest'] = ctx.abtest;
  }
  if (ctx.baseline_revision !== null && ending.state !== 'dry_run') {
    const what = 'restore';
    const by = byLine(row, what);
    const revisions = await a.world.revisions(a.loop.deployment);
    const done = revisions.find((r) => r.created_by === by);
    const current = await a.world.deployment(a.loop.deployment);
    // Changed by this run since the baseline (its own shadow or canary revisions): restore the baseline.
    const changedByRun = revisions.some((r) => r.revision > ctx.baseline_revision! && r.created_by.startsWith(byLine(row)));
    if (done) links['deployment_revision'] = done.revision;
    else if (changedByRun && current.revision !== ctx.baseline_revision) {
      const back = await a.world.rollbackDeployment(a.loop.deployment, ctx.baseline_revision, by);
      links['deployment_revision'] = back.revision;
      restored['deployment_restored_to'] = ctx.baseline_revision;
    }
  }
  return {
    steps: [
      step(ending.kind, ending.kind === 'dry_run' ? 'info' : 'failed', ending.reason, {
        actor: ending.actor,
        links: { ...links, ...(row.candidate_version ? { model_version: row.candidate_version } : {}), ...(ctx.job_id ? { job_id: ctx.job_id } : {}) },
        evidence: { ...ending.evidence, ...restored },
      }),
    ],
    ctx: { ...ctx, ending },
    state: ending.state,
    phase: ending.kind,
    patch: { ended_at: a.now, reason: ending.reason },
  };
}
