/**
 * `@redivis-ts/arrow`: read Redivis tables, query results and uploads as Apache Arrow record batches through read
 * sessions and streams — parallel, back-pressured, resumed by offset after network failures — or as plain rows,
 * an Arrow Table, a web ReadableStream, or GeoJSON.
 *
 * @packageDocumentation
 */
export { type CsvEncoder, csvEncoder } from './csv-encoder.js';
export {
  SchemaMismatchError,
  StreamReadError,
  StreamTruncatedError,
  UnknownVariableError,
  UnsafeIntegerError,
} from './errors.js';
export { type FeatureProperties, type GeoJSONOptions, toGeoJSON } from './geojson.js';
export {
  ReadStream,
  type StreamReadOptions,
  type StreamRowReadOptions,
  type ToReadStreamsOptions,
  toReadStreams,
} from './read-streams.js';
export { listRows, toArrowBatchIterator, toArrowTable, toReadableStream } from './readers.js';
export { receivedIpcBytes } from './received-ipc.js';
export { DEFAULT_RECONNECT } from './retry.js';
export { toRowIterator } from './row-iterator.js';
export { batchToColumns, batchToRows } from './rows.js';
export { arrowTypeForVariable, BatchReconciler, schemaForVariables } from './schema.js';
export { createReadSession, listVariables, type ReadSessionOptions, selectVariables } from './session.js';
export { type ReadStreamOptions, readStream } from './stream.js';
export type {
  ArrayRowReadOptions,
  ArrowClient,
  BatchPreprocessor,
  Int64Mode,
  ReadOptions,
  ReadProgress,
  ReadSession,
  ReadStreamInfo,
  ReconnectOptions,
  Row,
  RowMode,
  RowReadOptions,
  RowValue,
  VariableInfo,
  VariableType,
} from './types.js';
