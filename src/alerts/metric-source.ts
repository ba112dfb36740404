/** Where alert rules get their numbers: monitoring implements this; tests pass a double whose values they set. */

export interface AlertMetricSource {
  /** The metric's current value for the deployment over the window ending at `now` (ms epoch); null = no data. */
  value(deployment: string, metric: string, windowMs: number, now: number): Promise<number | null>;
}

/** A source with no data for anything: every rule's condition is false (no data never fires). */
export const noMetricData: AlertMetricSource = {
  value: async () => null,
};
