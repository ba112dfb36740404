/**
 * A main-thread onnxruntime session for models whose single-row run is shorter than a worker round trip.
 * A worker hop costs two thread wake-ups plus a structured clone each way (~80 µs on a 2-core machine);
 * a small GBDT runs in ~25 µs. For such models, running a lone small batch here blocks the event loop for
 * less time than posting it to a worker would cost the main thread anyway. Larger batches and anything
 * queued behind a running batch still go to the workers (see Batcher).
 */
import ort, { type InferenceSession, type Tensor } from 'onnxruntime-node';
import { InvalidParameterError } from '../../errors.js';
import type { TensorArray, TensorValue } from './tensor.js';

export class InlineSession {
  private constructor(private readonly session: InferenceSession) {}

  static async create(model: Uint8Array, intraOpNumThreads: number): Promise<InlineSession> {
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    return new InlineSession(session);
  }

  async run(feeds: Record<string, TensorValue>, fetches: string[]): Promise<Record<string, TensorValue>> {
    const ortFeeds: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type, t.data as never, t.dims);
    let result: InferenceSession.ReturnType;
    try {
      result = await this.session.run(ortFeeds, fetches);
    } catch (err) {
      throw new InvalidParameterError('inputs', `The model rejected the inputs: ${(err as Error).message}`);
    }
    const outputs: Record<string, TensorValue> = {};
    for (const [name, t] of Object.entries(result))
      outputs[name] = { type: t.type as TensorValue['type'], dims: Array.from(t.dims), data: t.data as TensorArray };
    return outputs;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
