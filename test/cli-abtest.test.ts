/**
 * `ferry abtest ...` and `ferry outcomes send` (built, as child processes) against a real `ferry server`: a
 * deployment of two model versions with a sticky key, 240 units of traffic, an A/B test created from flags,
 * outcome events sent as CSV, and the report read back — its units per arm equal to the split the test saw in
 * the predictions' answers, its conversion rates equal to the events the test planted; --json equal to the API.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AbTestReport, FerryClient, type PredictRequest } from '../src/sdk/index.js';
import { failed, type FerryServer, ok, runCli, startFerry } from './support/ferry-process.js';
import { creditRow, seeded } from './support/abtest-fixtures.js';

const fixture = (name: string) => new URL(`./fixtures/models/${name}`, import.meta.url);
const UNITS = 240;
const WINDOW_MS = 4000;

let server: FerryServer;
let client: FerryClient;
let env: Record<string, string>;
let dir: string;
const ferry = (...args: string[]) => runCli(args, env, { timeoutMs: 30_000 });

/** Unit → the version that answered it, and when. */
const served = new Map<string, { version: string; at: number }>();

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const end = Date.now() + 30_000;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const exposed = (r: AbTestReport) => r.srm.units.reduce((s, u) => s + u.units, 0);

beforeAll(async () => {
  server = await startFerry();
  client = new FerryClient({ url: server.url, token: server.adminToken });
  env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken };
  dir = mkdtempSync(join(tmpdir(), 'ferry-cli-abtest-'));
  await client.modelVersions.register('credit', readFileSync(fixture('credit_gbdt.onnx')));
  await client.modelVersions.register('credit', readFileSync(fixture('credit_gbdt_v2.onnx')));
  await client.deployments.create('shop', {
    routes: [
      { model: 'credit', version: '1', weight: 50 },
      { model: 'credit', version: '2', weight: 50 },
    ],
    sticky_key: 'customer',
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ferry abtest', () => {
  it('refuses a metric flag it cannot read before sending anything', async () => {
    const err = failed(await ferry('abtest', 'create', 'x', '--deployment', 'shop', '--metric', 'conversion:proportion'));
    expect(err).toContain("ferry: --metric 'conversion:proportion' needs an attribution window after the kind");
    expect(failed(await ferry('abtest', 'create', 'x', '--metric', 'c:mean:1d'))).toContain('needs --deployment');
  });

  it('creates a test from flags, lists it, and shows it as the API does', async () => {
    const created = JSON.parse(
      ok(
        await ferry(
          'abtest',
          'create',
          'checkout',
          '--deployment',
          'shop',
          '--metric',
          `conversion:proportion:${WINDOW_MS}ms`,
          '--guardrail',
          `complaints:proportion:${WINDOW_MS}ms:decrease`,
          '--tuning',
          '200',
          '--json',
        ),
      ),
    ) as { abtest: { name: string; state: string } };
    expect(created.abtest).toMatchObject({
      name: 'checkout',
      state: 'running',
      deployment: 'shop',
      unit_key: 'customer',
      control: '1',
      primary_metric: { metric: 'conversion', kind: 'proportion', window: `${WINDOW_MS}ms` },
      guardrails: [{ metric: 'complaints', kind: 'proportion', direction: 'decrease' }],
      settings: { method: 'sequential', sequential_tuning: 200 },
    });
    const list = ok(await ferry('abtest', 'list'));
    expect(list.split('\n')[0]).toMatch(/^NAME\s+DEPLOYMENT\s+STATE/);
    expect(list).toMatch(/checkout\s+shop\s+running\s+1:50% 2:50%\s+conversion proportion 4000ms/);
    expect(JSON.parse(ok(await ferry('abtest', 'list', '--state', 'stopped', '--json')))).toEqual({ abtests: [] });
  });

  it('sends outcomes from CSV and prints the report: units per arm as served, rates as planted', async () => {
    const row = creditRow();
    for (let i = 0; i < UNITS; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, j) => {
          const unit = `c-${i + j}`;
          const res = await client.deployments.predict('shop', { instances: [row], customer: unit } as PredictRequest);
          served.set(unit, { version: res.model_version, at: Date.now() });
        }),
      );
    }
    // Version 2 converts at ~50%, version 1 at ~20%: a lift the report must see.
    const rand = seeded(16);
    const converted = new Set([...served].filter(([, s]) => rand() < (s.version === '2' ? 0.5 : 0.2)).map(([u]) => u));
    const csv = [
      'unit,metric,value,timestamp',
      ...[...converted].map((u) => `${u},conversion,1,${served.get(u)!.at}`),
      `nobody,conversion,1,${Date.now()}`,
    ].join('\n');
    writeFileSync(join(dir, 'outcomes.csv'), `${csv}\n`);
    const sent = await ferry('outcomes', 'send', join(dir, 'outcomes.csv'));
    expect(ok(sent)).toBe(`${converted.size + 1} of ${converted.size + 1} outcome events stored\n`);
    expect(sent.stderr).toContain('1 event(s) name a unit or request no A/B test has seen, e.g. nobody (event');

    // Every unit's window closes WINDOW_MS after its exposure; the report counts it then.
    const report = await until(
      'every unit to mature',
      () => client.abtests.report('checkout'),
      (r) => exposed(r) === UNITS && r.metrics[0]!.arms.every((a) => a.pending_units === 0),
    );
    const tally = (v: string) => [...served.values()].filter((s) => s.version === v).length;
    const rate = (v: string) => [...converted].filter((u) => served.get(u)!.version === v).length / tally(v);
    const primary = report.metrics[0]!;
    expect(primary.arms.map((a) => [a.arm, a.units])).toEqual([
      ['1', tally('1')],
      ['2', tally('2')],
    ]);
    expect(primary.arms[0]!.mean).toBeCloseTo(rate('1'), 12);
    expect(primary.arms[1]!.mean).toBeCloseTo(rate('2'), 12);

    const text = ok(await ferry('abtest', 'show', 'checkout'));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^A\/B test checkout on shop: running, sequential \(alpha 0.05\), as of /);
    expect(lines[1]).toMatch(
      new RegExp(`^Sample ratio: (ok|MISMATCH) \\(p [=<] [\\d.]+\\) — 1 ${tally('1')} units [\\d.]+% \\(expected 50.0%\\), 2 ${tally('2')} units`),
    );
    expect(text).toContain('Primary: conversion (proportion, higher is better)');
    expect(text).toContain('Guardrail: complaints (proportion, lower is better)');
    const cells = (arm: string) =>
      lines
        .slice(lines.findIndex((l) => l.startsWith('Primary:')))
        .find((l) => l.trim().startsWith(`${arm} `) || l.trim() === arm)!
        .trim()
        .split(/\s{2,}/);
    const lift = (rate('2') - rate('1')) / rate('1');
    expect(cells('1 (control)')).toEqual(['1 (control)', String(tally('1')), '0', String(Number(rate('1').toPrecision(4)))]);
    const treatment = cells('2');
    expect(treatment.slice(0, 4)).toEqual(['2', String(tally('2')), '0', String(Number(rate('2').toPrecision(4)))]);
    expect(treatment[4]).toMatch(new RegExp(`^\\+${(lift * 100).toFixed(Math.abs(lift) < 0.1 ? 2 : 1)}% \\[`));
    const c = primary.comparisons[0]!;
    expect(treatment.at(-1)).toBe(c.verdict);
    expect(text).toContain(`  2: ${c.reason}`);
    expect(text).toContain(`Decision: ${report.decision.verdict}\n  ${report.decision.reason}`);

    // --json is the API's report, read as of one instant.
    const at = String(Date.now());
    expect(JSON.parse(ok(await ferry('abtest', 'show', 'checkout', '--at', at, '--json')))).toEqual(await client.abtests.report('checkout', { at }));
    const history = ok(await ferry('abtest', 'show', 'checkout', '--history', '--points', '5'));
    expect(history).toContain("Primary metric's lift over time");
    expect(history).toMatch(/AT\s+ARM\s+UNITS\s+LIFT\s+LOWER\s+UPPER/);
  }, 90_000);

  it('refuses a malformed outcome file naming the line', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'unit,metric,value\nc-1,conversion,lots\n');
    expect(failed(await ferry('outcomes', 'send', join(dir, 'bad.csv')))).toContain("bad.csv line 2: value 'lots' is not a finite number");
    writeFileSync(join(dir, 'bad.jsonl'), '{"unit":"c-1","metric":"conversion"}\n{nope\n');
    expect(failed(await ferry('outcomes', 'send', join(dir, 'bad.jsonl')))).toContain('bad.jsonl line 2: not valid JSON');
  });

  it('stops a test, creates a draft from a spec file and starts it', async () => {
    const stopped = ok(await ferry('abtest', 'stop', 'checkout', '--reason', 'shipped v2'));
    expect(stopped).toContain('A/B test checkout on deployment shop: stopped');
    expect(stopped).toMatch(/stopped\s+\d{4}-.* by .*: shipped v2/);
    writeFileSync(
      join(dir, 'spec.json'),
      JSON.stringify({
        name: 'revenue-test',
        deployment: 'shop',
        primary_metric: { metric: 'revenue', kind: 'mean', window: '1d' },
        settings: { method: 'fixed' },
      }),
    );
    const draft = ok(await ferry('abtest', 'create', '--spec', join(dir, 'spec.json'), '--alpha', '0.01', '--no-start'));
    expect(draft).toContain('A/B test revenue-test on deployment shop: draft');
    expect(draft).toContain('method      fixed, alpha 0.01');
    const started = JSON.parse(ok(await ferry('abtest', 'start', 'revenue-test', '--json'))) as { abtest: { state: string; settings: unknown } };
    expect(started.abtest.state).toBe('running');
    expect((await client.abtests.get('revenue-test')).settings).toMatchObject({ method: 'fixed', alpha: 0.01 });
  });
});
