/** What the A/B test suites share: seeded randomness, a credit applicant as a record, a two-version deployment. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { fixture, registerFixture } from './models.js';

/** mulberry32 (the demo's generator): the same traffic and outcomes on every run. */
export { seededRandom as seeded } from '../../src/cli/demo/assets.js';

/** The first row of credit_train.csv as a record, without the label. */
export function creditRow(): Record<string, unknown> {
  const [header, line] = readFileSync(fixture('credit_train.csv'), 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const value = (v: string) => (v === '' ? null : Number.isNaN(Number(v)) ? v : Number(v));
  return Object.fromEntries(
    line!
      .split(',')
      .map((v, i) => [cols[i]!, value(v)] as const)
      .filter(([c]) => c !== 'default'),
  );
}

/** Registers credit_gbdt and credit_gbdt_v2 as versions 1 and 2 of model `credit`. */
export async function registerCreditVersions(t: TestApp): Promise<void> {
  await registerFixture(t, 'credit', 'credit_gbdt.onnx');
  await registerFixture(t, 'credit', 'credit_gbdt_v2.onnx');
}

/** Deploys `credit` versions 1 and 2 as `name`, split by `weights`, with the sticky key `customer`. */
export async function deployTwoVersions(t: TestApp, name: string, weights: [number, number] = [50, 50], extra: Record<string, unknown> = {}): Promise<void> {
  const created = await t.call('POST', '/api/v1/deployments', {
    name,
    routes: [
      { model: 'credit', version: '1', weight: weights[0] },
      { model: 'credit', version: '2', weight: weights[1] },
    ],
    sticky_key: 'customer',
    ...extra,
  });
  expect(created.status).toBe(200);
}
