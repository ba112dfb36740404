/** Wires the data capability: datasets, suites (run on push), lineage. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactStore } from '../artifacts/index.js';
import type { Store } from '../store/index.js';
import { DatasetService } from './dataset-service.js';
import { LineageService } from './lineage-service.js';
import { SuiteService } from './suite-service.js';
import { parseDatasetRef } from './version-ref.js';
import { InvalidParameterError } from '../errors.js';

export interface DataDeps {
  store: Store;
  artifacts: ArtifactStore;
  dataDir: string;
  maxBytes: number;
  deploymentExists(name: string): Promise<boolean>;
}

export interface Data {
  datasets: DatasetService;
  suites: SuiteService;
  lineage: LineageService;
  /** What monitoring asks of data (dataset references, suites on traffic); shaped as monitoring's MonitoringDataHooks. */
  monitoringHooks: {
    datasetReference(spec: { dataset: string } | { trainingOf: { model: string; version: string } }): ReturnType<DatasetService['reference']>;
    validateTraffic: SuiteService['validateTraffic'];
    hasSuites(deployment: string): Promise<boolean>;
  };
}

export function startData(deps: DataDeps): Data {
  // Pushed files wait here while hashed and profiled (never served; removed when the request ends).
  const spoolDir = join(deps.dataDir, 'tmp', 'data-push');
  // What is there at start was left by a server that died mid-push (a data dir is one server's scratch space,
  // docs/cluster.md): no request of this one owns it, and nothing else would ever remove it.
  rmSync(spoolDir, { recursive: true, force: true });
  const datasets = new DatasetService({ store: deps.store, artifacts: deps.artifacts, spoolDir, maxBytes: deps.maxBytes });
  const suites = new SuiteService({ store: deps.store, datasets, spoolDir, maxBytes: deps.maxBytes, deploymentExists: deps.deploymentExists });
  datasets.setPushHook(suites);
  const lineage = new LineageService(datasets, datasets.lineage, suites.validations);
  return {
    datasets,
    suites,
    lineage,
    monitoringHooks: {
      datasetReference: async (spec) => {
        if ('dataset' in spec) {
          const r = parseDatasetRef(spec.dataset, 'dataset');
          return datasets.reference(r.name, r.ref);
        }
        const { model, version } = spec.trainingOf;
        const found = await lineage.trainingVersionsOf(model, Number(version));
        if (found.length === 0)
          throw new InvalidParameterError(
            'training_data',
            `Model version ${model}/${version} has no training dataset version on record: log it with mlflow.log_input(..., context="training") using the Ferry version's digest (see docs/data.md).`,
          );
        return datasets.reference(found[0]!.dataset, String(found[0]!.version));
      },
      validateTraffic: (deployment, window, profile) => suites.validateTraffic(deployment, window, profile),
      hasSuites: async (deployment) => (await suites.attachedTo('deployment', deployment)).length > 0,
    },
  };
}
