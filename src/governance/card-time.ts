/**
 * Times in cards and reports come from stored facts, and the MLflow API stores any int64 as a run's or metric's time:
 * one past what a Date can hold (±8.64e15 ms) made every render of the card a 500. Such a time is shown as unknown.
 */
export function isoTime(ms: number | null | undefined): string | null {
  if (typeof ms !== 'number') return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
