/**
 * What the gate knows about a version, read through the other capabilities' public surfaces: its authors, its
 * source run's metrics, its training data versions with their latest validations — and the hash an approval
 * signs. The hash is the model card's when a card source is wired (issue 19's cards); until then it is a hash of
 * the same stored facts the card is built from, so a changed fact supersedes an approval either way.
 */
import { createHash } from 'node:crypto';
import type { PARITY_METRICS } from '../contract/fairness.js';
import type { LineageService } from '../data/index.js';
import type { RegistryService } from '../registry/index.js';
import type { RunService } from '../tracking/index.js';

export interface CardSection {
  name: string;
  present: boolean;
  stale: boolean;
  as_of: number | null;
}

/** The model card's state for a version: its content hash and each section's presence and staleness. */
export interface CardStatus {
  hash: string;
  sections: CardSection[];
}

export type CardStatusFn = (model: string, version: string) => Promise<CardStatus>;

export interface FairnessQuery {
  model: string;
  version: string;
  metric: (typeof PARITY_METRICS)[number];
  features: string[];
  method?: 'between_groups' | 'to_overall';
  min?: number;
  max?: number;
}

/** A fairness check's verdict from a stored fairness report (the fairness capability answers it). */
export interface FairnessVerdict {
  passed: boolean;
  reason: string;
  evidence?: Record<string, unknown>;
}

export type FairnessCheckFn = (q: FairnessQuery) => Promise<FairnessVerdict>;

export interface FactSources {
  registry: RegistryService;
  runs: RunService;
  lineage: LineageService;
  /** The model card's status (wired once the card capability is in; the card check fails without it). */
  cardStatus?: CardStatusFn;
  /** Fairness from stored reports (wired once the fairness capability is in; the fairness check fails without it). */
  fairnessCheck?: FairnessCheckFn;
}

export interface TrainingData {
  dataset: string;
  version: number;
  /** Newest first. */
  validations: { id: number; suite: string; success: boolean; created_at: string }[];
}

export interface VersionFacts {
  model: string;
  version: string;
  /** The version's creator and its source run's user (whose approvals never count). */
  authors: string[];
  run: { run_id: string; user_id: string; metrics: Record<string, number | string>; params: Record<string, string> } | null;
  training: TrainingData[];
  /** The fields of the version itself that a card shows (source, description, tags). */
  record: Record<string, unknown>;
}

export async function versionFacts(src: FactSources, model: string, version: string): Promise<VersionFacts> {
  const v = await src.registry.getVersion(model, version);
  const authors = [v.user_id];
  let run: VersionFacts['run'] = null;
  if (v.run_id) {
    const r = await src.runs.get(v.run_id).catch(() => null);
    if (r) {
      if (r.info.user_id && !authors.includes(r.info.user_id)) authors.push(r.info.user_id);
      const metrics: Record<string, number | string> = {};
      for (const m of r.data.metrics) metrics[m.key] = m.value;
      const params: Record<string, string> = {};
      for (const p of r.data.params) params[p.key] = p.value;
      run = { run_id: v.run_id, user_id: r.info.user_id, metrics, params };
    }
  }
  const training: TrainingData[] = [];
  const wanted = await src.lineage.trainingVersionsOf(model, Number(version));
  if (wanted.length) {
    const lineage = await src.lineage.ofModelVersion(model, Number(version));
    for (const w of wanted) {
      const found = lineage.datasets.flatMap((d) => d.dataset_versions).find((d) => d.dataset === w.dataset && d.version === w.version);
      const validations = (found?.validations ?? []).map((x) => ({ id: x.id, suite: x.suite, success: x.success, created_at: x.created_at }));
      if (!training.some((t) => t.dataset === w.dataset && t.version === w.version)) training.push({ ...w, validations });
    }
  }
  const record = {
    source: v.source,
    run_id: v.run_id ?? null,
    model_id: v.model_id ?? null,
    description: v.description,
    tags: [...v.tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
  return { model, version, authors, run, training, record };
}

/** JSON with object keys sorted, so equal facts always hash alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The hash of the facts a card is built from (used while no card source is wired). */
export function factsHash(f: VersionFacts): string {
  const body = { model: f.model, version: f.version, record: f.record, run: f.run, training: f.training };
  return `sha256:${createHash('sha256').update(canonical(body)).digest('hex')}`;
}
