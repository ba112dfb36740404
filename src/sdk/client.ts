/**
 * FerryClient: the typed entry point to a Ferry server.
 *
 *   const ferry = new FerryClient({ url: 'http://127.0.0.1:5050', token: process.env.FERRY_TOKEN });
 *   const runs = await ferry.runs.search({ experimentIds: ['1'], filter: "metrics.rmse < 0.8" });
 *
 * Options default to $FERRY_URL (else http://127.0.0.1:5050) and $FERRY_TOKEN.
 */
import { AbTestsApi } from './abtests-api.js';
import { AlertsApi } from './alerts-api.js';
import { CardsApi } from './cards-api.js';
import { ConversionsApi } from './conversions-api.js';
import { ApprovalsApi } from './approvals-api.js';
import { FairnessApi } from './fairness-api.js';
import { ClusterApi } from './cluster-api.js';
import { DataApi } from './data-api.js';
import { ExplainApi } from './explain-api.js';
import { audit, type AuditOptions, TokensApi, whoami } from './auth-api.js';
import { DeploymentsApi } from './deployments-api.js';
import { type ClientOptions, HttpClient } from './http.js';
import { JobsApi } from './jobs-api.js';
import { LoopsApi } from './loops-api.js';
import { MonitoringApi } from './monitoring-api.js';
import { ModelVersionsApi, RegisteredModelsApi } from './registry-api.js';
import { StreamsApi } from './streams-api.js';
import { ExperimentsApi, RunsApi } from './tracking-api.js';
import type { AuditResponse, WhoAmI } from './types.js';

export class FerryClient {
  /** The low-level HTTP client (for endpoints the typed methods do not cover yet). */
  readonly http: HttpClient;
  readonly experiments: ExperimentsApi;
  readonly runs: RunsApi;
  readonly models: RegisteredModelsApi;
  readonly modelVersions: ModelVersionsApi;
  readonly tokens: TokensApi;
  readonly deployments: DeploymentsApi;
  readonly monitoring: MonitoringApi;
  readonly alerts: AlertsApi;
  readonly data: DataApi;
  readonly jobs: JobsApi;
  /** A/B tests between a deployment's model versions, and outcome events. */
  readonly abtests: AbTestsApi;
  /** Loops: retrain, gate, shadow, canary and promote a deployment's model, every step explained. */
  readonly loops: LoopsApi;
  /** The replicas serving this Ferry and who runs each once-per-cluster task. */
  readonly cluster: ClusterApi;
  /** Model cards generated from stored facts, their authored fields, and the validation report. */
  readonly cards: CardsApi;
  /** Approval gates per alias: policies, decisions on a version, the gate's status and record. */
  readonly approvals: ApprovalsApi;
  /** Explanations: Shapley values of a deployment's or a model version's predictions, and global importance. */
  readonly explain: ExplainApi;
  /** Fairness: stored offline reports of a model version on a dataset version, and live fairness of a deployment. */
  readonly fairness: FairnessApi;
  /** ONNX conversions of model versions logged with sklearn, xgboost or lightgbm flavors. */
  readonly conversions: ConversionsApi;
  /** Stream bindings: deployments consuming Kafka topics, Redis streams or NATS subjects. */
  readonly streams: StreamsApi;

  constructor(opts: ClientOptions = {}) {
    this.http = new HttpClient(opts);
    this.experiments = new ExperimentsApi(this.http);
    this.runs = new RunsApi(this.http);
    this.models = new RegisteredModelsApi(this.http);
    this.modelVersions = new ModelVersionsApi(this.http);
    this.tokens = new TokensApi(this.http);
    this.deployments = new DeploymentsApi(this.http);
    this.streams = new StreamsApi(this.http);
    this.monitoring = new MonitoringApi(this.http);
    this.alerts = new AlertsApi(this.http);
    this.data = new DataApi(this.http);
    this.jobs = new JobsApi(this.http);
    this.abtests = new AbTestsApi(this.http);
    this.loops = new LoopsApi(this.http);
    this.cluster = new ClusterApi(this.http);
    this.cards = new CardsApi(this.http);
    this.approvals = new ApprovalsApi(this.http);
    this.explain = new ExplainApi(this.http);
    this.fairness = new FairnessApi(this.http);
    this.conversions = new ConversionsApi(this.http);
  }

  /** The server's base URL, without a trailing slash. */
  get url(): string {
    return this.http.url;
  }

  /** Who the token belongs to, and its role. */
  whoami(): Promise<WhoAmI> {
    return whoami(this.http);
  }

  /** A page of the audit log, newest first. Needs admin. */
  audit(opts: AuditOptions = {}): Promise<AuditResponse> {
    return audit(this.http, opts);
  }
}
