/**
 * Redis Streams through ioredis: XREADGROUP in the binding's group, XACK once a batch's results are produced
 * (XADD to the output and dead-letter streams). An entry's message is its `value` field (or its only field), its
 * key the `key` field. Entries delivered before and not acknowledged come back two ways, both marked maybeSeen:
 * this replica's own pending entries on start (its consumer name is kept in its data dir, so a restart finds
 * them at once), and entries another consumer left pending longer than CLAIM_IDLE_MS (XAUTOCLAIM: a replica
 * that died).
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { RunnableBinding } from './binding-service.js';
import type { BatchHandler, InMessage, OutMessage, StreamAdapter } from './stream-adapter.js';

/** How long an entry stays pending with another consumer before this one takes it over. */
export const CLAIM_IDLE_MS = 30_000;
const CLAIM_EVERY_MS = 5_000;
/** While a batch is being handled, its entries' idle time is reset this often, well before CLAIM_IDLE_MS. */
export const KEEP_EVERY_MS = 10_000;
/** How long past its BLOCK time a read may take before its connection counts as hung. */
export const READ_TIMEOUT_MARGIN_MS = 5_000;

/** An entry as XREADGROUP and XAUTOCLAIM answer it: fields are null for one deleted since it was delivered. */
type Entry = [id: Buffer, fields: Buffer[]];

export class RedisAdapter implements StreamAdapter {
  private readonly client: Redis;
  /** Blocking reads hold their connection: a second one. */
  private readonly reader: Redis;
  private running = false;
  /** Set by close(): a start() still under way stops after the step it is in. */
  private closed = false;
  private loop: Promise<void> | null = null;
  onFailure?: (err: Error) => void;

  constructor(
    private readonly b: RunnableBinding,
    private readonly consumerName: string,
    private readonly keepEveryMs = KEEP_EVERY_MS,
  ) {
    const u = new URL(b.url);
    const opts: RedisOptions = {
      host: u.hostname,
      port: u.port ? Number(u.port) : 6379,
      db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
      lazyConnect: true,
      maxRetriesPerRequest: null,
      // RESP2: the reply shapes read below, on every Redis from 5.0 (RESP3 needs 6, and maps its replies differently).
      protocol: 2,
      ...(b.credentials ? { username: b.credentials.username, password: b.credentials.password } : {}),
      ...(u.protocol === 'rediss:' || b.tls ? { tls: {} } : {}),
    };
    this.client = new Redis(opts);
    // A read that outlives its BLOCK by this much is on a hung connection: it fails (and the consumer starts again)
    // instead of waiting for ever.
    this.reader = new Redis({ ...opts, commandTimeout: Math.max(b.max_wait_ms, 1) + READ_TIMEOUT_MARGIN_MS });
    // ioredis reconnects by itself; errors are reported through the calls that fail (with the last one it saw:
    // a refused sign-in shows as "Connection is closed" on the call, NOAUTH or WRONGPASS on the connection).
    const keep = (err: Error) => (this.lastError = err);
    this.client.on('error', keep);
    this.reader.on('error', keep);
  }

  private lastError: Error | null = null;

  async start(handle: BatchHandler): Promise<void> {
    await Promise.all([this.client.connect(), this.reader.connect()]).catch((err: unknown) => {
      // close() disconnected them while connecting: no failure.
      if (this.closed) return;
      const why = this.lastError && this.lastError.message !== (err as Error).message ? ` (${this.lastError.message})` : '';
      throw new Error(`${(err as Error).message}${why}`);
    });
    if (this.closed) return this.disconnect();
    try {
      // From the stream's start: messages written before the binding existed are scored too (as Kafka's earliest).
      await this.client.xgroup('CREATE', this.b.input, this.b.group, '0', 'MKSTREAM');
    } catch (err) {
      if (this.closed) return this.disconnect();
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    if (this.closed) return this.disconnect();
    this.running = true;
    this.loop = this.consume(handle).catch((err: unknown) => {
      if (this.running) this.onFailure?.(err as Error);
    });
  }

  private async consume(handle: BatchHandler): Promise<void> {
    const b = this.b;
    // This consumer's own pending entries first (what it was scoring when it stopped).
    for (let after = '0'; this.running;) {
      const own = await this.read(after, 0);
      if (own.length === 0) break;
      await this.handleEntries(own, handle, true);
      after = own[own.length - 1]![0].toString();
    }
    let claimedAt = 0;
    while (this.running) {
      if (Date.now() - claimedAt >= CLAIM_EVERY_MS) {
        claimedAt = Date.now();
        await this.claim(handle);
      }
      const fresh = await this.read('>', Math.max(b.max_wait_ms, 1));
      if (fresh.length > 0) await this.handleEntries(fresh, handle, false);
    }
  }

  private async read(from: string, blockMs: number): Promise<Entry[]> {
    const b = this.b;
    const args: (string | number)[] = ['GROUP', b.group, this.consumerName, 'COUNT', b.batch_size];
    if (blockMs > 0) args.push('BLOCK', blockMs);
    args.push('STREAMS', b.input, from);
    const res = (await this.reader.callBuffer('XREADGROUP', ...args)) as [Buffer, Entry[]][] | null;
    return res?.[0]?.[1] ?? [];
  }

  /** Entries other consumers left pending past CLAIM_IDLE_MS (a replica that died), taken over and scored. */
  private async claim(handle: BatchHandler): Promise<void> {
    const b = this.b;
    for (let cursor = '0-0'; this.running;) {
      const res = (await this.client.callBuffer('XAUTOCLAIM', b.input, b.group, this.consumerName, CLAIM_IDLE_MS, cursor, 'COUNT', b.batch_size)) as [
        Buffer,
        Entry[],
        Buffer[]?,
      ];
      if (res[1].length > 0) await this.handleEntries(res[1], handle, true);
      cursor = res[0].toString();
      if (cursor === '0-0') return;
    }
  }

  private async handleEntries(all: Entry[], handle: BatchHandler, maybeSeen: boolean): Promise<void> {
    // A pending entry deleted or trimmed since it was read comes back without fields: nothing to score, acknowledged.
    const gone = all.filter((e) => !e[1]).map((e) => e[0]);
    if (gone.length > 0) await this.client.xack(this.b.input, this.b.group, ...gone);
    const entries = all.filter((e) => e[1]);
    if (entries.length === 0) return;
    const messages = entries.map(([id, fields]): InMessage => {
      let value: Buffer | undefined;
      let key: string | null = null;
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const f = fields[i]!.toString();
        if (f === 'value') value = fields[i + 1]!;
        else if (f === 'key') key = fields[i + 1]!.toString('utf8');
      }
      // One field of another name: its value is the message.
      if (value === undefined && fields.length === 2) value = fields[1]!;
      return { partition: '0', position: id.toString(), key, value: value ?? Buffer.alloc(0), maybeSeen };
    });
    const ids = entries.map((e) => e[0]);
    // The entries stay this consumer's while it works on them (a paused deployment can hold a batch for minutes):
    // XCLAIM … JUSTID to itself resets their idle time, so another replica does not take them over after
    // CLAIM_IDLE_MS and score (and log) them a second time. JUSTID leaves their delivery count alone.
    const keep = setInterval(
      () => void this.client.xclaim(this.b.input, this.b.group, this.consumerName, 0, ...ids, 'JUSTID').catch(() => {}),
      this.keepEveryMs,
    );
    try {
      await handle(messages);
    } finally {
      clearInterval(keep);
    }
    await this.client.xack(this.b.input, this.b.group, ...ids);
  }

  async produce(destination: string, messages: OutMessage[]): Promise<void> {
    const p = this.client.multi();
    for (const m of messages) {
      const fields: (string | Buffer)[] = ['value', m.value];
      if (m.key !== null) fields.push('key', m.key);
      for (const [k, v] of Object.entries(m.headers)) fields.push(k, v);
      p.xadd(destination, '*', ...(fields as [string]));
    }
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  async lag(): Promise<number | null> {
    const groups = (await this.client.xinfo('GROUPS', this.b.input)) as unknown[][];
    for (const g of groups) {
      const info: Record<string, unknown> = {};
      for (let i = 0; i + 1 < g.length; i += 2) info[String(g[i])] = g[i + 1];
      if (info['name'] === this.b.group) {
        // Entries not yet delivered plus those delivered and not acknowledged (Redis 7's lag is the former).
        const lag = info['lag'];
        const pending = Number(info['pending'] ?? 0);
        return typeof lag === 'number' ? lag + pending : null;
      }
    }
    return null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.running = false;
    // The blocking read ends within max_wait_ms; the batch being handled is acknowledged first.
    await this.loop;
    this.disconnect();
  }

  private disconnect(): void {
    this.client.disconnect();
    this.reader.disconnect();
  }
}
