/**
 * Loops as the server runs them: the world adapter, the trigger poller, the driver and the service, started
 * once the server listens (a training job calls back to its URL). Settings from the environment:
 * FERRY_LOOPS_DRIVER=0 (this replica drives no runs), FERRY_LOOPS_TICK_MS (default 1000),
 * FERRY_LOOPS_POLL_MS (how often a job, shadow or canary is looked at; default 5000),
 * FERRY_LOOPS_TRIGGER_SECONDS (how often automatic triggers are polled; default 10),
 * FERRY_LOOPS_LEASE_SECONDS (default 60).
 */
import type { Registry } from 'prom-client';
import { InvalidParameterError } from '../errors.js';
import { interopRoutes } from './interop-routes.js';
import { loopMetrics } from './loop-metrics.js';
import type { ApiRoute } from '../api-route.js';
import { LoopDriver, type LoopDriverOptions } from './loop-driver.js';
import type { NextAction } from './run-context.js';
import { loopRoutes } from './loop-routes.js';
import { LoopService } from './loop-service.js';
import { LoopWorld, type LoopWorldDeps } from './loop-world.js';
import { Triggers } from './triggers.js';

export interface LoopsDeps extends LoopWorldDeps {
  /** Where the ferry_loop_* gauges go (docs/loops-interop.md). */
  metrics?: Registry;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  env?: Record<string, string | undefined>;
}

export interface Loops {
  service: LoopService;
  driver: LoopDriver | null;
  triggers: Triggers;
  routes: ApiRoute[];
  start(): void;
  close(): Promise<void>;
}

function num(env: Record<string, string | undefined>, key: string, dflt: number, min: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return dflt;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min) throw new InvalidParameterError(key, `${key} must be a number ≥ ${min}, got ${JSON.stringify(raw)}.`);
  return v;
}

/** FERRY_LOOPS_CRASH (durability tests only): where the driver kills its own process. */
function crashAt(env: Record<string, string | undefined>): { crashAt?: LoopDriverOptions['crashAt'] } {
  const raw = env['FERRY_LOOPS_CRASH'];
  if (!raw) return {};
  const m = /^([a-z_]+):(before|after)$/.exec(raw);
  if (!m) throw new InvalidParameterError('FERRY_LOOPS_CRASH', `FERRY_LOOPS_CRASH must be <action>:<before|after>, got ${JSON.stringify(raw)}.`);
  return { crashAt: { action: m[1] as NextAction, when: m[2] as 'before' | 'after' } };
}

export function startLoops(d: LoopsDeps): Loops {
  const env = d.env ?? process.env;
  const world = new LoopWorld(d);
  let driver: LoopDriver | null = null;
  const triggers = new Triggers(
    d.store,
    world,
    num(env, 'FERRY_LOOPS_TRIGGER_SECONDS', 10, 0) * 1000,
    () => driver?.poke(),
    Date.now,
    (err, loop) => d.log?.warn({ err, loop }, 'loop triggers failed'),
  );
  driver =
    env['FERRY_LOOPS_DRIVER'] === '0'
      ? null
      : new LoopDriver({
          store: d.store,
          world,
          leaseMs: num(env, 'FERRY_LOOPS_LEASE_SECONDS', 60, 1) * 1000,
          tickMs: num(env, 'FERRY_LOOPS_TICK_MS', 1000, 10),
          pollMs: num(env, 'FERRY_LOOPS_POLL_MS', 5000, 10),
          maxErrors: 5,
          beforeTick: () => triggers.poll(),
          ...crashAt(env),
          ...(d.log ? { log: d.log } : {}),
        });
  const service = new LoopService({ store: d.store, world, jobs: d.jobs, triggers, poke: () => driver?.poke() });
  if (d.metrics) loopMetrics(d.metrics, d.store);
  return {
    service,
    driver,
    triggers,
    routes: [...loopRoutes(service), ...interopRoutes(service)],
    start: () => driver?.start(),
    close: async () => {
      await driver?.stop();
    },
  };
}
