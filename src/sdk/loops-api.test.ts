/** client.loops against a recording fetch: the methods, paths and bodies it sends, and how watch polls. */
import { describe, expect, it } from 'vitest';
import { FerryClient, type LoopRunDetail, type LoopStep } from './index.js';

function recording(answer: (path: string, n: number) => unknown) {
  const sent: { method: string; path: string; body: unknown }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    const path = `${url.pathname}${url.search}`;
    sent.push({ method: init?.method ?? 'GET', path, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    return new Response(JSON.stringify(answer(path, sent.length)), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { sent, client: new FerryClient({ url: 'http://ferry.test', token: 't', fetch }) };
}

const step = (seq: number, kind: LoopStep['kind'], status: LoopStep['status'] = 'started'): LoopStep => ({
  seq,
  kind,
  status,
  index: null,
  of: null,
  actor: 'loop',
  at: 1_700_000_000_000 + seq,
  links: {},
  evidence: {},
  reason: `step ${seq}`,
});

function run(state: LoopRunDetail['state'], steps: LoopStep[], triggers = 0): LoopRunDetail {
  return {
    loop: 'credit-loop',
    seq: 3,
    state,
    phase: steps.at(-1)?.kind ?? 'triggered',
    dry_run: false,
    author: 'alice',
    trigger: 'manual',
    candidate_version: null,
    champion_version: '1',
    started_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    ended_at: null,
    reason: null,
    steps,
    triggers: Array.from({ length: triggers }, (_, i) => ({ kind: 'alert' as const, at: i, actor: 'loop', detail: `alert ${i}`, coalesced: true })),
  };
}

describe('client.loops', () => {
  it('sends each operation to its path with the contract body', async () => {
    const { sent, client } = recording(() => ({ loop: { name: 'x' }, loop_run: { seq: 1 }, loops: [], loop_runs: [], coalesced: false }));
    const spec = { gate: { thresholds: [{ metric: 'accuracy' as const, margin: 0.01 }] }, rollout: { steps: [{ weight: 10 }] } };
    await client.loops.create({ name: 'credit-loop', model: 'credit-risk', deployment: 'credit', ...spec });
    await client.loops.list({ deployment: 'credit' });
    await client.loops.get('credit-loop');
    await client.loops.update('credit-loop', spec);
    await client.loops.pause('credit-loop', 'holiday freeze');
    await client.loops.pause('credit-loop');
    await client.loops.resume('credit-loop');
    await client.loops.trigger('credit-loop', { reason: 'new data', candidate_version: '7', dry_run: true });
    await client.loops.trigger('credit-loop');
    await client.loops.runs('credit-loop', { max_results: 5 });
    await client.loops.run('credit-loop', 3);
    await client.loops.approve('credit-loop', 3);
    await client.loops.approve('credit-loop', 3, { decision: 'reject', reason: 'too risky' });
    await client.loops.promote('credit-loop', 3, 'hotfix');
    await client.loops.cancel('credit-loop', 3, 'wrong data');
    await client.loops.verdict('credit-loop');
    const L = '/api/v1/loops';
    expect(sent.map((s) => [s.method, s.path, s.body])).toEqual([
      ['POST', L, { name: 'credit-loop', model: 'credit-risk', deployment: 'credit', ...spec }],
      ['GET', `${L}?deployment=credit`, undefined],
      ['GET', `${L}/credit-loop`, undefined],
      ['PUT', `${L}/credit-loop`, spec],
      ['POST', `${L}/credit-loop/pause`, { reason: 'holiday freeze' }],
      ['POST', `${L}/credit-loop/pause`, {}],
      ['POST', `${L}/credit-loop/resume`, {}],
      ['POST', `${L}/credit-loop/trigger`, { reason: 'new data', candidate_version: '7', dry_run: true }],
      ['POST', `${L}/credit-loop/trigger`, {}],
      ['GET', `${L}/credit-loop/runs?max_results=5`, undefined],
      ['GET', `${L}/credit-loop/runs/3`, undefined],
      ['POST', `${L}/credit-loop/runs/3/approve`, { decision: 'approve' }],
      ['POST', `${L}/credit-loop/runs/3/approve`, { decision: 'reject', reason: 'too risky' }],
      ['POST', `${L}/credit-loop/runs/3/promote`, { reason: 'hotfix' }],
      ['POST', `${L}/credit-loop/runs/3/cancel`, { reason: 'wrong data' }],
      ['GET', `${L}/credit-loop/verdict`, undefined],
    ]);
  });

  it('answers the parts the API wraps: the loop, the run, the lists', async () => {
    const { client } = recording((path) =>
      path.endsWith('/runs') ? { loop_runs: [{ seq: 2 }, { seq: 1 }] } : path.includes('/runs/') ? { loop_run: { seq: 2 } } : { loop: { name: 'l' } },
    );
    expect(await client.loops.get('l')).toEqual({ name: 'l' });
    expect((await client.loops.runs('l')).map((r) => r.seq)).toEqual([2, 1]);
    expect((await client.loops.run('l', 2)).seq).toBe(2);
  });

  it('watch polls until the run ends, handing over only the steps and triggers not seen before', async () => {
    const answers = [
      run('running', [step(1, 'triggered'), step(2, 'training')]),
      run('running', [step(1, 'triggered'), step(2, 'training')]),
      run('running', [step(1, 'triggered'), step(2, 'training'), step(3, 'training', 'passed')], 1),
      run('awaiting_approval', [step(1, 'triggered'), step(2, 'training'), step(3, 'training', 'passed'), step(4, 'awaiting_approval', 'info')], 2),
      run(
        'rejected',
        [step(1, 'triggered'), step(2, 'training'), step(3, 'training', 'passed'), step(4, 'awaiting_approval', 'info'), step(5, 'rejected', 'info')],
        2,
      ),
      run('rejected', []), // never read: the run ended
    ];
    const { sent, client } = recording((_, n) => ({ loop_run: answers[n - 1] }));
    const seen: { steps: number[]; triggers: string[]; state: string }[] = [];
    const last = await client.loops.watch(
      'credit-loop',
      3,
      (news, r) => seen.push({ steps: news.steps.map((s) => s.seq), triggers: news.triggers.map((t) => t.detail), state: r.state }),
      { intervalMs: 0 },
    );
    expect(sent.length).toBe(5);
    expect(sent.every((s) => s.path === '/api/v1/loops/credit-loop/runs/3')).toBe(true);
    expect(seen).toEqual([
      { steps: [1, 2], triggers: [], state: 'running' },
      { steps: [3], triggers: ['alert 0'], state: 'running' },
      { steps: [4], triggers: ['alert 1'], state: 'awaiting_approval' },
      { steps: [5], triggers: [], state: 'rejected' },
    ]);
    expect(last.state).toBe('rejected');
  });

  it('watch stops when its signal aborts, even mid-wait, answering the run as last read', async () => {
    const ac = new AbortController();
    const { sent, client } = recording(() => ({ loop_run: run('running', [step(1, 'triggered')]) }));
    // Aborted while it waits a minute for the next poll: it answers at once.
    const last = await client.loops.watch('credit-loop', 3, () => setTimeout(() => ac.abort(), 0), { intervalMs: 60_000, signal: ac.signal });
    expect(sent.length).toBe(1);
    expect(last.state).toBe('running');
  });
});
