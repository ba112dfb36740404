/**
 * A query the user ran once, remembered for this browser tab (sessionStorage) under a key, so the page shows its
 * answer again on the next visit without asking. Explanations and CBPE are computed on request — they cost model
 * evaluations and are refused where the server knows no background — so a first visit asks, later ones remember.
 */
import { useCallback, useState } from 'react';

const PREFIX = 'ferry.remembered.';

function read<T>(key: string): T | null {
  try {
    const s = sessionStorage.getItem(PREFIX + key);
    return s === null ? null : (JSON.parse(s) as T);
  } catch {
    return null; // storage off, or a value from an older page: ask again
  }
}

export function useRemembered<T>(key: string): [T | null, (value: T | null) => void] {
  const [value, setValue] = useState<T | null>(() => read<T>(key));
  const set = useCallback(
    (v: T | null) => {
      try {
        if (v === null) sessionStorage.removeItem(PREFIX + key);
        else sessionStorage.setItem(PREFIX + key, JSON.stringify(v));
      } catch {
        // Not remembered; still shown now.
      }
      setValue(v);
    },
    [key],
  );
  return [value, set];
}
