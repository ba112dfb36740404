/**
 * Links in MLflow's UI form, mapped to Ferry's page for the same thing. After a run the mlflow client prints
 * `<tracking uri>/#/experiments/<experiment_id>/runs/<run_id>` and `.../#/experiments/<experiment_id>` (each
 * with `?workspace=<name>` outside the default workspace), and people paste links copied from MLflow's UI
 * (`.../runs/<run_id>/artifacts/...`, `.../#/experiments/<id>/runs`). Ferry has one URL per run, `#/runs/<id>`;
 * the shell redirects to it.
 */
import { href, matchPath } from './router.js';

/** MLflow's run sub-page (what follows the run id) → Ferry's run tab; the overview when there is none. */
function runTab(subPage: string): string | undefined {
  if (subPage === 'model-metrics' || subPage === 'system-metrics') return 'metrics';
  if (/^(artifacts|artifactPath)(\/|$)/.test(subPage)) return 'artifacts';
  return undefined;
}

/**
 * Ferry's `#/...` target for a path in MLflow's form, or null when `path` is not one. MLflow's query
 * (`workspace`) is left behind: Ferry has no workspaces.
 */
export function ferryTargetForMlflowPath(path: string): string | null {
  const run = matchPath('/experiments/:experimentId/runs/:runId/*', path);
  if (run) return href('/runs/:id', { id: run['runId']! }, { tab: runTab(run['*'] ?? '') });
  // MLflow's experiment tabs (runs, overview, traces, models, ...) all show the experiment.
  const experiment = matchPath('/experiments/:experimentId/*', path);
  if (experiment) return href('/experiments/:id', { id: experiment['experimentId']! });
  return null;
}
