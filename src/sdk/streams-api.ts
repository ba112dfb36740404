/** Stream bindings of deployments (Kafka, Redis Streams, NATS JetStream), over Ferry's native API (/api/v1). */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/streams.js';
import type { HttpClient } from './http.js';

/** A binding as given: only name, kind, url, input and output are required; credentials are write-only. */
export type StreamBindingInput = Static<typeof C.StreamBindingInput>;
/** A change: every field but name and kind; credentials given replace the stored ones, null removes them. */
export type StreamBindingUpdate = Static<typeof C.StreamBindingUpdate>;
/** A binding as answered (never its credentials), with this replica's view of its consumer. */
export type StreamBinding = Static<typeof C.StreamBinding>;
export type StreamStatus = Static<typeof C.StreamStatus>;

export class StreamsApi {
  constructor(private readonly http: HttpClient) {}

  /** A deployment's bindings with their state and lag. */
  async list(deployment: string): Promise<StreamBinding[]> {
    return (await this.http.call(C.listStreamBindings, { params: { name: deployment } })).streams ?? [];
  }

  /** Binds the deployment to a stream: every replica starts consuming in the binding's group. */
  async create(deployment: string, binding: StreamBindingInput): Promise<StreamBinding> {
    return (await this.http.call(C.createStreamBinding, { params: { name: deployment }, body: binding })).stream;
  }

  async get(deployment: string, name: string): Promise<StreamBinding> {
    return (await this.http.call(C.getStreamBinding, { params: { name: deployment, stream: name } })).stream;
  }

  async update(deployment: string, name: string, change: StreamBindingUpdate): Promise<StreamBinding> {
    return (await this.http.call(C.updateStreamBinding, { params: { name: deployment, stream: name }, body: change })).stream;
  }

  /** Removes the binding; its consumers stop after acknowledging what they produced. */
  async delete(deployment: string, name: string): Promise<void> {
    await this.http.call(C.deleteStreamBinding, { params: { name: deployment, stream: name } });
  }
}
