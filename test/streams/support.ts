/**
 * What the stream tests share: a Ferry server process (killable, on a store and data dir that outlive it) serving
 * the credit model as deployment `risk`; the messages the tests send (the fixture's 20 recorded rows, in turn, with
 * scikit-learn's answers to check against, and bad ones with the reason each must be dead-lettered for); and the
 * checks made of what came out and what the prediction log holds.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { chaosRig, type ChaosRig, ok200 } from '../chaos/support.js';
import { expectedOf, fixture } from '../support/models.js';
import type { StoreKind } from '../support/stores.js';
import type { BrokerClient, Read } from './broker-clients.js';

export const credit = expectedOf('credit_gbdt');
const RECORDS = credit.records as Record<string, unknown>[];
const LABELS = credit.outputs.label as number[];
const PROBS = credit.outputs.probabilities as number[][];

export async function streamRig(kind: StoreKind, env: Record<string, string> = {}): Promise<ChaosRig> {
  const rig = await chaosRig(kind, env);
  const model = await fetch(`${rig.server.url}/api/v1/models/credit/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rig.server.adminToken}`, 'content-type': 'application/octet-stream' },
    body: readFileSync(fixture('credit_gbdt.onnx')),
  });
  expect(model.status).toBe(200);
  await ok200(rig.server, 'POST', '/api/v1/deployments', { name: 'risk', routes: [{ model: 'credit', version: '1' }] });
  return rig;
}

/** Message i: recorded row i % 20 as one row, with the message's own id and a user (the sticky unit). */
export function goodMessage(i: number): { key: string; value: string } {
  return { key: `user-${i % 97}`, value: JSON.stringify({ ...RECORDS[i % RECORDS.length], event_id: `ev-${i}` }) };
}

/** Messages that cannot be scored, each with a word its dead letter's reason must contain. */
export const BAD_MESSAGES: { value: string; reason: RegExp; field?: string }[] = [
  { value: '{"age": 41, "income"', reason: /not JSON/ },
  { value: '[1, 2, 3]', reason: /JSON object/ },
  { value: JSON.stringify({ ...RECORDS[0], income: 'lots' }), reason: /income/, field: 'income' },
  { value: JSON.stringify({ age: 30 }), reason: /income|missing|feature/i },
];

/** Message i as the bare row (no id field: its request id is its place in the stream). */
export function rowMessage(i: number): string {
  return JSON.stringify(RECORDS[i % RECORDS.length]);
}

/** Checks a result message against scikit-learn's answer for the row message i carried. */
export function expectResult(i: number, result: any): void {
  const row = i % RECORDS.length;
  expect(result.deployment).toBe('risk');
  expect(result.model).toBe('credit');
  expect(result.model_version).toBe('1');
  const p = result.predictions[0];
  expect(p.label, `message ${i} (row ${row})`).toBe(LABELS[row]);
  for (let c = 0; c < 2; c++) expect(Math.abs(p.probabilities[c] - PROBS[row]![c]!)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(PROBS[row]![c]!));
}

/** Every logged prediction of deployment risk: request id → how many times it is logged. */
export async function loggedIds(server: { url: string; adminToken: string }): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  let token = '';
  for (;;) {
    const page = await ok200(server, 'GET', `/api/v1/deployments/risk/predictions?limit=1000${token ? `&page_token=${token}` : ''}`);
    for (const p of page.predictions) if (p.row === 0) ids.set(p.request_id, (ids.get(p.request_id) ?? 0) + 1);
    if (!page.next_page_token) return ids;
    token = page.next_page_token;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Produces `total` bare-row messages keyed `m-<i>` in waves of 100, `pauseMs` apart (a stream that arrives over time). */
export async function produceInWaves(client: BrokerClient, input: string, total: number, pauseMs: number): Promise<void> {
  for (let i = 0; i < total; i += 100) {
    await client.produce(
      input,
      Array.from({ length: 100 }, (_, j) => ({ key: `m-${i + j}`, value: rowMessage(i + j) })),
    );
    await sleep(pauseMs);
  }
}

/**
 * Results of messages keyed `m-<i>`: each checked against scikit-learn's answer; every one of the `total` messages has
 * one, and a message answered twice carried the same request id both times. Answers key → request id.
 */
export function requestIdsByKey(results: Read[], total: number): Map<string, string> {
  const byKey = new Map<string, Set<string>>();
  for (const m of results) {
    const body = JSON.parse(m.value.toString());
    expectResult(Number(m.key!.slice(2)), body);
    byKey.set(m.key!, (byKey.get(m.key!) ?? new Set()).add(body.request_id));
  }
  expect(byKey.size).toBe(total);
  for (const [key, ids] of byKey) expect(ids.size, key).toBe(1);
  return new Map([...byKey].map(([key, ids]) => [key, [...ids][0]!]));
}
