/** The authored fields of a card: stored per model (inherited) and per version (overrides), merged for one version. */
import { CARD_FIELDS, type CardField } from '../contract/cards.js';
import type { ModelCardFieldsTable } from '../store/index.js';

export interface MergedField {
  text: string;
  /** 'model' or 'version N': where the value was set. */
  level: string;
  updated_at: number;
  updated_by: string;
}

export function parseFields(json: string): Partial<Record<CardField, string>> {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const out: Partial<Record<CardField, string>> = {};
  for (const f of CARD_FIELDS) if (typeof raw[f] === 'string') out[f] = raw[f];
  return out;
}

/** A version's fields: its own where set, else the model's. */
export function mergedFields(rows: ModelCardFieldsTable[], version: number): Partial<Record<CardField, MergedField>> {
  const out: Partial<Record<CardField, MergedField>> = {};
  for (const level of [0, version]) {
    const row = rows.find((r) => Number(r.version) === level);
    if (!row) continue;
    for (const [k, text] of Object.entries(parseFields(row.fields)) as [CardField, string][]) {
      out[k] = { text, level: level === 0 ? 'model' : `version ${level}`, updated_at: Number(row.updated_at), updated_by: row.updated_by };
    }
  }
  return out;
}

/** One level's fields after a change: a string sets, null clears, absent keeps. Blank text clears too. */
export function applyChange(
  current: Partial<Record<CardField, string>>,
  change: Partial<Record<CardField, string | null>>,
): Partial<Record<CardField, string>> {
  const next: Partial<Record<CardField, string>> = { ...current };
  for (const f of CARD_FIELDS) {
    const v = change[f];
    if (v === undefined) continue;
    if (v === null || v.trim() === '') delete next[f];
    else next[f] = v;
  }
  return next;
}
