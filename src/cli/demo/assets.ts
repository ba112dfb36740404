/**
 * The demo's files (the folder `demo/` at the package root: the credit-risk table and two ONNX classifiers,
 * copies of test/fixtures/models) and the small helpers every step shares: reading the table, writing it
 * back as CSV, a seeded random generator (the same demo every time), and sleep.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The names used for every object of the demo project. */
export const DEMO = {
  dataset: 'credit-risk',
  experiment: 'credit-risk',
  model: 'credit-risk',
  deployment: 'credit-risk',
  datasetSuite: 'credit-risk-checks',
  trafficSuite: 'credit-risk-traffic',
  driftRule: 'credit-risk-drift',
  errorRule: 'credit-risk-errors',
  abtest: 'credit-risk-v2',
  /** Experiment tag set as the last step: the demo is complete. */
  loadedTag: 'ferry.demo',
} as const;

export const FEATURES = ['age', 'income', 'debt_ratio', 'credit_lines', 'months_employed', 'home_ownership', 'purpose'] as const;
export type Feature = (typeof FEATURES)[number];

/** One applicant: the model's inputs (null = missing) and the observed outcome. */
export type CreditRow = { [K in Feature]: K extends 'home_ownership' | 'purpose' ? string | null : number | null } & { default: number };

/** `demo/` next to `src/` and `dist/` (this file is src/cli/demo/assets.ts or dist/cli/demo/assets.js). */
export function demoDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'demo');
}

export function readDemoFile(name: string): Uint8Array {
  const path = join(demoDir(), name);
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new Error(`the demo file ${path} is missing (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}); is the package complete?`);
  }
}

/** The table's rows. The file is plain (no quoting); an empty cell is a missing value. */
export function parseCredit(text: string): CreditRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const header = lines[0]!.split(',');
  const at = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`the demo table has no column '${name}'`);
    return i;
  };
  const cols = [...FEATURES, 'default'].map((name) => ({ name, i: at(name) }));
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const row: Record<string, number | string | null> = {};
    for (const { name, i } of cols) {
      const cell = cells[i] ?? '';
      row[name] = cell === '' ? null : name === 'home_ownership' || name === 'purpose' ? cell : Number(cell);
    }
    return row as CreditRow;
  });
}

/** Rows back to CSV text, in the table's column order. */
export function toCsv(rows: readonly CreditRow[]): string {
  const names = [...FEATURES, 'default'] as const;
  const cell = (v: number | string | null) => (v === null ? '' : String(v));
  return `${names.join(',')}\n${rows.map((r) => names.map((n) => cell(r[n])).join(',')).join('\n')}\n`;
}

/** A row as the model's inputs (the label left out). */
export function inputsOf(row: CreditRow): Record<Feature, number | string | null> {
  const out = {} as Record<Feature, number | string | null>;
  for (const f of FEATURES) out[f] = row[f];
  return out;
}

/** mulberry32: a small seeded generator, so the demo's data and traffic are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const round = (x: number, digits: number) => Number(x.toFixed(digits));
