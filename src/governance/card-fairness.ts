/**
 * The card's fairness section from stored fairness reports (fairness_reports, written by the fairness capability
 * when a version is scored on a dataset version): the newest report per dataset version and set of sensitive
 * features, each group's value and count per metric, the parity metrics by both methods, and the four-fifths
 * heuristic as the report states it. Read as stored — nothing is recomputed.
 */
import type { Store } from '../store/index.js';
import { fairnessReportsOf } from './card-repo.js';
import type { CheckRecord, ProvidedFacts, SectionProvider } from './card-types.js';

interface StoredAnalysis {
  features: string[];
  frames: { metric: string; overall: number | null; groups: { label: string; value: number | null; n: number; observed: boolean; insufficient: boolean }[] }[];
  parity: Record<string, { between_groups: number | null; to_overall: number | null }>;
  four_fifths: { ratio: number | null; threshold: number; flagged: boolean; undefined: boolean; explanation: string };
  insufficient_groups: string[];
}

interface StoredResult {
  n_rows?: number;
  analyses?: StoredAnalysis[];
}

const num = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function storedFairness(store: Store): SectionProvider {
  return async (model, version): Promise<ProvidedFacts | null> => {
    const all = await fairnessReportsOf(store, model, version);
    // The newest report per dataset version and sensitive features: what the model's fairness is today.
    const seen = new Set<string>();
    const latest = all.filter((r) => {
      const spec = JSON.parse(r.spec) as { sensitive_features?: string[] };
      const key = `${r.dataset}@${r.dataset_version}|${(spec.sensitive_features ?? []).join(',')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (latest.length === 0) return null;
    const reports = [];
    const parity = [];
    const groups = [];
    const mct: { type: string; value: string; slice: string }[] = [];
    const checks: CheckRecord[] = [];
    for (const r of [...latest].reverse()) {
      const spec = JSON.parse(r.spec) as { label?: string; sensitive_features?: string[]; min_group_size?: number };
      const res = JSON.parse(r.result) as StoredResult;
      const analyses = res.analyses ?? [];
      const first = analyses[0];
      const ref = `${r.dataset}@${r.dataset_version}`;
      reports.push({
        id: r.id,
        dataset: ref,
        label: spec.label ?? null,
        sensitive_features: (spec.sensitive_features ?? []).join(', '),
        n_rows: res.n_rows ?? null,
        min_group_size: spec.min_group_size ?? null,
        four_fifths_ratio: num(first?.four_fifths.ratio),
        four_fifths_flagged: first?.four_fifths.flagged ?? null,
        insufficient_groups: (first?.insufficient_groups ?? []).join(', '),
        created_at: r.created_at,
        created_by: r.created_by,
      });
      for (const a of analyses) {
        const by = a.features.join(' × ');
        for (const [metric, v] of Object.entries(a.parity)) {
          parity.push({ report: r.id, features: by, metric, between_groups: num(v.between_groups), to_overall: num(v.to_overall) });
          if (num(v.between_groups) !== null) mct.push({ type: metric, value: String(v.between_groups), slice: by });
        }
        for (const f of a.frames)
          for (const g of f.groups) {
            if (!g.observed) continue;
            groups.push({ report: r.id, features: by, metric: f.metric, group: g.label, n: g.n, value: num(g.value), insufficient: g.insufficient });
            if (num(g.value) !== null) mct.push({ type: f.metric, value: String(g.value), slice: `${by}=${g.label}` });
          }
      }
      const dpr = num(first?.parity['demographic_parity_ratio']?.between_groups);
      checks.push({
        at: r.created_at,
        actor: r.created_by,
        kind: 'fairness_report',
        subject: `fairness report ${r.id} on ${ref} by ${(spec.sensitive_features ?? []).join(', ')}`,
        outcome: first?.four_fifths.flagged ? 'flagged' : 'info',
        detail: `Demographic parity ratio ${dpr === null ? 'undefined' : dpr}; four-fifths heuristic ${first?.four_fifths.flagged ? 'flagged' : 'not flagged'}.`,
      });
    }
    const note = latest[0] ? ((JSON.parse(latest[0].result) as StoredResult).analyses?.[0]?.four_fifths.explanation ?? null) : null;
    return {
      as_of: Math.max(...latest.map((r) => r.created_at)),
      facts: { reports, parity, groups, four_fifths_note: note, mct_metrics: mct },
      checks,
    };
  };
}
