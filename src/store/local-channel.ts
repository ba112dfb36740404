/**
 * Cluster messages within one process, for SQLite (a SQLite file serves one server; several stores opened on the
 * same file in one process — tests, the CLI — still hear each other). Delivered asynchronously, as NOTIFY is.
 */
type Subscriber = (payload: string) => void;

/** Per key, per channel, its subscribers; a key is kept only while someone listens on it. */
const buses = new Map<string, Map<string, Set<Subscriber>>>();

/** A subscriber's failure is its own: the others still hear the message, and nothing escapes into setImmediate. */
function deliver(subscriber: Subscriber, payload: string): void {
  try {
    subscriber(payload);
  } catch (err) {
    process.emitWarning(err instanceof Error ? err : new Error(String(err)), 'FerryListenerWarning');
  }
}

export function localChannel(key: string) {
  return {
    async notify(channel: string, payload: string): Promise<void> {
      setImmediate(() => {
        for (const s of [...(buses.get(key)?.get(channel) ?? [])]) deliver(s, payload);
      });
    },
    async listen(channel: string, onMessage: Subscriber): Promise<() => Promise<void>> {
      let bus = buses.get(key);
      if (!bus) buses.set(key, (bus = new Map()));
      let set = bus.get(channel);
      if (!set) bus.set(channel, (set = new Set()));
      // Each subscription is its own, even of the same function twice.
      const s: Subscriber = (p) => onMessage(p);
      set.add(s);
      return async () => {
        set.delete(s);
        if (set.size === 0 && bus.get(channel) === set) bus.delete(channel);
        if (bus.size === 0 && buses.get(key) === bus) buses.delete(key);
      };
    },
  };
}
