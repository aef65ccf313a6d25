import type {
  FeatureProperties,
  GeoJSONOptions,
  ReadOptions,
  ReadStream,
  Row,
  RowReadOptions,
  RowValue,
  ToReadStreamsOptions,
} from '@redivis-ts/arrow';
import * as arrow from '@redivis-ts/arrow';
import type { RecordBatch, Table as ArrowTable } from 'apache-arrow';
import type { FeatureCollection, Geometry } from 'geojson';
import type { ResourceContext } from './context.js';
import { iterableToStream } from './streams.js';

export type {
  GeoJSONOptions,
  ReadOptions,
  Row,
  RowMode,
  RowReadOptions,
  RowValue,
  ToReadStreamsOptions,
} from '@redivis-ts/arrow';

/** The number of streams {@link TabularReader.toReadStreams} asks for when no count is given. */
function defaultStreamCount(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  return typeof cores === 'number' && cores > 0 ? cores : 4;
}

/**
 * The data readers shared by {@link Table}, {@link Query} and {@link Upload}: each resolves the source's API path
 * (a query first waits until it has completed) and streams through `@redivis-ts/arrow`, so memory stays flat
 * however many rows there are. Options and type mapping are `@redivis-ts/arrow`'s {@link ReadOptions}.
 */
export abstract class TabularReader {
  /** @internal the context the readers use. */
  protected abstract readerContext(): ResourceContext;
  /** @internal the API path rows are read from, once the source is ready (queries wait here). */
  protected abstract readerUri(signal?: AbortSignal): Promise<string>;

  /** Record batches as an async iterable that streams (at most `maxParallelization` streams in flight). */
  toArrowBatchIterator(options?: ReadOptions): AsyncIterable<RecordBatch> {
    const ctx = this.readerContext();
    const resolve = () => this.readerUri(options?.signal);
    return {
      async *[Symbol.asyncIterator]() {
        const uri = await resolve();
        yield* arrow.toArrowBatchIterator(ctx.client, uri, options);
      },
    };
  }

  /** Every row in one apache-arrow `Table`. */
  async toArrowTable(options?: ReadOptions): Promise<ArrowTable> {
    const uri = await this.readerUri(options?.signal);
    return arrow.toArrowTable(this.readerContext().client, uri, options);
  }

  /**
   * Every row as a plain object keyed by variable name (or, with `rowMode: 'arrays'`, an array of values in
   * variable order), values typed per the arrow package's mapping. Holds every row; {@link toRowIterator} walks
   * any number in flat memory.
   */
  async listRows(options: RowReadOptions & { rowMode: 'arrays' }): Promise<RowValue[][]>;
  async listRows(options?: RowReadOptions & { rowMode?: 'objects' }): Promise<Row[]>;
  async listRows(options?: RowReadOptions): Promise<Row[] | RowValue[][]> {
    const uri = await this.readerUri(options?.signal);
    return arrow.listRows(
      this.readerContext().client,
      uri,
      options as RowReadOptions & { rowMode?: 'objects' },
    );
  }

  /**
   * The rows one by one, as objects (or arrays with `rowMode: 'arrays'`), in flat memory however many there are:
   * `for await (const row of table.toRowIterator()) …`. Rows of parallel streams interleave batch by batch
   * (`maxParallelization: 1` keeps table order); breaking out of the loop cancels the open responses.
   */
  toRowIterator(options: RowReadOptions & { rowMode: 'arrays' }): AsyncIterable<RowValue[]>;
  toRowIterator(options?: RowReadOptions & { rowMode?: 'objects' }): AsyncIterable<Row>;
  toRowIterator(options?: RowReadOptions): AsyncIterable<Row | RowValue[]> {
    const ctx = this.readerContext();
    const resolve = () => this.readerUri(options?.signal);
    return {
      async *[Symbol.asyncIterator]() {
        const uri = await resolve();
        yield* arrow.toRowIterator(ctx.client, uri, options as RowReadOptions & { rowMode?: 'objects' });
      },
    };
  }

  /** A web `ReadableStream` of record batches (pull-based: a slow reader slows the download). */
  toReadableStream(options?: ReadOptions): ReadableStream<RecordBatch> {
    return iterableToStream(() => this.toArrowBatchIterator(options));
  }

  /**
   * A read session split into up to `count` streams (default: the number of CPU cores) for callers that
   * parallelise themselves, e.g. across workers. The server may return fewer.
   */
  async toReadStreams(
    count: number = defaultStreamCount(),
    options?: ToReadStreamsOptions,
  ): Promise<ReadStream[]> {
    const uri = await this.readerUri(options?.signal);
    return arrow.toReadStreams(this.readerContext().client, uri, count, options);
  }

  /** A GeoJSON FeatureCollection built from the WKT geography variable (the JS take on geopandas / sf). */
  async toGeoJSON(options?: GeoJSONOptions): Promise<FeatureCollection<Geometry | null, FeatureProperties>> {
    const uri = await this.readerUri(options?.signal);
    return arrow.toGeoJSON(this.readerContext().client, uri, options);
  }
}
