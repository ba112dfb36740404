/**
 * The second half of a loop run: shadow, canary steps and promotion. Each change of the deployment is a revision
 * credited to the run and to what it did (`loop:credit#3 (canary 1/2)`); before writing one the action looks for
 * it, so a run resumed after a crash never writes the same change twice — and never promotes twice.
 */
import { FerryError } from '../errors.js';
import { type Act, type Result, rethrowTransient, approvalGate, byLine, endWith } from './act.js';
import type { DeploymentSpec, DeploymentSpecInput, RouteInput } from './loop-world.js';
import { specInput } from './loop-world.js';
import { ms } from './loop-spec.js';
import { type RunContext, step } from './run-context.js';
import { judgeCanary, judgeShadow, type Judgement } from './judging.js';
import * as repo from './loop-repo.js';

/** The revision this run wrote for `what`, if it did (revisions are few; the newest first is enough). */
async function revisionBy(a: Act, what: string): Promise<number | null> {
  const by = byLine(a.run.row, what);
  const found = (await a.world.revisions(a.loop.deployment)).find((r) => r.created_by === by);
  return found ? found.revision : null;
}

/** Writes the change once: the revision made before, or a new one. */
async function ensureRevision(a: Act, what: string, build: (current: DeploymentSpec) => DeploymentSpecInput): Promise<number> {
  const done = await revisionBy(a, what);
  if (done !== null) return done;
  const current = await a.world.deployment(a.loop.deployment);
  return (await a.world.updateDeployment(a.loop.deployment, build(current.spec), byLine(a.run.row, what))).revision;
}

/**
 * Before the run first changes the deployment, its current revision is recorded on its own (a result with no step):
 * committed before the write, so a crash right after the write still knows what to restore.
 */
async function baselineFirst(a: Act): Promise<Result | null> {
  if (a.run.ctx.baseline_revision !== null) return null;
  const d = await a.world.deployment(a.loop.deployment);
  return { steps: [], ctx: { ...a.run.ctx, baseline_revision: d.revision } };
}

function candidateRef(a: Act): { model: string; version: string } {
  return { model: a.loop.model, version: a.run.row.candidate_version! };
}

/** After the gate (or a passed step): the next part of the rollout the policy has, or promotion. */
export function afterGate(a: Act, ctx: RunContext): RunContext {
  const r = a.run.spec.rollout;
  return { ...ctx, next: r.shadow ? 'shadow' : r.steps.length > 0 ? 'canary' : 'promote', canary_index: 0, last_verdict: null };
}

export async function shadow(a: Act): Promise<Result> {
  const wait = approvalGate(a, 'before_shadow', 'shadow');
  if (wait) return wait;
  const first = await baselineFirst(a);
  if (first) return first;
  const ctx = a.run.ctx;
  const revision = await ensureRevision(a, 'shadow', (spec) => {
    const input = specInput(spec);
    const already = (input.shadow ?? []).some((s) => s.model === a.loop.model && s.version === a.run.row.candidate_version);
    return { ...input, shadow: already ? input.shadow : [...(input.shadow ?? []), candidateRef(a)].slice(-4) };
  });
  const sh = a.run.spec.rollout.shadow!;
  return {
    steps: [
      step(
        'shadow',
        'started',
        `Version ${a.run.row.candidate_version} now shadows the champion on every request of ${a.loop.deployment} for ${sh.duration}.`,
        {
          links: { deployment_revision: revision, model_version: a.run.row.candidate_version!, champion_version: a.run.row.champion_version ?? undefined },
          evidence: { duration: sh.duration, min_units: sh.min_units, baseline_revision: ctx.baseline_revision },
        },
      ),
    ],
    ctx: { ...ctx, next: 'await_shadow', phase_started_at: a.now, last_verdict: null, judgement: null },
    phase: 'shadow',
    wakeInMs: a.options.pollMs,
  };
}

/** A judgement turned into what the run does: advance, roll back, hold, or ask a person. */
function follow(a: Act, j: Judgement, onPass: RunContext, where: { kind: 'shadow' | 'canary'; index?: number; of?: number }): Result {
  const { ctx } = a.run;
  const o = {
    evidence: j.evidence as unknown as Record<string, unknown>,
    index: where.index,
    of: where.of,
    links: { ...(ctx.abtest && where.kind === 'canary' ? { abtest: ctx.abtest } : {}) },
  };
  if (j.action === 'rollback')
    return endWith(a, { state: 'rolled_back', kind: 'rolled_back', actor: 'loop', reason: j.reason, evidence: { verdict: j.verdict } }, [
      step(where.kind, 'failed', j.reason, o),
    ]);
  if (j.action === 'advance') return { steps: [step(where.kind, 'passed', j.reason, o)], ctx: { ...onPass, judgement: null } };
  if (j.action === 'ask') {
    const then = onPass.next;
    return {
      steps: [
        step(where.kind, 'info', j.reason, o),
        step('awaiting_approval', 'info', `Waiting for a person to decide: ${j.reason}`, { evidence: { verdict: j.verdict } }),
      ],
      ctx: { ...onPass, next: then, awaiting: { at: 'judge', since: a.now }, last_verdict: j.verdict },
      state: 'awaiting_approval',
      phase: 'awaiting_approval',
      wakeInMs: 100 * 365 * 86_400_000,
    };
  }
  // hold: recorded when the verdict changes, not at every look — and when max_duration turns a wait into the
  // hold policy (the same verdict and action, but now the policy's decision, which the timeline must say).
  const key = `${j.verdict}:${j.action}:${j.evidence.outcome}`;
  const changed = ctx.last_verdict !== key;
  return {
    steps: changed ? [step(where.kind, 'info', j.reason, o)] : [],
    ctx: { ...ctx, last_verdict: key, judgement: { verdict: j.verdict, action: j.action, reason: j.reason, at: a.now, primary: j.evidence.primary } },
    wakeInMs: a.options.pollMs,
  };
}

export async function awaitShadow(a: Act): Promise<Result> {
  const j = await judgeShadow(a);
  const r = a.run.spec.rollout;
  const next: RunContext = { ...a.run.ctx, next: r.steps.length > 0 ? 'canary' : 'promote', canary_index: 0, last_verdict: null };
  return follow(a, j, next, { kind: 'shadow' });
}

function abtestName(a: Act, index: number): string {
  return `${a.loop.name}-${a.run.row.seq}-c${index + 1}`;
}

export async function canary(a: Act): Promise<Result> {
  const i = a.run.ctx.canary_index;
  const steps = a.run.spec.rollout.steps;
  if (i === 0) {
    const wait = approvalGate(a, 'before_canary', 'canary');
    if (wait) return wait;
  }
  const s = steps[i]!;
  const first = await baselineFirst(a);
  if (first) return first;
  const ctx = a.run.ctx;
  const champion = a.run.row.champion_version;
  if (champion === null)
    return endWith(a, {
      state: 'failed',
      kind: 'failed',
      actor: 'loop',
      reason: `Deployment ${a.loop.deployment} serves no version of ${a.loop.model}: there is no champion to canary against.`,
      evidence: {},
    });
  const what = `canary ${i + 1}/${steps.length}`;
  const revision = await ensureRevision(a, what, (spec) => {
    const routes: RouteInput[] = [
      { model: a.loop.model, version: champion, weight: 100 - s.weight },
      { ...candidateRef(a), weight: s.weight },
    ];
    // The canary's shadow copy ends here: the candidate now answers its share itself.
    const shadow = specInput(spec).shadow?.filter((x) => !(x.model === a.loop.model && x.version === a.run.row.candidate_version));
    return { ...specInput(spec), routes, shadow };
  });
  const name = abtestName(a, i);
  const r = a.run.spec.rollout;
  const test = await a.world.d.abtests.get(name).catch(() => null);
  if (!test) {
    // A previous step's test, if a crash left it running, is stopped first (one test per deployment).
    if (i > 0) await a.world.d.abtests.stop(abtestName(a, i - 1), byLine(a.run.row), 'the next canary step began').catch(() => {});
    try {
      await a.world.d.abtests.create(
        {
          name,
          deployment: a.loop.deployment,
          description: `Canary step ${i + 1} of ${steps.length} of loop ${a.loop.name}, run ${a.run.row.seq}.`,
          primary_metric: r.primary_metric!,
          guardrails: r.guardrails ?? [],
          arms: [
            { version: champion, weight: 100 - s.weight },
            { version: a.run.row.candidate_version!, weight: s.weight },
          ],
          control: champion,
        },
        byLine(a.run.row),
      );
    } catch (err) {
      rethrowTransient(err);
      return endWith(a, {
        state: 'failed',
        kind: 'failed',
        actor: 'loop',
        reason: `The canary's A/B test could not start: ${(err as Error).message}`.replace(/\.?$/, '.'),
        evidence: { abtest: name, error: (err as Error).message },
      });
    }
  }
  return {
    steps: [
      step(
        'canary',
        'started',
        `Canary step ${i + 1} of ${steps.length}: version ${a.run.row.candidate_version} answers ${s.weight}% of ${a.loop.deployment}'s traffic, judged by A/B test ${name}.`,
        {
          index: i + 1,
          of: steps.length,
          links: { deployment_revision: revision, abtest: name, model_version: a.run.row.candidate_version!, champion_version: champion },
          evidence: { weight: s.weight, min_units: s.min_units, max_duration: s.max_duration, baseline_revision: ctx.baseline_revision },
        },
      ),
    ],
    ctx: { ...ctx, next: 'await_canary', abtest: name, phase_started_at: a.now, last_verdict: null, judgement: null },
    phase: 'canary',
    wakeInMs: a.options.pollMs,
  };
}

export async function awaitCanary(a: Act): Promise<Result> {
  const i = a.run.ctx.canary_index;
  const steps = a.run.spec.rollout.steps;
  const j = await judgeCanary(a, steps[i]!);
  const last = i + 1 >= steps.length;
  const next: RunContext = { ...a.run.ctx, next: last ? 'promote' : 'canary', canary_index: last ? i : i + 1, last_verdict: null };
  const res = follow(a, j, next, { kind: 'canary', index: i + 1, of: steps.length });
  if (j.action === 'advance' && a.run.ctx.abtest)
    await a.world.d.abtests.stop(a.run.ctx.abtest, byLine(a.run.row), `canary step ${i + 1} passed`).catch(() => {});
  return res;
}

/** The deployment after promotion: its routes before the run, with the champion's route now the candidate's. */
function promotedSpec(a: Act, input: DeploymentSpecInput): DeploymentSpecInput {
  const champion = a.run.row.champion_version;
  const alias = a.run.spec.rollout.alias ?? 'champion';
  // A route that follows the loop's alias follows the promotion; one pinned to the champion, or following another
  // alias, is pinned to the candidate (the other alias still names the old version).
  const routes = input.routes.map((r) =>
    r.model !== a.loop.model || r.alias === alias
      ? r
      : r.version === champion || r.alias !== undefined
        ? { model: r.model, version: a.run.row.candidate_version!, weight: r.weight }
        : r,
  );
  if (!routes.some((r) => r.model === a.loop.model)) routes.push({ ...candidateRef(a), weight: 100 });
  const shadow = (input.shadow ?? []).filter((x) => !(x.model === a.loop.model && x.version === a.run.row.candidate_version));
  return { ...input, routes, shadow };
}

export async function promote(a: Act): Promise<Result> {
  const forced = a.run.ctx.forced;
  if (!forced) {
    const wait = approvalGate(a, 'before_promotion', 'promote');
    if (wait) return wait;
  }
  if (a.run.spec.dry_run || a.run.row.dry_run) throw new Error('a dry run never promotes');
  const { row } = a.run;
  const key = `${row.loop}#${row.seq}`;
  const alias = a.run.spec.rollout.alias ?? 'champion';
  // What to put back if the promotion does not complete (the alias moves before the revision): recorded first.
  const first = await baselineFirst(a);
  if (first) return first;
  if (a.run.ctx.alias_before === undefined) return { steps: [], ctx: { ...a.run.ctx, alias_before: await a.world.aliasVersion(a.loop.model, alias) } };
  // Marks the promotion as begun (a resumed one finds the mark and checks what is done: the revision by its
  // created_by, the alias by its value).
  await repo.takePromotionKey(a.world.d.store.db, row.id, key);
  if (a.run.ctx.abtest) await a.world.d.abtests.stop(a.run.ctx.abtest, byLine(row), 'promoted').catch(() => {});
  // The alias moves first, so a route that follows it loads the candidate with the revision below.
  try {
    await a.world.setAlias(a.loop.model, alias, row.candidate_version!, { name: byLine(row), role: 'editor' });
  } catch (err) {
    // The alias's approval gate refused the move (checks or approvals missing): the run ends saying which, and
    // the finish puts the deployment back; anything else is retried as before.
    if (!(err instanceof FerryError && err.code === 'PERMISSION_DENIED')) throw err;
    return endWith(a, {
      state: 'rejected',
      kind: 'rejected',
      actor: 'loop',
      reason: `Promotion of version ${row.candidate_version} to @${alias} was refused by the alias's approval gate: ${err.message}`.replace(/\.?$/, '.'),
      evidence: { alias, refused: err.message, conditions: err.errors.map((e) => e.message) },
    });
  }
  const baselineRev = a.run.ctx.baseline_revision;
  // The routes as they were before the run (its shadow and canary undone), else as they are.
  const baseline = baselineRev !== null ? ((await a.world.revisions(a.loop.deployment)).find((r) => r.revision === baselineRev)?.spec ?? null) : null;
  const revision = await ensureRevision(a, 'promotion', (current) => promotedSpec(a, baseline ?? specInput(current)));
  const why = forced
    ? `Promoted version ${row.candidate_version} by force: ${forced.reason} (${forced.by}).`
    : `Promoted version ${row.candidate_version} of ${a.loop.model}: it passed the gate${a.run.spec.rollout.shadow ? ', the shadow step' : ''}${
        a.run.spec.rollout.steps.length ? ` and ${a.run.spec.rollout.steps.length} canary step${a.run.spec.rollout.steps.length > 1 ? 's' : ''}` : ''
      }; @${alias} and ${a.loop.deployment} now serve it.`;
  return {
    steps: [
      step('promoted', 'passed', why, {
        actor: forced ? forced.by : 'loop',
        links: {
          deployment_revision: revision,
          model_version: row.candidate_version!,
          ...(row.champion_version ? { champion_version: row.champion_version } : {}),
        },
        evidence: { alias, promotion_key: key, baseline_revision: baselineRev, forced: forced ?? null },
      }),
    ],
    ctx: { ...a.run.ctx, next: 'finish', ending: null },
    state: 'promoted',
    phase: 'promoted',
    patch: { ended_at: a.now, reason: why },
  };
}

/** Shadow and canary windows start when their step did (for the judge). */
export function phaseWindow(a: Act): { from: number; to: number } {
  return { from: a.run.ctx.phase_started_at ?? a.run.row.started_at, to: a.now };
}

export function stepDurationMs(text: string, field: string): number {
  return ms(text, field);
}
