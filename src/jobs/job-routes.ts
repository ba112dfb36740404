/** HTTP routes of jobs and executors: the contract's operations, each calling the services. */
import { type ApiRoute, RawResponse, route } from '../api-route.js';
import * as C from '../contract/jobs.js';
import type { ExecutorService } from './executor-service.js';
import type { JobService } from './job-service.js';

export function jobRoutes(jobs: JobService, executors: ExecutorService): ApiRoute[] {
  return [
    route(C.getJobProject, async ({ params }) => ({ project: await jobs.getProject(params.digest) })),
    route(C.submitJob, async ({ body }, ctx) => ({ job: await jobs.submit(body, ctx.principal) })),
    route(C.listJobs, async ({ query }) => jobs.list(query)),
    route(C.getJob, async ({ params }) => ({ job: await jobs.get(params.job_id) })),
    route(C.getJobLogs, async ({ params, query }) => jobs.logs(params.job_id, query)),
    route(C.cancelJob, async ({ params }, ctx) => ({ job: await jobs.cancel(params.job_id, ctx.principal) })),
    route(
      C.downloadJobSource,
      async ({ params, query }) => new RawResponse('application/zip', await jobs.sourceZip(params.job_id, query.expires, query.signature), 'project.zip'),
    ),
    route(
      C.downloadProjectSource,
      async ({ params, query }) =>
        new RawResponse('application/zip', await jobs.projectSourceZip(params.digest, query.expires, query.signature), 'project.zip'),
    ),

    route(C.listExecutors, async () => ({ executors: await executors.list() })),
    route(C.getExecutor, async ({ params }) => ({ executor: await executors.get(params.name) })),
    route(C.putExecutor, async ({ params, body }, ctx) => ({ executor: await executors.put(params.name, body, ctx.principal.name) })),
    route(C.deleteExecutor, async ({ params }) => ({ executor: await executors.delete(params.name) })),
  ];
}
