/**
 * Where a run's dataset input lives in Ferry's data capability (pure). Ferry links an MLflow input to a
 * dataset version by digest (the version's sha256 or a prefix of 8+ hex characters); the dataset's name is
 * taken from a Ferry source URL (`…/api/v1/datasets/NAME/versions/REF/file`) when the input has one, else
 * from the input's own name.
 */
import type { DatasetInput } from '../../../../src/sdk/index.js';

export interface FerryDatasetRef {
  name: string;
  /** `sha256:<hex>`: a version selector the data API accepts. */
  ref: string;
}

const SOURCE_RE = /\/api\/v1\/datasets\/([^/?#]+)\/versions\//;

export function ferryDatasetRef(input: DatasetInput): FerryDatasetRef | null {
  const digest = input.dataset.digest.toLowerCase().replace(/^sha256:/, '');
  if (!/^[0-9a-f]{8,64}$/.test(digest)) return null;
  const fromSource = SOURCE_RE.exec(sourceUrl(input.dataset.source));
  let name = input.dataset.name;
  if (fromSource) {
    try {
      name = decodeURIComponent(fromSource[1]!);
    } catch {
      // keep the input's name
    }
  }
  return name ? { name, ref: `sha256:${digest}` } : null;
}

/** MLflow stores a source as JSON (`{"url": "..."}` or `{"uri": ...}`); plain text is taken as is. */
export function sourceUrl(source: string): string {
  try {
    const parsed: unknown = JSON.parse(source);
    if (parsed && typeof parsed === 'object') {
      const o = parsed as Record<string, unknown>;
      for (const k of ['url', 'uri', 'path']) if (typeof o[k] === 'string') return o[k];
    }
  } catch {
    // not JSON
  }
  return source;
}

/** The run's context tag for an input (`mlflow.data.context`: training, validation, ...). */
export function inputContext(input: DatasetInput): string | undefined {
  return input.tags?.find((t) => t.key === 'mlflow.data.context')?.value;
}
