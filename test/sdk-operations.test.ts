/**
 * Every request the SDK makes is an operation the server declares: each method of every SDK API is called
 * (with every option set) against a fetch that records the request, and each request must match a path and
 * method of the server's /openapi.json, send only query parameters that operation declares, and send a body
 * only where it takes one, in a content type it accepts. A method missing from the table below fails too.
 */
import { describe, expect, it } from 'vitest';
import { FerryClient } from '../src/sdk/index.js';
import { useTestApp } from './support/app.js';

type Calls = (c: FerryClient) => Promise<unknown>[];

const csv = 'a,b\n1,2\n';
const bytes = new Uint8Array([1, 2, 3]);
const win = { from: '1h30m', to: 1_700_000_000_000, modelVersion: '2' };

/** One entry per SDK method, `api.method` (the client's own as `client.method`). */
const CALLS: Record<string, Calls> = {
  'client.whoami': (c) => [c.whoami()],
  'client.audit': (c) => [c.audit({ limit: 5, before: 10, actor: 'admin', since: 1 })],

  'jobs.uploadProject': (c) => [c.jobs.uploadProject(bytes)],
  'jobs.getProject': (c) => [c.jobs.getProject(`sha256:${'a'.repeat(64)}`)],
  'jobs.submit': (c) => [c.jobs.submit({ project: `sha256:${'a'.repeat(64)}`, entry_point: 'main', parameters: { alpha: '0.5' }, executor: 'local' })],
  'jobs.list': (c) => [
    c.jobs.list({
      state: 'running',
      executor: 'local',
      experimentId: '1',
      submittedBy: 'u',
      runId: 'a'.repeat(32),
      maxResults: 5,
      pageToken: `1:job-${'a'.repeat(32)}`,
    }),
  ],
  'jobs.get': (c) => [c.jobs.get(`job-${'a'.repeat(32)}`)],
  'jobs.logs': (c) => [c.jobs.logs(`job-${'a'.repeat(32)}`, { offset: 1, maxBytes: 10, wait: 1 })],
  'jobs.follow': (c) => [c.jobs.follow(`job-${'a'.repeat(32)}`, () => {}, { offset: 0, wait: 1 })],
  'jobs.cancel': (c) => [c.jobs.cancel(`job-${'a'.repeat(32)}`)],
  'jobs.executors': (c) => [c.jobs.executors()],
  'jobs.getExecutor': (c) => [c.jobs.getExecutor('ray')],
  'jobs.setExecutor': (c) => [c.jobs.setExecutor('ray', { kind: 'ray', address: 'http://127.0.0.1:8265', token: 'x' })],
  'jobs.deleteExecutor': (c) => [c.jobs.deleteExecutor('ray')],

  'loops.create': (c) => [
    c.loops.create({
      name: 'l',
      model: 'm',
      deployment: 'd',
      description: 'x',
      triggers: [{ kind: 'alert', rule: 'r' }],
      debounce: '1m',
      training: { project: `sha256:${'a'.repeat(64)}`, parameters: { a: 1 }, data: { dataset: 'ds', production_window: '1d' } },
      gate: { holdout: { dataset: 'ds', version: '1' }, thresholds: [{ metric: 'accuracy', absolute: -0.01, margin: 0.01 }] },
      rollout: { shadow: { duration: '1m' }, steps: [{ weight: 10, min_units: 5, max_duration: '1h' }] },
      approvals: [{ at: 'before_promotion' }],
      dry_run: false,
    }),
  ],
  'loops.list': (c) => [c.loops.list({ deployment: 'd', model: 'm' })],
  'loops.get': (c) => [c.loops.get('l')],
  'loops.update': (c) => [c.loops.update('l', { gate: { thresholds: [{ metric: 'accuracy', lower: 0.5 }] }, rollout: { steps: [] } })],
  'loops.pause': (c) => [c.loops.pause('l', 'why')],
  'loops.resume': (c) => [c.loops.resume('l')],
  'loops.trigger': (c) => [c.loops.trigger('l', { reason: 'r', candidate_version: '2', dry_run: true })],
  'loops.runs': (c) => [c.loops.runs('l', { max_results: 5 })],
  'loops.run': (c) => [c.loops.run('l', 1)],
  'loops.approve': (c) => [c.loops.approve('l', 1, { decision: 'reject', reason: 'no' })],
  'loops.promote': (c) => [c.loops.promote('l', 1, 'because')],
  'loops.cancel': (c) => [c.loops.cancel('l', 1, 'stop')],
  'loops.verdict': (c) => [c.loops.verdict('l')],
  'loops.watch': (c) => [c.loops.watch('l', 1, () => {}, { intervalMs: 10, signal: AbortSignal.abort() })],

  'abtests.create': (c) => [
    c.abtests.create({
      name: 'ab',
      deployment: 'd',
      primary_metric: { metric: 'conversion', kind: 'proportion', window: '7d' },
      guardrails: [{ metric: 'revenue', kind: 'ratio', denominator: '$requests', window: '7d', direction: 'decrease', cuped_lookback: '7d' }],
      arms: [
        { version: '1', weight: 50 },
        { version: '2', weight: 50 },
      ],
      control: '1',
      settings: { method: 'fixed', alpha: 0.01 },
      start: false,
    }),
  ],
  'abtests.list': (c) => [c.abtests.list({ deployment: 'd', state: 'running' })],
  'abtests.get': (c) => [c.abtests.get('ab')],
  'abtests.start': (c) => [c.abtests.start('ab')],
  'abtests.stop': (c) => [c.abtests.stop('ab', 'done'), c.abtests.stop('ab')],
  'abtests.report': (c) => [c.abtests.report('ab', { at: '1h', history: true, points: 10 })],
  'abtests.sendOutcomes': (c) => [c.abtests.sendOutcomes([{ unit: 'u', metric: 'conversion', value: 1, timestamp: 1 }])],

  'experiments.search': (c) => [c.experiments.search({ filter: "name = 'a'", maxResults: 5, orderBy: ['name ASC'], pageToken: 't', viewType: 'ALL' })],
  'experiments.list': (c) => [c.experiments.list({ filter: "name = 'a'" })],
  'experiments.get': (c) => [c.experiments.get('1')],
  'experiments.getByName': (c) => [c.experiments.getByName('a b')],
  'experiments.create': (c) => [c.experiments.create('e', { artifactLocation: 'file:///tmp/x', tags: [{ key: 'k', value: 'v' }] })],

  'runs.search': (c) => [
    c.runs.search({ experimentIds: ['1'], filter: 'metrics.m > 1', orderBy: ['start_time DESC'], maxResults: 5, pageToken: 't', viewType: 'ACTIVE_ONLY' }),
  ],
  'runs.get': (c) => [c.runs.get('r1')],
  'runs.create': (c) => [c.runs.create({ experimentId: '1', runName: 'r', startTime: 1, userId: 'u', tags: [{ key: 'k', value: 'v' }] })],
  'runs.logBatch': (c) => [
    c.runs.logBatch('r1', { metrics: [{ key: 'm', value: Number.NaN }], params: [{ key: 'p', value: '1' }], tags: [{ key: 't', value: 'v' }] }),
  ],
  'runs.logInputs': (c) => [c.runs.logInputs('r1', [{ dataset: { name: 'd', digest: 'x', source_type: 'local', source: 's' }, tags: [] }])],
  'runs.metricHistory': (c) => [c.runs.metricHistory('r1', 'm', { maxResults: 3 }), c.runs.metricHistory('r1', 'm')],
  'runs.listArtifacts': (c) => [c.runs.listArtifacts('r1', 'model')],
  'runs.update': (c) => [c.runs.update('r1', { status: 'FINISHED', runName: 'r' })],

  'models.search': (c) => [c.models.search({ filter: "name LIKE 'a%'", maxResults: 5, orderBy: ['name ASC'], pageToken: 't' })],
  'models.list': (c) => [c.models.list()],
  'models.get': (c) => [c.models.get('m')],
  'models.create': (c) => [c.models.create('m', { description: 'd', tags: [{ key: 'k', value: 'v' }] })],
  'models.setAlias': (c) => [c.models.setAlias('m', 'champion', 2)],

  'modelVersions.search': (c) => [c.modelVersions.search({ filter: "name = 'm'", maxResults: 5, orderBy: ['version DESC'], pageToken: 't' })],
  'modelVersions.listForModel': (c) => [c.modelVersions.listForModel('m')],
  'modelVersions.get': (c) => [c.modelVersions.get('m', 1)],
  'modelVersions.getByAlias': (c) => [c.modelVersions.getByAlias('m', 'champion')],
  'modelVersions.register': (c) => [c.modelVersions.register('my model', bytes, { features: ['a', 'b'], description: 'd' })],
  'modelVersions.create': (c) => [
    c.modelVersions.create({ name: 'm', source: 'runs:/r1/model', runId: 'r1', runLink: 'l', description: 'd', tags: [{ key: 'k', value: 'v' }] }),
  ],

  'tokens.create': (c) => [c.tokens.create({ name: 'ci', role: 'viewer' })],
  'tokens.list': (c) => [c.tokens.list()],
  'tokens.revoke': (c) => [c.tokens.revoke('t/1')],

  'deployments.create': (c) => [c.deployments.create('d', { routes: [{ model: 'm', version: '1' }] })],
  'deployments.list': (c) => [c.deployments.list()],
  'deployments.get': (c) => [c.deployments.get('d')],
  'deployments.update': (c) => [c.deployments.update('d', { routes: [{ model: 'm', alias: 'champion' }] })],
  'deployments.rollback': (c) => [c.deployments.rollback('d', 1)],
  'deployments.revisions': (c) => [c.deployments.revisions('d')],
  'deployments.delete': (c) => [c.deployments.delete('d')],
  'deployments.predict': (c) => [c.deployments.predict('d', { instances: [{ a: 1 }] })],
  'deployments.traffic': (c) => [c.deployments.traffic('d')],
  'streams.list': (c) => [c.streams.list('d')],
  'streams.create': (c) => [
    c.streams.create('d', {
      name: 's',
      kind: 'kafka',
      url: 'kafka:9092',
      input: 'in',
      output: 'out',
      dead_letter: 'dlq',
      group: 'g',
      format: 'records',
      id_field: 'id',
      key_field: 'user',
      batch_size: 10,
      max_wait_ms: 5,
      concurrency: 2,
      credentials: { username: 'u', password: 'p', mechanism: 'plain' },
      tls: true,
      enabled: false,
    }),
  ],
  'streams.get': (c) => [c.streams.get('d', 's')],
  'streams.update': (c) => [c.streams.update('d', 's', { enabled: true, credentials: null })],
  'streams.delete': (c) => [c.streams.delete('d', 's')],

  'cluster.status': (c) => [c.cluster.status()],

  'conversions.start': (c) => [c.conversions.start('m', 1), c.conversions.start('m', '2', { force: true })],
  'conversions.get': (c) => [c.conversions.get('m', 1)],
  'cards.get': (c) => [c.cards.get('m', 1, { generatedAt: true })],
  'cards.render': (c) => [c.cards.render('m', '1', 'html'), c.cards.render('m', 1, 'md', { generatedAt: true })],
  'cards.status': (c) => [c.cards.status('m', 1)],
  'cards.fields': (c) => [c.cards.fields('m')],
  'cards.edit': (c) => [c.cards.edit('m', { version: '1', intended_use: 'x', limitations: null })],
  'cards.report': (c) => [c.cards.report('m', 1)],
  'explain.deployment': (c) => [
    c.explain.deployment('d', {
      instances: [{ x: 1 }],
      background: { dataset: 'ds', version: '1', rows: 10 },
      method: 'kernel',
      budget: { max_evaluations: 10, timeout_ms: 10 },
      seed: 1,
    }),
  ],
  'explain.modelVersion': (c) => [c.explain.modelVersion('m', '1', { instances: [{ x: 1 }] })],
  'explain.importance': (c) => [c.explain.importance('m', '1', { dataset: 'ds', dataset_version: '1', method: 'exact', rows: 5, seed: 0 })],
  'fairness.create': (c) => [
    c.fairness.create(
      'm',
      '1',
      {
        dataset: 'ds',
        dataset_version: 'latest',
        label: 'y',
        sensitive_features: ['sex', 'age'],
        metrics: ['selection_rate', 'tpr'],
        prediction: 'label',
        pos_label: 1,
        min_group_size: 10,
        missing_sensitive: 'drop',
        bootstrap: { samples: 10, seed: 1, level: 0.9 },
      },
      { rows: true },
    ),
  ],
  'fairness.list': (c) => [c.fairness.list('m', '1')],
  'fairness.get': (c) => [c.fairness.get('m', '1', 3, { rows: true })],
  'fairness.live': (c) => [
    c.fairness.live('d', { feature: 'sex', from: '24h', to: '1h', window: '1h', pos_label: '1', prediction: 'label', model_version: '2', min_group_size: 5 }),
  ],
  'approvals.setPolicy': (c) => [
    c.approvals.setPolicy('m', 'production', {
      checks: [
        { kind: 'metric', name: 'acc', metric: 'accuracy', op: '>=', threshold: 0.9 },
        { kind: 'fairness', metric: 'demographic_parity_ratio', features: ['sex', 'age'], method: 'to_overall', min: 0.8, max: 1.25 },
        { kind: 'card', sections: ['uses'] },
        { kind: 'validation', suite: 's' },
      ],
      required_approvals: 2,
      roles: ['admin', 'editor'],
      description: 'x',
    }),
  ],
  'approvals.policy': (c) => [c.approvals.policy('m', 'production')],
  'approvals.policies': (c) => [c.approvals.policies('m')],
  'approvals.deletePolicy': (c) => [c.approvals.deletePolicy('m', 'production')],
  'approvals.approve': (c) => [
    c.approvals.approve('m', 1, { alias: 'production', decision: 'reject', comment: 'x' }),
    c.approvals.approve('m', '2', { alias: 'p' }),
  ],
  'approvals.approvals': (c) => [c.approvals.approvals('m', 1, 'production'), c.approvals.approvals('m', 1)],
  'approvals.gate': (c) => [c.approvals.gate('m', 1, 'production')],
  'approvals.events': (c) => [c.approvals.events('m', { alias: 'production', maxResults: 5 }), c.approvals.events('m')],

  'monitoring.settings': (c) => [c.monitoring.settings('d')],
  'monitoring.updateSettings': (c) => [c.monitoring.updateSettings('d', { sample_rate: 0.5, window: '1h' })],
  'monitoring.predictions': (c) => [c.monitoring.predictions('d', { ...win, status: 'ok', route: 'main', limit: 5, pageToken: 't' })],
  'monitoring.exportPredictions': (c) => [
    c.monitoring.exportPredictions('d', 'csv', { ...win, status: 'error', route: 'shadow', limit: 5 }),
    c.monitoring.exportPredictions('d', 'jsonl'),
  ],
  'monitoring.feedback': (c) => [c.monitoring.feedback([{ request_id: 'r', outcome: 1 }])],
  'monitoring.setReference': (c) => [
    c.monitoring.setReference('d', { csv }, { predictionColumn: 'p' }),
    c.monitoring.setReference('d', { jsonl: '{"a":1}\n' }),
    c.monitoring.setReference('d', { from: '24h', to: 1 }),
    c.monitoring.setReference('d', { dataset: 'ds@1' }, { predictionColumn: 'p' }),
    c.monitoring.setReference('d', { trainingData: true }),
  ],
  'monitoring.drift': (c) => [c.monitoring.drift('d', { ...win, driftShare: 0.3, methods: { a: 'psi' } })],
  'monitoring.driftWindows': (c) => [c.monitoring.driftWindows('d', win)],
  'monitoring.performance': (c) => [c.monitoring.performance('d', win)],
  'monitoring.quality': (c) => [c.monitoring.quality('d', win)],
  'monitoring.estimated': (c) => [
    c.monitoring.estimated('d', {
      from: '1h',
      to: 1_700_000_000_000,
      window: '30m',
      dataset: 'ds@1',
      label: 'y',
      calibration: 'isotonic',
      prediction: 'label',
      probability: 'probabilities',
    }),
  ],

  'alerts.list': (c) => [c.alerts.list({ deployment: 'd', state: 'all' })],
  'alerts.history': (c) => [c.alerts.history({ deployment: 'd', rule: 'r', since: '24h', until: 1, maxResults: 5, pageToken: '3' })],
  'alerts.evaluate': (c) => [c.alerts.evaluate()],
  'alerts.notifications': (c) => [c.alerts.notifications({ deployment: 'd', since: 1, maxResults: 5 })],
  'alerts.listRules': (c) => [c.alerts.listRules('d')],
  'alerts.createRule': (c) => [c.alerts.createRule({ name: 'r', deployment: 'd', metric: 'error_rate', comparison: '>', threshold: 0.1 })],
  'alerts.getRule': (c) => [c.alerts.getRule('r')],
  'alerts.updateRule': (c) => [c.alerts.updateRule('r', { threshold: 0.2 })],
  'alerts.deleteRule': (c) => [c.alerts.deleteRule('r')],
  'alerts.listSilences': (c) => [c.alerts.listSilences({ all: true })],
  'alerts.createSilence': (c) => [c.alerts.createSilence({ matchers: ['deployment=d'], duration: '2h' })],
  'alerts.getSilence': (c) => [c.alerts.getSilence('s')],
  'alerts.expireSilence': (c) => [c.alerts.expireSilence('s')],
  'alerts.listNotifiers': (c) => [c.alerts.listNotifiers()],
  'alerts.createNotifier': (c) => [c.alerts.createNotifier({ name: 'n', kind: 'webhook', url: 'https://example.test/hook', secret: 's' })],
  'alerts.getNotifier': (c) => [c.alerts.getNotifier('n')],
  'alerts.updateNotifier': (c) => [c.alerts.updateNotifier('n', { enabled: false })],
  'alerts.deleteNotifier': (c) => [c.alerts.deleteNotifier('n')],
  'alerts.destinations': (c) => [c.alerts.destinations()],
  'alerts.setDestinations': (c) => [c.alerts.setDestinations({ allow: ['example.test'] })],

  'data.list': (c) => [c.data.list({ maxResults: 5, offset: 1, nameLike: 'a%' })],
  'data.get': (c) => [c.data.get('ds')],
  'data.push': (c) => [c.data.push('ds', new Blob([csv]), { filename: 'x.csv', format: 'csv', contentType: 'text/csv', description: 'd' })],
  'data.versions': (c) => [c.data.versions('ds', { maxResults: 5, offset: 1 })],
  'data.version': (c) => [c.data.version('ds', 2)],
  'data.download': (c) => [c.data.download('ds', 'latest')],
  'data.tag': (c) => [c.data.tag('ds', 'prod', 2)],
  'data.untag': (c) => [c.data.untag('ds', 'prod')],
  'data.deleteVersion': (c) => [c.data.deleteVersion('ds', 2, { force: true })],
  'data.delete': (c) => [c.data.delete('ds', { force: true })],
  'data.diff': (c) => [c.data.diff('ds', 1, 'other@2')],
  'data.lineage': (c) => [c.data.lineage('ds', 1)],
  'data.modelLineage': (c) => [c.data.modelLineage('m', 1)],
  'data.versionValidations': (c) => [c.data.versionValidations('ds', 1)],
  'data.suites': (c) => [c.data.suites({ maxResults: 5, offset: 1 })],
  'data.suite': (c) => [c.data.suite('s')],
  'data.putSuite': (c) => [c.data.putSuite('s', { expectations: [{ expectation_type: 'expect_column_to_exist', kwargs: { column: 'a' } }] })],
  'data.deleteSuite': (c) => [c.data.deleteSuite('s')],
  'data.inferSuite': (c) => [c.data.inferSuite('ds@1', { name: 's', save: true })],
  'data.attach': (c) => [c.data.attach('s', { dataset: 'ds' }), c.data.attach('s', { deployment: 'd' })],
  'data.detach': (c) => [c.data.detach('s', 'deployment', 'd')],
  'data.validateVersion': (c) => [c.data.validateVersion('s', 'ds@1')],
  'data.validateFile': (c) => [c.data.validateFile('s', bytes, { filename: 'x.csv', format: 'csv', contentType: 'text/csv' })],
  'data.drift': (c) => [
    c.data.drift({
      reference: { columns: { a: [1, null] }, floats: ['a'] },
      current: { rows: [{ a: 2 }] },
      method: 'a:psi',
      drift_share: 0.5,
      columns: ['a'],
    }),
  ],
  'data.validateTable': (c) => [c.data.validateTable({ suite: { expectations: [] }, data: { columns: { a: [1] } } })],
  'data.validations': (c) => [c.data.validations({ targetKind: 'dataset', target: 'ds', suite: 's', success: false, maxResults: 5 })],
  'data.validation': (c) => [c.data.validation(7)],
};

interface Sent {
  method: string;
  url: URL;
  contentType: string | undefined;
  hasBody: boolean;
}

interface OpenApiOperation {
  operationId: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, unknown> };
}

/** The SDK's methods: every API object's prototype methods, and the client's own. */
function sdkMethods(client: FerryClient): string[] {
  const methodsOf = (obj: object) =>
    Object.entries(Object.getOwnPropertyDescriptors(Object.getPrototypeOf(obj)))
      .filter(([name, d]) => name !== 'constructor' && typeof d.value === 'function')
      .map(([name]) => name);
  const out = methodsOf(client).map((m) => `client.${m}`);
  for (const [api, obj] of Object.entries(client)) {
    if (api === 'http') continue; // the low-level client, for endpoints the typed methods do not cover
    out.push(...methodsOf(obj as object).map((m) => `${api}.${m}`));
  }
  return out.sort();
}

describe('every SDK request is a declared operation', () => {
  const t = useTestApp('sqlite');

  it('calls only paths, methods, query parameters and bodies that /openapi.json declares', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, OpenApiOperation>> };
    const templates = Object.entries(doc.paths).map(([path, ops]) => ({
      path,
      re: new RegExp(
        `^${path
          .replace(/[.+?^$()|[\]\\]/g, '\\$&')
          .replace(/\{\*\}/g, '.+')
          .replace(/\{[^}]+\}/g, '[^/]+')}$`,
      ),
      ops,
    }));
    const operationOf = (method: string, pathname: string) => {
      // A literal segment wins over a parameter (/suites/infer before /suites/{name}), as in the router.
      const matches = templates.filter((x) => x.re.test(pathname) && x.ops[method.toLowerCase()]);
      matches.sort((a, b) => a.path.split('{').length - b.path.split('{').length);
      return matches[0]?.ops[method.toLowerCase()];
    };

    let sent: Sent[] = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      sent.push({
        method: init?.method ?? 'GET',
        url: new URL(String(input)),
        contentType: headers['content-type'],
        hasBody: init?.body !== undefined && init.body !== null,
      });
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const client = new FerryClient({ url: 'http://ferry.test', token: 't', fetch: fakeFetch });

    expect(sdkMethods(client)).toEqual(Object.keys(CALLS).sort());

    const problems: string[] = [];
    const used = new Set<string>();
    for (const [name, calls] of Object.entries(CALLS)) {
      sent = [];
      // The fake answers {} to everything, so methods that read the answer may throw after sending: only what was sent counts here.
      await Promise.allSettled(calls(client));
      if (sent.length === 0) problems.push(`${name}: sent nothing`);
      for (const s of sent) {
        const where = `${name}: ${s.method} ${s.url.pathname}`;
        const op = operationOf(s.method, s.url.pathname);
        if (!op) {
          problems.push(`${where}: no such operation`);
          continue;
        }
        used.add(op.operationId);
        const declared = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
        for (const key of new Set(s.url.searchParams.keys()))
          if (!declared.has(key)) problems.push(`${where}: query parameter '${key}' is not declared by ${op.operationId}`);
        if (s.hasBody) {
          const accepted = Object.keys(op.requestBody?.content ?? {});
          if (!accepted.length) problems.push(`${where}: sends a body, ${op.operationId} takes none`);
          else if (s.contentType && !accepted.includes(s.contentType))
            problems.push(`${where}: sends ${s.contentType}, ${op.operationId} takes ${accepted.join(', ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The check above is only as good as its matching: these are calls it must have resolved.
    expect([...used]).toEqual(expect.arrayContaining(['inferSuite', 'getRun', 'registerOnnxModel', 'putReference', 'listPredictions', 'detachSuite']));
  });
});
