import { batchToRows } from '@redivis-ts/arrow';
import type { RecordBatch } from 'apache-arrow';

/** Turns record batches into text chunks of one output format. */
export interface TextEncoder {
  /** Text before the first row (a header line, `[`). */
  start(names: readonly string[]): string;
  /** The rows of one batch. */
  batch(batch: RecordBatch, first: boolean): string;
  /** Text after the last row. */
  end(): string;
}

function csvField(value: unknown, delimiter: string): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  if (text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

function tsvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /[\t\n\r\\]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

/** RFC 4180 CSV (quotes only where needed, `\n` line ends, empty field for null); integers exact. */
export function csvEncoder(delimiter = ','): TextEncoder {
  const field = delimiter === '\t' ? tsvField : (value: unknown) => csvField(value, delimiter);
  return {
    start: (names) => `${names.map(field).join(delimiter)}\n`,
    batch(batch) {
      const rows = batchToRows(batch, { int64: 'string' });
      const names = batch.schema.fields.map((f) => f.name);
      let text = '';
      for (const row of rows) {
        let line = '';
        for (let j = 0; j < names.length; j++) {
          if (j > 0) line += delimiter;
          line += field(row[names[j] as string]);
        }
        text += `${line}\n`;
      }
      return text;
    },
    end: () => '',
  };
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
