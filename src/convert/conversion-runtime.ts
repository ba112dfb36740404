/**
 * ONNX conversions as the server runs them: the service, its routes, and a ticker that follows conversions under
 * way (so the version's tags show the end without anyone asking). Settings from the environment:
 *   FERRY_CONVERT_EXECUTOR        the executor conversion jobs run on (default local)
 *   FERRY_CONVERT_ON_REGISTER=0   no conversion at registration (a deploy or `ferry models convert` still starts one)
 *   FERRY_CONVERT_WAIT_SECONDS    how long a deploy waits for a conversion under way (default 300)
 *   FERRY_CONVERT_POLL_MS         how often conversions under way are looked at (default 1000)
 */
import type { ApiRoute } from '../api-route.js';
import type { ArtifactStore } from '../artifacts/index.js';
import type { JobService } from '../jobs/index.js';
import type { RegistryService } from '../registry/index.js';
import type { AuditLogTable, Store } from '../store/index.js';
import { builtinProjectDir } from './builtin-project.js';
import { conversionRoutes } from './conversion-routes.js';
import { ConversionService } from './conversion-service.js';

export interface ConversionsDeps {
  store: Store;
  artifacts: ArtifactStore;
  registry: RegistryService;
  jobs: JobService;
  trainingData?: (model: string, version: string) => Promise<{ dataset: string; version: number }[]>;
  audit?: (e: Omit<AuditLogTable, 'audit_id'>) => Promise<void>;
  log: { warn(o: object, m: string): void };
  env?: NodeJS.ProcessEnv;
  /** The conversion project's folder (default: projects/onnx-convert of the package). */
  projectDir?: string;
}

export interface Conversions {
  service: ConversionService;
  routes: ApiRoute[];
  /** FERRY_CONVERT_ON_REGISTER: whether a new version is converted at registration. */
  onRegister: boolean;
  /** Starts the ticker (once the job worker runs: conversions are jobs). */
  start(): void;
  close(): void;
}

function seconds(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${key} must be a number of at least 0, got '${raw}'.`);
  return n;
}

export function startConversions(d: ConversionsDeps): Conversions {
  const env = d.env ?? process.env;
  const pollMs = Math.max(10, seconds(env, 'FERRY_CONVERT_POLL_MS', 1000));
  const service = new ConversionService({
    store: d.store,
    artifacts: d.artifacts,
    registry: d.registry,
    jobs: d.jobs,
    projectDir: d.projectDir ?? env['FERRY_CONVERT_PROJECT_DIR'] ?? builtinProjectDir(),
    executor: env['FERRY_CONVERT_EXECUTOR'] || 'local',
    waitMs: seconds(env, 'FERRY_CONVERT_WAIT_SECONDS', 300) * 1000,
    pollMs: Math.min(pollMs, 500),
    ...(d.trainingData ? { trainingData: d.trainingData } : {}),
    ...(d.audit ? { audit: d.audit } : {}),
    log: d.log,
  });
  let timer: NodeJS.Timeout | null = null;
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    service
      .syncActive()
      .catch((err: unknown) => d.log.warn({ err }, 'conversion sync failed'))
      .finally(() => {
        busy = false;
      });
  };
  return {
    service,
    routes: conversionRoutes(service),
    onRegister: env['FERRY_CONVERT_ON_REGISTER'] !== '0',
    start: () => {
      if (timer) return;
      timer = setInterval(tick, pollMs);
      timer.unref();
    },
    close: () => {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
