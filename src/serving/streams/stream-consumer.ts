/**
 * One binding's consumer on this replica: each batch the adapter reads is scored through the deployment's
 * runtime (its traffic split, A/B assignment, batching and prediction log, as HTTP requests are), the results
 * produced to the output in the batch's order, messages that cannot be scored produced to the dead-letter
 * destination with the reason, and only then does the adapter acknowledge the batch (at-least-once).
 *
 * - Backpressure: while the deployment is not ready or its queue is full, the batch waits and is retried (the
 *   adapter reads nothing more meanwhile); nothing is dropped.
 * - Redelivery: a message that may have been scored before (the adapter says so) is looked up in the prediction
 *   log by its request id; one found there is scored and produced again, with the same id, but not logged again.
 */
import { FerryError, NotFoundError, PayloadTooLargeError } from '../../errors.js';
import type { DeploymentRuntime } from '../deployments/deployment-runtime.js';
import type { RunnableBinding } from './binding-service.js';
import { type Decoded, decodeMessage, encodeResult, feedsOf } from './message-codec.js';
import type { InMessage, OutMessage, StreamAdapter } from './stream-adapter.js';
import type { StreamMetrics } from './stream-metrics.js';

export interface ConsumerDeps {
  runtime: DeploymentRuntime;
  maxRows: number;
  /** Which of these request ids the prediction log holds for the deployment (answered, main route). */
  logged(deployment: string, ids: string[]): Promise<Set<string>>;
  metrics?: StreamMetrics;
  warn(obj: object, msg: string): void;
}

export type ConsumerState = 'starting' | 'running' | 'paused' | 'stopped' | 'failed';

/** How often a model error is tried before the message is dead-lettered. */
const MODEL_TRIES = 3;
const PAUSE_MIN_MS = 20;
/** How many message places this consumer remembers (a message handed over again while, or just after, it is scored). */
const RECENT_IDS = 100_000;
const PAUSE_MAX_MS = 1000;
/** How often a produce is tried (about 3 s in all) before the consumer gives up (failed; started again later). */
const PRODUCE_TRIES = 6;
const PRODUCE_PAUSE_MS = 200;

class Closing extends Error {
  constructor() {
    super('The stream consumer is closing; the batch is not acknowledged (it is delivered again).');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waiting is right (not dead-lettering): the deployment cannot take the message now but will. */
function mustWait(err: unknown): boolean {
  return err instanceof FerryError && (err.code === 'OVERLOADED' || err.code === 'STORE_UNAVAILABLE' || err instanceof NotFoundError);
}

type Outcome = { ok: OutMessage } | { dead: OutMessage };

export class StreamConsumer {
  state: ConsumerState = 'starting';
  reason: string | undefined;
  readonly counts = { in: 0, out: 0, dead: 0, redelivered: 0 };
  updatedAt: number | null = null;
  private closing = false;
  /** Told when the consumer gives up (a produce that keeps failing): the manager shows it failed and restarts it. */
  onFailure?: (err: Error) => void;
  /**
   * Places (partition and position) of the messages this consumer scored lately, oldest first. A rebalance can hand
   * a partition's messages over again while the first handling is still scoring them (kafka); the log lookup cannot
   * see those yet.
   */
  private readonly recent = new Set<string>();
  /** Per partition, the last batch handed over: it releases the partition's turn to produce once it has produced. */
  private readonly turns = new Map<string, Promise<void>>();

  constructor(
    readonly binding: RunnableBinding,
    readonly adapter: StreamAdapter,
    private readonly deps: ConsumerDeps,
  ) {}

  private labels() {
    return { deployment: this.binding.deployment, binding: this.binding.name };
  }

  async start(): Promise<void> {
    await this.adapter.start((batch) => this.handle(batch));
    // Closed while starting: the adapter stopped after its step then; stopped it stays.
    if (this.closing) return;
    if (this.state === 'starting') this.state = 'running';
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.adapter.close();
    // A failed consumer keeps its reason on show until it is started again.
    if (this.state !== 'failed') this.state = 'stopped';
  }

  /** A batch: scored, its results and dead letters produced; resolving lets the adapter acknowledge it. */
  async handle(batch: InMessage[]): Promise<void> {
    if (batch.length === 0) return;
    // The partition's turn to produce: an adapter may hand over its next batch while this one is producing, and
    // the results still go out in the order the batches came.
    const partition = batch[0]!.partition;
    const before = this.turns.get(partition);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.turns.set(partition, mine);
    try {
      await this.scoreAndProduce(batch, before);
    } finally {
      release();
      if (this.turns.get(partition) === mine) this.turns.delete(partition);
    }
  }

  private async scoreAndProduce(batch: InMessage[], before: Promise<void> | undefined): Promise<void> {
    const b = this.binding;
    this.counts.in += batch.length;
    this.deps.metrics?.messages.inc({ ...this.labels(), direction: 'in' }, batch.length);
    const stickyKey = this.stickyKey();
    const decoded = batch.map((m): Decoded | Error => {
      try {
        return decodeMessage(b, m, stickyKey);
      } catch (err) {
        return err as Error;
      }
    });
    const seen = await this.alreadyLogged(batch, decoded);
    const outcomes = new Array<Outcome>(batch.length);
    // At most `concurrency` messages in the runtime at once; the batch resolves when every one has an outcome.
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < batch.length; i = next++) outcomes[i] = await this.score(batch[i]!, decoded[i]!, seen, stickyKey);
    };
    await Promise.all(Array.from({ length: Math.min(b.concurrency, batch.length) }, worker));
    if (before) await before;
    const dead = outcomes.flatMap((o) => ('dead' in o ? [o.dead] : []));
    const ok = outcomes.flatMap((o, i) => ('ok' in o ? [{ i, out: o.ok }] : []));
    // Dead letters first: a batch is acknowledged only once both are written, and a crash between the two writes
    // leaves a result to be produced again rather than a refusal lost.
    if (dead.length > 0) await this.send(b.dead_letter, dead);
    const tooLarge = ok.length > 0 ? await this.sendResults(ok.map((r) => r.out)) : [];
    // A result the broker refuses for its size would be refused on every try: its message is dead-lettered instead.
    const refused = tooLarge.map(([j, err]) => {
      const { i, out } = ok[j]!;
      return this.deadLetter(batch[i]!, out.headers['ferry-request-id'] ?? null, err);
    });
    if (refused.length > 0) await this.send(b.dead_letter, refused);
    const produced = ok.length - refused.length;
    this.counts.out += produced;
    this.counts.dead += dead.length + refused.length;
    this.updatedAt = Date.now();
    if (produced > 0) this.deps.metrics?.messages.inc({ ...this.labels(), direction: 'out' }, produced);
    if (dead.length + refused.length > 0) this.deps.metrics?.messages.inc({ ...this.labels(), direction: 'dead_letter' }, dead.length + refused.length);
  }

  /** Produces the results; where the broker refuses the batch for its size, one by one. Answers the ones refused. */
  private async sendResults(results: OutMessage[]): Promise<[number, PayloadTooLargeError][]> {
    try {
      await this.send(this.binding.output, results);
      return [];
    } catch (err) {
      if (!(err instanceof PayloadTooLargeError)) throw err;
    }
    const refused: [number, PayloadTooLargeError][] = [];
    for (const [j, m] of results.entries()) {
      try {
        await this.send(this.binding.output, [m]);
      } catch (err) {
        if (!(err instanceof PayloadTooLargeError)) throw err;
        refused.push([j, err]);
      }
    }
    return refused;
  }

  /**
   * Produces, trying again a few times (a broker that is briefly away); an error that persists fails the consumer
   * with the reason instead of scoring the same batch again for ever. A refusal for size is thrown at once.
   */
  private async send(destination: string, messages: OutMessage[]): Promise<void> {
    for (let tries = 1, pause = PRODUCE_PAUSE_MS; ; tries++, pause = Math.min(PAUSE_MAX_MS, pause * 2)) {
      try {
        return await this.adapter.produce(destination, messages);
      } catch (err) {
        if (err instanceof PayloadTooLargeError) throw err;
        if (this.closing) throw new Closing();
        if (tries >= PRODUCE_TRIES) throw this.giveUp(new Error(`Producing to '${destination}' failed ${tries} times: ${(err as Error).message}`));
        await sleep(pause);
      }
    }
  }

  /** Fails the consumer: the batch is left unacknowledged (delivered again after the restart). */
  private giveUp(err: Error): Error {
    [this.state, this.reason] = ['failed', err.message];
    this.onFailure?.(err);
    return err;
  }

  private stickyKey(): string | undefined {
    try {
      return this.deps.runtime.stickyKey(this.binding.deployment);
    } catch {
      return undefined;
    }
  }

  /** Of the messages that may have been delivered before, those whose prediction the log holds. */
  private async alreadyLogged(batch: InMessage[], decoded: (Decoded | Error)[]): Promise<Set<string>> {
    const ids = batch.flatMap((m, i) => {
      const d = decoded[i]!;
      return m.maybeSeen && !(d instanceof Error) ? [d.requestId] : [];
    });
    if (ids.length === 0) return new Set();
    for (let pause = PAUSE_MIN_MS; ; pause = Math.min(PAUSE_MAX_MS, pause * 2)) {
      try {
        return await this.deps.logged(this.binding.deployment, ids);
      } catch (err) {
        // The store is away: the batch waits (logging it again could store it twice).
        this.pause(err);
        if (this.closing) throw new Closing();
        await sleep(pause);
      }
    }
  }

  private pause(err: unknown): void {
    this.state = 'paused';
    this.reason = (err as Error).message;
  }

  private async score(m: InMessage, d: Decoded | Error, seen: Set<string>, stickyKey: string | undefined): Promise<Outcome> {
    if (d instanceof Error) return { dead: this.deadLetter(m, null, d) };
    const b = this.binding;
    // A message handed over again while (or just after) this consumer scored it: by its place, not its id (ids a
    // producer gives need not be unique).
    const place = `${m.partition}:${m.position}`;
    const again = seen.has(d.requestId) || (m.maybeSeen && this.recent.has(place));
    this.remember(place);
    if (again) {
      this.counts.redelivered++;
      this.deps.metrics?.messages.inc({ ...this.labels(), direction: 'redelivered' });
    }
    let modelTries = 0;
    for (let pause = PAUSE_MIN_MS; ;) {
      try {
        const res = await this.deps.runtime.infer(
          b.deployment,
          'stream',
          (route) => feedsOf(b, d.body, route.pool.signature, this.deps.maxRows, [b.id_field, b.key_field, stickyKey]),
          {
            sticky: d.sticky,
            requestId: d.requestId,
            log: !again,
            // A message that will be tried again is logged once, at its last try.
            logFailure: (err) => !mustWait(err) && (!isModelError(err) || modelTries + 1 >= MODEL_TRIES),
          },
        );
        if (this.state === 'paused' || this.state === 'starting') [this.state, this.reason] = ['running', undefined];
        const value = encodeResult(b, {
          deployment: b.deployment,
          requestId: res.requestId,
          model: res.route.model,
          modelVersion: res.route.version,
          revision: res.revision,
          outputs: res.outputs,
          outputOrder: res.route.pool.signature.outputs.map((o) => o.name),
        });
        return {
          ok: {
            key: m.key,
            value,
            headers: {
              'ferry-request-id': res.requestId,
              'ferry-model': res.route.model,
              'ferry-model-version': res.route.version,
              'content-type': 'application/json',
            },
          },
        };
      } catch (err) {
        if (mustWait(err)) {
          // Closing: a batch that cannot be scored now is left unacknowledged (delivered again), a running one finishes.
          if (this.closing) throw new Closing();
          this.pause(err);
          await sleep(pause);
          pause = Math.min(PAUSE_MAX_MS, pause * 2);
          continue;
        }
        if (isModelError(err) && ++modelTries < MODEL_TRIES) continue;
        return { dead: this.deadLetter(m, d.requestId, err as Error) };
      }
    }
  }

  private remember(id: string): void {
    this.recent.delete(id);
    this.recent.add(id);
    if (this.recent.size > RECENT_IDS) this.recent.delete(this.recent.values().next().value!);
  }

  private deadLetter(m: InMessage, requestId: string | null, err: Error): OutMessage {
    const code = err instanceof FerryError ? err.code : 'INTERNAL_ERROR';
    const field = err instanceof FerryError ? err.errors[0]?.field : undefined;
    return {
      key: m.key,
      value: m.value,
      headers: {
        'ferry-error': err.message,
        'ferry-error-code': code,
        ...(field !== undefined ? { 'ferry-error-field': field } : {}),
        ...(requestId !== null ? { 'ferry-request-id': requestId } : {}),
        'ferry-source': `${this.binding.input}:${m.partition}:${m.position}`,
        'ferry-deployment': this.binding.deployment,
      },
    };
  }
}

function isModelError(err: unknown): boolean {
  return !(err instanceof FerryError) || err.status >= 500;
}
