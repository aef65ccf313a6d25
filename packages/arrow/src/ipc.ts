import { Message, MessageHeader, type RecordBatch, RecordBatchReader } from 'apache-arrow';
import { rememberReceivedIpc } from './received-ipc.js';

/** How an IPC stream ended. */
export interface IpcEnd {
  /** The end-of-stream marker (a zero metadata length) arrived. */
  eos: boolean;
  /** The last record batch was a zero-row batch (the `eosSentinel` the server appends on request). */
  sentinel: boolean;
}

const CONTINUATION = 0xffffffff;
const EOS_MARKER = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/** Bytes received and not yet consumed, kept as the chunks they arrived in. */
class ChunkQueue {
  #chunks: Uint8Array[] = [];
  #head = 0;
  length = 0;

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.length += chunk.byteLength;
  }

  /** Removes `n` bytes: a view when they lie in one chunk, else a copy. */
  take(n: number): Uint8Array {
    const first = this.#chunks[0];
    if (n === 0 || !first) return new Uint8Array(0);
    if (first.byteLength - this.#head >= n) {
      const view = first.subarray(this.#head, this.#head + n);
      this.#advance(n);
      return view;
    }
    const out = new Uint8Array(n);
    this.copyInto(out, 0, n);
    return out;
  }

  /** Removes `n` bytes, copying them into `target` at `offset`. */
  copyInto(target: Uint8Array, offset: number, n: number): void {
    while (n > 0) {
      const chunk = this.#chunks[0]!;
      const take = Math.min(n, chunk.byteLength - this.#head);
      target.set(chunk.subarray(this.#head, this.#head + take), offset);
      offset += take;
      n -= take;
      this.#advance(take);
    }
  }

  #advance(n: number): void {
    this.length -= n;
    this.#head += n;
    while (this.#chunks.length && this.#head >= this.#chunks[0]!.byteLength) {
      this.#head -= this.#chunks[0]!.byteLength;
      this.#chunks.shift();
    }
  }
}

/**
 * Decodes an Arrow IPC stream that arrives in arbitrary chunks, one record batch at a time. Messages are framed
 * here (so each batch costs one copy into a contiguous buffer and apache-arrow then decodes it without copying)
 * and the end of the stream is observed exactly: the returned {@link IpcEnd} says whether the end-of-stream marker
 * and the zero-row sentinel arrived. A body cut inside a message throws.
 *
 * Zero-row batches are not yielded.
 *
 * @param chunks - The response body.
 */
export async function* decodeIpcStream(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<RecordBatch, IpcEnd, undefined> {
  const source = chunks[Symbol.asyncIterator]();
  const queue = new ChunkQueue();
  const fill = async (n: number): Promise<boolean> => {
    while (queue.length < n) {
      const next = await source.next();
      if (next.done) return false;
      queue.push(next.value);
    }
    return true;
  };
  const cut = (what: string): never => {
    throw new Error(`Arrow IPC stream cut short inside ${what}`);
  };
  let prelude: Uint8Array | undefined; // the schema message and any dictionary batches, framed
  let sentinel = false;
  try {
    for (;;) {
      if (!(await fill(4))) {
        if (queue.length > 0) cut('a message prefix');
        return { eos: false, sentinel };
      }
      let prefix = readInt32(queue.take(4));
      if (prefix === -1 || prefix === CONTINUATION) {
        if (!(await fill(4))) cut('a message prefix');
        prefix = readInt32(queue.take(4));
      }
      if (prefix === 0) return { eos: true, sentinel };
      if (!(await fill(prefix))) cut('message metadata');
      const metadata = queue.take(prefix);
      const message = Message.decode(metadata);
      const bodyLength = Number(message.bodyLength);
      if (!(await fill(bodyLength))) cut('a message body');
      const frameLength = 8 + prefix + bodyLength;
      if (message.headerType === MessageHeader.RecordBatch) {
        const rows = Number((message.header() as { length: number | bigint }).length);
        sentinel = rows === 0;
        if (sentinel) {
          queue.take(bodyLength);
          continue;
        }
        if (!prelude) throw new Error('Arrow IPC stream sent a record batch before its schema');
        const buffer = new Uint8Array(prelude.byteLength + frameLength + EOS_MARKER.byteLength);
        buffer.set(prelude, 0);
        writeFrameHead(buffer, prelude.byteLength, metadata);
        queue.copyInto(buffer, prelude.byteLength + 8 + prefix, bodyLength);
        buffer.set(EOS_MARKER, buffer.byteLength - EOS_MARKER.byteLength);
        for (const batch of RecordBatchReader.from(buffer)) {
          rememberReceivedIpc(batch, buffer);
          yield batch;
          break;
        }
      } else {
        // Schema (which starts a new prelude) or dictionary batch (appended to it).
        const base = message.headerType === MessageHeader.Schema || !prelude ? new Uint8Array(0) : prelude;
        const next = new Uint8Array(base.byteLength + frameLength);
        next.set(base, 0);
        writeFrameHead(next, base.byteLength, metadata);
        queue.copyInto(next, base.byteLength + 8 + prefix, bodyLength);
        prelude = next;
      }
    }
  } finally {
    await source.return?.();
  }
}

function readInt32(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true);
}

/** Writes the continuation marker, the metadata length and the metadata at `offset`. */
function writeFrameHead(target: Uint8Array, offset: number, metadata: Uint8Array): void {
  const view = new DataView(target.buffer, target.byteOffset + offset, 8);
  view.setUint32(0, CONTINUATION, true);
  view.setInt32(4, metadata.byteLength, true);
  target.set(metadata, offset + 8);
}
