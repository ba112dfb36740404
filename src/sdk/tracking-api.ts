/** Experiments and runs, over MLflow's REST API (/api/2.0/mlflow/...). */
import type { ResponseOf } from '../contract/operation.js';
import * as C from '../contract/tracking.js';
import { compact, type HttpClient } from './http.js';
import type {
  ArtifactListing, DatasetInput, Experiment, KeyValue, Metric, MetricInput, Run, RunInfo, RunStatus, SearchExperimentsResponse, SearchRunsResponse, ViewType,
} from './tracking-types.js';

/** JSON has no NaN or Infinity: MLflow writes non-finite metric values as strings. */
function metricValue(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  return v;
}

export interface SearchExperimentsOptions {
  /** e.g. `name LIKE 'churn%'` or `tags.team = 'ml'`. */
  filter?: string;
  maxResults?: number;
  /** e.g. ['name ASC', 'creation_time DESC']. */
  orderBy?: string[];
  pageToken?: string;
  viewType?: ViewType;
}

export interface SearchRunsOptions {
  experimentIds: string[];
  /** MLflow's run filter, e.g. `metrics.rmse < 0.8 and params.alpha = '0.5'`. */
  filter?: string;
  /** e.g. ['metrics.rmse ASC', 'start_time DESC']. */
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
  viewType?: ViewType;
}

export interface CreateRunOptions {
  experimentId: string;
  runName?: string;
  startTime?: number;
  userId?: string;
  tags?: KeyValue[];
}

export interface LogBatchInput {
  metrics?: MetricInput[];
  params?: KeyValue[];
  tags?: KeyValue[];
}

/** Collects every page of a paged search. */
export async function allPages<R, T>(fetchPage: (pageToken: string | undefined) => Promise<R & { next_page_token?: string }>, items: (page: R) => T[]): Promise<T[]> {
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
    return this.http.post<SearchExperimentsResponse>(C.searchExperiments.spec.path, compact({
      filter: opts.filter,
      max_results: opts.maxResults,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
      view_type: opts.viewType,
    })).then((r) => ({ ...r, experiments: r.experiments ?? [] }));
  }

  /** Every experiment matching (all pages). */
  list(opts: Omit<SearchExperimentsOptions, 'pageToken'> = {}): Promise<Experiment[]> {
    return allPages((pageToken) => this.search({ ...opts, pageToken }), (p) => p.experiments);
  }

  async get(experimentId: string): Promise<Experiment> {
    return (await this.http.get<ResponseOf<typeof C.getExperiment.spec>>(C.getExperiment.spec.path, { experiment_id: experimentId })).experiment;
  }

  async getByName(name: string): Promise<Experiment> {
    return (await this.http.get<ResponseOf<typeof C.getExperimentByName.spec>>(C.getExperimentByName.spec.path, { experiment_name: name })).experiment;
  }

  /** Creates an experiment and returns its id. */
  async create(name: string, opts: { artifactLocation?: string; tags?: KeyValue[] } = {}): Promise<string> {
    const res = await this.http.post<ResponseOf<typeof C.createExperiment.spec>>(C.createExperiment.spec.path, compact({ name, artifact_location: opts.artifactLocation, tags: opts.tags }));
    return res.experiment_id;
  }
}

export class RunsApi {
  constructor(private readonly http: HttpClient) {}

  /** One page of runs. */
  search(opts: SearchRunsOptions): Promise<SearchRunsResponse> {
    return this.http.post<SearchRunsResponse>(C.searchRuns.spec.path, compact({
      experiment_ids: opts.experimentIds,
      filter: opts.filter,
      order_by: opts.orderBy,
      max_results: opts.maxResults,
      page_token: opts.pageToken,
      run_view_type: opts.viewType,
    })).then((r) => ({ ...r, runs: r.runs ?? [] }));
  }

  async get(runId: string): Promise<Run> {
    return (await this.http.get<ResponseOf<typeof C.getRun.spec>>(C.getRun.spec.path, { run_id: runId })).run;
  }

  async create(opts: CreateRunOptions): Promise<Run> {
    const res = await this.http.post<ResponseOf<typeof C.createRun.spec>>(C.createRun.spec.path, compact({
      experiment_id: opts.experimentId,
      run_name: opts.runName,
      start_time: opts.startTime ?? Date.now(),
      user_id: opts.userId,
      tags: opts.tags,
    }));
    return res.run;
  }

  /** Logs metrics, params and tags in one call (metric timestamps default to now, steps to 0). */
  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    const now = Date.now();
    await this.http.post(C.logBatch.spec.path, {
      run_id: runId,
      metrics: (batch.metrics ?? []).map((m) => ({ ...m, value: metricValue(m.value), timestamp: m.timestamp ?? now, step: m.step ?? 0 })),
      params: batch.params ?? [],
      tags: batch.tags ?? [],
    });
  }

  /** Links datasets (training data, evaluation data) to a run, as mlflow.log_input does. */
  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    await this.http.post(C.logInputs.spec.path, { run_id: runId, datasets });
  }

  /**
   * One metric's history: up to `maxResults` points (default: every point, page after page). `truncated`
   * says more exist than were read, for callers that bound what they draw.
   */
  async metricHistory(runId: string, key: string, opts: { maxResults?: number } = {}): Promise<{ metrics: Metric[]; truncated: boolean }> {
    const page = (token: string | undefined) =>
      this.http.get<ResponseOf<typeof C.getMetricHistory.spec>>(C.getMetricHistory.spec.path, compact({ run_id: runId, metric_key: key, max_results: opts.maxResults, page_token: token }));
    if (opts.maxResults !== undefined) {
      const res = await page(undefined);
      return { metrics: res.metrics ?? [], truncated: Boolean(res.next_page_token) };
    }
    return { metrics: await allPages(page, (p) => p.metrics ?? []), truncated: false };
  }

  /** A run's artifacts directly under `path` (the root when absent). */
  async listArtifacts(runId: string, path?: string): Promise<ArtifactListing> {
    const res = await this.http.get<ArtifactListing>(C.listArtifacts.spec.path, compact({ run_id: runId, path: path || undefined }));
    return { root_uri: res.root_uri, files: res.files ?? [] };
  }

  /** Sets a run's status (and end time: now, when the status is terminal and none is given). */
  async update(runId: string, opts: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    const terminal = opts.status === 'FINISHED' || opts.status === 'FAILED' || opts.status === 'KILLED';
    const res = await this.http.post<ResponseOf<typeof C.updateRun.spec>>(C.updateRun.spec.path, compact({
      run_id: runId,
      status: opts.status,
      end_time: opts.endTime ?? (terminal ? Date.now() : undefined),
      run_name: opts.runName,
    }));
    return res.run_info;
  }
}
