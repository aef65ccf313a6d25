import type { RecordBatch } from 'apache-arrow';

// The Arrow IPC bytes each decoded batch came from, keyed by the batch object: a batch that leaves the SDK as it was
// received (or with only its schema object replaced) keeps its bytes; any conversion, slice or preprocessing makes
// a new batch without them. The batch's columns are views into these same bytes, so remembering them costs nothing.
const received = new WeakMap<RecordBatch, Uint8Array>();

/** Remembers the IPC stream a decoded batch came from. @internal */
export function rememberReceivedIpc(batch: RecordBatch, ipc: Uint8Array): void {
  received.set(batch, ipc);
}

/**
 * Passes a batch's received bytes on to `to`, a batch with the same data under another schema object, when the
 * bytes' own schema reads the same: every field nullable and no schema or field metadata (what
 * `schemaForVariables` builds). @internal
 */
export function carryReceivedIpc(from: RecordBatch, to: RecordBatch): void {
  const ipc = received.get(from);
  if (!ipc) return;
  const schema = from.schema;
  const plain = schema.metadata.size === 0 && schema.fields.every((f) => f.nullable && f.metadata.size === 0);
  if (plain) received.set(to, ipc);
}

/**
 * The Arrow IPC stream bytes the SDK received for a batch it yielded unchanged: the schema message, any dictionary
 * batches, this record batch and the end-of-stream marker, ready for any IPC reader (`tableFromIPC`, parquet-wasm's
 * `Table.fromIPCStream`, a worker). Hand these on instead of re-encoding the batch with `tableToIPC` when the batch
 * only passes through: the columns decode to the same types and values.
 *
 * `undefined` when the batch was changed on the way (a column converted to its variable's type, cut at
 * `maxResults`, returned by a `batchPreprocessor`) or was not read from a stream: encode it yourself then.
 *
 * @example
 * ```ts
 * for await (const batch of table.toArrowBatchIterator()) {
 *   const ipc = receivedIpcBytes(batch) ?? tableToIPC(new Table(batch), 'stream');
 *   worker.postMessage(ipc, [ipc.buffer]);
 * }
 * ```
 *
 * @param batch - A batch from `toArrowBatchIterator()`, `toReadableStream()` or `readStream()`.
 */
export function receivedIpcBytes(batch: RecordBatch): Uint8Array | undefined {
  return received.get(batch);
}
