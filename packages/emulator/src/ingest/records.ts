import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** A record the file holds but cannot be imported: skipped and counted with `skipBadRecords`, else fatal. */
export class BadRecordError extends Error {
  override name = 'BadRecordError';
}

/**
 * Where converters (GeoJSON, Avro, NDJSON cleaning) put rows: NDJSON written to a file DuckDB then reads, with
 * backpressure so a large file never sits in memory. Bad records are counted, or end the upload with their line.
 */
export class RecordSink {
  readonly #out: WriteStream;
  badRecords = 0;
  rows = 0;

  constructor(
    readonly path: string,
    private readonly skipBadRecords: boolean,
  ) {
    this.#out = createWriteStream(path);
    // A failed write surfaces from close(); after destroy() there is nothing left to report.
    this.#out.on('error', (e) => {
      this.#error ??= e;
    });
  }

  #error: Error | undefined;

  /** Adds the row `make()` builds for record `index` (1-based line or position, for messages). */
  async record(index: number, make: () => Record<string, unknown>): Promise<void> {
    let row: Record<string, unknown>;
    try {
      row = make();
    } catch (e) {
      if (!(e instanceof BadRecordError)) throw e;
      if (!this.skipBadRecords) throw new Error(`Record ${index} cannot be imported: ${e.message}`);
      this.badRecords++;
      return;
    }
    this.rows++;
    if (!this.#out.write(`${JSON.stringify(row)}\n`))
      await Promise.race([once(this.#out, 'drain'), once(this.#out, 'close')]);
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    this.#out.end();
    await once(this.#out, 'close');
    if (this.#error) throw this.#error;
  }

  /** Closes the file after a failure (the caller removes it). */
  destroy(): void {
    this.#out.destroy();
  }
}

/**
 * Feeds each non-blank line of a JSON-lines file, parsed, through `toRow` into the sink, streaming; a line that is
 * not JSON, or that `toRow` refuses, is a bad record numbered by its line.
 */
export async function convertJsonLines(
  path: string,
  sink: RecordSink,
  toRow: (value: unknown) => Record<string, unknown>,
): Promise<void> {
  let line = 0;
  for await (const text of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    line++;
    if (text.trim() === '') continue;
    await sink.record(line, () => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new BadRecordError(`invalid JSON: ${(e as Error).message}`);
      }
      return toRow(value);
    });
  }
}

/** Copies the NDJSON lines that parse as JSON objects; the others are bad records (`skipBadRecords`). */
export function cleanNdjson(path: string, sink: RecordSink): Promise<void> {
  return convertJsonLines(path, sink, (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new BadRecordError('each line must be a JSON object');
    }
    return value as Record<string, unknown>;
  });
}
