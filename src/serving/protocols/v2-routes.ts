/**
 * The Open Inference Protocol (KServe v2 / Triton) REST endpoints. A "model" here is a deployment: its
 * traffic split applies; /versions/{v} addresses one model version of it directly.
 */
import { type ApiRoute, RawResponse, route } from '../../api-route.js';
import * as C from '../../contract/inference-v2.js';
import { NotFoundError } from '../../errors.js';
import type { DeploymentRuntime } from '../deployments/deployment-runtime.js';
import type { DeploymentService } from '../deployments/deployment-service.js';
import { HEADER_LENGTH } from './v2-binary.js';
import { modelMetadataV2, v2Answer, v2RequestToFeeds } from './v2-codec.js';
import type { V2Request } from './v2-codec.js';

export function v2Routes(svc: DeploymentService, runtime: DeploymentRuntime, maxRows: number, serverVersion: string): ApiRoute[] {
  const metadata = async (name: string, version?: string) => {
    await svc.get(name);
    const routes = runtime.liveRoutes(name);
    const versions = [...new Set(routes.map((r) => r.version))];
    const route = version === undefined ? routes[0]! : routes.find((r) => r.version === version);
    if (!route) throw new NotFoundError(`Deployment '${name}' does not serve model version ${version}.`);
    return modelMetadataV2(name, versions, route.pool.signature);
  };
  const ready = async (name: string, version?: string) => {
    await svc.get(name);
    const ok = runtime.isReady(name) && (version === undefined || runtime.liveRoutes(name).some((r) => r.version === version));
    return { name, ready: ok };
  };
  const infer = async (body: unknown, requestId: string | undefined, name: string, version?: string) => {
    let parsed: V2Request | undefined;
    const params = (body as { parameters?: Record<string, unknown> } | null)?.parameters;
    const key = runtime.stickyKey(name);
    const sticky = key && params && params[key] !== undefined ? String(params[key]) : undefined;
    const res = await runtime.infer(
      name,
      'v2',
      (route) => {
        const p = v2RequestToFeeds(body, route.pool.signature, maxRows);
        parsed ??= p;
        return { feeds: p.feeds, rows: p.rows };
      },
      { sticky, version, requestId },
    );
    const { response, chunks } = v2Answer(res.outputs, {
      modelName: name,
      modelVersion: res.route.version,
      requestId: res.requestId,
      // The protocol echoes the body's `id` when it has one; otherwise the request's id (X-Request-Id) names it.
      // Feedback goes by parameters.request_id, which is always the request's id.
      id: parsed?.id ?? res.requestId,
      requested: parsed?.requestedOutputs,
      binary: parsed?.binaryOutputs,
    });
    if (chunks.length === 0) return response;
    const json = Buffer.from(JSON.stringify(response));
    return new RawResponse('application/octet-stream', Buffer.concat([json, ...chunks]), undefined, { [HEADER_LENGTH]: String(json.length) });
  };
  // The infer bodies are read by the protocol's codec against the model's signature (the hot path), not by the
  // schema validator; `fields` is the parsed JSON body, its binary tensors riding along under V2_BINARY.
  return [
    route(C.v2ServerMetadata, async () => ({ name: 'ferry', version: serverVersion, extensions: ['binary_tensor_data'] })),
    route(C.v2ModelMetadata, async ({ params }) => metadata(params.name)),
    route(C.v2ModelVersionMetadata, async ({ params }) => metadata(params.name, params.version)),
    route(C.v2ModelReady, async ({ params }) => ready(params.name)),
    route(C.v2ModelVersionReady, async ({ params }) => ready(params.name, params.version)),
    route(C.v2ModelInfer, async ({ params, fields }, ctx) => infer(fields, ctx.requestId, params.name), { audit: 'none' }),
    route(C.v2ModelVersionInfer, async ({ params, fields }, ctx) => infer(fields, ctx.requestId, params.name, params.version), { audit: 'none' }),
  ];
}
