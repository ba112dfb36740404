/**
 * Prediction events packed for the monitoring thread. Everything goes into typed arrays that are transferred,
 * not copied (and handed back to be packed into again): per event a head of numbers, and its values; the rest
 * — request ids, names, strings — is one small JSON string. A structured clone per event would cost more than
 * the logging work it moves off the event loop.
 *
 * The log packs each event as it arrives (BatchPacker). Values that serving reported as tensors (the usual
 * case) are copied straight from them, column after column: a numeric column is `rows` numbers in `nums` (NaN:
 * missing), a text column `rows` indexes into the batch's table of distinct strings (NaN: missing); nothing
 * is built per row on the event loop. Values given as plain lists (tests, other observers) keep their
 * row-major order with a tag per value. BatchReader reads a batch back on the thread, column by column.
 */
export type { Disposition, PackedBatch, PackedDelta, PackedEvent } from './event-format.js';
export { type BufferSource, BufferPool, BatchPacker, pack } from './event-packer.js';
export { K_NUM, K_STR, K_LIST, Side, BatchReader, unpack } from './event-reader.js';
