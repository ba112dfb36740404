// Datetime bounds and set items are written as ISO 8601 text; datetime columns hold epoch milliseconds.
// Date.parse reads "2024-01-01T00:00" in the server's local time zone, so a suite would mean different
// instants on different servers: a date/time without a zone is read as UTC here instead.

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of an ISO 8601 date or date-time (UTC when no zone is given), or null when not one. */
export function parseIsoDate(s: string): number | null {
  if (s.length > 40) return null;
  const m = ISO.exec(s.trim());
  if (m === null) return null;
  const [, date, time, zone] = m;
  // V8 rolls 2024-02-30 over to March 1st; a day past the month's end is refused instead.
  const [y, mo, d] = date.split('-').map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  const tz = zone === undefined ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  let text = time === undefined ? `${date}T00:00:00Z` : `${date}T${time}${tz}`;
  // Date.parse takes at most milliseconds; drop finer digits (bounds finer than 1 ms are not meaningful here).
  text = text.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** An epoch-ms value as reported: ISO text when representable, the number otherwise. */
export function formatDate(ms: number): string | number {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? ms : d.toISOString();
}
