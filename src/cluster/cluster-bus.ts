/**
 * Typed cluster messages over the store's NOTIFY/LISTEN: "deployment X changed", "A/B assignments of X changed".
 * A message says what changed, never the data: each replica reads the store, so a lost or reordered message only
 * delays a change until the periodic reload (the safety net) or the next message.
 */
import type { Store } from '../store/index.js';

export type ClusterTopic = 'deployments' | 'abtests' | 'streams';

const CHANNEL: Record<ClusterTopic, string> = { deployments: 'ferry_deployments', abtests: 'ferry_abtests', streams: 'ferry_streams' };

interface Message {
  /** The replica that sent it. */
  from: string;
  name: string;
}

export class ClusterBus {
  private readonly unlisten: (() => Promise<void>)[] = [];

  constructor(
    private readonly store: Store,
    private readonly replicaId: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Tells the other replicas (the sender ignores its own message: it applied the change already). */
  publish(topic: ClusterTopic, name: string): void {
    const payload = JSON.stringify({ from: this.replicaId, name } satisfies Message);
    this.store.notify(CHANNEL[topic], payload).catch(this.onError);
  }

  async subscribe(topic: ClusterTopic, onChange: (name: string) => void, onMissed: () => void): Promise<void> {
    const stop = await this.store.listen(
      CHANNEL[topic],
      (payload) => {
        let m: Message;
        try {
          m = JSON.parse(payload) as Message;
        } catch {
          return; // not ours
        }
        if (m.from !== this.replicaId && typeof m.name === 'string') onChange(m.name);
      },
      onMissed,
    );
    this.unlisten.push(stop);
  }

  async close(): Promise<void> {
    await Promise.all(this.unlisten.splice(0).map((f) => f().catch(this.onError)));
  }
}
