/** Experiments and runs, over MLflow's REST API (/api/2.0/mlflow/...). */
import type { Static, TSchema } from '@sinclair/typebox';
import type { OperationSpec } from '../contract/operation.js';
import * as C from '../contract/tracking.js';
import type { HttpClient } from './http.js';
import type {
  ArtifactListing,
  DatasetInput,
  Experiment,
  KeyValue,
  Metric,
  MetricInput,
  Run,
  RunInfo,
  RunStatus,
  SearchExperimentsResponse,
  SearchRunsResponse,
} from './tracking-types.js';

/** JSON has no NaN or Infinity: MLflow writes non-finite metric values as strings. */
function metricValue(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  return v;
}

type BodyOf<S extends OperationSpec> = S['body'] extends TSchema ? Static<S['body']> : never;
type SearchExperimentsBody = BodyOf<typeof C.searchExperiments.spec>;
type SearchRunsBody = BodyOf<typeof C.searchRuns.spec>;
type CreateRunBody = BodyOf<typeof C.createRun.spec>;
type LogBatchBody = BodyOf<typeof C.logBatch.spec>;

/** searchExperiments' body, camel-cased. */
export interface SearchExperimentsOptions {
  /** e.g. `name LIKE 'churn%'` or `tags.team = 'ml'`. */
  filter?: SearchExperimentsBody['filter'];
  maxResults?: SearchExperimentsBody['max_results'];
  /** e.g. ['name ASC', 'creation_time DESC']. */
  orderBy?: SearchExperimentsBody['order_by'];
  pageToken?: SearchExperimentsBody['page_token'];
  viewType?: SearchExperimentsBody['view_type'];
}

/** searchRuns' body, camel-cased. */
export interface SearchRunsOptions {
  experimentIds: NonNullable<SearchRunsBody['experiment_ids']>;
  /** MLflow's run filter, e.g. `metrics.rmse < 0.8 and params.alpha = '0.5'`. */
  filter?: SearchRunsBody['filter'];
  /** e.g. ['metrics.rmse ASC', 'start_time DESC']. */
  orderBy?: SearchRunsBody['order_by'];
  maxResults?: SearchRunsBody['max_results'];
  pageToken?: SearchRunsBody['page_token'];
  viewType?: SearchRunsBody['run_view_type'];
}

/** createRun's body, camel-cased (start time defaults to now). */
export interface CreateRunOptions {
  experimentId: NonNullable<CreateRunBody['experiment_id']>;
  runName?: CreateRunBody['run_name'];
  startTime?: CreateRunBody['start_time'];
  userId?: CreateRunBody['user_id'];
  tags?: CreateRunBody['tags'];
}

/** logBatch's body without the run id; metrics as MetricInput (defaults for timestamp and step, any JS number). */
export interface LogBatchInput {
  metrics?: MetricInput[];
  params?: LogBatchBody['params'];
  tags?: LogBatchBody['tags'];
}

/** Collects every page of a paged search. */
export async function allPages<R, T>(
  fetchPage: (pageToken: string | undefined) => Promise<R & { next_page_token?: string }>,
  items: (page: R) => T[],
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    out.push(...items(page));
    token = page.next_page_token || undefined;
  } while (token);
  return out;
}

export class ExperimentsApi {
  constructor(private readonly http: HttpClient) {}

  /** One page of experiments. */
  search(opts: SearchExperimentsOptions = {}): Promise<SearchExperimentsResponse> {
    return this.http
      .call(C.searchExperiments, {
        body: {
          filter: opts.filter,
          max_results: opts.maxResults,
          order_by: opts.orderBy,
          page_token: opts.pageToken,
          view_type: opts.viewType,
        },
      })
      .then((r) => ({ ...r, experiments: r.experiments ?? [] }));
  }

  /** Every experiment matching (all pages). */
  list(opts: Omit<SearchExperimentsOptions, 'pageToken'> = {}): Promise<Experiment[]> {
    return allPages(
      (pageToken) => this.search({ ...opts, pageToken }),
      (p) => p.experiments,
    );
  }

  async get(experimentId: string): Promise<Experiment> {
    return (await this.http.call(C.getExperiment, { query: { experiment_id: experimentId } })).experiment;
  }

  async getByName(name: string): Promise<Experiment> {
    return (await this.http.call(C.getExperimentByName, { query: { experiment_name: name } })).experiment;
  }

  /** Creates an experiment and returns its id. */
  async create(name: string, opts: { artifactLocation?: string; tags?: KeyValue[] } = {}): Promise<string> {
    const res = await this.http.call(C.createExperiment, { body: { name, artifact_location: opts.artifactLocation, tags: opts.tags } });
    return res.experiment_id;
  }
}

export class RunsApi {
  constructor(private readonly http: HttpClient) {}

  /** One page of runs. */
  search(opts: SearchRunsOptions): Promise<SearchRunsResponse> {
    return this.http
      .call(C.searchRuns, {
        body: {
          experiment_ids: opts.experimentIds,
          filter: opts.filter,
          order_by: opts.orderBy,
          max_results: opts.maxResults,
          page_token: opts.pageToken,
          run_view_type: opts.viewType,
        },
      })
      .then((r) => ({ ...r, runs: r.runs ?? [] }));
  }

  async get(runId: string): Promise<Run> {
    return (await this.http.call(C.getRun, { query: { run_id: runId } })).run;
  }

  async create(opts: CreateRunOptions): Promise<Run> {
    const res = await this.http.call(C.createRun, {
      body: {
        experiment_id: opts.experimentId,
        run_name: opts.runName,
        start_time: opts.startTime ?? Date.now(),
        user_id: opts.userId,
        tags: opts.tags,
      },
    });
    return res.run;
  }

  /** Logs metrics, params and tags in one call (metric timestamps default to now, steps to 0). */
  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    const now = Date.now();
    await this.http.call(C.logBatch, {
      body: {
        run_id: runId,
        metrics: (batch.metrics ?? []).map((m) => ({ ...m, value: metricValue(m.value), timestamp: m.timestamp ?? now, step: m.step ?? 0 })),
        params: batch.params ?? [],
        tags: batch.tags ?? [],
      },
    });
  }

  /** Links datasets (training data, evaluation data) to a run, as mlflow.log_input does. */
  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    await this.http.call(C.logInputs, { body: { run_id: runId, datasets } });
  }

  /**
   * One metric's history: up to `maxResults` points (default: every point, page after page). `truncated`
   * says more exist than were read, for callers that bound what they draw.
   */
  async metricHistory(runId: string, key: string, opts: { maxResults?: number } = {}): Promise<{ metrics: Metric[]; truncated: boolean }> {
    const page = (token: string | undefined) =>
      this.http.call(C.getMetricHistory, { query: { run_id: runId, metric_key: key, max_results: opts.maxResults, page_token: token } });
    if (opts.maxResults !== undefined) {
      const res = await page(undefined);
      return { metrics: res.metrics ?? [], truncated: Boolean(res.next_page_token) };
    }
    return { metrics: await allPages(page, (p) => p.metrics ?? []), truncated: false };
  }

  /** A run's artifacts directly under `path` (the root when absent). */
  async listArtifacts(runId: string, path?: string): Promise<ArtifactListing> {
    const res = await this.http.call(C.listArtifacts, { query: { run_id: runId, path: path || undefined } });
    return { root_uri: res.root_uri, files: res.files ?? [] };
  }

  /** Sets a run's status (and end time: now, when the status is terminal and none is given). */
  async update(runId: string, opts: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    const terminal = opts.status === 'FINISHED' || opts.status === 'FAILED' || opts.status === 'KILLED';
    const res = await this.http.call(C.updateRun, {
      body: {
        run_id: runId,
        status: opts.status,
        end_time: opts.endTime ?? (terminal ? Date.now() : undefined),
        run_name: opts.runName,
      },
    });
    return res.run_info;
  }
}
