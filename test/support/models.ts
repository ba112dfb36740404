/** Registers a committed fixture model (test/fixtures/models) as a model version, through the public API. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TestApp } from './app.js';

export const fixture = (name: string) => new URL(`../fixtures/models/${name}`, import.meta.url);
export const expectedOf = (name: string) => JSON.parse(readFileSync(fixture(`${name}.expected.json`), 'utf8'));

export async function registerFixture(t: TestApp, model: string, file: string): Promise<string> {
  const path = `uploads/${randomUUID()}/model.onnx`;
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/2.0/mlflow-artifacts/artifacts/${path}`,
    headers: { ...t.auth, 'content-type': 'application/octet-stream' },
    payload: readFileSync(fixture(file)),
  });
  if (put.statusCode !== 200) throw new Error(`upload failed: ${put.body}`);
  await t.call('POST', '/api/2.0/mlflow/registered-models/create', { name: model }); // may already exist
  const res = await t.call('POST', '/api/2.0/mlflow/model-versions/create', { name: model, source: `mlflow-artifacts:/${path}` });
  if (res.status !== 200) throw new Error(`register failed: ${JSON.stringify(res.body)}`);
  return res.body.model_version.version as string;
}
