/** The shapes a model card is built from: sections, staleness policy, and the providers other capabilities plug in. */
import type { Static } from '@sinclair/typebox';
import type { CardSection, CardSectionId, ModelCard } from '../contract/cards.js';

export type Section = Static<typeof CardSection>;
export type Card = Static<typeof ModelCard>;

/** One stored check, as the validation report's test log lists it. */
export interface CheckRecord {
  at: number;
  actor: string;
  /** data_validation | gate_evaluation | fairness_report | approval | alias_move | loop_step | audit | … */
  kind: string;
  subject: string;
  /** passed | failed | info | approve | reject | superseded | … */
  outcome: string;
  detail: string;
}

/** What a provider knows about a version for one section; null: nothing recorded for it yet. */
export interface ProvidedFacts {
  /** The newest fact's time (ms). */
  as_of: number | null;
  /** JSON-ready facts (no undefined, NaN or Infinity). */
  facts: Record<string, unknown>;
  /** The dated checks behind these facts, for the test log. */
  checks?: CheckRecord[];
}

export type SectionProvider = (model: string, version: string) => Promise<ProvidedFacts | null>;

/**
 * Sections whose facts other helpers' capabilities hold (fairness reports, global importance, live monitoring,
 * approvals). A section without a provider renders as `unavailable`, saying so; app.ts wires each one in.
 */
export interface CardProviders {
  fairness?: SectionProvider;
  explanations?: SectionProvider;
  monitoring?: SectionProvider;
  approvals?: SectionProvider;
}

/** Ages (ms) past which a section is stale; which policy applies to which section is fixed in STALE_POLICY_OF. */
export interface CardPolicy {
  monitoring_ms: number;
  validation_ms: number;
}

const DAY = 86_400_000;
export const DEFAULT_CARD_POLICY: CardPolicy = Object.freeze({ monitoring_ms: 30 * DAY, validation_ms: 365 * DAY });

/** Which age applies: validation evidence (data checks, gate, fairness, explanations) and live monitoring. */
export const STALE_POLICY_OF: Partial<Record<CardSectionId, keyof CardPolicy>> = {
  training_data: 'validation_ms',
  evaluation: 'validation_ms',
  fairness: 'validation_ms',
  explanations: 'validation_ms',
  monitoring: 'monitoring_ms',
};

export const SECTION_TITLES: Record<CardSectionId, string> = {
  identity: 'Model details',
  uses: 'Uses',
  risks: 'Bias, risks, and limitations',
  training_data: 'Training data',
  training_run: 'Training procedure',
  evaluation: 'Evaluation',
  fairness: 'Fairness by group',
  explanations: 'Model examination',
  monitoring: 'Monitoring',
  approvals: 'Approvals',
};

/** A section before staleness is judged: what the content hash covers. */
export interface SectionDraft {
  id: CardSectionId;
  status: 'present' | 'empty' | 'unavailable';
  reason: string | null;
  as_of: number | null;
  facts: Record<string, unknown>;
}

/** Everything a card is rendered from, and the test log's checks gathered on the way. */
export interface CardFacts {
  model: string;
  version: string;
  sections: SectionDraft[];
  checks: CheckRecord[];
}
