/**
 * The offline gate: candidate and champion scored on the same rows — the pinned held-out dataset version and the
 * recent labelled production window — and judged per slice by gate/ (TFX thresholds and the paired interval).
 */
import { type Act, type Result, rethrowTransient, endWith } from './act.js';
import { afterGate } from './actions-rollout.js';
import { type GateSource, evaluateGate, gateConfig } from './gate/index.js';
import { ms } from './loop-spec.js';
import { heldOut } from './loop-world.js';
import { step } from './run-context.js';
import { judgeLogged } from './judging.js';

type Truth = GateSource['truth'][number];

const isTruth = (v: unknown): v is Truth => (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean';

function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

async function scored(a: Act, rows: Record<string, unknown>[]): Promise<{ candidate: Record<string, unknown>[]; champion: Record<string, unknown>[] | null }> {
  const model = a.loop.model;
  const candidate = await a.world.score(model, a.run.row.candidate_version!, rows);
  const champ = a.run.row.champion_version;
  return { candidate, champion: champ !== null ? await a.world.score(model, champ, rows) : null };
}

/** The sources the spec names, read and scored (a source with no rows is kept: the gate reports it). */
export async function gateSources(a: Act): Promise<GateSource[]> {
  const g = a.run.spec.gate;
  const label = g.label ?? 'label';
  const out: GateSource[] = [];
  if (g.holdout) {
    const data = await a.world.readDataset(g.holdout.dataset, g.holdout.version);
    const kept = data.rows.filter((r) => isTruth(r[label]));
    const features = kept.map((r) => {
      const { [label]: _, ...rest } = r;
      return rest;
    });
    const s = await scored(a, features);
    out.push({
      source: 'holdout',
      label: `${g.holdout.dataset} v${data.version}`,
      dataset: { dataset: g.holdout.dataset, version: data.version },
      features,
      truth: kept.map((r) => r[label] as Truth),
      ...s,
    });
  }
  if (g.production_window) {
    // The window ends when the run started: a resumed gate reads the same rows and decides the same.
    const to = a.run.row.started_at;
    const from = to - ms(g.production_window, 'gate.production_window');
    // When the loop trained on production traffic, only the rows it held out count: the gate never scores a row
    // the candidate was trained on.
    const td = a.run.spec.training?.data;
    const share = a.run.row.candidate_version !== null && a.run.ctx.job_id !== null && td?.production_window ? (td.holdout_share ?? 0.2) : null;
    const rows = (await a.world.labelledRows(a.loop.deployment, from, to)).filter((r) => isTruth(r.truth) && (share === null || heldOut(r, share)));
    const features = rows.map((r) => r.features);
    const s = rows.length > 0 ? await scored(a, features) : { candidate: [], champion: a.run.row.champion_version !== null ? [] : null };
    out.push({
      source: 'production',
      label: `production ${isoDay(from)} → ${isoDay(to)} UTC${share !== null ? ` (the ${Math.round(share * 100)}% held out of training)` : ''}`,
      window: { from, to },
      features,
      truth: rows.map((r) => r.truth as Truth),
      ...s,
    });
  }
  return out;
}

export async function gate(a: Act): Promise<Result> {
  const { row } = a.run;
  let evidence;
  try {
    evidence = evaluateGate(await gateSources(a), gateConfig(a.run.spec.gate));
  } catch (err) {
    rethrowTransient(err);
    return endWith(a, {
      state: 'failed',
      kind: 'failed',
      actor: 'loop',
      reason: `The gate could not evaluate version ${row.candidate_version}: ${(err as Error).message}`.replace(/\.?$/, '.'),
      evidence: { error: (err as Error).message },
    });
  }
  const passed = evidence.outcome === 'pass' || evidence.outcome === 'no_baseline_pass';
  const datasets = evidence.sources.flatMap((s) => (s.dataset ? [s.dataset] : []));
  const links = {
    model_version: row.candidate_version!,
    ...(row.champion_version ? { champion_version: row.champion_version } : {}),
    dataset_versions: datasets,
  };
  const record = step('evaluating', passed ? 'passed' : 'failed', evidence.reason, { links, evidence: evidence as unknown as Record<string, unknown> });
  if (a.run.spec.dry_run || Number(row.dry_run) === 1) {
    const v = row.candidate_version;
    if (!passed)
      return endWith(
        a,
        {
          state: 'dry_run',
          kind: 'dry_run',
          actor: 'loop',
          reason: `Dry run: version ${v} would be rejected at the gate; nothing was changed.`,
          evidence: { gate_outcome: evidence.outcome },
        },
        [record],
      );
    const j = await judgeLogged(a);
    const would = { advance: 'let it go on', rollback: 'roll it back', hold: 'hold it', ask: 'ask a person' }[j.action];
    return endWith(
      a,
      {
        state: 'dry_run',
        kind: 'dry_run',
        actor: 'loop',
        reason: `Dry run: version ${v} would pass the gate; on the traffic already logged the judge would ${would} — ${j.reason.replace(/^The shadow step /, 'the shadow step ')} Nothing was changed.`,
        evidence: { gate_outcome: evidence.outcome, judge: j.evidence as unknown as Record<string, unknown> },
      },
      [record],
    );
  }
  if (!passed)
    return endWith(a, { state: 'rejected', kind: 'rejected', actor: 'loop', reason: evidence.reason, evidence: { gate_outcome: evidence.outcome } }, [record]);
  return {
    steps: [record],
    ctx: afterGate(a, a.run.ctx),
    phase: a.run.spec.rollout.shadow ? 'shadow' : a.run.spec.rollout.steps.length ? 'canary' : 'promoted',
  };
}
