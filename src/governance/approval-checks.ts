/**
 * Each check of a policy against a version's facts: passed or not, one sentence why, and the evidence read. A
 * check that cannot be evaluated (no source run, no fairness report, no card source) fails, saying so: a gate
 * never passes on missing evidence.
 */
import { FerryError } from '../errors.js';
import type { CheckResult } from './approval-gate.js';
import type { CardStatus, FactSources, VersionFacts } from './approval-facts.js';
import { checkName, type GateCheckSpec } from './approval-policy.js';
import { isoTime } from './card-time.js';

type Outcome = Omit<CheckResult, 'name' | 'kind'>;

const fail = (reason: string, evidence: Record<string, unknown> = {}): Outcome => ({ passed: false, reason, evidence });
const pass = (reason: string, evidence: Record<string, unknown> = {}): Outcome => ({ passed: true, reason, evidence });

function metricCheck(c: Extract<GateCheckSpec, { kind: 'metric' }>, f: VersionFacts): Outcome {
  if (!f.run) return fail(`Version ${f.version} has no source run, so its metric '${c.metric}' cannot be read.`);
  const value = f.run.metrics[c.metric];
  const evidence = { run_id: f.run.run_id, metric: c.metric, value: value ?? null, op: c.op, threshold: c.threshold };
  if (value === undefined) return fail(`Run ${f.run.run_id} logged no metric '${c.metric}'.`, evidence);
  if (typeof value !== 'number' || !Number.isFinite(value))
    return fail(`Run ${f.run.run_id}'s '${c.metric}' is ${String(value)}, not a finite number.`, evidence);
  const ok = c.op === '>=' ? value >= c.threshold : value <= c.threshold;
  const words = c.op === '>=' ? 'at least' : 'at most';
  return ok
    ? pass(`${c.metric} = ${value} on run ${f.run.run_id} is ${words} ${c.threshold}.`, evidence)
    : fail(`${c.metric} = ${value} on run ${f.run.run_id} is not ${words} ${c.threshold}.`, evidence);
}

function validationCheck(c: Extract<GateCheckSpec, { kind: 'validation' }>, f: VersionFacts): Outcome {
  if (!f.training.length)
    return fail(
      `Version ${f.version} names no Ferry dataset version as its training data (log it as the source run's input), so its validation cannot be checked.`,
    );
  const problems: string[] = [];
  const evidence: Record<string, unknown>[] = [];
  for (const t of f.training) {
    // The latest result of each suite (validations are newest first).
    const latest = new Map<string, TrainingDataValidation>();
    for (const v of t.validations) if ((!c.suite || v.suite === c.suite) && !latest.has(v.suite)) latest.set(v.suite, v);
    const ref = `${t.dataset}@${t.version}`;
    if (!latest.size) problems.push(`${ref} has no validation${c.suite ? ` by suite ${c.suite}` : ''}`);
    for (const v of latest.values()) {
      evidence.push({ dataset: t.dataset, version: t.version, suite: v.suite, validation: v.id, success: v.success, at: v.created_at });
      if (!v.success) problems.push(`${ref}'s latest validation by suite ${v.suite} (#${v.id}) failed`);
    }
  }
  const refs = f.training.map((t) => `${t.dataset}@${t.version}`).join(', ');
  return problems.length
    ? fail(`${problems.join('; ')}.`, { validations: evidence })
    : pass(`The latest validation${evidence.length > 1 ? 's' : ''} of the training data (${refs}) passed.`, { validations: evidence });
}
type TrainingDataValidation = VersionFacts['training'][number]['validations'][number];

function cardCheck(c: Extract<GateCheckSpec, { kind: 'card' }>, card: CardStatus | null, f: VersionFacts): Outcome {
  if (!card) return fail(`No model card is available to this server for version ${f.version}, so its sections cannot be checked.`);
  const problems: string[] = [];
  const evidence: Record<string, unknown>[] = [];
  for (const name of c.sections) {
    const s = card.sections.find((x) => x.name === name);
    evidence.push({ section: name, present: s?.present ?? false, stale: s?.stale ?? null, as_of: s?.as_of ?? null });
    if (!s || !s.present) problems.push(`section '${name}' is missing`);
    else if (s.stale) problems.push(`section '${name}' is stale (as of ${isoTime(s.as_of) ?? 'unknown'})`);
  }
  return problems.length
    ? fail(`The model card's ${problems.join('; ')}.`, { card_hash: card.hash, sections: evidence })
    : pass(`The model card has ${c.sections.join(', ')}, none stale.`, { card_hash: card.hash, sections: evidence });
}

async function fairnessCheck(c: Extract<GateCheckSpec, { kind: 'fairness' }>, src: FactSources, f: VersionFacts): Promise<Outcome> {
  if (!src.fairnessCheck) return fail(`Fairness reports are not available to this server, so ${c.metric} cannot be checked.`);
  const query = {
    model: f.model,
    version: f.version,
    metric: c.metric,
    features: c.features,
    ...(c.method !== undefined ? { method: c.method } : {}),
    ...(c.min !== undefined ? { min: c.min } : {}),
    ...(c.max !== undefined ? { max: c.max } : {}),
  };
  try {
    const v = await src.fairnessCheck(query);
    return { passed: v.passed, reason: v.reason, evidence: v.evidence ?? {} };
  } catch (err) {
    // A refusal (no stored report for the version, an unknown metric) is a failed check that says so.
    if (err instanceof FerryError) return fail(err.message, { error: err.code });
    throw err;
  }
}

/** Every check of the policy, in its order. */
export async function runChecks(checks: GateCheckSpec[], src: FactSources, facts: VersionFacts, card: CardStatus | null): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const c of checks) {
    let o: Outcome;
    switch (c.kind) {
      case 'metric':
        o = metricCheck(c, facts);
        break;
      case 'validation':
        o = validationCheck(c, facts);
        break;
      case 'card':
        o = cardCheck(c, card, facts);
        break;
      case 'fairness':
        o = await fairnessCheck(c, src, facts);
        break;
    }
    out.push({ name: checkName(c), kind: c.kind, ...o });
  }
  return out;
}
