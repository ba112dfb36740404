/** Table types of stream bindings (migration 0024). */

export interface StreamBindingTable {
  deployment: string;
  name: string;
  /** kafka | redis | nats. */
  kind: string;
  url: string;
  /** The topic, stream key or subject consumed. */
  input: string;
  output: string;
  dead_letter: string;
  /** The consumer group (kafka, redis) or durable consumer (nats). */
  group_name: string;
  /** records | v2 | bytes. */
  format: string;
  /** float32 | float64 (format bytes). */
  bytes_dtype: string;
  id_field: string | null;
  key_field: string | null;
  batch_size: number;
  max_wait_ms: number;
  concurrency: number;
  /** 1 TLS, 0 plain. */
  tls: number;
  /** The credentials as JSON, sealed with the server key (SecretBox); null: none. */
  credentials: string | null;
  /** 1 consuming, 0 stopped. */
  enabled: number;
  created_at: number;
  created_by: string;
  updated_at: number;
}

export interface StreamTables {
  stream_bindings: StreamBindingTable;
}
