/** client.abtests against a recording fetch: the paths and bodies it sends, and how sendOutcomes splits and joins. */
import { describe, expect, it } from 'vitest';
import { FerryClient } from './index.js';

function recording(answer: (body: { outcomes?: unknown[] } | undefined, n: number) => unknown) {
  const sent: { method: string; path: string; body: unknown }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    const body = init?.body ? (JSON.parse(String(init.body)) as { outcomes?: unknown[] }) : undefined;
    sent.push({ method: init?.method ?? 'GET', path: `${url.pathname}${url.search}`, body });
    return new Response(JSON.stringify(answer(body, sent.length)), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { sent, client: new FerryClient({ url: 'http://ferry.test', token: 't', fetch }) };
}

describe('client.abtests', () => {
  it('sends outcomes in requests of 10,000 and joins the answers, unknown indexes counted from the start', async () => {
    const { sent, client } = recording((body, n) => ({
      accepted: (body?.outcomes?.length ?? 0) - 1,
      unknown: [{ index: 3, unit: `u${n}`, reason: 'unknown unit' }],
    }));
    const items = Array.from({ length: 25_000 }, (_, i) => ({ unit: `u${i}`, metric: 'conversion' }));
    const progress: [number, number][] = [];
    const r = await client.abtests.sendOutcomes(items, { onProgress: (sent, total) => progress.push([sent, total]) });
    expect(progress).toEqual([
      [10_000, 25_000],
      [20_000, 25_000],
      [25_000, 25_000],
    ]);
    expect(sent.map((s) => [s.method, s.path, (s.body as { outcomes: unknown[] }).outcomes.length])).toEqual([
      ['POST', '/api/v1/outcomes', 10_000],
      ['POST', '/api/v1/outcomes', 10_000],
      ['POST', '/api/v1/outcomes', 5_000],
    ]);
    expect((sent[1]!.body as { outcomes: { unit: string }[] }).outcomes[0]!.unit).toBe('u10000');
    expect(r.accepted).toBe(24_997);
    expect(r.unknown.map((u) => u.index)).toEqual([3, 10_003, 20_003]);
  });

  it('names the test in the path, and sends the report query and the stop reason', async () => {
    const { sent, client } = recording(() => ({ abtest: { name: 'a b' } }));
    await client.abtests.report('a.b', { history: true, points: 10, at: '1h' });
    await client.abtests.stop('a.b', 'done');
    await client.abtests.start('a.b');
    await client.abtests.list({ deployment: 'credit', state: 'running' });
    expect(sent.map((s) => [s.method, s.path, s.body])).toEqual([
      ['GET', '/api/v1/abtests/a.b/report?at=1h&history=true&points=10', undefined],
      ['POST', '/api/v1/abtests/a.b/stop', { reason: 'done' }],
      ['POST', '/api/v1/abtests/a.b/start', {}],
      ['GET', '/api/v1/abtests?deployment=credit&state=running', undefined],
    ]);
  });
});
