/**
 * Step 1: the credit-risk dataset. Version 1 is the training table; a validation suite is inferred from its
 * profile and attached to the dataset; version 2, a later and larger extract (version 1's rows plus 400 new
 * applicants like them), is pushed after that, so it shows the suite's result.
 */
import type { DatasetVersion, FerryClient, Suite } from '../../sdk/index.js';
import { type CreditRow, DEMO, parseCredit, readDemoFile, round, seededRandom, toCsv } from './assets.js';

export interface DatasetStep {
  v1: DatasetVersion;
  v2: DatasetVersion;
  /** The suite inferred from version 1 (attached to the dataset). */
  suite: Suite;
  v2Validation: { suite: string; success: boolean; evaluated: number; failed: number } | null;
  /** Version 1's rows: what the traffic replay draws from. */
  rows: CreditRow[];
}

/** 400 more applicants drawn from the same population: resampled rows with a little noise. */
function laterExtract(rows: readonly CreditRow[]): CreditRow[] {
  const rand = seededRandom(2);
  const jitter = (v: number, rel: number) => v * (1 + (rand() - 0.5) * 2 * rel);
  const extra: CreditRow[] = [];
  for (let i = 0; i < 400; i++) {
    const r = rows[Math.floor(rand() * rows.length)]!;
    const income = r.income === null ? null : Math.round(jitter(r.income, 0.05) / 100) * 100;
    const debt = r.debt_ratio === null ? null : Math.min(0.9, round(jitter(r.debt_ratio, 0.05), 3));
    extra.push({ ...r, income, debt_ratio: debt });
  }
  return [...rows, ...extra];
}

export async function loadDataset(client: FerryClient): Promise<DatasetStep> {
  const bytes = readDemoFile('credit_train.csv');
  const rows = parseCredit(new TextDecoder().decode(bytes));
  const v1 = (
    await client.data.push(DEMO.dataset, bytes, {
      filename: 'credit_train.csv',
      description: 'Loan applications with the observed outcome (default = 1: the loan was not repaid). Training data of model version 1.',
    })
  ).version;

  // Rules proposed from version 1's profile: columns, types, missing rates, ranges, categories, means.
  const { suite } = await client.data.inferSuite(`${DEMO.dataset}@1`, { name: DEMO.datasetSuite });
  await client.data.putSuite(DEMO.datasetSuite, { ...suite, meta: { ...suite.meta, notes: 'Inferred from credit-risk@1 by the quickstart demo.' } });
  await client.data.attach(DEMO.datasetSuite, { dataset: DEMO.dataset });

  const v2Text = toCsv(laterExtract(rows));
  const pushed = await client.data.push(DEMO.dataset, new TextEncoder().encode(v2Text), {
    filename: 'credit_train_extended.csv',
    description: 'A later extract: version 1 plus 400 newer applications. Training data of model version 2.',
  });
  const v = pushed.validations.find((x) => x.suite === DEMO.datasetSuite);
  return { v1, v2: pushed.version, suite, v2Validation: v ? { suite: v.suite, success: v.success, evaluated: v.evaluated, failed: v.failed } : null, rows };
}
