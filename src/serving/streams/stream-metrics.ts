/** Prometheus metrics of stream bindings: messages in, out, dead-lettered and seen again, and each binding's lag. */
import { Counter, Gauge, type Registry } from 'prom-client';

export class StreamMetrics {
  readonly messages: Counter<'deployment' | 'binding' | 'direction'>;
  readonly lag: Gauge<'deployment' | 'binding'>;
  readonly running: Gauge<'deployment' | 'binding'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.messages = new Counter({
      name: 'ferry_stream_messages_total',
      help: 'Stream binding messages on this replica by direction: in (consumed), out (results produced), dead_letter, redelivered (seen again, its prediction logged already)',
      labelNames: ['deployment', 'binding', 'direction'],
      registers,
    });
    this.lag = new Gauge({
      name: 'ferry_stream_lag',
      help: "Messages in a binding's input not yet acknowledged by its consumer group (as this replica last read it)",
      labelNames: ['deployment', 'binding'],
      registers,
    });
    this.running = new Gauge({
      name: 'ferry_stream_consumer_up',
      help: "1 while this replica's consumer of a binding is running (0 paused, stopped or failed)",
      labelNames: ['deployment', 'binding'],
      registers,
    });
  }
}
