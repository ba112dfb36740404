import { describe, expect, it } from 'vitest';
import type { DatasetInput } from '../../../../src/sdk/index.js';
import { artifactDownloadPath, baseName, breadcrumbs } from './artifact-paths.js';
import { ferryDatasetRef, inputContext, sourceUrl } from './dataset-ref.js';

const input = (over: Partial<DatasetInput['dataset']> = {}, tags: DatasetInput['tags'] = []): DatasetInput => ({
  tags,
  dataset: { name: 'train', digest: 'ABCDEF0123456789', source_type: 'http', source: '', ...over },
});

describe('artifact paths', () => {
  it('maps a run root and a relative path onto the artifact proxy, encoding each segment', () => {
    expect(artifactDownloadPath('mlflow-artifacts:/1/abc/artifacts', 'model/MLmodel')).toBe(
      '/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model/MLmodel',
    );
    expect(artifactDownloadPath('mlflow-artifacts:/1/abc/artifacts/', 'a b/c#d.txt')).toBe(
      '/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a%20b/c%23d.txt',
    );
    expect(artifactDownloadPath('s3://bucket/x', 'a.txt')).toBeNull();
    expect(artifactDownloadPath('mlflow-artifacts:/1/abc', '../x')).toBeNull();
  });

  it('builds breadcrumbs and base names', () => {
    expect(breadcrumbs('')).toEqual([{ label: 'artifacts', path: '' }]);
    expect(breadcrumbs('a/b')).toEqual([
      { label: 'artifacts', path: '' },
      { label: 'a', path: 'a' },
      { label: 'b', path: 'a/b' },
    ]);
    expect(baseName('model/model.onnx')).toBe('model.onnx');
  });
});

describe('dataset inputs', () => {
  it('links by digest under the input name, or the name in a Ferry source URL', () => {
    expect(ferryDatasetRef(input())).toEqual({ name: 'train', ref: 'sha256:abcdef0123456789' });
    const src = JSON.stringify({ url: 'http://h:5050/api/v1/datasets/credit-risk/versions/2/file' });
    expect(ferryDatasetRef(input({ source: src }))).toEqual({ name: 'credit-risk', ref: 'sha256:abcdef0123456789' });
  });

  it('does not link digests the data API cannot name', () => {
    expect(ferryDatasetRef(input({ digest: 'abc' }))).toBeNull();
    expect(ferryDatasetRef(input({ digest: 'not-hex-at-all' }))).toBeNull();
  });

  it('reads sources and contexts', () => {
    expect(sourceUrl('{"uri": "s3://b/k"}')).toBe('s3://b/k');
    expect(sourceUrl('plain text')).toBe('plain text');
    expect(inputContext(input({}, [{ key: 'mlflow.data.context', value: 'training' }]))).toBe('training');
  });
});
