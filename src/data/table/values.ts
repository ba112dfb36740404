// Cell values straight from bytes: null tokens, numbers, booleans and ISO 8601 datetimes, without making a
// string per field (the CSV hot path parses millions of numeric cells; a string each would dominate the cost).

/** pandas' default NA strings (read_csv keep_default_na), so Ferry and pandas count the same nulls. */
export const NULL_TOKENS: readonly string[] = [
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
];
const NULL_SET = new Set(NULL_TOKENS);
const NULL_BYTES = NULL_TOKENS.map((t) => Buffer.from(t, 'latin1'));
const NULL_MAX_LEN = Math.max(...NULL_BYTES.map((b) => b.length));

export function isNullText(s: string): boolean {
  return NULL_SET.has(s);
}

/** Whether bytes [s, e) are a null token. Most non-null cells are rejected by length or first byte. */
export function isNullBytes(buf: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (len === 0) return true;
  if (len > NULL_MAX_LEN) return false;
  const c = buf[s];
  if (c !== 0x4e && c !== 0x6e && c !== 0x23 && c !== 0x2d && c !== 0x31 && c !== 0x3c) return false; // N n # - 1 <
  outer: for (const t of NULL_BYTES) {
    if (t.length !== len) continue;
    for (let i = 0; i < len; i++) if (t[i] !== buf[s + i]) continue outer;
    return true;
  }
  return false;
}

// parseNumber's second result (set on every call): 0 = not a number, 1 = integer syntax, 2 = decimal/exponent.
// A module variable instead of an object return keeps the hot loop allocation-free.
export let numberSyntax = 0;

const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i); // exact doubles up to 1e22
const MAX_FAST_DIGITS = 15; // any 15-digit integer is exact in a double

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * A decimal number in bytes [s, e) (surrounding spaces allowed, like pandas). Small mantissas with small
 * exponents take Clinger's fast path (one exactly rounded multiply/divide); anything else falls back to
 * Number() on the validated text, so the result is always the correctly rounded double. The common shape
 * ([sign] digits [. digits]) is read by the short loop here; anything else goes to parseNumberSlow.
 */
export function parseNumber(buf: Uint8Array, s: number, e: number): number {
  numberSyntax = 0;
  let i = s;
  let c = buf[i];
  let neg = false;
  if (c === 0x2d) {
    neg = true;
    c = buf[++i];
  } else if (c === 0x2b) c = buf[++i];
  const first = i;
  let mant = 0;
  let digits = 0;
  let exp10 = 0;
  while (i < e) {
    const d = c - 0x30;
    if (d < 0 || d > 9) break;
    mant = mant * 10 + d;
    if (mant !== 0) digits++;
    c = buf[++i];
  }
  let syntax = 1;
  let seen = i - first;
  if (i < e && c === 0x2e) {
    syntax = 2;
    const dot = ++i;
    c = buf[i];
    while (i < e) {
      const d = c - 0x30;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
      if (mant !== 0) digits++;
      c = buf[++i];
    }
    exp10 = dot - i;
    seen += i - dot;
  }
  if (i !== e || seen === 0) return parseNumberSlow(buf, s, e);
  numberSyntax = syntax;
  // Plain digits, but too many for an exact double (full-precision floats): let Number() round the text.
  if (digits > MAX_FAST_DIGITS || exp10 < -22) return Number(latin1(buf, s, e));
  const v = exp10 < 0 ? mant / POW10[-exp10] : mant;
  return neg ? -v : v;
}

/** parseNumber for everything off the common shape: spaces, exponents, long mantissas, infinities. */
function parseNumberSlow(buf: Uint8Array, s: number, e: number): number {
  while (s < e && isSpace(buf[s])) s++;
  while (e > s && isSpace(buf[e - 1])) e--;
  numberSyntax = 0;
  let i = s;
  let neg = false;
  if (i < e && (buf[i] === 0x2d || buf[i] === 0x2b)) neg = buf[i++] === 0x2d;
  if (i < e && (buf[i] | 0x20) === 0x69) return parseInfinity(buf, i, e, neg);
  let mant = 0;
  let digits = 0; // significant digits taken into mant
  let exp10 = 0;
  let seen = 0; // digits of any kind
  let slow = false;
  let c = 0;
  for (; i < e; i++) {
    c = buf[i] - 0x30;
    if (c < 0 || c > 9) break;
    seen++;
    if (digits < MAX_FAST_DIGITS) {
      mant = mant * 10 + c;
      if (mant !== 0) digits++;
    } else {
      exp10++;
      slow = true;
    }
  }
  let syntax = 1;
  if (i < e && buf[i] === 0x2e) {
    syntax = 2;
    for (i++; i < e; i++) {
      c = buf[i] - 0x30;
      if (c < 0 || c > 9) break;
      seen++;
      if (digits < MAX_FAST_DIGITS) {
        mant = mant * 10 + c;
        if (mant !== 0) digits++;
        exp10--;
      } else slow = true;
    }
  }
  if (seen === 0) return NaN;
  if (i < e && (buf[i] | 0x20) === 0x65) {
    syntax = 2;
    i++;
    let eneg = false;
    if (i < e && (buf[i] === 0x2d || buf[i] === 0x2b)) eneg = buf[i++] === 0x2d;
    let ex = 0;
    let edigits = 0;
    for (; i < e; i++) {
      c = buf[i] - 0x30;
      if (c < 0 || c > 9) break;
      if (ex < 100000) ex = ex * 10 + c;
      edigits++;
    }
    if (edigits === 0) return NaN;
    exp10 += eneg ? -ex : ex;
  }
  if (i !== e) return NaN;
  numberSyntax = syntax;
  if (!slow && exp10 >= -22 && exp10 <= 22) {
    const v = exp10 < 0 ? mant / POW10[-exp10] : mant * POW10[exp10];
    return neg ? -v : v;
  }
  return Number(latin1(buf, s, e));
}

// Node's Buffer#latin1Slice: the text of [s, e) without a Buffer view per call (callers pass Buffers).
type Latin1Buffer = Uint8Array & { latin1Slice?: (start: number, end: number) => string };
function latin1(buf: Uint8Array, s: number, e: number): string {
  const b = buf as Latin1Buffer;
  return b.latin1Slice ? b.latin1Slice(s, e) : Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
}

const INF = 'infinity';
function parseInfinity(buf: Uint8Array, i: number, e: number, neg: boolean): number {
  const len = e - i;
  if (len !== 3 && len !== 8) return NaN;
  for (let k = 0; k < len; k++) if ((buf[i + k] | 0x20) !== INF.charCodeAt(k)) return NaN;
  numberSyntax = 2;
  return neg ? -Infinity : Infinity;
}

/** 1 = true, 0 = false, -1 = neither ("true"/"false" in any case, as pandas reads them). */
export function parseBoolean(buf: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len === 4 && (buf[s] | 0x20) === 0x74 && (buf[s + 1] | 0x20) === 0x72 && (buf[s + 2] | 0x20) === 0x75 && (buf[s + 3] | 0x20) === 0x65) return 1;
  if (
    len === 5 &&
    (buf[s] | 0x20) === 0x66 &&
    (buf[s + 1] | 0x20) === 0x61 &&
    (buf[s + 2] | 0x20) === 0x6c &&
    (buf[s + 3] | 0x20) === 0x73 &&
    (buf[s + 4] | 0x20) === 0x65
  )
    return 0;
  return -1;
}

function digitsAt(buf: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = buf[i + k] - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysIn(y: number, m: number): number {
  return m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : DAYS[m - 1];
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; Date.UTC maps years 0-99 to 19xx). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|±HH[:]MM]) → epoch ms (UTC when no
 * offset is given), or NaN when the bytes are not one. Only this strict shape counts, so "2024" or "1-2-3" stay
 * numbers/strings.
 */
export function parseDatetime(buf: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len < 10 || buf[s + 4] !== 0x2d || buf[s + 7] !== 0x2d) return NaN;
  const y = digitsAt(buf, s, 4);
  const mo = digitsAt(buf, s + 5, 2);
  const d = digitsAt(buf, s + 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return NaN;
  if (len === 10) return daysFromCivil(y, mo, d) * 86_400_000;
  const sep = buf[s + 10];
  if ((sep !== 0x54 && sep !== 0x20 && sep !== 0x74) || len < 16 || buf[s + 13] !== 0x3a) return NaN;
  const h = digitsAt(buf, s + 11, 2);
  const mi = digitsAt(buf, s + 14, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59) return NaN;
  let i = s + 16;
  let sec = 0;
  let ms = 0;
  if (i < e && buf[i] === 0x3a) {
    sec = i + 3 <= e ? digitsAt(buf, i + 1, 2) : -1;
    if (sec < 0 || sec > 59) return NaN;
    i += 3;
    if (i < e && (buf[i] === 0x2e || buf[i] === 0x2c)) {
      let scale = 100;
      const start = ++i;
      for (; i < e; i++) {
        const c = buf[i] - 0x30;
        if (c < 0 || c > 9) break;
        ms += c * scale;
        scale /= 10;
      }
      if (i === start) return NaN;
    }
  }
  let offsetMin = 0;
  if (i < e) {
    const c = buf[i];
    if ((c === 0x5a || c === 0x7a) && i + 1 === e) i++;
    else if (c === 0x2b || c === 0x2d) {
      const oh = digitsAt(buf, i + 1, 2);
      let rest = i + 3;
      if (rest < e && buf[rest] === 0x3a) rest++;
      const om = rest === e ? 0 : rest + 2 === e ? digitsAt(buf, rest, 2) : -1;
      if (i + 3 > e || oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
      offsetMin = (c === 0x2d ? -1 : 1) * (oh * 60 + om);
      i = e;
    }
  }
  if (i !== e) return NaN;
  return daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi - offsetMin) * 60 + sec) * 1000 + Math.round(ms);
}

/** parseDatetime for a JS string (JSON Lines values); cheap rejection before encoding it. */
export function parseDatetimeText(s: string): number {
  if (s.length < 10 || s.length > 40 || s.charCodeAt(4) !== 0x2d) return NaN;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return NaN;
  const b = Buffer.from(s, 'latin1');
  return parseDatetime(b, 0, b.length);
}
