/**
 * A/B tests as the server runs them: the exposure recorder (observing the serving runtime), the services and
 * their routes, and the running tests assigned to the runtime again at start.
 */
import type { AlertMetricSource } from '../alerts/index.js';
import type { ApiRoute } from '../api-route.js';
import { type FeedbackListener, hashValue, type RequestOutputs } from '../prediction-log/index.js';
import type { PredictionObserver } from '../serving/index.js';
import type { Store } from '../store/index.js';
import { AbTestService, type ServingPort } from './abtest-service.js';
import { abtestRoutes } from './abtest-routes.js';
import { AbTestAggregator } from './aggregator.js';
import { AbTestAlertMetrics } from './alert-metric.js';
import { ExposureRecorder } from './exposure-recorder.js';
import { OutcomeService, type RequestUnitLookup } from './outcome-service.js';
import { QualityRecorder } from './quality-recorder.js';

export interface AbTestsDeps {
  store: Store;
  serving: ServingPort & { addObserver(o: PredictionObserver): void };
  /** The installation's PII key (units are stored as hashValue(key, unit)). */
  piiKey: () => Buffer;
  requestUnits: RequestUnitLookup;
  /**
   * Monitoring's feedback, for model-quality metrics (model:accuracy, …): A/B tests listen to it and read the
   * logged outputs it is about. Absent: no model-quality events.
   */
  feedback?: {
    onFeedback(listener: FeedbackListener): void;
    requestOutputs(requestIds: string[]): Promise<Map<string, RequestOutputs>>;
  };
  onError?: (err: unknown, what: string) => void;
  flushEveryMs?: number;
  /** How often running tests are read again from the store (default 5 s). */
  syncEveryMs?: number;
}

export interface AbTests {
  service: AbTestService;
  outcomes: OutcomeService;
  recorder: ExposureRecorder;
  routes: ApiRoute[];
  /** Alert metrics with `abtest_guardrail_worse` added to those of `inner`. */
  alertMetrics(inner: AlertMetricSource): AlertMetricSource;
  close(): Promise<void>;
}

export async function startAbTests(d: AbTestsDeps): Promise<AbTests> {
  const unitKey = (raw: string) => hashValue(d.piiKey(), raw)!;
  const aggregator = new AbTestAggregator(d.store);
  const recorder = new ExposureRecorder({
    writeUnits: (rows) => aggregator.recordExposures(rows),
    unitKey,
    ...(d.flushEveryMs !== undefined ? { flushEveryMs: d.flushEveryMs } : {}),
    onError: (err) => d.onError?.(err, 'A/B test exposures could not be written (kept for the next try)'),
  });
  d.serving.addObserver(recorder);
  recorder.start();
  const flushExposures = () => recorder.flush();
  const service = new AbTestService({ store: d.store, serving: d.serving, flushExposures, aggregator });
  const outcomes = new OutcomeService(d.store, aggregator, unitKey, d.requestUnits, flushExposures);
  if (d.feedback) {
    const fb = d.feedback;
    const quality = new QualityRecorder({
      db: d.store.db,
      aggregator,
      // Exposures buffered a moment ago are written first, so a request's unit is found in the form it is stored.
      resolveUnits: async (ids) => {
        await flushExposures();
        return outcomes.resolveRequests(ids);
      },
      requestOutputs: (ids) => fb.requestOutputs(ids),
    });
    fb.onFeedback(quality.listener);
  }
  await service.syncAssignments();
  // Starts and stops made on another replica reach this one's runtime within a few seconds.
  const sync = setInterval(() => {
    service.syncAssignments().catch((err: unknown) => d.onError?.(err, 'A/B test assignments could not be refreshed'));
  }, d.syncEveryMs ?? 5000);
  sync.unref();
  return {
    service,
    outcomes,
    recorder,
    routes: abtestRoutes(service, outcomes),
    alertMetrics: (inner) => new AbTestAlertMetrics(inner, service),
    close: async () => {
      clearInterval(sync);
      await recorder.close();
    },
  };
}
