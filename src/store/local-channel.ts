/**
 * Cluster messages within one process, for SQLite (a SQLite file serves one server; several stores opened on the
 * same file in one process — tests, the CLI — still hear each other). Delivered asynchronously, as NOTIFY is.
 */
import { EventEmitter } from 'node:events';

const buses = new Map<string, EventEmitter>();

export function localChannel(key: string) {
  let bus = buses.get(key);
  if (!bus) {
    bus = new EventEmitter();
    bus.setMaxListeners(0);
    buses.set(key, bus);
  }
  const b = bus;
  return {
    async notify(channel: string, payload: string): Promise<void> {
      setImmediate(() => b.emit(channel, payload));
    },
    async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
      b.on(channel, onMessage);
      return async () => {
        b.off(channel, onMessage);
      };
    },
  };
}
