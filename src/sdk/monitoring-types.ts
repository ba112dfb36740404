/** Types of the monitoring API (prediction log, feedback, references, drift, quality, performance): the contract's. */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/monitoring.js';
import type * as S from '../contract/stats.js';

export type MonitoringSettings = Static<typeof C.MonitoringSettings>;
/** A settings change: fields left out keep their values. */
export type MonitoringSettingsInput = Static<typeof C.MonitoringSettingsInput>;
export type MonitoringLogCounts = Static<typeof C.LogCounts>;
export type LoggedPrediction = Static<typeof C.LoggedPrediction>;
export type PredictionPage = Static<typeof C.PredictionPage>;
export type FeedbackItem = Static<typeof C.FeedbackItem>;
export type FeedbackResult = Static<typeof C.FeedbackResult>;

export type ReferenceSource = Static<typeof C.ReferenceSource>;
/** What attaching a reference answers. */
export type ReferenceInfo = Static<typeof C.ReferenceCreated>;
/** The stored reference with its per-column summary. */
export type Reference = Static<typeof C.Reference>;
export type ColumnSummary = Static<typeof S.ColumnSummary>;

export type PlotBins = Static<typeof S.PlotBins>;
export type FeatureDrift = Static<typeof S.FeatureDrift>;
export type UnjudgedFeature = Static<typeof C.UnjudgedFeature>;
export type DriftReport = Static<typeof C.DriftReport>;
export type WindowFeatureDrift = Static<typeof C.WindowFeatureDrift>;
export type DriftWindow = Static<typeof C.DriftWindow>;
export type DriftWindows = Static<typeof C.DriftWindows>;

export type FeatureQuality = Static<typeof C.FeatureQuality>;
export type TrafficValidation = Static<typeof C.TrafficValidation>;
export type QualityReport = Static<typeof C.QualityReport>;

/** Metrics of one group of predictions with feedback: a classification or a regression report (n = 0: none). */
export type PerformanceMetrics = Static<typeof C.PerformanceMetrics>;
export type VersionPerformance = Static<typeof C.VersionPerformance>;
export type PerformanceReport = Static<typeof C.PerformanceReport>;

/** A drift report's feature entry read loosely: judged (every field) or not (name, drifted: null, note). */
export type FeatureDriftRow = Pick<FeatureDrift, 'name'> & { drifted: boolean | null; note?: string } & Partial<
    Omit<FeatureDrift, 'name' | 'drifted' | 'note'>
  >;
