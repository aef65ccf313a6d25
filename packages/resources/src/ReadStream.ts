import type {
  FeatureProperties,
  GeoJSONOptions,
  Row,
  RowValue,
  StreamReadOptions,
  StreamRowReadOptions,
} from '@redivis-ts/arrow';
import type * as arrow from '@redivis-ts/arrow';
import type { RecordBatch, Table as ArrowTable } from 'apache-arrow';
import type { FeatureCollection, Geometry } from 'geojson';

export type { StreamReadOptions, StreamRowReadOptions } from '@redivis-ts/arrow';

/**
 * One stream of a read session (from `toReadStreams()`): hand it to a worker and read it there. Each reader resumes
 * from the last delivered row after a network error, like every other reader. Wraps `@redivis-ts/arrow`'s stream.
 */
export class ReadStream {
  /** The stream id. */
  readonly id: string;
  /** What the read session said about the stream (`id`, `estimatedRows`, …). */
  readonly properties: Readonly<
    Record<string, unknown> & {
      /** The stream id. */
      id: string;
      /** Rows the server expects the stream to hold, when it says. */
      estimatedRows?: number;
    }
  >;
  readonly #stream: arrow.ReadStream;

  /** @internal built by `toReadStreams()`. */
  constructor(stream: arrow.ReadStream) {
    this.#stream = stream;
    this.id = stream.id;
    this.properties = stream.properties as ReadStream['properties'];
  }

  /** API path of the stream, `/readStreams/{id}`. */
  get uri(): string {
    return this.#stream.uri;
  }

  /** Rows the server expects in this stream, when it said. */
  get estimatedRows(): number | undefined {
    return this.#stream.estimatedRows;
  }

  /** The stream's record batches. */
  toArrowBatchIterator(options?: StreamReadOptions): AsyncIterable<RecordBatch> {
    return this.#stream.toArrowBatchIterator(options);
  }

  /** The stream's rows as one apache-arrow `Table`. */
  toArrowTable(options?: StreamReadOptions): Promise<ArrowTable> {
    return this.#stream.toArrowTable(options);
  }

  /** The stream's rows as plain objects (or arrays with `rowMode: 'arrays'`). */
  listRows(options: StreamRowReadOptions & { rowMode: 'arrays' }): Promise<RowValue[][]>;
  listRows(options?: StreamRowReadOptions & { rowMode?: 'objects' }): Promise<Row[]>;
  listRows(options?: StreamRowReadOptions): Promise<Row[] | RowValue[][]> {
    return this.#stream.listRows(options as StreamRowReadOptions & { rowMode?: 'objects' });
  }

  /** The stream's rows one by one, in flat memory (objects, or arrays with `rowMode: 'arrays'`). */
  toRowIterator(options: StreamRowReadOptions & { rowMode: 'arrays' }): AsyncIterable<RowValue[]>;
  toRowIterator(options?: StreamRowReadOptions & { rowMode?: 'objects' }): AsyncIterable<Row>;
  toRowIterator(options?: StreamRowReadOptions): AsyncIterable<Row | RowValue[]> {
    return this.#stream.toRowIterator(options as StreamRowReadOptions & { rowMode?: 'objects' });
  }

  /** The stream's record batches as a web `ReadableStream`. */
  toReadableStream(options?: StreamReadOptions): ReadableStream<RecordBatch> {
    return this.#stream.toReadableStream(options);
  }

  /** The stream's rows as a GeoJSON FeatureCollection. */
  toGeoJSON(
    options?: Omit<GeoJSONOptions, 'variables' | 'maxParallelization'>,
  ): Promise<FeatureCollection<Geometry | null, FeatureProperties>> {
    return this.#stream.toGeoJSON(options);
  }
}
