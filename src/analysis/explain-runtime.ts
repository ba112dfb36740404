/**
 * Explanations wired to serving and monitoring: the deployment's main route or any registered version, held
 * (reference-counted by the model loader) while it is explained; the monitoring reference as default background.
 */
import { NotFoundError } from '../errors.js';
import type { DeploymentRuntime, ModelLoader } from '../serving/index.js';
import type { Store } from '../store/index.js';
import type { MonitoringDataHooks } from './data-hooks.js';
import type { DriftService } from './drift-service.js';
import { ExplanationSummaryRepo } from './explain-repo.js';
import { explainRoutes, type RecordAudit } from './explain-routes.js';
import { ExplainService, type HeldTarget } from './explain-service.js';

export interface ExplainWiring {
  runtime: DeploymentRuntime;
  loader: ModelLoader;
  drift: DriftService;
  data: MonitoringDataHooks | null;
  /** A version's ONNX bytes, for TreeSHAP; without it every model is explained model-agnostically. */
  modelBytes?: (model: string, version: string) => Promise<Uint8Array>;
  /** Where each computed global importance is stored (the model card reads it); without it none is. */
  store?: Store;
  /** Audits the storing of a summary (a GET the server does not audit by itself). */
  audit?: RecordAudit;
}

export function startExplain(w: ExplainWiring) {
  const hold = async (model: string, version: string): Promise<HeldTarget> => {
    const pool = await w.loader.acquire(model, version);
    return {
      model,
      version,
      signature: pool.signature,
      run: (feeds, fetches) => pool.run(feeds, fetches),
      ...(w.modelBytes ? { bytes: () => w.modelBytes!(model, version) } : {}),
      release: () => w.loader.release(model, version),
    };
  };
  const service = new ExplainService({
    deploymentTarget: async (name) => {
      const routes = w.runtime.liveRoutes(name).filter((r) => r.weight > 0);
      // The version taking most of the traffic stands for the deployment (as for monitoring's reference).
      const main = routes.sort((a, b) => b.weight - a.weight)[0];
      if (!main) throw new NotFoundError(`Deployment '${name}' serves no model version.`);
      return hold(main.model, main.version);
    },
    versionTarget: hold,
    monitoringReference: async (name) => {
      const ref = await w.drift.describeReference(name).catch((err: unknown) => {
        if (err instanceof NotFoundError) return null;
        throw err;
      });
      return ref?.source.kind === 'dataset' ? ref.source.dataset : null;
    },
    data: w.data,
    ...(w.store ? { summaries: new ExplanationSummaryRepo(w.store) } : {}),
  });
  return { service, routes: explainRoutes(service, w.audit) };
}
