import { describe, expect, it } from 'vitest';
import type { Experiment, FerryClient, RunInfo } from '../../../../src/sdk/index.js';
import { defaultExperiment, latestRuns, mostRecentlyActive } from './latest-activity.js';

const experiment = (id: string, name: string, lastUpdate: number): Experiment => ({
  experiment_id: id,
  name,
  artifact_location: '',
  lifecycle_stage: 'active',
  creation_time: lastUpdate,
  last_update_time: lastUpdate,
  tags: [],
});

const run = (experimentId: string, start: number, end?: number): RunInfo => ({
  run_id: `r${experimentId}-${start}`,
  run_uuid: `r${experimentId}-${start}`,
  run_name: 'r',
  experiment_id: experimentId,
  user_id: '',
  status: end === undefined ? 'RUNNING' : 'FINISHED',
  start_time: start,
  ...(end === undefined ? {} : { end_time: end }),
  artifact_uri: '',
  lifecycle_stage: 'active',
});

// The demo: Default made with the server and never used, sorting first by name; work happens elsewhere.
const demo = [experiment('0', 'Default', 100), experiment('2', 'big-sweep', 300), experiment('1', 'churn-model', 200)];

describe('the experiment #/experiments opens', () => {
  it('is the one with the newest run start or end, not the first by name', () => {
    expect(mostRecentlyActive(demo, [run('1', 900, 950), run('2', 400)])?.name).toBe('churn-model');
    // A long run that ended after another experiment's newer start.
    expect(mostRecentlyActive(demo, [run('1', 500, 1000), run('2', 900, 910)])?.name).toBe('churn-model');
    expect(mostRecentlyActive(demo, [run('1', 500, 600), run('2', 900)])?.name).toBe('big-sweep');
  });

  it("counts an experiment's own update (a new, empty experiment is where work starts)", () => {
    expect(mostRecentlyActive([...demo, experiment('3', 'fresh', 2000)], [run('1', 900, 950)])?.name).toBe('fresh');
    expect(mostRecentlyActive(demo, [])?.name).toBe('big-sweep');
  });

  it('keeps list order on ties, and has none for no experiments', () => {
    expect(mostRecentlyActive([experiment('5', 'a', 10), experiment('6', 'b', 10)], [])?.name).toBe('a');
    expect(mostRecentlyActive([], [run('1', 5)])).toBeUndefined();
  });
});

/** A client whose run search answers from `runs` as the server would (newest first, no end time last). */
function fakeClient(runs: RunInfo[], calls: { ids: string[]; order: string }[] = [], fail = false): FerryClient {
  const search = async (opts: { experimentIds: string[]; orderBy?: string[]; maxResults?: number }) => {
    if (fail) throw new Error('search refused');
    const order = opts.orderBy?.[0] ?? '';
    calls.push({ ids: opts.experimentIds, order });
    const key = order.includes('end_time') ? (r: RunInfo) => r.end_time ?? -Infinity : (r: RunInfo) => r.start_time;
    const found = runs.filter((r) => opts.experimentIds.includes(r.experiment_id)).sort((a, b) => key(b) - key(a));
    return { runs: found.slice(0, opts.maxResults).map((info) => ({ info, data: { metrics: [], params: [], tags: [] } })) };
  };
  return { runs: { search } } as unknown as FerryClient;
}

describe('reading the latest run activity', () => {
  it('asks for the newest start and the newest end, one run each, in chunks of experiment ids', async () => {
    const calls: { ids: string[]; order: string }[] = [];
    const ids = Array.from({ length: 1200 }, (_, i) => String(i));
    const runs = [run('7', 100, 5000), run('1100', 4000)];
    const found = await latestRuns(fakeClient(runs, calls), ids);
    expect(calls.map((c) => [c.ids.length, c.order])).toEqual([
      [500, 'attributes.start_time DESC'],
      [500, 'attributes.end_time DESC'],
      [500, 'attributes.start_time DESC'],
      [500, 'attributes.end_time DESC'],
      [200, 'attributes.start_time DESC'],
      [200, 'attributes.end_time DESC'],
    ]);
    expect(new Set(calls.flatMap((c) => c.ids))).toEqual(new Set(ids));
    // Each chunk's only run answers both searches (a run without an end time comes last, not never).
    expect(found.map((r) => r.experiment_id).sort()).toEqual(['1100', '1100', '7', '7']);
  });

  it('chooses from the runs, and from update times alone when the search fails', async () => {
    const runs = [run('1', 900, 950), run('2', 400)];
    expect((await defaultExperiment(fakeClient(runs), demo))?.name).toBe('churn-model');
    expect((await defaultExperiment(fakeClient(runs, [], true), demo))?.name).toBe('big-sweep');
  });
});
