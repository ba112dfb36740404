/**
 * Where a UTF-8 buffer cut at `end` should stop so that no character is split: before the last character's lead
 * byte when the cut may have fallen inside it (that character then comes with the next read).
 */
export function wholeCharsEnd(buf: Uint8Array, end: number): number {
  let back = 0;
  while (back < 3 && end - back > 0 && (buf[end - back - 1]! & 0xc0) === 0x80) back++;
  return end - back > 0 && buf[end - back - 1]! >= 0xc0 ? end - back - 1 : end;
}
