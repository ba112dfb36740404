/**
 * The card's explanations section ("Model examination") from the version's latest stored global-importance summary
 * (explanation_summaries, written each time importance is computed): the features with the largest mean |φ|, the
 * method, the output space the attributions are in, the background they were taken against, and the rows and seed.
 * Read as stored — nothing is recomputed, so a card changes only when a new summary is stored.
 */
import { ExplanationSummaryRepo } from '../analysis/index.js';
import type { Store } from '../store/index.js';
import type { ProvidedFacts, SectionProvider } from './card-types.js';

/** Features a card lists; the rest are counted (the API answers them all). */
export const CARD_TOP_FEATURES = 20;

export function storedExplanations(store: Store): SectionProvider {
  const repo = new ExplanationSummaryRepo(store);
  return async (model, version): Promise<ProvidedFacts | null> => {
    const s = await repo.latest(model, version);
    if (!s) return null;
    const top = s.features.slice(0, CARD_TOP_FEATURES);
    const bg = s.background;
    return {
      as_of: s.created_at,
      facts: {
        summary_id: s.id,
        method: s.method,
        output_space: s.output_space,
        outputs: s.outputs,
        background: { dataset: `${bg.dataset}@${bg.version}`, rows: bg.rows, digest: bg.digest, source: bg.source },
        rows_explained: s.rows,
        seed: s.seed,
        truncated: s.truncated,
        features_total: s.features.length,
        computed_at: s.created_at,
        computed_by: s.created_by,
        top_features: top.map((f, i) => ({ rank: i + 1, feature: f.feature, mean_abs: f.mean_abs })),
      },
      checks: [
        {
          at: s.created_at,
          actor: s.created_by,
          kind: 'explanation_summary',
          subject: `global importance ${s.id} (${s.method}, ${s.output_space}) on ${bg.dataset}@${bg.version}`,
          outcome: 'info',
          detail:
            `Mean |φ| over ${s.rows} rows against ${bg.rows} background rows (${bg.source}), seed ${s.seed}` +
            `${s.truncated ? ', truncated by the evaluation budget (an estimate)' : ''}; top feature ${top[0]?.feature ?? '—'}.`,
        },
      ],
    };
  };
}
