/**
 * Profile windows are aligned to the clock (a 1 h window starts on the hour). A test that asserts "one window"
 * calls this before sending: within `marginMs` of a window's end it waits until just past it, so traffic sent
 * next cannot straddle two windows, whatever the time of day the suite runs.
 */
export async function clearOfWindowEnd(spanMs: number, marginMs: number): Promise<void> {
  const left = spanMs - (Date.now() % spanMs);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 50));
}
