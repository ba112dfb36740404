/** `ferry predict`: its helpers, and the built CLI (as a child process) against a real server with a real ONNX model. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FerryServer, failed, ok, ROOT, runCli, startFerry } from '../../test/support/ferry-process.js';
import type { PredictResponse } from '../sdk/index.js';
import { batchErrorMessage, parseRecord, parseRequest, predictionsTable } from './predict-actions.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'models');
const credit = JSON.parse(readFileSync(join(FIXTURES, 'credit_gbdt.expected.json'), 'utf8')) as {
  records: Record<string, unknown>[];
  outputs: { label: number[] };
};

describe('predict helpers', () => {
  it('reads one JSON object per line, naming the line when it is not one', () => {
    expect(parseRecord('{"age": 41, "purpose": "car"}', 'rows.jsonl line 1')).toEqual({ age: 41, purpose: 'car' });
    expect(() => parseRecord('{"age": 41', 'rows.jsonl line 2')).toThrow(/^rows\.jsonl line 2: .*JSON/);
    expect(() => parseRecord('[41, "car"]', 'rows.jsonl line 3')).toThrow('rows.jsonl line 3: expected a JSON object (one record per line), got an array');
    expect(() => parseRecord('42', 'rows.jsonl line 4')).toThrow('rows.jsonl line 4: expected a JSON object (one record per line), got 42');
    expect(() => parseRecord('null', 'x line 5')).toThrow('got null');
  });

  it("turns the server's batch row into the file's line", () => {
    const lines = [3, 4, 7]; // line 5-6 were blank
    expect(batchErrorMessage('rows.jsonl', lines, 'Row 2: feature \'age\' must be a number, got "x".')).toBe(
      'rows.jsonl line 7: feature \'age\' must be a number, got "x".',
    );
    expect(batchErrorMessage('rows.jsonl', lines, 'Row 9: out of range')).toBe('rows.jsonl lines 3-7: Row 9: out of range');
    expect(batchErrorMessage('rows.jsonl', lines, "Deployment 'x' does not exist.")).toBe("rows.jsonl lines 3-7: Deployment 'x' does not exist.");
    expect(batchErrorMessage('stdin', [12], 'too many rows')).toBe('stdin line 12: too many rows');
  });

  it('takes the request body from --data, naming the flag when it is not a JSON object', () => {
    expect(parseRequest('{"instances": [{"age": 41}]}')).toEqual({ instances: [{ age: 41 }] });
    expect(() => parseRequest('{"instances": [')).toThrow(/^--data is not valid JSON: /);
    expect(() => parseRequest('[{"age": 41}]')).toThrow(/^--data must be a JSON object/);
  });

  it('prints one line per row: a column per output, or one PREDICTION column', () => {
    // The header is bold where colour is on (a terminal, or CI=true for picocolors); the text is what is checked.
    const plain = (s: string) => stripVTControlCharacters(s);
    const multi = plain(
      predictionsTable([
        { label: 1, probabilities: [0.2, 0.8] },
        { label: 0, probabilities: [0.9123456789, 0.1] },
      ]),
    ).split('\n');
    expect(multi[0]).toMatch(/^ROW +label +probabilities$/);
    expect(multi[1]).toMatch(/^ {2}0 +1 +\[0\.2,0\.8\]$/);
    expect(multi[2]).toMatch(/^ {2}1 +0 +\[0\.9123456789,0\.1\]$/);
    const single = plain(predictionsTable([3.14159265, null, 'yes'])).split('\n');
    expect(single[0]).toMatch(/^ROW +PREDICTION$/);
    expect(single.slice(1, 4).map((l) => l.trim().split(/ +/))).toEqual([['0', '3.14159'], ['1'], ['2', 'yes']]);
  });
});

describe('ferry predict against a real server', () => {
  let server: FerryServer;
  let env: Record<string, string>;
  const ferry = (...args: string[]) => runCli(args, env, { timeoutMs: 60_000 });
  const body = JSON.stringify({ instances: credit.records.slice(0, 3) });

  beforeAll(async () => {
    server = await startFerry();
    env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken };
    ok(await ferry('models', 'register', join(FIXTURES, 'credit_gbdt.onnx'), '--name', 'credit'));
    ok(await ferry('deploy', 'credit-risk', '--model', 'credit', '--version', '1'));
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('sends the body given with --data and prints a table of predictions; --json prints the answer', async () => {
    const res = await ferry('predict', 'credit-risk', '--data', body);
    const lines = ok(res).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ROW +label +probabilities$/);
    expect(lines.slice(1).map((l) => Number(l.trim().split(/ +/)[1]))).toEqual(credit.outputs.label.slice(0, 3));
    expect(res.stderr).toMatch(/^credit-risk revision 1: credit version 1 \(request [\w-]+\)\n$/);

    const json = JSON.parse(ok(await ferry('predict', 'credit-risk', '--data', body, '--json'))) as PredictResponse;
    expect(json).toMatchObject({ model: 'credit', model_version: '1', deployment: 'credit-risk', revision: 1, request_id: expect.any(String) });
    expect((json.predictions as { label: number }[]).map((p) => p.label)).toEqual(credit.outputs.label.slice(0, 3));
    const columns = Object.keys(credit.records[0]!);
    const split = JSON.stringify({ dataframe_split: { columns, data: [columns.map((c) => credit.records[0]![c])] } });
    expect((JSON.parse(ok(await ferry('predict', 'credit-risk', '--json', '--data', split))) as PredictResponse).predictions).toEqual([json.predictions[0]]);
  });

  it('exits 1 with the reason on stderr for bad input and for HTTP errors', async () => {
    expect(failed(await ferry('predict', 'credit-risk'))).toBe("ferry: pass exactly one of --data '<request>' or --file <rows.jsonl>\n");
    expect(failed(await ferry('predict', 'credit-risk', '--json'))).toBe("ferry: pass exactly one of --data '<request>' or --file <rows.jsonl>\n");
    expect(failed(await ferry('predict', 'credit-risk', '--data', body, '--file', 'rows.jsonl'))).toBe(
      "ferry: pass exactly one of --data '<request>' or --file <rows.jsonl>\n",
    );
    // The request body where it used to go: refused, with the flag it belongs to.
    expect(failed(await ferry('predict', 'credit-risk', '--json', body))).toMatch(
      /^ferry: unexpected argument .*: pass the request body with --data '<json>' \(--json prints the answer as JSON\)\n$/,
    );
    expect(failed(await ferry('predict', 'credit-risk', '--data', '{"instances": ['))).toMatch(/^ferry: --data is not valid JSON: /);
    expect(failed(await ferry('predict', 'credit-risk', '--data', '[]'))).toMatch(/^ferry: --data must be a JSON object/);
    expect(failed(await ferry('predict', 'credit-risk', '--data', '{"instances": [{"age": 41}]}'))).toMatch(/^ferry: Row 0: feature '\w+' is missing/);
    expect(failed(await ferry('predict', 'credit-risk', '--data', '{"instances": [{"age": 41}]}', '--json'))).toMatch(
      /^ferry: Row 0: feature '\w+' is missing/,
    );
    expect(failed(await ferry('predict', 'nope', '--data', '{"instances": [{}]}'))).toBe("ferry: Deployment 'nope' does not exist.\n");
  });
});
