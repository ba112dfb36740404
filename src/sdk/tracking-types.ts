/** Experiments, runs, logged models and artifact listings (MLflow's REST API): the wire contract's types (src/contract/tracking.ts). */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/tracking.js';

export type KeyValue = Static<typeof C.KeyValue>;
export type ViewType = Static<typeof C.ViewType>;
export type LifecycleStage = Static<typeof C.LifecycleStage>;

export type Experiment = Static<typeof C.Experiment>;
export type SearchExperimentsResponse = Static<typeof C.SearchExperimentsResponse>;

export type RunStatus = Static<typeof C.RunStatus>;
export type RunInfo = Static<typeof C.RunInfo>;
/** A metric's value at a step. `value` is a string ("NaN", "Infinity", "-Infinity") for non-finite numbers. */
export type Metric = Static<typeof C.Metric>;
export type RunData = Static<typeof C.RunData>;
export type DatasetInput = Static<typeof C.DatasetInput>;
export type Run = Static<typeof C.Run>;
export type SearchRunsResponse = Static<typeof C.SearchRunsResponse>;

/** One entry of a run's artifact listing (`path` is relative to the run's artifact root). */
export type ArtifactFile = Static<typeof C.ArtifactFile>;
export type ArtifactListing = Static<typeof C.ArtifactListing>;

export type LoggedModel = Static<typeof C.LoggedModel>;
export type LoggedModelStatus = Static<typeof C.LoggedModelStatus>;

/**
 * A metric to log: the wire's fields, with `timestamp` (default now) and `step` (default 0) optional and the
 * value a JS number (NaN and ±Infinity included; the SDK writes them as MLflow's strings).
 */
export type MetricInput = Omit<Static<typeof C.MetricIn>, 'value' | 'timestamp' | 'step'> & { value: number; timestamp?: number; step?: number };
