export { BIGQUERY_COMPAT_MACROS, installCompatMacros } from './compat.js';
export { isKeyword, isTrivia, SqlSyntaxError, type Token, type TokenKind, tokenize } from './tokenizer.js';
export {
  lineCol,
  type SqlTableRef,
  SqlTranslationError,
  type TableResolver,
  type TranslatedSql,
  translateSql,
} from './translate.js';
export {
  cleanMessage,
  type InputTable,
  type OutputColumn,
  type OutputTarget,
  type QueryInput,
  QueryExecutionError,
  type QueryOutput,
  runQueryInSandbox,
  type SandboxJob,
  sandboxInputs,
} from './execute.js';
export { CACHE_SCHEMA, INPUT_CACHE_BYTES, InputCache } from './input-cache.js';
export { Sandbox, SandboxPool, sandboxPool } from './sandbox.js';
export { checkedSql } from './sql-check.js';
export { checkTree, INPUT_SCHEMA, SqlNotAllowedError } from './tree-check.js';
