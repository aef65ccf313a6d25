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
  materializeQuery,
  type OutputColumn,
  QueryExecutionError,
  type QueryOutput,
} from './execute.js';
