/**
 * LISTEN/NOTIFY on one dedicated PostgreSQL connection (a pooled one would lose its LISTENs when returned). When
 * the connection drops it reconnects with a growing delay, listens again, and tells every subscriber: messages sent
 * meanwhile are lost, so subscribers reload what they follow.
 */
import pg from 'pg';

type Handler = { onMessage: (payload: string) => void; onReconnect?: () => void };

/**
 * A subscriber's own failure is its bug, not the connection's: it must neither stop the other subscribers nor
 * escape into pg's protocol parser (where a throw is an uncaught exception that ends the process).
 */
function safely(f: () => void): void {
  try {
    f();
  } catch (err) {
    process.emitWarning(err instanceof Error ? err : new Error(String(err)), 'FerryListenerWarning');
  }
}

export class PgListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly handlers = new Map<string, Set<Handler>>();
  /** Per channel, its LISTEN on the current connection (later subscribers wait for it too). */
  private readonly listening = new Map<string, Promise<unknown>>();
  private closed = false;
  private retryMs = 250;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly url: string) {}

  async listen(channel: string, onMessage: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('The message listener is closed.');
    const h: Handler = { onMessage, onReconnect };
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(h);
    const forget = () => {
      set.delete(h);
      if (set.size > 0 || this.handlers.get(channel) !== set) return false;
      this.handlers.delete(channel);
      this.listening.delete(channel);
      return true;
    };
    try {
      const client = await this.connect();
      let ready = this.listening.get(channel);
      if (!ready) {
        ready = client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
        this.listening.set(channel, ready);
        ready.catch(() => this.listening.delete(channel));
      }
      await ready;
    } catch (err) {
      // A subscription that failed is not one: a later reconnect must not call it.
      forget();
      throw err;
    }
    return async () => {
      if (!forget()) return;
      if (this.client) await this.client.query(`UNLISTEN ${this.client.escapeIdentifier(channel)}`).catch(() => {});
    };
  }

  private connect(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('The message listener is closed.'));
    if (this.client) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    this.connecting = (async () => {
      // Keep-alive: an idle LISTEN connection is what NATs and load balancers drop without a word.
      const client = new pg.Client({ connectionString: this.url, keepAlive: true, keepAliveInitialDelayMillis: 30_000 });
      let gone = false;
      client.on('notification', (m) => {
        for (const h of this.handlers.get(m.channel) ?? []) safely(() => h.onMessage(m.payload ?? ''));
      });
      // A dropped connection is reported here (and as 'end'); reconnect rather than crash.
      const onGone = () => {
        gone = true;
        this.lost(client);
      };
      client.on('error', onGone);
      client.on('end', onGone);
      try {
        await client.connect();
        const channels = [...this.handlers.keys()];
        for (const channel of channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
        // Closed while connecting: this connection is nobody's.
        if (this.closed) throw new Error('The message listener is closed.');
        // Dropped while listening (lost() ignored it: it was not the current connection yet).
        if (gone) throw new Error('The connection to PostgreSQL was lost while it was being opened.');
        this.listening.clear();
        for (const channel of channels) this.listening.set(channel, Promise.resolve());
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
    this.listening.clear();
    void client.end().catch(() => {});
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => {
          for (const set of this.handlers.values()) for (const h of set) if (h.onReconnect) safely(h.onReconnect);
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
    this.retryTimer = undefined;
    // A connection being opened ends itself when it sees the close; wait for that.
    await this.connecting?.catch(() => {});
    const c = this.client;
    this.client = null;
    this.listening.clear();
    if (c) await c.end().catch(() => {});
  }
}
