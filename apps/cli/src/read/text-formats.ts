import { batchToRows } from '@redivis-ts/arrow';
import type { RecordBatch } from 'apache-arrow';

/** Turns record batches into text chunks of one output format. */
export interface TextEncoder {
  /** Text before the first row (a header line, `[`). */
  start(names: readonly string[]): string;
  /** The rows of one batch (text, or bytes already encoded). */
  batch(batch: RecordBatch, first: boolean): string | Uint8Array;
  /** Text after the last row. */
  end(): string;
}

// Integers beyond ±(2^53 − 1) stay exact as JSON strings; the rest are plain numbers.
function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/** One JSON object per line. */
export function ndjsonEncoder(): TextEncoder {
  return {
    start: () => '',
    batch(batch) {
      let text = '';
      for (const row of batchToRows(batch, { int64: 'bigint' }))
        text += `${JSON.stringify(row, jsonValue)}\n`;
      return text;
    },
    end: () => '',
  };
}

/** One JSON array of objects, streamed a batch at a time. */
export function jsonEncoder(): TextEncoder {
  let any = false;
  return {
    start: () => '[',
    batch(batch) {
      let text = '';
      for (const row of batchToRows(batch, { int64: 'bigint' })) {
        text += `${any ? ',' : ''}\n  ${JSON.stringify(row, jsonValue)}`;
        any = true;
      }
      return text;
    },
    end: () => (any ? '\n]\n' : ']\n'),
  };
}
