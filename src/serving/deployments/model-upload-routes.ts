import type { FastifyInstance, FastifySchema } from 'fastify';
import type { ArtifactStore } from '../../artifacts/index.js';
import type { Operation, RequestOf, ResponseOf } from '../../contract/index.js';
import { registerOnnxModel } from '../../contract/registry.js';
import { InvalidParameterError } from '../../errors.js';
import type { RegistryService } from '../../registry/index.js';
import { parseFeatureList, registerOnnx } from './model-upload.js';

type Spec = typeof registerOnnxModel.spec;

/**
 * POST /api/v1/models/:name/versions with an .onnx file as the body (any content type), bounded in size.
 * Registered here rather than through the JSON route table because its body is raw bytes; `schemaOf` (the
 * server's) validates the name and query from the contract and documents the operation.
 */
export async function registerModelUploadRoute(
  app: FastifyInstance,
  deps: { registry: RegistryService; artifacts: ArtifactStore; maxBytes: number },
  schemaOf: (op: Operation) => FastifySchema,
): Promise<void> {
  const op = registerOnnxModel;
  // What the server's hooks read: the operation (contract check, OpenAPI), the least role and the error style.
  const config = { op, role: op.spec.access, style: op.spec.style };
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxBytes }, (_req, body, done) => done(null, body));
    scope.post<{ Params: RequestOf<Spec>['params']; Querystring: RequestOf<Spec>['query'] }, typeof config>(
      op.spec.path,
      { config, bodyLimit: deps.maxBytes, schema: schemaOf(op) },
      async (req): Promise<ResponseOf<Spec>> => {
        const { name } = req.params;
        const body = req.body as Buffer | undefined;
        if (!body || body.length === 0) throw new InvalidParameterError('body', 'Send the .onnx file as the request body.');
        const features = parseFeatureList(req.query.features);
        const description = req.query.description;
        return registerOnnx(deps, {
          name,
          bytes: new Uint8Array(body.buffer, body.byteOffset, body.length),
          userId: req.principal.name,
          ...(features ? { features } : {}),
          ...(description ? { description } : {}),
        });
      },
    );
  });
}
