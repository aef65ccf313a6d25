export { type ColumnBuilder, createColumnBuilder } from './columns.js';
export {
  buildReadSql,
  denseRowidBase,
  partitionRows,
  type ReadRange,
  type ReadSqlColumn,
  rowidBoundsSql,
} from './read-sql.js';
export { toReadableStream } from './readable.js';
export { arrowSchemaFor, arrowTypeFor, type ReadColumn } from './types.js';
export { ArrowColumnMismatchError, type ArrowStreamOptions, arrowIpcStream } from './writer.js';
