/**
 * Three `ferry server` replicas on one PostgreSQL and one shared artifact folder, behind a real haproxy (issue 18):
 * they behave as one Ferry.
 *
 * - once per cluster: background work (alerts, retention, traffic validation, job reconciliation, loops) takes a
 *   cluster lease, so three replicas together run each task about as often as one replica alone (measured first,
 *   with one replica) — not three times as often;
 * - propagation: a deployment change made on one replica is applied by every replica within a second;
 * - (a) rolling restart: each replica in turn gets SIGTERM (it turns /ready off, drains, finishes what it holds,
 *   exits 0), is started again and rejoins, while prediction, tracking and dataset traffic runs through haproxy:
 *   not one request fails;
 * - (b) crash: one replica is SIGKILLed mid-traffic; the only requests that fail are ones that were in flight when it
 *   died, and every write the cluster acknowledged (metric steps, dataset versions, and the prediction-log rows of
 *   the replicas that did not die) is there afterwards;
 * - profiles merge: predictions answered by different replicas all count in the deployment's monitoring;
 * - a restarted replica answers /ready 200 only once it serves its deployments (haproxy sends it predictions then);
 * - every acknowledged write has its audit row.
 * A summary table of every count is printed.
 *
 * Needs haproxy (apt-get install -y --no-install-recommends haproxy) and PostgreSQL (the test run's embedded one);
 * skips, saying so, without either. Runs alone: npx vitest run test/cluster/replicas.test.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HAVE_HAPROXY, type Haproxy, NO_HAPROXY_REASON, startHaproxy } from '../helpers/haproxy.js';
import { type Exit, Replica } from '../helpers/replica.js';
import { ensureBuilt, unusedPort } from '../support/ferry-process.js';
import { waitFor } from '../support/ferry-servers.js';
import { expectedOf, fixture } from '../support/models.js';
import { freshStore, storeKinds, type StoreHandle } from '../support/stores.js';
import {
  type Caller,
  call,
  growth,
  loggedRequestIds,
  missingDatasetVersions,
  missingMetricSteps,
  must,
  profiledRows,
  type Scrape,
  scrape,
} from './read-back.js';
import { type Acked, type LoopTarget, type Outcome, Traffic } from './traffic.js';

const HAVE_POSTGRES = storeKinds().includes('postgres') && inject('postgresUrl') !== null;
const SKIP_REASON = !HAVE_HAPROXY ? NO_HAPROXY_REASON : !HAVE_POSTGRES ? 'PostgreSQL is not available (FERRY_TEST_STORES leaves it out)' : '';
if (SKIP_REASON) console.warn(`\n*** SKIPPED test/cluster/replicas.test.ts: ${SKIP_REASON} ***\n`);

const RUNS = 'ferry_cluster_task_runs_total';
const HELD = 'ferry_cluster_lease_held';
/** How long the once-per-cluster windows last (one replica, then three). */
const WINDOW_MS = 8_000;
/** The drain a replica gets on SIGTERM here (the server's default is 5 s). */
const DRAIN_MS = 1_500;
/** Client loops: two of each kind. */
const LOOPS = 6;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const credit = expectedOf('credit_gbdt');
const RECORD = credit.records[0] as Record<string, unknown>;

/** Every count the test saw, printed as one table at the end (and on failure). */
const summary: { phase: string; what: string; value: string | number }[] = [];
const note = (phase: string, what: string, value: string | number) => summary.push({ phase, what, value });
/** When things happened, in ms from the start of the file (the failures name the same clock). */
const T0 = Date.now();
const rel = (t: number) => t - T0;
const timeline: string[] = [];
const event = (what: string) => timeline.push(`+${rel(Date.now())} ms ${what}`);

describe.skipIf(SKIP_REASON !== '')('three replicas behind haproxy', () => {
  let handle: StoreHandle;
  let shared: string;
  let lb: Haproxy;
  const replicas: Replica[] = [];
  const adminToken = `ferry-test-${randomBytes(16).toString('hex')}`;
  const acked: Acked = { predictions: [], metrics: new Map(), datasets: [] };
  /** The client loops' targets, made in setup: a deployment per phase, a run and a dataset per loop. */
  const runs: string[] = [];
  const datasets: string[] = [];
  let lbc: Caller;
  const direct = (r: Replica): Caller => ({ url: r.url, token: adminToken });
  const logs = () => [...replicas.map((r) => r.output().slice(-4000)), `[haproxy] ${lb?.output().slice(-2000) ?? ''}`].join('\n');

  beforeAll(async () => {
    await ensureBuilt();
    handle = await freshStore('postgres');
    shared = mkdtempSync(join(tmpdir(), 'ferry-replicas-'));
    mkdirSync(join(shared, 'artifacts'));
    const secretKey = randomBytes(32).toString('hex');
    const env = {
      FERRY_SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      // Background work often, so that a few seconds show how often it runs.
      FERRY_ALERT_EVAL_SECONDS: '1',
      FERRY_LOOPS_TICK_MS: '500',
      FERRY_LOOPS_TRIGGER_SECONDS: '1',
      FERRY_JOBS_POLL_MS: '500',
      // Three servers share two cores here: one inference thread each.
      FERRY_INFERENCE_WORKERS: '1',
    };
    for (const name of ['r1', 'r2', 'r3']) {
      const port = await unusedPort();
      replicas.push(
        new Replica({ name, port, storeUrl: handle.url, artifactsDir: join(shared, 'artifacts'), dataDir: join(shared, name), adminToken, secretKey, env }),
      );
    }
    lb = await startHaproxy(
      await unusedPort(),
      replicas.map((r) => ({ name: r.name, port: r.opts.port })),
    );
    lbc = { url: lb.url, token: adminToken };
    // The first replica alone: it migrates the store, and the once-per-cluster test measures it alone first.
    await replicas[0]!.start();
    await replicas[0]!.waitReady();
  }, 180_000);

  afterAll(async () => {
    if (summary.length) {
      console.log('\nreplica test summary');
      console.table(summary);
      console.log(`timeline\n${timeline.join('\n')}`);
    }
    await Promise.all(replicas.map((r) => r.stop('SIGKILL')));
    await lb?.stop();
    await handle?.cleanup();
    if (shared) rmSync(shared, { recursive: true, force: true });
  }, 60_000);

  /** Starts whichever replicas are not running (a test that failed midway may have left one down) and waits for haproxy. */
  async function allUp(): Promise<void> {
    for (const r of replicas) {
      if (!r.running()) await r.start();
      await r.waitReady();
    }
    await lb.waitFor(
      replicas.map((r) => r.name),
      true,
    );
  }

  async function waitServing(deployment: string, revision: number): Promise<void> {
    for (const r of replicas) {
      const end = Date.now() + 60_000;
      for (;;) {
        const d = await call(direct(r), 'GET', `/api/v1/deployments/${deployment}`);
        if (d.status === 200 && d.body.deployment.status.serving_revision >= revision) break;
        if (Date.now() > end) throw new Error(`${r.name} does not serve ${deployment} revision ${revision}: ${d.status} ${JSON.stringify(d.body)}\n${logs()}`);
        await sleep(100);
      }
    }
  }

  /**
   * Which deployments a replica serves at their current revision now, e.g. "roll 2/2, crash -/1" (serving/current),
   * and whether it serves them all.
   */
  async function servingNow(r: Replica): Promise<{ text: string; all: boolean }> {
    const list = await must(direct(r), 'GET', '/api/v1/deployments');
    const ds = list.deployments as { name: string; revision: number; status: { serving_revision: number | null } }[];
    return {
      text: ds.map((d) => `${d.name} ${d.status.serving_revision ?? '-'}/${d.revision}`).join(', '),
      all: ds.every((d) => d.status.serving_revision === d.revision),
    };
  }

  function loops(deployment: string): LoopTarget[] {
    return Array.from({ length: LOOPS }, (_, i) =>
      i % 3 === 0 ? { kind: 'predict', target: deployment } : i % 3 === 1 ? { kind: 'track', target: runs[i]! } : { kind: 'data', target: datasets[i]! },
    );
  }

  function traffic(deployment: string): Traffic {
    return new Traffic({ url: lb.url, token: adminToken, loops: loops(deployment), record: RECORD, acked, pauseMs: 20 });
  }

  function countTraffic(phase: string, t: Traffic): void {
    for (const kind of ['predict', 'track', 'data'] as const) {
      const c = t.count(kind);
      note(phase, `${kind}: sent / ok / failed`, `${c.sent} / ${c.ok} / ${c.failed}`);
    }
    const by = new Map<string, number>();
    for (const o of t.outcomes) if (o.ok) by.set(o.servedBy ?? '?', (by.get(o.servedBy ?? '?') ?? 0) + 1);
    note(
      phase,
      'answered by replica',
      [...by]
        .sort()
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    );
  }

  const describeFailures = (fs: Outcome[]) =>
    fs
      .slice(0, 20)
      .map((f) => `${f.kind} ${f.status} by ${f.servedBy ?? '-'} at +${rel(f.startedAt)}..${rel(f.endedAt)} ms ${f.detail ?? ''}`)
      .join('\n');

  it('runs background work once per cluster, not once per replica', async () => {
    const [r1, r2, r3] = replicas as [Replica, Replica, Replica];
    // One replica alone: what one replica does in the window.
    const alone0 = await scrape(direct(r1));
    await sleep(WINDOW_MS);
    const alone1 = await scrape(direct(r1));
    const one = growth(alone0, alone1, RUNS);

    // Three replicas: the same window, summed over them.
    await r2.start();
    await r3.start();
    await allUp();
    const before = await Promise.all(replicas.map((r) => scrape(direct(r))));
    await sleep(WINDOW_MS);
    const after = await Promise.all(replicas.map((r) => scrape(direct(r))));
    const three = new Map<string, number[]>();
    replicas.forEach((_, i) => {
      for (const [task, d] of growth(before[i]!, after[i]!, RUNS)) {
        const per = three.get(task) ?? [0, 0, 0];
        per[i] = d;
        three.set(task, per);
      }
    });
    const held = (s: Scrape[]) => {
      const out = new Map<string, number>();
      for (const x of s) for (const [task, v] of x.series.get(HELD) ?? []) out.set(task, (out.get(task) ?? 0) + v);
      return out;
    };
    const heldNow = held(after);

    const tasks = [...new Set([...one.keys(), ...three.keys()])].sort();
    for (const task of tasks) {
      const per = three.get(task) ?? [0, 0, 0];
      note(
        'once per cluster',
        `${task}: runs alone / with 3 (r1+r2+r3) / leases held`,
        `${one.get(task) ?? 0} / ${per.reduce((a, b) => a + b, 0)} (${per.join('+')}) / ${heldNow.get(task) ?? 0}`,
      );
    }
    expect(
      tasks,
      `no ${RUNS}{task} series on the replicas' /metrics:\n${after[0]!.text
        .split('\n')
        .filter((l) => l.startsWith('ferry_cluster'))
        .join('\n')}`,
    ).not.toEqual([]);
    // A task that ran a few times alone shows the difference (three times as often would pass 1.5 times); one that
    // runs less often than the window may run once in either window, never once per replica.
    expect(
      tasks.filter((t) => (one.get(t) ?? 0) >= 3),
      `no task ran 3 times in ${WINDOW_MS} ms on one replica: ${JSON.stringify(Object.fromEntries(one))}`,
    ).not.toEqual([]);
    for (const task of tasks) {
      const total = (three.get(task) ?? []).reduce((a, b) => a + b, 0);
      // +1: a window's edges may catch one run more than the other window did.
      expect(total, `${task}: ${total} runs over three replicas, ${one.get(task) ?? 0} on one alone`).toBeLessThanOrEqual(
        Math.floor(1.5 * (one.get(task) ?? 0)) + 1,
      );
    }
    for (const [task, n] of heldNow) expect(n, `${task}: ${n} replicas hold its lease at once`).toBeLessThanOrEqual(1);
  }, 120_000);

  it('sets up through the load balancer: models, deployments, an experiment with runs, datasets', async () => {
    await allUp();
    for (const file of ['credit_gbdt.onnx', 'credit_gbdt_v2.onnx']) {
      const res = await fetch(`${lb.url}/api/v1/models/credit/versions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/octet-stream' },
        body: readFileSync(fixture(file)),
      });
      expect(res.status, await res.text()).toBe(200);
    }
    for (const name of ['roll', 'crash']) await must(lbc, 'POST', '/api/v1/deployments', { name, routes: [{ model: 'credit', version: '1' }] });
    const exp = await must(lbc, 'POST', '/api/2.0/mlflow/experiments/create', { name: 'replicas' });
    for (let i = 0; i < LOOPS; i++) {
      const run = await must(lbc, 'POST', '/api/2.0/mlflow/runs/create', { experiment_id: exp.experiment_id, run_name: `loop-${i}` });
      runs.push(run.run.info.run_id);
      datasets.push(`loop-${i}`);
    }
    await waitServing('roll', 1);
    await waitServing('crash', 1);
  }, 120_000);

  it('applies a deployment change made on one replica on every replica within a second', async () => {
    await allUp();
    const [, r2] = replicas as [Replica, Replica, Replica];
    const changed = await must(direct(r2), 'PUT', '/api/v1/deployments/roll', { routes: [{ model: 'credit', version: '2' }] });
    const t0 = Date.now();
    const revision = changed.deployment.revision as number;
    expect(revision).toBe(2);
    // Each replica polled until it applied the revision, then until it serves it (or 30 s), so a late one shows how late.
    const seen = await Promise.all(
      replicas.map(async (r) => {
        let applied = Infinity;
        for (;;) {
          const d = await call(direct(r), 'GET', '/api/v1/deployments/roll');
          const status = d.status === 200 ? d.body.deployment.status : {};
          if (applied === Infinity && (status.applied_revision ?? 0) >= revision) applied = Date.now() - t0;
          if ((status.serving_revision ?? 0) >= revision) return { applied, serving: Date.now() - t0 };
          if (Date.now() - t0 > 30_000) return { applied, serving: Infinity };
          await sleep(20);
        }
      }),
    );
    const applied = seen.map((x) => x.applied);
    replicas.forEach((r, i) =>
      note('propagation', `${r.name}: revision ${revision} applied / serving after (ms)`, `${seen[i]!.applied} / ${seen[i]!.serving}`),
    );
    expect(
      applied.every((ms) => ms <= 1000),
      `applied after ${applied.join(', ')} ms`,
    ).toBe(true);
    // Each replica then answers with the new revision's model.
    await waitServing('roll', revision);
    for (const r of replicas) {
      const p = await must(direct(r), 'POST', '/api/v1/deployments/roll/predict', { instances: [RECORD] });
      expect({ replica: r.name, revision: p.revision, model_version: p.model_version }).toEqual({ replica: r.name, revision, model_version: '2' });
      acked.predictions.push({ deployment: 'roll', requestId: p.request_id, servedBy: r.name, revision: p.revision, at: Date.now() });
    }
  }, 120_000);

  it('(a) rolls the replicas one at a time with SIGTERM: zero failed requests', async () => {
    await allUp();
    const t = traffic('roll');
    const readyTooSoon: string[] = [];
    event('traffic on roll starts');
    const exits: Exit[] = [];
    try {
      await sleep(2000);
      for (const r of replicas) {
        event(`SIGTERM ${r.name}`);
        const stopping = r.stop('SIGTERM', 30_000);
        // Readiness turns off first (the drain), and haproxy takes the replica out before it exits.
        let readyOff = false;
        let lbDown = false;
        const watch = (async () => {
          while (r.running()) {
            const ready = await fetch(`${r.url}/ready`).then(
              (x) => x.status,
              () => 0,
            );
            if (ready === 503 && !readyOff) {
              readyOff = true;
              event(`${r.name} /ready answers 503`);
            }
            const s = (await lb.stats()).find((x) => x.name === r.name);
            if (s && !s.status.startsWith('UP') && !lbDown) {
              lbDown = true;
              event(`haproxy has ${r.name} ${s.status}`);
            }
            await sleep(50);
          }
        })();
        const exit = await stopping;
        await watch;
        exits.push(exit);
        event(`${r.name} exited (code ${exit.code}, signal ${exit.signal})`);
        note('(a) rolling', `${r.name}: exit code / signal / ms from SIGTERM`, `${exit.code} / ${exit.signal ?? '-'} / ${exit.ms}`);
        note('(a) rolling', `${r.name}: /ready answered 503 while draining / haproxy took it out before exit`, `${readyOff} / ${lbDown}`);
        await r.start();
        event(`${r.name} listens again`);
        await r.waitReady();
        event(`${r.name} /ready answers 200`);
        const serving = await servingNow(r);
        if (!serving.all) readyTooSoon.push(`${r.name}: ${serving.text}`);
        note('(a) rolling', `${r.name}: deployments serving (serving/current revision) when /ready first answered 200`, serving.text);
        await lb.waitFor([r.name], true);
        event(`haproxy has ${r.name} UP`);
        await waitServing('roll', 2);
        event(`${r.name} serves roll revision 2`);
        await sleep(1000);
      }
      await sleep(1000);
    } finally {
      await t.stop();
      event('traffic stops');
    }
    countTraffic('(a) rolling', t);
    const stats = await lb.stats();
    note('(a) rolling', 'haproxy retries / redispatches (cumulative)', stats.map((s) => `${s.name}:${s.retries}/${s.redispatches}`).join(' '));
    expect(t.count().sent, 'traffic ran').toBeGreaterThan(50);
    expect(exits.map((e) => ({ code: e.code, signal: e.signal }))).toEqual(replicas.map(() => ({ code: 0, signal: null })));
    expect(t.failures().length, `failed requests:\n${describeFailures(t.failures())}\n${logs()}`).toBe(0);
    // haproxy sends predictions to a replica as soon as /ready says 200 (twice): by then its deployments must serve,
    // or those predictions are refused with 503 (what the rolling restart shows when the health checks are quick).
    expect(readyTooSoon, 'replicas that answered /ready 200 before serving their deployments').toEqual([]);
  }, 300_000);

  it('(a) lost none of what was acknowledged while rolling; profiles from every replica merge', async () => {
    await allUp();
    const steps = await missingMetricSteps(lbc, acked);
    const lostSteps = steps.reduce((a, s) => a + s.missing.length, 0);
    const badVersions = await missingDatasetVersions(lbc, acked);
    note('(a) rolling', 'acknowledged metric steps / missing', `${steps.reduce((a, s) => a + s.acked, 0)} / ${lostSteps}`);
    note('(a) rolling', 'acknowledged dataset versions / missing', `${acked.datasets.length} / ${badVersions.length}`);
    expect(lostSteps, JSON.stringify(steps.filter((s) => s.missing.length))).toBe(0);
    expect(badVersions).toEqual([]);

    // Every replica flushed its prediction log on SIGTERM: each acknowledged prediction has its row.
    const roll = acked.predictions.filter((p) => p.deployment === 'roll');
    const logged = await loggedRequestIds(lbc, 'roll');
    const unlogged = roll.filter((p) => !logged.has(p.requestId));
    const servers = new Set(roll.map((p) => p.servedBy));
    note(
      'profiles',
      'acknowledged predictions on roll / answered by replicas / without a log row',
      `${roll.length} / ${[...servers].sort().join(',')} / ${unlogged.length}`,
    );
    expect(servers.size, 'predictions were answered by every replica').toBe(3);
    expect(unlogged.map((p) => `${p.requestId} by ${p.servedBy}`)).toEqual([]);

    // The profiles every process wrote (six: three replicas, each restarted once) count every prediction once. They are
    // written every few seconds: polled until they agree or 30 s pass.
    const rows = await waitFor(
      () => profiledRows(lbc, 'roll', 'income'),
      (n) => n === roll.length,
      30_000,
      500,
    );
    note('profiles', 'profiled rows on roll, quality report merged (acknowledged)', `${rows} (${roll.length})`);
    expect(rows).toBe(roll.length);
    const client = new pg.Client({ connectionString: handle.url });
    await client.connect();
    try {
      const r = await client.query<{ replicas: string }>(`select count(distinct replica) as replicas from profiles where deployment = 'roll'`);
      note('profiles', 'replica processes with profile rows for roll', Number(r.rows[0]!.replicas));
      // Each of the three answered predictions and wrote its own rows (restarts add more).
      expect(Number(r.rows[0]!.replicas)).toBeGreaterThanOrEqual(3);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('(b) SIGKILLs one replica mid-traffic: only requests it held fail, no acknowledged write is lost', async () => {
    await allUp();
    const victim = replicas[1]!;
    const t = traffic('crash');
    const readyTooSoon: string[] = [];
    event('traffic on crash starts');
    let killedAt = 0;
    let deadAt = 0;
    let inFlightAtKill = 0;
    let lbCurrentAtKill = 0;
    try {
      await sleep(3000);
      lbCurrentAtKill = (await lb.stats()).find((s) => s.name === victim.name)!.current;
      inFlightAtKill = t.inFlight;
      killedAt = Date.now();
      event(`SIGKILL ${victim.name} (${inFlightAtKill} client requests in flight)`);
      const exit = await victim.stop('SIGKILL');
      // Dead for sure once its parent saw it exit: on a busy machine that can be a while after the signal was sent, and
      // the requests haproxy sent it meanwhile were in flight on it as much as those it held at the signal.
      deadAt = Date.now();
      event(`${victim.name} exited (${exit.signal ?? exit.code})`);
      note('(b) SIGKILL', `${victim.name}: ended by`, exit.signal ?? `code ${exit.code}`);
      await sleep(3000);
      await victim.start();
      event(`${victim.name} listens again`);
      await victim.waitReady();
      event(`${victim.name} /ready answers 200`);
      const serving = await servingNow(victim);
      if (!serving.all) readyTooSoon.push(`${victim.name}: ${serving.text}`);
      note('(b) SIGKILL', `${victim.name}: deployments serving (serving/current revision) when /ready first answered 200`, serving.text);
      await lb.waitFor([victim.name], true);
      event(`haproxy has ${victim.name} UP`);
      await sleep(2000);
    } finally {
      await t.stop();
      event('traffic stops');
    }
    countTraffic('(b) SIGKILL', t);
    const failures = t.failures();
    // A failure haproxy answered itself names no replica; one a replica answered must name the victim.
    const unexplained = failures.filter((f) => f.startedAt > deadAt || (f.servedBy !== undefined && f.servedBy !== victim.name));
    note('(b) SIGKILL', 'client requests in flight at the kill (all replicas) / on the victim per haproxy', `${inFlightAtKill} / ${lbCurrentAtKill}`);
    note('(b) SIGKILL', 'ms from SIGKILL to its exit seen', deadAt - killedAt);
    note('(b) SIGKILL', 'failed requests / sent after the victim was dead or answered by another replica', `${failures.length} / ${unexplained.length}`);
    const stats = await lb.stats();
    note('(b) SIGKILL', 'haproxy retries / redispatches (cumulative)', stats.map((s) => `${s.name}:${s.retries}/${s.redispatches}`).join(' '));
    expect(t.count().sent, 'traffic ran').toBeGreaterThan(50);
    // Every failure is a request the dying replica held: sent before it was dead, answered by no other replica; and
    // there cannot be more of them than the clients had in flight at once.
    expect(unexplained.length, `failures the killed replica cannot explain:\n${describeFailures(unexplained)}`).toBe(0);
    expect(failures.length, describeFailures(failures)).toBeLessThanOrEqual(LOOPS);

    await allUp();
    const steps = await missingMetricSteps(lbc, acked);
    const lostSteps = steps.reduce((a, s) => a + s.missing.length, 0);
    const badVersions = await missingDatasetVersions(lbc, acked);
    note('(b) SIGKILL', 'acknowledged metric steps (all phases) / missing', `${steps.reduce((a, s) => a + s.acked, 0)} / ${lostSteps}`);
    note('(b) SIGKILL', 'acknowledged dataset versions (all phases) / missing', `${acked.datasets.length} / ${badVersions.length}`);
    expect(lostSteps, JSON.stringify(steps.filter((s) => s.missing.length))).toBe(0);
    expect(badVersions).toEqual([]);

    // Predictions: the log is written in batches after the answer (every 100 ms), so the rows the killed replica
    // had not written yet die with it — counted here; every other replica's acknowledged rows must all be there.
    const crash = acked.predictions.filter((p) => p.deployment === 'crash');
    const logged = await waitFor(
      () => loggedRequestIds(lbc, 'crash'),
      (ids) => crash.every((p) => p.servedBy === victim.name || ids.has(p.requestId)),
      10_000,
      500,
    );
    const unlogged = crash.filter((p) => !logged.has(p.requestId));
    const unloggedVictim = unlogged.filter((p) => p.servedBy === victim.name && p.at <= deadAt);
    note(
      '(b) SIGKILL',
      'acknowledged predictions / without a log row: by the killed replica before the kill / others',
      `${crash.length} / ${unloggedVictim.length} / ${unlogged.length - unloggedVictim.length}`,
    );
    expect(unlogged.filter((p) => !unloggedVictim.includes(p)).map((p) => `${p.requestId} by ${p.servedBy}`)).toEqual([]);
    expect(readyTooSoon, 'replicas that answered /ready 200 before serving their deployments').toEqual([]);
  }, 300_000);

  it('audited every acknowledged write', async () => {
    // Every write is audited (DESIGN: "an audit log of every write"): one row per acknowledged push and log-batch at
    // least (a write that failed at the client may have committed, and be audited, too).
    const client = new pg.Client({ connectionString: handle.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ action: string; n: string }>(
        `select action, count(*) as n from audit_log where status between 200 and 299 group by action`,
      );
      const audited = (action: string) => Number(rows.find((r) => r.action === action)?.n ?? 0);
      const pushes = audited('POST /api/v1/datasets/:name/versions');
      const batches = audited('POST /api/2.0/mlflow/runs/log-batch');
      const steps = [...acked.metrics.values()].reduce((a, s) => a + s.size, 0);
      note('audit', 'dataset pushes acknowledged / audited', `${acked.datasets.length} / ${pushes}`);
      note('audit', 'log-batch calls acknowledged / audited', `${steps} / ${batches}`);
      // What the replicas said about it (their logs hold the database's reason).
      const said = replicas.map((r) => r.output().split('audit write failed').length - 1);
      note('audit', "replicas' 'audit write failed' log lines (r1+r2+r3)", said.join('+'));
      const reason = /"detail":"(Failing row contains[^"]*)"[^\n]*?"column":"([^"]*)"/.exec(replicas.map((r) => r.output()).join('\n'));
      if (reason) note('audit', 'first audit failure: column / row', `${reason[2]} / ${reason[1]!.slice(0, 120)}`);
      expect(pushes, 'audited dataset pushes').toBeGreaterThanOrEqual(acked.datasets.length);
      expect(batches, 'audited log-batch calls').toBeGreaterThanOrEqual(steps);
    } finally {
      await client.end();
    }
  }, 60_000);
});
