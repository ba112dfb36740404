/** Wires model cards and the validation report: repo, services and routes, from the capabilities they read. */
import type { AuditLog } from '../auth/index.js';
import type { DatasetService, LineageService } from '../data/index.js';
import type { RegistryService } from '../registry/index.js';
import type { Store } from '../store/index.js';
import type { RunService } from '../tracking/index.js';
import type { ApiRoute } from '../api-route.js';
import { storedExplanations } from './card-explanations.js';
import { storedFairness } from './card-fairness.js';
import { liveMonitoring, type MonitoringSources } from './card-monitoring.js';
import { CardRepo } from './card-repo.js';
import { cardRoutes } from './card-routes.js';
import { CardService } from './card-service.js';
import type { CardPolicy, CardProviders } from './card-types.js';
import { ReportService } from './report-service.js';

export interface CardsDeps {
  store: Store;
  registry: RegistryService;
  runs: RunService;
  lineage: LineageService;
  datasets: DatasetService;
  audit: AuditLog;
  providers?: CardProviders;
  policy?: Partial<CardPolicy>;
  now?: () => number;
  /** Live monitoring (drift, performance from feedback) of the deployments serving a version. */
  monitoring?: MonitoringSources;
}

export interface Cards {
  service: CardService;
  reports: ReportService;
  routes: ApiRoute[];
}

export function startCards(deps: CardsDeps): Cards {
  const repo = new CardRepo(deps.store);
  // Fairness reports and global-importance summaries are rows of the store: read as stored unless a provider is given.
  const service = new CardService({
    ...deps,
    repo,
    providers: {
      fairness: storedFairness(deps.store),
      explanations: storedExplanations(deps.store),
      ...(deps.monitoring ? { monitoring: liveMonitoring(deps.store, deps.monitoring) } : {}),
      ...(deps.providers ?? {}),
    },
  });
  const reports = new ReportService(service, repo);
  return { service, reports, routes: cardRoutes(service, reports) };
}
