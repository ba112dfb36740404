/**
 * The text of a job's log as the page keeps it: appended as it arrives, capped so a long-running job's
 * megabytes of output cannot fill the tab's memory. The oldest text goes first, cut at a line boundary.
 */

/** Characters the page keeps per log (about 512 KB of ASCII). */
export const LOG_CAP_CHARS = 512 * 1024;

export interface LogBuffer {
  text: string;
  /** Bytes or characters of earlier output that are not in `text` (0: the log is whole). */
  dropped: number;
}

export const EMPTY_LOG: LogBuffer = { text: '', dropped: 0 };

/** `buf` with `chunk` appended; beyond `cap` characters the oldest lines are dropped (counted in `dropped`). */
export function appendLog(buf: LogBuffer, chunk: string, cap = LOG_CAP_CHARS): LogBuffer {
  if (chunk === '') return buf;
  const text = buf.text + chunk;
  if (text.length <= cap) return { text, dropped: buf.dropped };
  let cut = text.length - cap;
  // Start on a whole line when one begins in what is kept; a single line longer than the cap is cut mid-line.
  const nl = text.indexOf('\n', cut - 1);
  if (nl >= 0 && nl < text.length - 1) cut = nl + 1;
  return { text: text.slice(cut), dropped: buf.dropped + cut };
}

/** Where to start reading a log of `logBytes`: its last `capBytes` only, so opening a huge log reads the tail. */
export function tailOffset(logBytes: number, capBytes = LOG_CAP_CHARS): number {
  return Math.max(0, logBytes - capBytes);
}

/** Text read from the middle of a log: drops the partial first line (it may also start mid-character). */
export function dropPartialLine(text: string): { text: string; dropped: number } {
  const nl = text.indexOf('\n');
  if (nl < 0) return { text: '', dropped: text.length };
  return { text: text.slice(nl + 1), dropped: nl + 1 };
}

/** Whether a scrolled box shows its end (within `slack` pixels): the log keeps following only then. */
export function atBottom(el: { scrollTop: number; scrollHeight: number; clientHeight: number }, slack = 24): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= slack;
}
