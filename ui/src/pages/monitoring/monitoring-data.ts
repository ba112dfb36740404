/**
 * What the monitoring pages read that the SDK does not type yet: suites' results per quality window, and the
 * histogram extras (underflow / overflow / unseen buckets) the drift answer carries beside its bins.
 */
import type { DriftWindows, FeatureQuality, FerryClient, PlotBins, QualityReport } from '../../../../src/sdk/index.js';

export type { DriftWindow, DriftWindows, WindowFeatureDrift } from '../../../../src/sdk/index.js';

/** A deployment's attached suite judged on one window of traffic. */
export interface TrafficValidation {
  suite: string;
  success: boolean;
  evaluated: number;
  failed: number;
  failures: { type: string; column?: string }[];
}

export interface QualityWindow {
  start: string;
  rows: number;
  features: FeatureQuality[];
  validations?: TrafficValidation[];
}

export type QualityWithValidations = Omit<QualityReport, 'windows'> & { windows: QualityWindow[]; validations?: TrafficValidation[] };

/** A bucket outside the reference's bins. */
export interface Bucket {
  count: number;
  share: number;
}

/** Plotted bins as the drift answer sends them. */
export type DriftBins = PlotBins & { underflow?: Bucket; overflow?: Bucket; unseen?: Bucket };

export function driftWindows(client: FerryClient, name: string, from: string): Promise<DriftWindows> {
  return client.monitoring.driftWindows(name, { from });
}

export function qualityReport(client: FerryClient, name: string, from: string): Promise<QualityWithValidations> {
  return client.monitoring.quality(name, { from }) as Promise<QualityWithValidations>;
}

export const RANGES = ['1h', '24h', '7d'] as const;
export type Range = (typeof RANGES)[number];

const RANGE_MS: Record<Range, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 };

/** The range ending now, in epoch seconds (a chart's x axis). */
export function rangeSpan(range: Range, nowMs: number): { from: number; to: number } {
  return { from: (nowMs - RANGE_MS[range]) / 1000, to: nowMs / 1000 };
}

export function parseRange(v: string | null): Range {
  return (RANGES as readonly string[]).includes(v ?? '') ? (v as Range) : '24h';
}
