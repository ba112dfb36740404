import type { FastifyInstance } from 'fastify';
import type { ArtifactStore } from '../../artifacts/index.js';
import { InvalidParameterError } from '../../errors.js';
import { optString } from '../../fields.js';
import type { RegistryService } from '../../registry/index.js';
import { parseFeatureList, registerOnnx } from './model-upload.js';

/** POST /api/v1/models/:name/versions with an .onnx file as the body (any content type), bounded in size. */
export async function registerModelUploadRoute(app: FastifyInstance, deps: { registry: RegistryService; artifacts: ArtifactStore; maxBytes: number }): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxBytes }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/v1/models/:name/versions',
      { config: { role: 'editor', style: 'native' }, bodyLimit: deps.maxBytes, schema: { summary: 'Register an .onnx file as a new model version (checked before it is stored)', tags: ['registry'] } },
      async (req) => {
        const { name } = req.params as { name: string };
        if (!/^[\w.\- ]{1,256}$/.test(name)) throw new InvalidParameterError('name', `Invalid model name '${name}'.`);
        const body = req.body as Buffer | undefined;
        if (!body || body.length === 0) throw new InvalidParameterError('body', 'Send the .onnx file as the request body.');
        const q = req.query as Record<string, unknown>;
        const features = parseFeatureList(optString(q, 'features'));
        const description = optString(q, 'description');
        return registerOnnx(deps, { name, bytes: new Uint8Array(body.buffer, body.byteOffset, body.length), userId: req.principal.name, ...(features ? { features } : {}), ...(description ? { description } : {}) });
      },
    );
  });
}
