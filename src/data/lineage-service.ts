/** Lineage both ways: model version → run → dataset versions (+ their validations); dataset version → runs → model versions. */
import { NotFoundError } from '../errors.js';
import type { DatasetService } from './dataset-service.js';
import type { LineageRepo, RunInputRow } from './lineage-repo.js';
import type { ValidationRepo } from './validation-repo.js';

export class LineageService {
  constructor(
    private readonly datasets: DatasetService,
    private readonly repo: LineageRepo,
    private readonly validations: ValidationRepo,
  ) {}

  async ofModelVersion(name: string, version: number) {
    const mv = await this.repo.modelVersion(name, version);
    if (!mv) throw new NotFoundError(`Model version ${name}/${version} does not exist.`);
    const inputs = mv.run_id ? await this.repo.inputsOfRun(mv.run_id) : [];
    const run = inputs[0]
      ? { run_id: inputs[0].run_uuid, run_name: inputs[0].run_name, experiment_id: String(inputs[0].experiment_id), status: inputs[0].status }
      : mv.run_id
        ? { run_id: mv.run_id }
        : null;
    const datasets = [];
    for (const input of inputs) datasets.push(await this.describeInput(input));
    return { model: { name: mv.name, version: String(mv.version), run_id: mv.run_id, source: mv.source }, run, datasets };
  }

  private async describeInput(input: RunInputRow) {
    const versions = await this.repo.versionsForDigest(input.digest);
    const ferry = [];
    for (const v of versions) {
      const validations = await this.validations.list({ targetKind: 'dataset', target: v.dataset, version: Number(v.version) }, { limit: 20, offset: 0 });
      ferry.push({ dataset: v.dataset, version: Number(v.version), ref: `${v.dataset}@${v.version}`, digest: v.digest, rows: Number(v.rows), validations });
    }
    return { name: input.name, digest: input.digest, context: input.context, source_type: input.source_type, source: input.source, dataset_versions: ferry };
  }

  async ofDatasetVersion(name: string, ref: string) {
    const row = await this.datasets.resolve(name, ref);
    const inputs = await this.repo.inputsUsing(row.digest);
    const runIds = [...new Set(inputs.map((i) => i.run_uuid))];
    const models = await this.repo.modelVersionsOfRuns(runIds);
    return {
      dataset: row.dataset,
      version: Number(row.version),
      ref: `${row.dataset}@${row.version}`,
      digest: row.digest,
      runs: inputs.map((i) => ({
        run_id: i.run_uuid,
        run_name: i.run_name,
        experiment_id: String(i.experiment_id),
        status: i.status,
        context: i.context,
        input_name: i.name,
      })),
      model_versions: models.map((m) => ({ name: m.name, version: String(m.version), run_id: m.run_id, status: m.status })),
    };
  }

  /** The dataset versions a model version was trained on (context 'training' first; any input otherwise). */
  async trainingVersionsOf(name: string, version: number): Promise<{ dataset: string; version: number }[]> {
    const mv = await this.repo.modelVersion(name, version);
    if (!mv?.run_id) return [];
    const inputs = await this.repo.inputsOfRun(mv.run_id);
    const training = inputs.filter((i) => (i.context ?? '').toLowerCase() === 'training' || (i.context ?? '').toLowerCase() === 'train');
    const out: { dataset: string; version: number }[] = [];
    for (const i of training.length > 0 ? training : inputs)
      for (const v of await this.repo.versionsForDigest(i.digest)) out.push({ dataset: v.dataset, version: Number(v.version) });
    return out;
  }
}
