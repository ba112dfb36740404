import { Transform } from 'node:stream';
import { PayloadTooLargeError } from '../errors.js';

/**
 * A pass-through that counts bytes and fails with PAYLOAD_TOO_LARGE at the first byte over `maxBytes`, so an upload
 * is refused while it streams, before the storage holds more than the limit.
 */
export class ByteLimit extends Transform {
  bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) cb(new PayloadTooLargeError(`Artifact exceeds the upload limit of ${this.maxBytes} bytes.`));
    else cb(null, chunk);
  }
}
