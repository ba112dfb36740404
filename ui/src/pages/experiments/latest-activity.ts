/**
 * Which experiment `#/experiments` opens: the one with the latest activity — its newest run start or end, or
 * its own last update (creation, rename) — so a demo or a working day opens where the work is, not on the empty
 * "Default" experiment that every server has and that sorts first. The experiment list carries no run times
 * (MLflow's last_update_time ignores runs), so they come from two one-row run searches over all experiments.
 */
import type { Experiment, FerryClient, RunInfo } from '../../../../src/sdk/index.js';

/** Experiment ids per search: keeps each request and its SQL `IN` list small on a server with many experiments. */
const IDS_PER_SEARCH = 500;

/** The experiment with the latest activity among `runs` (any subset) and the experiments' own update times. */
export function mostRecentlyActive(experiments: readonly Experiment[], runs: readonly RunInfo[]): Experiment | undefined {
  const latest = new Map<string, number>();
  for (const r of runs) {
    const t = Math.max(r.start_time, r.end_time ?? 0);
    latest.set(r.experiment_id, Math.max(t, latest.get(r.experiment_id) ?? 0));
  }
  let best: Experiment | undefined;
  let bestTime = -Infinity;
  for (const e of experiments) {
    const t = Math.max(e.last_update_time, latest.get(e.experiment_id) ?? 0);
    // Ties keep the earlier experiment in list order.
    if (t > bestTime) {
      best = e;
      bestTime = t;
    }
  }
  return best;
}

/** The newest-started and the newest-ended run of the experiments (at most two runs per chunk of ids). */
export async function latestRuns(client: FerryClient, experimentIds: readonly string[]): Promise<RunInfo[]> {
  const searches: Promise<RunInfo[]>[] = [];
  for (let i = 0; i < experimentIds.length; i += IDS_PER_SEARCH) {
    const ids = experimentIds.slice(i, i + IDS_PER_SEARCH);
    // The server sorts runs without an end time last in both directions, so `end_time DESC` finds the newest end.
    for (const order of ['attributes.start_time DESC', 'attributes.end_time DESC']) {
      searches.push(client.runs.search({ experimentIds: ids, orderBy: [order], maxResults: 1 }).then((r) => r.runs.map((run) => run.info)));
    }
  }
  return (await Promise.all(searches)).flat();
}

/** The experiment `#/experiments` opens; the experiments' own update times alone when the run search fails. */
export async function defaultExperiment(client: FerryClient, experiments: readonly Experiment[]): Promise<Experiment | undefined> {
  const runs = await latestRuns(
    client,
    experiments.map((e) => e.experiment_id),
  ).catch(() => []);
  return mostRecentlyActive(experiments, runs);
}
