/**
 * buildApp(deps) wires capabilities into one Fastify app without listening (tests drive it with
 * app.inject()). main.ts is the only file that opens a socket.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ArtifactStore } from './artifacts/index.js';
import { AuditLog, AuthService, authRoutes, SignInLimiter } from './auth/index.js';
import type { FerryConfig } from './config.js';
import { type Data, dataRoutes, registerDataUploadRoutes, startData } from './data/index.js';
import { AlertEngine, alertRoutes } from './alerts/index.js';
import { type AbTests, startAbTests } from './abtests/index.js';
import { type Jobs, jobRoutes, registerProjectUploadRoute, startJobs } from './jobs/index.js';
import { type Loops, startLoops } from './loops/index.js';
import { type Conversions, startConversions } from './convert/index.js';
import { type Fairness, type Monitoring, monitoringRoutes, startExplain, startFairness, startMonitoring } from './analysis/index.js';
import { RegistryService, registryRoutes } from './registry/index.js';
import {
  DeploymentRuntime,
  DeploymentService,
  ModelLoader,
  ServingMetrics,
  deploymentRoutes,
  modelFeatures,
  registerModelUploadRoute,
  scoreRecords,
  StreamBindingService,
  StreamManager,
  StreamMetrics,
  streamConsumerName,
  streamRoutes,
  v2Routes,
} from './serving/index.js';
import { parseTableBody, parseV2Body, registerApiRoutes, TABLE_CONTENT_TYPES } from './server/api-routes.js';
import { installContractCheck, type ContractViolation } from './server/contract-check.js';
import { clientError, frameworkError, installErrorHandling, MAX_PATH_PARAM_LENGTH } from './server/error-handler.js';
import { fastifySchema, installOpenApi, registerApiDocs } from './server/openapi.js';
import { logRequest } from './server/log-redaction.js';
import { genReqId } from './server/request-id.js';
import { installMetrics } from './server/metrics.js';
import { serverRoutes } from './server/server-routes.js';
import { installSecurity } from './server/security.js';
import { signInGuard } from './server/sign-in-guard.js';
import { type Cluster, startCluster } from './cluster/index.js';
import { startEstimatedPerformance } from './analysis/index.js';
import { ApprovalService, approvalRoutes, fairnessFromReports } from './governance/index.js';
import { cardPolicyFromEnv, type Cards, startCards } from './governance/index.js';
import { isFerryError } from './errors.js';
import { registerStateMetrics } from './state-metrics.js';
import { registerStaticUi } from './server/static-ui.js';
import type { Store } from './store/index.js';
import {
  ExperimentService,
  LoggedModelService,
  RunIoService,
  RunService,
  artifactRoutes,
  experimentRoutes,
  loggedModelRoutes,
  registerArtifactStreams,
  runRoutes,
} from './tracking/index.js';

export interface AppDeps {
  config: FerryConfig;
  store: Store;
  artifacts: ArtifactStore;
  /** false in tests that do not want request logs. */
  logger?: boolean | object;
  /** Validate every JSON answer against its response schema (tests, the fuzzer's server); default FERRY_CONTRACT_CHECK=1. */
  contractCheck?: boolean;
  /** Built-in TLS (--tls-cert, --tls-key): the PEM certificate chain and key; absent: plain HTTP. */
  https?: { cert: Buffer; key: Buffer };
}

export const VERSION = '0.1.0';

/** The safety net under the replicas' change messages: every replica reloads deployments this often. */
function clusterReloadMs(): number {
  const ms = Number(process.env['FERRY_CLUSTER_RELOAD_MS']);
  return Number.isInteger(ms) && ms >= 100 ? ms : 10_000;
}

/** A registered route, for tests that walk them all. */
export interface RegisteredRoute {
  method: string;
  url: string;
  /** Needs no token. */
  public: boolean;
  /** Declared by a contract operation (validated, documented, checked). */
  contract: boolean;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store, artifacts } = deps;
  const app = Fastify({
    // Request lines carry no credential: the query's signature/token values are redacted (server/log-redaction.ts).
    logger: deps.logger ?? { level: config.logLevel, redact: ['req.headers.authorization'], serializers: { req: logRequest } },
    // null: plain HTTP (Fastify's https overload takes it so the instance type stays the same either way).
    https: deps.https ?? null,
    bodyLimit: config.bodyLimitBytes,
    // Behind a load balancer, the caller's address (audit rows) comes from X-Forwarded-For of the proxies trusted here.
    trustProxy: config.trustProxy as FastifyServerOptions['trustProxy'],
    // Request ids let a user quote a failing call; they are not secrets. The caller's X-Request-Id when usable,
    // else a fresh UUIDv7 (server/request-id.ts); echoed on every answer.
    requestIdHeader: false,
    genReqId,
    // A path parameter may be long (an artifact path is one); beyond this the router refuses it (frameworkErrors).
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // The router's own refusals (a malformed or over-long URL) in the route family's error style.
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    ajv: {
      // GET fields arrive as strings and lists as repeated keys (MLflow's convention): coerce them to the
      // schema's types; MLflow clients also send int64 as strings in JSON bodies.
      customOptions: { coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false, allowUnionTypes: true, verbose: true },
    },
  });
  // Answers are plain JSON.stringify: a response schema documents and (under the contract check) verifies
  // the answer, but never reshapes it (fast-json-stringify would drop an undeclared field silently).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const contractViolations: ContractViolation[] = (deps.contractCheck ?? process.env['FERRY_CONTRACT_CHECK'] === '1') ? installContractCheck(app) : [];

  // Every registered route, so a test can prove each one refuses an anonymous caller.
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (r) => {
    // Read when asked: a plugin's own onRoute hook (the API reference's) may mark its routes public after this one.
    const cfg = () => r.config as { public?: boolean; op?: unknown } | undefined;
    for (const method of [r.method].flat())
      routes.push({
        method,
        url: r.url,
        get public() {
          return Boolean(cfg()?.public);
        },
        get contract() {
          return Boolean(cfg()?.op);
        },
      });
  });

  const experiments = new ExperimentService(store);
  await experiments.ensureDefault();
  const runs = new RunService(store, experiments);
  const runIo = new RunIoService(store, runs);
  const loggedModels = new LoggedModelService(store, experiments);
  const registry = new RegistryService(store, runs);
  const auth = new AuthService(store);
  const audit = new AuditLog(store);
  const metricsRegistry = installMetrics(app);
  const servingMetrics = new ServingMetrics(metricsRegistry);
  const loader = new ModelLoader(
    registry,
    artifacts,
    { workers: config.inferenceWorkers, intraOpNumThreads: config.intraOpThreads, inlineMaxUs: config.inlineInferenceUs },
    servingMetrics,
  );
  const deployments = new DeploymentService(store, loader);
  const deploymentExists = (name: string) =>
    deployments.get(name).then(
      () => true,
      () => false,
    );
  // Replicas on one store act as one: heartbeats, once-per-cluster tasks, change messages.
  const cluster = await startCluster({
    store,
    metrics: metricsRegistry,
    version: VERSION,
    deploymentExists: async (name) => {
      await deployments.get(name);
    },
    onError: (err, what) => app.log.error({ err }, what),
  });
  const data = startData({ store, artifacts, dataDir: config.dataDir, maxBytes: config.maxArtifactBytes, deploymentExists });
  const monitoring = await startMonitoring({
    store,
    storeUrl: config.storeUrl,
    threadNice: config.monitoringNice,
    // A store in memory does not outlive the process: nothing to journal for.
    ...(config.storeUrl.includes(':memory:') ? {} : { journalDir: `${config.dataDir}/prediction-journal` }),
    metrics: metricsRegistry,
    deploymentExists,
    featuresOf: (name) => {
      const routes = runtime.liveRoutes(name);
      // The version taking most of the traffic stands for the deployment (its training data can be the reference).
      const main = routes.filter((r) => r.weight > 0).sort((a, b) => b.weight - a.weight)[0] ?? routes[0]!;
      return { ...modelFeatures(routes[0]!.pool.signature), model: { name: main.model, version: main.version } };
    },
    scoreReference: (name, rows) => scoreRecords(runtime, name, rows),
    deployments: async () => (await deployments.list()).map((d) => d.name),
    onError: (err, what) => app.log.error({ err }, what),
    data: data.monitoringHooks,
    runOnce: cluster.runOnce,
  });
  const runtime = new DeploymentRuntime(loader, monitoring.log, servingMetrics);
  // A/B tests: running tests are assigned to the runtime again; routed requests' units are recorded as exposures.
  const abtests = await startAbTests({
    store,
    serving: {
      deployment: (name) => deployments.get(name),
      liveRoutes: (name) => runtime.liveRoutes(name),
      setAssignment: (name, a) => {
        if (runtime.setAssignment(name, a)) cluster.bus.publish('abtests', name);
      },
      addObserver: (o) => runtime.addObserver(o),
    },
    piiKey: () => monitoring.service.piiKey(),
    requestUnits: (ids) => monitoring.service.requestUnits(ids),
    feedback: monitoring.service,
    onError: (err, what) => app.log.error({ err }, what),
  });

  await installOpenApi(app, VERSION);
  installErrorHandling(app);
  // The web UI's files (public; ahead of the auth hook, for paths no route matched).
  registerStaticUi(app, { allowedHosts: config.allowedHosts });
  const signInLimits = {
    maxPerAddress: config.authMaxFailuresPerIp,
    maxPerUser: config.authMaxFailuresPerUser,
    windowMs: config.authFailureWindowSeconds * 1000,
  };
  const signIn = signInGuard(new SignInLimiter(signInLimits), metricsRegistry);
  installSecurity(app, { auth, audit, insecureNoAuth: config.insecureNoAuth, allowedHosts: config.allowedHosts, signIn });

  // Health probes (Ferry's and the Open Inference Protocol's, public), MLflow's server-info, Prometheus metrics.
  // Not ready while the deployments recorded before this start load, and from the moment a stop begins.
  const startup = { loading: true };
  const notReady = () => (cluster.draining ? 'The server is shutting down.' : startup.loading ? 'Deployments are still loading.' : null);
  registerApiRoutes(app, serverRoutes({ ping: () => store.ping(), version: VERSION, metrics: metricsRegistry, notReady }));
  registerApiRoutes(app, cluster.routes);
  await registerApiDocs(app);

  registerApiRoutes(app, experimentRoutes(experiments));
  registerApiRoutes(app, runRoutes(runs, runIo));
  registerApiRoutes(app, loggedModelRoutes(loggedModels));
  registerApiRoutes(app, registryRoutes(registry));
  registerApiRoutes(app, authRoutes(auth, audit));
  registerApiRoutes(app, deploymentRoutes(deployments, runtime, config.maxPredictRows));
  app.addContentTypeParser(TABLE_CONTENT_TYPES, { parseAs: 'string' }, parseTableBody);
  registerApiRoutes(app, monitoringRoutes(monitoring.service, monitoring.drift));
  registerApiRoutes(
    app,
    startExplain({
      runtime,
      loader,
      drift: monitoring.drift,
      data: data.monitoringHooks,
      modelBytes: (m, v) => loader.onnxBytes(m, v),
      // Each computed global importance is stored (and audited): the model card's explanations section reads it.
      store,
      audit: (e) => audit.record(e),
    }).routes,
  );
  // Fairness: offline reports of a model version on a dataset version (stored), live fairness from the log.
  const fairness = startFairness({ store, loader, datasets: data.datasets, monitoring: monitoring.service });
  registerApiRoutes(app, fairness.routes);
  // Estimated performance without labels (CBPE, binary): per window from the log, beside realized once labels join.
  const estimated = startEstimatedPerformance({
    store,
    loader,
    datasets: data.datasets,
    lineage: data.lineage,
    monitoring: monitoring.service,
    liveRoutes: (name) => runtime.liveRoutes(name),
  });
  registerApiRoutes(app, estimated.routes);
  registerApiRoutes(app, abtests.routes);
  registerApiRoutes(app, dataRoutes(data.datasets, data.suites, data.lineage));
  // Approval gates per alias: every alias move (the MLflow route, the loops) asks the gate first.
  const approvals = new ApprovalService({ store, audit, registry, runs, lineage: data.lineage });
  registry.guardAliases(approvals);
  registerApiRoutes(app, approvalRoutes(approvals));
  await registerDataUploadRoutes(app, data, fastifySchema);
  await app.register(async (scope) => {
    // Open Inference Protocol clients (tritonclient) send JSON, or JSON then binary tensors, under any content type.
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, parseV2Body);
    registerApiRoutes(scope, v2Routes(deployments, runtime, config.maxPredictRows, VERSION));
  });
  registerApiRoutes(app, artifactRoutes({ artifacts, runs }));
  await registerArtifactStreams(
    app,
    { artifacts, runs, maxArtifactBytes: config.maxArtifactBytes, presignSeconds: config.artifactsPresignSeconds },
    fastifySchema,
  );
  await registerModelUploadRoute(app, { registry, artifacts, maxBytes: Math.min(config.maxArtifactBytes, 2 ** 31 - 1) }, fastifySchema);

  // Alerts: rules evaluated in the background on monitoring's numbers (traffic, quality, drift, performance).
  // Interval: FERRY_ALERT_EVAL_SECONDS (default 30).
  const alertMetrics = abtests.alertMetrics(estimated.alertMetrics(fairness.alertMetrics(monitoring.alertMetrics)));
  const alerts = new AlertEngine(store, alertMetrics, { log: app.log, runOnce: cluster.runOnce });
  registerApiRoutes(app, alertRoutes(alerts));

  // Jobs: MLflow Projects run on executors through the durable queue; the worker starts once the server listens
  // (jobs call back to its URL): main.ts calls app.ferry.jobs.start(url).
  const jobs = startJobs({ store, artifacts, runs, experiments, auth, dataDir: config.dataDir, metrics: metricsRegistry, log: app.log });
  registerApiRoutes(app, jobRoutes(jobs.service, jobs.executors));
  await registerProjectUploadRoute(app, jobs.service, 512 * 1024 ** 2, fastifySchema);
  // ONNX conversions (issue 20): a version logged with its sklearn, xgboost or lightgbm flavor is converted by a job of
  // projects/onnx-convert, at registration and when a deploy loads it (the loader asks; FERRY_CONVERT_* settings).
  const conversions = startConversions({
    store,
    artifacts,
    registry,
    jobs: jobs.service,
    trainingData: (m, v) => data.lineage.trainingVersionsOf(m, Number(v)),
    audit: (e) => audit.record(e),
    log: app.log,
  });
  registerApiRoutes(app, conversions.routes);
  loader.convertWith({ convertedPath: (m, v) => conversions.service.servingPath(m, v) });
  if (conversions.onRegister)
    registry.onVersionCreated(({ name, version, userId }) => {
      void conversions.service
        .onRegistered(name, version, { name: userId, role: 'editor', kind: 'token' })
        .catch((err: unknown) => app.log.warn({ err, model: name, version }, 'conversion at registration not started'));
    });
  conversions.start();
  // Loops: triggers → training job → gate → shadow → canary → promote; the driver starts with the job worker
  // (main.ts calls app.ferry.loops.start()), since a run's training job calls back to the server.
  const loops = startLoops({
    store,
    registry,
    deployments,
    runtime,
    loader,
    jobs: jobs.service,
    datasets: data.datasets,
    alerts,
    abtests: abtests.service,
    metrics: metricsRegistry,
    log: app.log,
  });
  registerApiRoutes(app, loops.routes);
  // Model cards and the validation report (issue 19): generated from the stored facts above. Fairness, explanations,
  // monitoring and approvals sections are providers (cards.service.setProvider), wired as their capabilities land.
  const cards = startCards({
    store,
    registry,
    runs,
    lineage: data.lineage,
    datasets: data.datasets,
    audit,
    policy: cardPolicyFromEnv(process.env),
    monitoring: {
      routesOf: async (name) => (await deployments.get(name)).spec.routes,
      drift: (name, q) => monitoring.drift.drift(name, q),
      performance: (name, q) => monitoring.drift.performance(name, q),
      estimated: async (name, q) =>
        (await estimated.service.estimated(name, {
          from: new Date(q.from).toISOString(),
          to: new Date(q.to).toISOString(),
          window: '1d',
        })) as unknown as Record<string, unknown>,
    },
  });
  registerApiRoutes(app, cards.routes);
  // The approval gates sign the card's hash, check its sections and the stored fairness reports; the card shows
  // the approvals (its hash leaves that section out, so an approval never supersedes itself).
  approvals.setSources({ cardStatus: (name, version) => cards.service.cardStatus(name, version), fairnessCheck: fairnessFromReports(store) });
  cards.service.setProvider('approvals', (name, version) => approvals.cardSection(name, version));
  app.decorate('alerts', alerts);
  alerts.start();
  app.addHook('onClose', () => alerts.stop());

  // Bring existing deployments back (in the background: the server answers while models load, but says it is not
  // ready until each has loaded or failed, so a load balancer sends it predictions only once it can serve them).
  const loading = (await deployments.list()).map((d) =>
    runtime.apply(d).catch((err: unknown) => app.log.error({ err, deployment: d.name }, 'deployment failed to load')),
  );
  void Promise.allSettled(loading).then(() => {
    startup.loading = false;
  });
  // Changes made on other replicas: a message names the deployment (or the A/B test's deployment); a periodic
  // reload is the safety net for a lost message, and runs at once after the message connection came back.
  const reconcile = async () => runtime.reconcile(await deployments.list());
  const reconcileLogged = () => void reconcile().catch((err: unknown) => app.log.warn({ err }, 'deployment reload failed'));
  deployments.onChanged((name) => {
    runtime.recorded(name);
    cluster.bus.publish('deployments', name);
  });
  const reloadOne = async (name: string) => {
    const d = await deployments.get(name).catch((err: unknown) => {
      if (isFerryError(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') return null;
      throw err;
    });
    await runtime.reconcileOne(name, d);
  };
  await cluster.bus.subscribe(
    'deployments',
    (name) => void reloadOne(name).catch((err: unknown) => app.log.warn({ err }, 'deployment reload failed')),
    reconcileLogged,
  );
  await cluster.bus.subscribe(
    'abtests',
    () => void abtests.service.syncAssignments().catch((err: unknown) => app.log.warn({ err }, 'A/B assignment reload failed')),
    () => {
      void abtests.service.syncAssignments().catch(() => {});
    },
  );
  // Stream bindings: every replica consumes every enabled binding in its consumer group (docs/streams.md).
  const streamBindings = new StreamBindingService(store, jobs.secrets, async (name) => {
    await deployments.get(name);
  });
  const streams = new StreamManager(streamBindings, {
    runtime,
    maxRows: config.maxPredictRows,
    logged: (deployment, ids) => monitoring.service.loggedIds(deployment, ids),
    metrics: new StreamMetrics(metricsRegistry),
    warn: (obj, msg) => app.log.warn(obj, msg),
    consumerName: streamConsumerName(config.dataDir),
  });
  registerApiRoutes(app, streamRoutes(streamBindings, streams));
  const reconcileStreams = () => void streams.reconcile().catch((err: unknown) => app.log.warn({ err }, 'stream bindings reload failed'));
  streamBindings.onChanged((deployment) => {
    reconcileStreams();
    cluster.bus.publish('streams', deployment);
  });
  // A deleted deployment's bindings went with it.
  deployments.onChanged(() => reconcileStreams());
  await cluster.bus.subscribe('streams', reconcileStreams, reconcileStreams);
  streams.start();
  reconcileStreams();
  const reloadTimer = setInterval(() => {
    reconcileLogged();
    reconcileStreams();
  }, clusterReloadMs());
  reloadTimer.unref();
  // Routes that name an alias follow it when it moves.
  const aliasTimer = setInterval(() => {
    runtime.followAliases((name) => deployments.get(name)).catch((err: unknown) => app.log.warn({ err }, 'alias refresh failed'));
  }, 5000);
  aliasTimer.unref();
  // What a graceful close is waiting on, for the message when it takes too long (main.ts).
  const shutdown = { phase: 'running' };
  app.addHook('preClose', async () => {
    shutdown.phase = 'open HTTP connections';
  });
  app.addHook('onClose', async () => {
    clearInterval(aliasTimer);
    clearInterval(reloadTimer);
    shutdown.phase = 'the cluster (leases, heartbeat)';
    await cluster.close();
    shutdown.phase = 'the loop driver';
    await loops.close();
    conversions.close();
    shutdown.phase = 'the job worker';
    await jobs.close();
    // Before the runtime: each consumer finishes the batch it is scoring and acknowledges it.
    shutdown.phase = 'stream consumers';
    await streams.close();
    // Drain in-flight requests first, so their predictions reach the log before it flushes.
    shutdown.phase = 'in-flight predictions';
    await runtime.close();
    shutdown.phase = 'A/B test exposures';
    await abtests.close();
    shutdown.phase = 'the prediction log (monitoring thread)';
    await monitoring.close();
    shutdown.phase = 'inference workers';
    await loader.close();
    shutdown.phase = 'closed';
  });

  app.decorate('ferry', {
    auth,
    experiments,
    runs,
    registry,
    routes,
    deployments,
    runtime,
    monitoring,
    data,
    jobs,
    conversions,
    abtests,
    loops,
    approvals,
    cards,
    fairness,
    shutdown,
    contractViolations,
    cluster,
  });
  registerStateMetrics(metricsRegistry, app, VERSION);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    ferry: {
      auth: AuthService;
      experiments: ExperimentService;
      runs: RunService;
      registry: RegistryService;
      routes: RegisteredRoute[];
      deployments: DeploymentService;
      runtime: DeploymentRuntime;
      monitoring: Monitoring;
      data: Data;
      jobs: Jobs;
      /** ONNX conversions of versions logged with sklearn, xgboost or lightgbm flavors. */
      conversions: Conversions;
      abtests: AbTests;
      loops: Loops;
      /** Approval gates per alias (the registry's alias guard). */
      approvals: ApprovalService;
      cards: Cards;
      fairness: Fairness;
      shutdown: { phase: string };
      cluster: Cluster;
      /** Answers that broke their response schema (recorded only under the contract check). */
      contractViolations: ContractViolation[];
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Alert rules, evaluation, silences and notifiers (tests call evaluateNow and swap the metric source). */
    alerts: AlertEngine;
  }
}
