import { type CallOptions, callOptionsOf } from '@redivis-ts/core';
import type { RecordBatch, Table } from 'apache-arrow';
import type { FeatureCollection, Geometry } from 'geojson';
import { type FeatureProperties, featureCollection, type GeoJSONOptions } from './geojson.js';
import {
  checkReadOptions,
  collectRows,
  collectTable,
  iteratorToReadableStream,
  type ReadPlan,
  readPlan,
  untag,
} from './pipeline.js';
import { createReadSession, listVariables, selectVariables } from './session.js';
import { iterateRows } from './row-iterator.js';
import { checkRowMode } from './rows.js';
import type {
  ArrowClient,
  ReadOptions,
  ReadStreamInfo,
  Row,
  RowMode,
  RowValue,
  VariableInfo,
} from './types.js';

/** Options of a {@link ReadStream}'s readers: the stream's variables are fixed by its session. */
export type StreamReadOptions = Omit<ReadOptions, 'variables' | 'maxParallelization'>;

/** Options of a {@link ReadStream}'s row readers: {@link StreamReadOptions} plus the row shape. */
export interface StreamRowReadOptions extends StreamReadOptions {
  /**
   * Row shape: objects keyed by variable name, or arrays of values in variable order.
   * @default 'objects'
   */
  rowMode?: RowMode;
}

/**
 * One stream of a read session, for callers that parallelise reads themselves (workers, processes, machines).
 * The streams of a session together hold every row exactly once. Each reader resumes by offset on failure like
 * the session readers do.
 */
export class ReadStream {
  /** Stream id (`GET /readStreams/{id}`). */
  readonly id: string;
  /** Rows the server expects in this stream, when it said. */
  readonly estimatedRows: number | undefined;
  /** The stream object as the server returned it. */
  readonly properties: Readonly<ReadStreamInfo>;
  /** The variables the stream holds, in column order. */
  readonly variables: readonly VariableInfo[];
  readonly #client: ArrowClient;

  /**
   * @param client - The core client.
   * @param info - The stream object from the read session.
   * @param variables - The session's variables, in order.
   */
  constructor(client: ArrowClient, info: ReadStreamInfo, variables: readonly VariableInfo[]) {
    this.#client = client;
    this.id = info.id;
    this.estimatedRows = typeof info.estimatedRows === 'number' ? info.estimatedRows : undefined;
    this.properties = info;
    this.variables = variables;
  }

  /** The stream's URI, `/readStreams/{id}`. */
  get uri(): string {
    return `/readStreams/${encodeURIComponent(this.id)}`;
  }

  #plan(options: StreamReadOptions): ReadPlan {
    checkReadOptions(options);
    return { streams: [this.properties], variables: this.variables };
  }

  /** Streams this stream's rows as record batches; see {@link toArrowBatchIterator}. */
  async *toArrowBatchIterator(options: StreamReadOptions = {}): AsyncGenerator<RecordBatch, void, undefined> {
    yield* untag(readPlan(this.#client, this.#plan(options), options));
  }

  /** Reads this stream into one Arrow Table; see {@link toArrowTable}. */
  async toArrowTable(options: StreamReadOptions = {}): Promise<Table> {
    const plan = this.#plan(options);
    return collectTable(readPlan(this.#client, plan, options), plan);
  }

  /** Reads this stream's rows as plain objects (or arrays with `rowMode: 'arrays'`); see {@link listRows}. */
  async listRows(options: StreamRowReadOptions & { rowMode: 'arrays' }): Promise<RowValue[][]>;
  async listRows(options?: StreamRowReadOptions & { rowMode?: 'objects' }): Promise<Row[]>;
  async listRows(options: StreamRowReadOptions = {}): Promise<Row[] | RowValue[][]> {
    checkRowMode(options.rowMode);
    const plan = this.#plan(options);
    return collectRows<Row>(readPlan(this.#client, plan, options), plan, options);
  }

  /** Streams this stream's rows one by one in flat memory; see {@link toRowIterator}. */
  toRowIterator(
    options: StreamRowReadOptions & { rowMode: 'arrays' },
  ): AsyncGenerator<RowValue[], void, undefined>;
  toRowIterator(
    options?: StreamRowReadOptions & { rowMode?: 'objects' },
  ): AsyncGenerator<Row, void, undefined>;
  toRowIterator(options: StreamRowReadOptions = {}): AsyncGenerator<Row | RowValue[], void, undefined> {
    const client = this.#client;
    const plan = () => this.#plan(options);
    async function* batches() {
      yield* readPlan(client, plan(), options);
    }
    return iterateRows(batches(), options);
  }

  /** This stream's batches as a web ReadableStream; see {@link toReadableStream}. */
  toReadableStream(options: StreamReadOptions = {}): ReadableStream<RecordBatch> {
    return iteratorToReadableStream(this.toArrowBatchIterator(options));
  }

  /** This stream's rows as a GeoJSON FeatureCollection; see {@link toGeoJSON}. */
  async toGeoJSON(
    options: Omit<GeoJSONOptions, 'variables' | 'maxParallelization'> = {},
  ): Promise<FeatureCollection<Geometry | null, FeatureProperties>> {
    return featureCollection(this.#client, this.#plan(options), options);
  }
}

/** Options of {@link toReadStreams}: the call options every method takes, and what the streams hold. */
export interface ToReadStreamsOptions extends CallOptions {
  /** Variables the streams hold, matched case-insensitively; their order sets the column order. Default: all. */
  variables?: string[];
  /** Cap on the rows across all streams. */
  maxResults?: number;
}

/**
 * Creates a read session with up to `count` streams and returns them, for callers that read streams in parallel
 * themselves. The server may return fewer streams than asked for (small tables often have one).
 *
 * @param client - The core client.
 * @param sourceUri - API path of a table, query or upload.
 * @param count - Streams to ask for (a positive integer).
 * @param options - See {@link ToReadStreamsOptions}.
 */
export async function toReadStreams(
  client: ArrowClient,
  sourceUri: string,
  count: number,
  options: ToReadStreamsOptions = {},
): Promise<ReadStream[]> {
  if (!(Number.isSafeInteger(count) && count >= 1)) {
    throw new RangeError(`count must be a positive integer, got ${count}`);
  }
  checkReadOptions(options);
  const variables = selectVariables(
    await listVariables(client, sourceUri, callOptionsOf(options)),
    options.variables,
    sourceUri,
  );
  const session = await createReadSession(client, sourceUri, {
    requestedStreamCount: count,
    ...(options.maxResults !== undefined ? { maxResults: options.maxResults } : {}),
    ...(options.variables !== undefined ? { variables: options.variables } : {}),
    ...callOptionsOf(options),
  });
  return session.streams.map((info) => new ReadStream(client, info, variables));
}
