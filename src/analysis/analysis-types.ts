/** The shapes drift and references share: what the model takes, where a reference comes from, a time range. */
import type { Static } from '@sinclair/typebox';
import type { ReferenceSource as ReferenceSourceSchema } from '../contract/monitoring.js';

export interface ModelFeatures {
  features: { name: string; kind: 'numerical' | 'categorical' }[];
  /** The output that is "the prediction" (the model's first output), if any. */
  prediction: string | null;
  /** The model version serving most of the traffic (whose training data can be the reference). */
  model?: { name: string; version: string };
}
/** What the live deployment's model takes and answers (throws when the deployment is not serving). */
export type FeatureSource = (deployment: string) => ModelFeatures;
/** Scores rows with the deployment's (first) model: the reference's predictions, when the table has none. */
export type ReferenceScorer = (deployment: string, rows: Record<string, unknown>[]) => Promise<{ version: string; outputs: Record<string, unknown>[] }>;

/** Where a reference came from (stored with it, answered as is). */
export type ReferenceSource = Static<typeof ReferenceSourceSchema>;

/** A time range: ISO 8601, epoch ms, or a duration ago; default the 24 h before `to` (default now). */
export interface WindowQuery {
  from?: string | number;
  to?: string | number;
}

/** The reference to build: a table (CSV / JSON Lines text), a dataset version, or a past window of traffic. */
export interface ReferenceInput extends WindowQuery {
  table?: { format: 'csv' | 'jsonl'; text: string };
  /** NAME@VERSION. */
  dataset?: string;
  /** The dataset version the serving model version was trained on. */
  trainingData?: boolean;
  /** The column holding predictions (else the live model scores the rows). */
  predictionColumn?: string;
}
