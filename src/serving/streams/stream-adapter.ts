/**
 * What a broker client gives the stream consumer, whatever the broker: batches of messages in order within a
 * partition, a way to produce, an acknowledgement after each batch's results are produced, and the lag.
 */

export interface InMessage {
  /** The partition (kafka), or '0' where the broker has one ordered log per stream (redis, nats). */
  partition: string;
  /** The message's place, the same on every delivery: kafka's offset, the redis entry id, the nats stream sequence. */
  position: string;
  key: string | null;
  value: Buffer;
  /**
   * Whether it may have been delivered (and scored) before: a redis entry read from the pending list, a nats
   * redelivery, a kafka message not yet past the offset the partition's previous owner may have processed.
   */
  maybeSeen: boolean;
}

export interface OutMessage {
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * A batch handed to the consumer; the adapter acknowledges it (commit, XACK, ack) once `handle` resolves. An adapter
 * may hand over a partition's next batch before the previous one resolves (Kafka scores one chunk while the one
 * before produces): each batch's results are produced after the previous batch's of that partition.
 */
export type BatchHandler = (messages: InMessage[]) => Promise<void>;

export interface StreamAdapter {
  /** Connects and consumes until close(): each batch goes to `handle`, the next one of a partition after it. */
  start(handle: BatchHandler): Promise<void>;
  /**
   * Sends messages to a destination, resolving once the broker has them; throws PayloadTooLargeError when the broker
   * refuses them for their size (trying again would not help).
   */
  produce(destination: string, messages: OutMessage[]): Promise<void>;
  /** Messages in the input not yet acknowledged by the group; null when the broker cannot tell now. */
  lag(): Promise<number | null>;
  /** Stops reading, waits for the batches being handled (and acknowledges them), then disconnects. */
  close(): Promise<void>;
  /** Set by the adapter when the connection fails (the manager reports it and starts it again). */
  onFailure?: (err: Error) => void;
}
