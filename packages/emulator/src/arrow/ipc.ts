import type { Schema } from 'apache-arrow';
import {
  BufferRegion,
  FieldNode,
  Message,
  RecordBatch as RecordBatchHeader,
} from 'apache-arrow/ipc/metadata/message';

/**
 * Arrow IPC stream framing, written straight into one buffer per message. apache-arrow's stream writer produces the
 * same bytes but as a dozen small chunks per record batch (prefixes, metadata, every body buffer, every padding) plus
 * the objects its assembler builds; here the metadata still comes from apache-arrow's flatbuffer encoder (so it is
 * exactly what its writer emits) and the body buffers are copied once, into a buffer allocated without zero-filling.
 */

/** One column of a record batch: row and null counts and its buffers in Arrow's order, validity first. */
export interface ColumnBuffers {
  length: number;
  nullCount: number;
  /** Validity (empty when there are no nulls), then offsets and/or values, as the type's layout orders them. */
  buffers: readonly Uint8Array[];
}

/** The end-of-stream marker: continuation indicator and a zero metadata length. */
export function endOfStream(): Uint8Array {
  return Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);
}

const pad8 = (n: number): number => (n + 7) & ~7;

/**
 * A framed message with room for its body: continuation indicator (-1), metadata length, the flatbuffer metadata
 * zero-padded so the body starts 8-aligned. Returns the buffer and the body's start.
 */
function frame(message: Message, bodyLength: number): { out: Buffer; body: number } {
  const metadata = Message.encode(message);
  const metadataLength = pad8(metadata.byteLength + 8) - 8;
  const out = Buffer.allocUnsafe(8 + metadataLength + bodyLength);
  out.writeInt32LE(-1, 0);
  out.writeInt32LE(metadataLength, 4);
  out.set(metadata, 8);
  out.fill(0, 8 + metadata.byteLength, 8 + metadataLength);
  return { out, body: 8 + metadataLength };
}

/** The schema message that opens an IPC stream. */
export function schemaMessage(schema: Schema): Uint8Array {
  return frame(Message.from(schema), 0).out;
}

/** A record batch message of `length` rows: metadata and body (each buffer zero-padded to 8 bytes) in one buffer. */
export function recordBatchMessage(length: number, columns: readonly ColumnBuffers[]): Uint8Array {
  const nodes: FieldNode[] = [];
  const regions: BufferRegion[] = [];
  let bodyLength = 0;
  for (const column of columns) {
    nodes.push(new FieldNode(column.length, column.nullCount));
    for (const buffer of column.buffers) {
      const padded = pad8(buffer.byteLength);
      regions.push(new BufferRegion(bodyLength, padded));
      bodyLength += padded;
    }
  }
  const header = new RecordBatchHeader(length, nodes, regions, null);
  const { out, body } = frame(Message.from(header, bodyLength), bodyLength);
  let at = body;
  for (const column of columns) {
    for (const buffer of column.buffers) {
      out.set(buffer, at);
      const end = at + pad8(buffer.byteLength);
      out.fill(0, at + buffer.byteLength, end);
      at = end;
    }
  }
  return out;
}
