// GE's `mostly`: a column-map expectation succeeds iff (nonmissing - unexpected) / nonmissing >= mostly.
// Done in floating point this goes wrong at the boundary users test first: 0.7 is stored as
// 0.6999999999999999555910790149937, so 7/10 >= 0.7 happens to hold, but 0.95 * 100 = 95.00000000000001
// and 95 passing of 100 would fail. So `mostly` is read back as the decimal the user wrote (JavaScript's
// shortest round-trip form of the number, which is the JSON text for any literal up to 17 digits) and
// the comparison is made in integers: passing * 10^scale >= digits * nonmissing, with BigInt.

export interface Decimal {
  digits: bigint;
  scale: number;
}

/** The decimal the number was written as: 0.95 → 95 / 10^2, 1e-7 → 1 / 10^7. */
export function toDecimal(x: number): Decimal {
  if (!Number.isFinite(x) || x < 0) throw new Error(`not a finite non-negative number: ${x}`);
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (m === null) throw new Error(`cannot read ${x} as a decimal`);
  const frac = m[2] ?? '';
  let digits = BigInt(m[1] + frac);
  let scale = frac.length - Number(m[3] ?? '0');
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/** Exact test of (nonmissing - unexpected) / nonmissing >= mostly; vacuously true with no values (as GE). */
export function mostlySucceeds(nonmissing: number, unexpected: number, mostly = 1): boolean {
  if (nonmissing === 0 || unexpected === 0) return true;
  const { digits, scale } = toDecimal(mostly);
  return BigInt(nonmissing - unexpected) * 10n ** BigInt(scale) >= digits * BigInt(nonmissing);
}

/** part / whole as a percentage, null when whole is 0 (GE reports None). */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? (part / whole) * 100 : null;
}
