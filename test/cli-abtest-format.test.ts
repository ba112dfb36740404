/**
 * The pure parts of `ferry abtest` and `ferry outcomes send`: the metric flag grammar and the create body, the
 * outcome file readers (JSON, JSON Lines, CSV with quoting), and the report's readable text.
 */
import { describe, expect, it } from 'vitest';
import { abtestsTable, formatP, formatPercent, intervalName, liftText, reportText, srmLine } from '../src/cli/abtest-format.js';
import { createBody, parseArmFlag, parseMetricFlag, parseSpecFile } from '../src/cli/abtest-spec.js';
import { csvRecords, detectFormat, parseOutcomes } from '../src/cli/outcomes-file.js';
import type { AbTestInfo, AbTestReport } from '../src/sdk/index.js';

describe('metric flags', () => {
  it('reads METRIC:KIND:WINDOW with its options', () => {
    expect(parseMetricFlag('conversion:proportion:7d')).toEqual({ metric: 'conversion', kind: 'proportion', window: '7d' });
    expect(parseMetricFlag('revenue:mean:14d:cuped=14d:delay=1h')).toEqual({
      metric: 'revenue',
      kind: 'mean',
      window: '14d',
      cuped_lookback: '14d',
      delay: '1h',
    });
    expect(parseMetricFlag('revenue:ratio:7d:over=$requests')).toEqual({ metric: 'revenue', kind: 'ratio', window: '7d', denominator: '$requests' });
    expect(parseMetricFlag('complaints:proportion:1d12h:decrease', '--guardrail')).toEqual({
      metric: 'complaints',
      kind: 'proportion',
      window: '1d12h',
      direction: 'decrease',
    });
    // A name holding ':' ends at the first kind word.
    expect(parseMetricFlag('shop:checkout:proportion:7d').metric).toBe('shop:checkout');
  });

  it('refuses what it cannot read, naming the flag', () => {
    expect(() => parseMetricFlag('conversion')).toThrow(/--metric 'conversion' must be METRIC:KIND:WINDOW/);
    expect(() => parseMetricFlag('conversion:proportion')).toThrow(/needs an attribution window/);
    expect(() => parseMetricFlag('conversion:proportion:7days')).toThrow(/window/);
    expect(() => parseMetricFlag('revenue:ratio:7d')).toThrow(/a ratio needs its denominator, e.g. 'revenue:ratio:7d:over=\$requests' \(in single quotes/);
    expect(() => parseMetricFlag('revenue:mean:7d:over=clicks')).toThrow(/over= is for ratio metrics only/);
    expect(() => parseMetricFlag('revenue:mean:7d:upwards', '--guardrail')).toThrow(/--guardrail 'revenue:mean:7d:upwards': unknown option 'upwards'/);
    expect(() => parseMetricFlag('revenue:mean:7d:decrease:increase')).toThrow(/given twice/);
  });

  it('reads arms as VERSION=WEIGHT', () => {
    expect(parseArmFlag('2=50')).toEqual({ version: '2', weight: 50 });
    expect(parseArmFlag('12=33.5')).toEqual({ version: '12', weight: 33.5 });
    for (const bad of ['2', '=50', '2=', '2=abc', '2=101', '2=-1']) expect(() => parseArmFlag(bad)).toThrow(/VERSION=WEIGHT/);
  });
});

describe('the create body', () => {
  it('builds it from flags, sending only what was given', () => {
    expect(
      createBody('checkout', {
        deployment: 'credit',
        metric: 'conversion:proportion:7d',
        guardrail: ['complaints:proportion:7d:decrease'],
        arm: ['1=50', '2=50'],
        control: '1',
        method: 'fixed',
        alpha: 0.01,
        start: true,
      }),
    ).toEqual({
      name: 'checkout',
      deployment: 'credit',
      primary_metric: { metric: 'conversion', kind: 'proportion', window: '7d' },
      guardrails: [{ metric: 'complaints', kind: 'proportion', window: '7d', direction: 'decrease' }],
      arms: [
        { version: '1', weight: 50 },
        { version: '2', weight: 50 },
      ],
      control: '1',
      settings: { method: 'fixed', alpha: 0.01 },
    });
    expect(createBody('x', { deployment: 'd', metric: 'm:mean:1d', start: false }).start).toBe(false);
  });

  it('lays flags over a spec file: fields replaced, settings merged', () => {
    const spec = parseSpecFile(
      JSON.stringify({
        name: 'from-file',
        deployment: 'credit',
        primary_metric: { metric: 'conversion', kind: 'proportion', window: '7d' },
        guardrails: [{ metric: 'a', kind: 'mean', window: '1d' }],
        settings: { method: 'bayesian', prior_stddev: 0.2 },
      }),
      'spec.json',
    );
    const body = createBody(undefined, { guardrail: ['b:mean:2d'], alpha: 0.1, start: true }, spec);
    expect(body.name).toBe('from-file');
    expect(body.guardrails).toEqual([{ metric: 'b', kind: 'mean', window: '2d' }]);
    expect(body.settings).toEqual({ method: 'bayesian', prior_stddev: 0.2, alpha: 0.1 });
    expect(createBody('named', {}, spec).name).toBe('named');
  });

  it('says what is missing', () => {
    expect(() => createBody(undefined, { start: true })).toThrow(/needs a NAME .*, --deployment, --metric METRIC:KIND:WINDOW/);
    expect(() => parseSpecFile('[1]', 's.json')).toThrow(/must be a JSON object/);
    expect(() => parseSpecFile('{', 's.json')).toThrow(/s.json: not valid JSON/);
  });
});

describe('outcome files', () => {
  const events = [
    { unit: 'u1', metric: 'conversion', value: 1, timestamp: 1_700_000_000_000 },
    { request_id: 'r2', metric: 'revenue', value: 12.5, timestamp: '2026-01-02T03:04:05Z' },
  ];

  it('reads a JSON list, {"outcomes": [...]} and JSON Lines', () => {
    expect(parseOutcomes(JSON.stringify(events), 'a.json')).toEqual(events);
    expect(parseOutcomes(JSON.stringify({ outcomes: events }), '-')).toEqual(events);
    const jsonl = `${events.map((e) => JSON.stringify(e)).join('\n')}\n\n`;
    expect(detectFormat('-', jsonl)).toBe('jsonl');
    expect(parseOutcomes(jsonl, '-')).toEqual(events);
    expect(() => parseOutcomes('{"unit":"a","metric":"m"}\n{oops}\n', 'x.jsonl')).toThrow('x.jsonl line 2: not valid JSON');
  });

  it('reads CSV: quoted fields, CRLF, empty cells left out, numbers and epoch ms as numbers', () => {
    const csv =
      'unit,request_id,metric,value,timestamp\r\n"u,1",,conversion,1,1700000000000\r\n,r2,revenue,12.5,2026-01-02T03:04:05Z\r\n"say ""hi""",,click,,\r\n';
    expect(detectFormat('-', csv)).toBe('csv');
    expect(parseOutcomes(csv, 'o.csv')).toEqual([
      { unit: 'u,1', metric: 'conversion', value: 1, timestamp: 1_700_000_000_000 },
      { request_id: 'r2', metric: 'revenue', value: 12.5, timestamp: '2026-01-02T03:04:05Z' },
      { unit: 'say "hi"', metric: 'click' },
    ]);
    expect(csvRecords('a,b\n"x\ny",2\n\n3,4')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x\ny', '2'], line: 2 },
      { fields: ['3', '4'], line: 5 },
    ]);
  });

  it('refuses malformed CSV naming the line', () => {
    expect(() => parseOutcomes('unit,metric,value\nu1,m,abc\n', 'o.csv')).toThrow("o.csv line 2: value 'abc' is not a finite number");
    expect(() => parseOutcomes('unit,metric,value\nu1,m\n', 'o.csv')).toThrow('o.csv line 2: 2 fields, the header has 3');
    expect(() => parseOutcomes('user,metric\nu1,m\n', 'o.csv')).toThrow(/unknown column\(s\) user/);
    expect(() => parseOutcomes('unit,value\nu1,1\n', 'o.csv')).toThrow(/must name a metric column/);
    expect(() => parseOutcomes('unit,metric\n"u1,m\n', 'o.csv')).toThrow(/never closed/);
  });
});

const TEST: AbTestInfo = {
  id: 'ab1',
  name: 'checkout',
  deployment: 'credit',
  description: null,
  state: 'running',
  unit_key: 'user',
  arms: [
    { version: '1', weight: 50 },
    { version: '2', weight: 50 },
  ],
  control: '1',
  primary_metric: { metric: 'conversion', kind: 'proportion', window: '7d' },
  guardrails: [{ metric: 'complaints', kind: 'proportion', window: '7d', direction: 'decrease' }],
  settings: { method: 'sequential', alpha: 0.05, sequential_tuning: 5000, correction: 'holm', prior_mean: 0, prior_stddev: 0.1, proper_prior: false },
  created_at: 1_700_000_000_000,
  created_by: 'admin',
  started_at: 1_700_000_000_000,
  stopped_at: null,
  stopped_by: null,
  stop_reason: null,
};

const REPORT: AbTestReport = {
  abtest: 'checkout',
  state: 'running',
  at: 1_700_000_100_000,
  method: 'sequential',
  alpha: 0.05,
  srm: {
    chi_squared: 0.058,
    p_value: 0.81,
    flagged: false,
    units: [
      { arm: '1', units: 5012, expected_share: 0.5, observed_share: 0.5012 },
      { arm: '2', units: 4988, expected_share: 0.5, observed_share: 0.4988 },
    ],
    reason: 'the split matches the weights',
  },
  metrics: [
    {
      metric: 'conversion',
      role: 'primary',
      kind: 'proportion',
      direction: 'increase',
      arms: [
        { arm: '1', units: 4900, pending_units: 112, mean: 0.1, cuped_mean: null },
        { arm: '2', units: 4880, pending_units: 108, mean: 0.103, cuped_mean: null },
      ],
      comparisons: [
        {
          arm: '2',
          control: '1',
          absolute: { estimate: 0.003, lower: 0.00137, upper: 0.00463, stderr: 0.0008, p_value: 0.00003 },
          relative: { estimate: 0.03, lower: 0.0137, upper: 0.0463, stderr: 0.008, p_value: 0.00003 },
          p_value: 0.00003,
          adjusted_p_value: 0.00006,
          chance_to_win: null,
          risk: null,
          verdict: 'better',
          reason: "treatment's conversion is 3% higher (95% CS 1.37% to 4.63%), p<0.0001: better",
        },
      ],
    },
    {
      metric: 'complaints',
      role: 'guardrail',
      kind: 'proportion',
      direction: 'decrease',
      arms: [
        { arm: '1', units: 4900, pending_units: 112, mean: 0, cuped_mean: null },
        { arm: '2', units: 4880, pending_units: 108, mean: 0.0004, cuped_mean: null },
      ],
      comparisons: [
        {
          arm: '2',
          control: '1',
          absolute: { estimate: 0.0004, lower: -0.0002, upper: 0.001, stderr: 0.0003, p_value: 0.4 },
          relative: null,
          p_value: 0.4,
          adjusted_p_value: 0.4,
          chance_to_win: null,
          risk: null,
          verdict: 'inconclusive',
          reason: 'no significant difference in complaints',
        },
      ],
    },
  ],
  decision: { verdict: 'better', reason: 'conversion is better and no guardrail is worse' },
  history: [],
};

describe('the report text', () => {
  it('formats lifts, p-values and the interval name', () => {
    expect(formatPercent(0.0306, { sign: true })).toBe('+3.06%');
    expect(formatPercent(-0.123, { sign: true })).toBe('-12.3%');
    expect(formatPercent(-0.00001, { sign: true })).toBe('0.00%');
    expect(formatPercent(null)).toBe('');
    expect(formatP(0.00003)).toBe('<0.0001');
    expect(formatP(0.04912)).toBe('0.049');
    expect(formatP(null)).toBe('');
    expect(intervalName({ method: 'sequential', alpha: 0.05 })).toBe('95% CS');
    expect(intervalName({ method: 'fixed', alpha: 0.01 })).toBe('99% CI');
    expect(intervalName({ method: 'bayesian', alpha: 0.1 })).toBe('90% CrI');
    expect(liftText(REPORT.metrics[0]!.comparisons[0]!)).toBe('+3.00% [+1.37%, +4.63%]');
    // A control mean of 0 has no relative lift: the absolute difference stands in.
    expect(liftText(REPORT.metrics[1]!.comparisons[0]!)).toBe('+0.0004 abs [-0.0002, +0.001]');
  });

  it('prints the SRM line, per metric and arm the units, mean, lift, p and verdict with its reason, and the decision', () => {
    // picocolors colours headings where CI is set (as in .ci/run): compare the text without ANSI codes.
    // eslint-disable-next-line no-control-regex
    const text = reportText(REPORT, TEST).replace(/\u001b\[[0-9;]*m/g, '');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^A\/B test checkout on credit: running, sequential \(alpha 0.05\), as of \d{4}-/);
    expect(lines[1]).toBe('Sample ratio: ok (p = 0.81) — 1 5012 units 50.1% (expected 50.0%), 2 4988 units 49.9% (expected 50.0%)');
    expect(text).toContain('Primary: conversion (proportion, higher is better)');
    expect(text).toContain('Guardrail: complaints (proportion, lower is better)');
    const row = lines.find((l) => /^\s+2\s/.test(l) && l.includes('+3.00%'))!;
    expect(row.trim().split(/\s{2,}/)).toEqual(['2', '4880', '108', '0.103', '+3.00% [+1.37%, +4.63%]', '<0.0001', '<0.0001', 'better']);
    const control = lines.find((l) => l.includes('1 (control)'))!;
    expect(control.trim().split(/\s{2,}/)).toEqual(['1 (control)', '4900', '112', '0.1']);
    expect(text).toContain("  2: treatment's conversion is 3% higher (95% CS 1.37% to 4.63%), p<0.0001: better");
    expect(text).toContain('LIFT [95% CS]');
    expect(text.trimEnd().endsWith('Decision: better\n  conversion is better and no guardrail is worse')).toBe(true);
  });

  it('flags a sample-ratio mismatch with its reason, and shows chance to win for bayesian tests', () => {
    const flagged = srmLine({ ...REPORT, srm: { ...REPORT.srm, flagged: true, p_value: 0.00001, reason: '52/48 against 50/50' } });
    expect(flagged).toContain('Sample ratio: MISMATCH (p < 0.0001) — 1 5012 units');
    expect(flagged).toContain('\n  results are suspect: 52/48 against 50/50\n');
    const bayes: AbTestReport = {
      ...REPORT,
      method: 'bayesian',
      metrics: [{ ...REPORT.metrics[0]!, comparisons: [{ ...REPORT.metrics[0]!.comparisons[0]!, chance_to_win: 0.973 }] }],
    };
    const text = reportText(bayes);
    expect(text).toContain('CHANCE TO WIN');
    expect(text).toContain('97.3%');
    expect(text).not.toContain('ADJ. P');
  });

  it('lists tests in a table', () => {
    const table = abtestsTable([TEST]);
    expect(table.split('\n')[0]).toContain('NAME');
    expect(table).toContain('checkout');
    expect(table).toContain('1:50% 2:50%');
    expect(table).toContain('conversion proportion 7d');
  });
});
