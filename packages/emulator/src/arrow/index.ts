export { type ColumnBuilder, createColumnBuilder } from './columns.js';
export {
  buildReadSql,
  denseRowidBase,
  partitionRows,
  quoteIdent,
  type ReadRange,
  type ReadSqlColumn,
  rowidBoundsSql,
} from './read-sql.js';
export { toReadableStream } from './readable.js';
export {
  arrowSchemaFor,
  arrowTypeFor,
  DUCKDB_STORAGE_TYPE,
  DUCKDB_TYPE_ID,
  REDIVIS_TYPES,
  type ReadColumn,
  type RedivisType,
  redivisTypeForDuckDB,
} from './types.js';
export { ArrowColumnMismatchError, type ArrowStreamOptions, arrowIpcStream } from './writer.js';
