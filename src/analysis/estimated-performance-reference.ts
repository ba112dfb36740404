/**
 * The labelled reference CBPE is fitted on: a dataset version with a label column (named, or the training data of
 * the serving model version from lineage), scored by that model version, so the probabilities and predicted labels
 * are the model's own. The fitted estimator is kept in memory, keyed by what determines it (model version, dataset
 * version, label, outputs, calibration) — all immutable, and the fit is seeded — so every replica and every restart
 * fits the same estimator, and nothing is stored.
 */
import type { Static } from '@sinclair/typebox';
import type { EstimatedReference } from '../contract/estimated-performance.js';
import { type DatasetService, type LineageService, parseDatasetRef, readTableRows } from '../data/index.js';
import { InvalidParameterError, NotFoundError } from '../errors.js';
import { type ModelLoader, scoreVersion, versionSignature } from '../serving/index.js';
import { type CbpeCalibration, type CbpeFitted, cbpeFit } from '../stats/index.js';

/**
 * Reference rows read, scored and held while fitting. The fit runs on the request's thread once per cache key
 * (about 2.5 s at this size on one core; the calibration splits and the 50 average-precision resamples dominate).
 */
export const MAX_REFERENCE_ROWS = 100_000;
/** Fitted estimators kept (least recently used dropped first). */
const CACHE_SIZE = 32;

export interface ReferenceSpec {
  model: string;
  version: string;
  /** NAME@VERSION; absent: the training data of model/version. */
  dataset?: string;
  label?: string;
  calibration: CbpeCalibration;
  prediction?: string;
  probability?: string;
}

export interface FittedReference {
  fitted: CbpeFitted;
  reference: Static<typeof EstimatedReference>;
}

export interface ReferenceDeps {
  datasets: DatasetService;
  lineage: Pick<LineageService, 'trainingVersionsOf'>;
  loader: ModelLoader;
  clock: () => number;
}

const isScalar = (v: unknown): v is number | boolean | string => typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string';
const scalarOf = (v: unknown): unknown => (Array.isArray(v) && v.length === 1 ? v[0] : v);

/** A binary label: 0/1 or false/true (also as text in a CSV); null for a missing one; undefined for anything else. */
export function binaryOf(raw: unknown): 0 | 1 | null | undefined {
  const v = scalarOf(raw);
  if (v === null || v === undefined || v === '') return null;
  if (v === 0 || v === false || v === '0' || v === 'false') return 0;
  if (v === 1 || v === true || v === '1' || v === 'true') return 1;
  return undefined;
}

/** The output read as the predicted label: the named one, else the first scalar output (skl2onnx's `label`). */
export function predictionOutputOf(outputs: Record<string, unknown>, named: string | undefined): string | null {
  if (named !== undefined) return Object.hasOwn(outputs, named) ? named : null;
  for (const [k, v] of Object.entries(outputs)) if (isScalar(scalarOf(v))) return k;
  return null;
}

/** The output read as P(class 1): the named one (a number, or two probabilities), else the first pair of probabilities. */
export function probabilityOutputOf(outputs: Record<string, unknown>, named: string | undefined): string | null {
  if (named !== undefined) return Object.hasOwn(outputs, named) ? named : null;
  for (const [k, v] of Object.entries(outputs)) if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return k;
  return null;
}

/** P(class 1) from an output value: [p0, p1] (the model's sorted classes 0, 1), {0: p0, 1: p1} (ZipMap), or p itself. */
export function probabilityOf(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) {
    if (v.length === 2 && typeof v[1] === 'number') return v[1];
    if (v.length === 1 && typeof v[0] === 'number') return v[0];
    return null;
  }
  if (v && typeof v === 'object') {
    const p = (v as Record<string, unknown>)['1'];
    return typeof p === 'number' ? p : null;
  }
  return null;
}

export class ReferenceCache {
  private readonly fits = new Map<string, Promise<FittedReference>>();

  constructor(private readonly d: ReferenceDeps) {}

  /** The fitted estimator for the spec, fitting it on first use. A failed fit is not kept. */
  async get(spec: ReferenceSpec): Promise<FittedReference> {
    const { name, ref, trainingOf } = await this.datasetOf(spec);
    const row = await this.d.datasets.resolve(name, ref, 'dataset').catch((err: unknown) => {
      if (err instanceof NotFoundError) throw new InvalidParameterError('dataset', err.message);
      throw err;
    });
    if (Number(row.rows) > MAX_REFERENCE_ROWS) {
      throw new InvalidParameterError(
        'dataset',
        `${row.dataset}@${row.version} has ${row.rows} rows; a CBPE reference has at most ${MAX_REFERENCE_ROWS} (push a sample of it as its own version).`,
      );
    }
    const key = JSON.stringify([
      spec.model,
      spec.version,
      row.dataset,
      Number(row.version),
      spec.label ?? null,
      spec.calibration,
      spec.prediction ?? null,
      spec.probability ?? null,
    ]);
    let p = this.fits.get(key);
    if (p) {
      this.fits.delete(key); // most recently used last
      this.fits.set(key, p);
      return p;
    }
    p = this.fit(spec, row.dataset, Number(row.version), trainingOf);
    this.fits.set(key, p);
    p.catch(() => this.fits.delete(key));
    while (this.fits.size > CACHE_SIZE) this.fits.delete(this.fits.keys().next().value!);
    return p;
  }

  private async datasetOf(spec: ReferenceSpec): Promise<{ name: string; ref: string; trainingOf?: string }> {
    if (spec.dataset !== undefined) {
      const r = parseDatasetRef(spec.dataset, 'dataset');
      return { name: r.name, ref: r.ref };
    }
    const found = await this.d.lineage.trainingVersionsOf(spec.model, Number(spec.version));
    if (found.length === 0) {
      throw new InvalidParameterError(
        'dataset',
        `Model version ${spec.model}/${spec.version} has no training dataset version on record; name a labelled reference with 'dataset' (NAME@VERSION).`,
      );
    }
    return { name: found[0]!.dataset, ref: String(found[0]!.version), trainingOf: `${spec.model}/${spec.version}` };
  }

  private async fit(spec: ReferenceSpec, dataset: string, datasetVersion: number, trainingOf: string | undefined): Promise<FittedReference> {
    const ref = `${dataset}@${datasetVersion}`;
    const opened = await this.d.datasets.open(dataset, String(datasetVersion));
    const chunks: Buffer[] = [];
    for await (const c of opened.stream) chunks.push(c as Buffer);
    const table = await readTableRows(Buffer.concat(chunks), { format: opened.format as 'csv', maxRows: MAX_REFERENCE_ROWS });
    const columns = table.columns.map((c) => c.name);
    const sig = await versionSignature(this.d.loader, spec.model, spec.version);
    const missing = sig.features.filter((f) => !columns.includes(f));
    if (missing.length) throw new InvalidParameterError('dataset', `${ref} lacks the model's inputs ${missing.join(', ')}.`);
    let label = spec.label;
    if (label === undefined) {
      const others = columns.filter((c) => !sig.features.includes(c));
      if (others.length !== 1) {
        throw new InvalidParameterError(
          'label',
          `Name the label column of ${ref} with 'label' (its columns that are not model inputs: ${others.join(', ') || 'none'}).`,
        );
      }
      label = others[0]!;
    } else if (!columns.includes(label)) {
      throw new InvalidParameterError('label', `'label' '${label}' is not a column of ${ref}.`);
    }
    const labelled: { row: Record<string, unknown>; y: 0 | 1 }[] = [];
    let withoutLabel = 0;
    table.rows.forEach((r, i) => {
      const y = binaryOf(r[label]);
      if (y === undefined) {
        throw new InvalidParameterError(
          'label',
          `Row ${i + 1} of ${ref} has label ${JSON.stringify(r[label])}; CBPE here is binary (labels 0/1 or false/true).`,
        );
      }
      if (y === null) withoutLabel++;
      else labelled.push({ row: r, y });
    });
    if (labelled.length < 4) throw new InvalidParameterError('label', `${ref} has ${labelled.length} rows with a label; CBPE needs a labelled reference.`);
    const inputs = labelled.map(({ row }) => Object.fromEntries(sig.features.map((f) => [f, row[f]])));
    const { outputs } = await scoreVersion(this.d.loader, spec.model, spec.version, inputs);
    const first = outputs[0] ?? {};
    const answers = Object.keys(first).join(', ');
    const predictionOutput = predictionOutputOf(first, spec.prediction);
    if (predictionOutput === null) {
      throw new InvalidParameterError(
        'prediction',
        `No output of ${spec.model} version ${spec.version} reads as the predicted label${spec.prediction ? ` ('${spec.prediction}')` : ''}; it answers ${answers}.`,
      );
    }
    const probabilityOutput = probabilityOutputOf(first, spec.probability);
    if (probabilityOutput === null) {
      throw new InvalidParameterError(
        'probability',
        `No output of ${spec.model} version ${spec.version} reads as class probabilities${spec.probability ? ` ('${spec.probability}')` : ''}; it answers ${answers}. CBPE needs the model's probabilities.`,
      );
    }
    const yPred = outputs.map((o, i) => {
      const v = binaryOf(o[predictionOutput]);
      if (v === undefined || v === null)
        throw new InvalidParameterError(
          'prediction',
          `Output '${predictionOutput}' of reference row ${i + 1} is ${JSON.stringify(o[predictionOutput])}, not a 0/1 label.`,
        );
      return v;
    });
    const yProba = outputs.map((o, i) => {
      const p = probabilityOf(o[probabilityOutput]);
      if (p === null || !(p >= 0 && p <= 1))
        throw new InvalidParameterError('probability', `Output '${probabilityOutput}' of reference row ${i + 1} is not a probability in [0, 1].`);
      return p;
    });
    const yTrue = labelled.map((l) => l.y);
    const fitted = cbpeFit({ yTrue, yProba, yPred }, { calibration: spec.calibration });
    const c = fitted.calibration;
    return {
      fitted,
      reference: {
        dataset: ref,
        ...(trainingOf ? { training_data_of: trainingOf } : {}),
        label,
        rows: fitted.reference.rows,
        rows_without_label: withoutLabel,
        positives: fitted.reference.positives,
        predicted_positives: fitted.reference.predictedPositives,
        prediction_output: predictionOutput,
        probability_output: probabilityOutput,
        realized: fitted.reference.realized,
        calibration: {
          requested: c.requested,
          method: c.method,
          reason: c.reason,
          ece_before: c.eceBefore,
          ece_after: c.eceAfter,
          reference_roc_auc: c.referenceRocAuc,
        },
        fitted_at: new Date(this.d.clock()).toISOString(),
      },
    };
  }
}
