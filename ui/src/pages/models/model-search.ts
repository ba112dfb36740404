/** The registry filter for the models list's search box (pure). */
import { quoteFilterValue, type RegisteredModel } from '../../../../src/sdk/index.js';

/**
 * `credit` → `name ILIKE '%credit%'` (case-insensitive, anywhere in the name). `%` and `_` keep their LIKE
 * meaning, so `credit_%` still works as a pattern; an empty box means no filter.
 */
export function modelNameFilter(search: string): string | undefined {
  const s = search.trim();
  if (s === '') return undefined;
  const pattern = s.includes('%') ? s : `%${s}%`;
  return `name ILIKE ${quoteFilterValue(pattern)}`;
}

export const MODEL_PAGE_SIZES = [25, 50, 100, 250] as const;

/** A page size from the URL, or the default when it is not one of the offered sizes. */
export function pageSizeOf(raw: string | null, fallback = 50): number {
  const n = Number(raw);
  return (MODEL_PAGE_SIZES as readonly number[]).includes(n) ? n : fallback;
}

/** The highest version number among a model's latest versions (one per stage). */
export function latestVersion(m: RegisteredModel): string | undefined {
  const nums = (m.latest_versions ?? []).map((v) => Number(v.version)).filter((n) => Number.isFinite(n));
  return nums.length > 0 ? String(Math.max(...nums)) : undefined;
}
