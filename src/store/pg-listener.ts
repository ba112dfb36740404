/**
 * LISTEN/NOTIFY on one dedicated PostgreSQL connection (a pooled one would lose its LISTENs when returned). When
 * the connection drops it reconnects with a growing delay, listens again, and tells every subscriber: messages sent
 * meanwhile are lost, so subscribers reload what they follow.
 */
import pg from 'pg';

type Handler = { onMessage: (payload: string) => void; onReconnect?: () => void };

export class PgListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly handlers = new Map<string, Set<Handler>>();
  private closed = false;
  private retryMs = 250;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly url: string) {}

  async listen(channel: string, onMessage: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>> {
    const h: Handler = { onMessage, onReconnect };
    let set = this.handlers.get(channel);
    const first = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(h);
    if (first) {
      const client = await this.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } else await this.connect();
    return async () => {
      set.delete(h);
      if (set.size > 0 || this.handlers.get(channel) !== set) return;
      this.handlers.delete(channel);
      if (this.client) await this.client.query(`UNLISTEN ${this.client.escapeIdentifier(channel)}`).catch(() => {});
    };
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    this.connecting = (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on('notification', (m) => {
        for (const h of this.handlers.get(m.channel) ?? []) h.onMessage(m.payload ?? '');
      });
      // A dropped connection is reported here (and as 'end'); reconnect rather than crash.
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      try {
        await client.connect();
        for (const channel of this.handlers.keys()) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      } catch (err) {
        await client.end().catch(() => {});
        throw err;
      }
      this.client = client;
      this.retryMs = 250;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    void client.end().catch(() => {});
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => {
          for (const set of this.handlers.values()) for (const h of set) h.onReconnect?.();
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
          this.reconnectLater();
        },
      );
    }, this.retryMs);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => {});
  }
}
