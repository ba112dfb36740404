/**
 * What monitoring asks of the data capability, given to it at start (so monitoring imports nothing of data):
 * dataset versions as drift references, and the validation suites attached to a deployment, run on traffic.
 */
import type { DatasetProfile } from '../stats/index.js';

export interface DatasetReference {
  /** NAME@VERSION of the dataset version used. */
  ref: string;
  rows: number;
  /** The version's profile (every column of the file). */
  profile: DatasetProfile;
  /** A uniform sample of whole rows (to score with the live model when the file has no prediction column). */
  sampleRows(n: number): Promise<Record<string, unknown>[]>;
}

export interface TrafficValidation {
  suite: string;
  success: boolean;
  evaluated: number;
  failed: number;
  /** The failed expectations, briefly. */
  failures: { type: string; column?: string }[];
}

export interface MonitoringDataHooks {
  /** `NAME[@VERSION]`, or the dataset version the deployment's model version was trained on (`{ trainingOf }`). */
  datasetReference(spec: { dataset: string } | { trainingOf: { model: string; version: string } }): Promise<DatasetReference>;
  /** Whether any suite is attached to the deployment (cheap; skips profile reads when none is). */
  hasSuites(deployment: string): Promise<boolean>;
  /** Runs the deployment's attached suites on a traffic profile; complete windows are recorded once. */
  validateTraffic(deployment: string, window: { start: number; end: number; complete: boolean }, profile: DatasetProfile): Promise<TrafficValidation[]>;
}
