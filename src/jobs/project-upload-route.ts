import type { FastifyInstance, FastifySchema } from 'fastify';
import type { Operation } from '../contract/index.js';
import { uploadJobProject } from '../contract/jobs.js';
import type { JobService } from './job-service.js';

/**
 * POST /api/v1/jobs/projects with a zip as the body. Registered beside the JSON route table because its body
 * is raw bytes (bounded); `schemaOf` (the server's) documents the operation, and the server's hooks
 * authenticate, authorise (config.role), audit and check the answer (config.op).
 */
export async function registerProjectUploadRoute(
  app: FastifyInstance,
  jobs: JobService,
  maxBytes: number,
  schemaOf: (op: Operation) => FastifySchema,
): Promise<void> {
  const op = uploadJobProject;
  const config = { op, role: op.spec.access, style: op.spec.style };
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
    scope.post(op.spec.path, { config, bodyLimit: maxBytes, schema: schemaOf(op) }, async (req, reply) => {
      const body = (req.body as Buffer | undefined) ?? Buffer.alloc(0);
      const { project, created } = await jobs.uploadProject(body, req.principal.name);
      return reply.code(created ? 201 : 200).send({ project });
    });
  });
}
