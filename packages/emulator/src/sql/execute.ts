import { type DuckDBConnection, DuckDBTypeId } from '@duckdb/node-api';
import { quoteIdent } from '../arrow/read-sql.js';
import { DUCKDB_STORAGE_TYPE, type RedivisType, redivisTypeForDuckDB } from '../arrow/types.js';
import type { TranslatedSql } from './translate.js';

/** One column of a query's output (the Query resource's `outputSchema` entries). */
export interface OutputColumn {
  name: string;
  type: RedivisType;
}

/** What a completed query produced. */
export interface QueryOutput {
  schema: OutputColumn[];
  numRows: number;
  numBytes: number;
}

/** A query failure whose message is fit for the Query resource's `errorMessage`. */
export class QueryExecutionError extends Error {
  override readonly name = 'QueryExecutionError';
}

// Bytes per value, as BigQuery counts them (Redivis reports BigQuery sizes): strings add their UTF-8 length.
const FIXED_BYTES: Record<RedivisType, number> = {
  integer: 8,
  float: 8,
  boolean: 1,
  date: 8,
  dateTime: 8,
  time: 8,
  string: 2,
  geography: 2,
};

/**
 * Runs translated SQL and stores its result as `outputRelation`, each column cast to the storage type of its Redivis
 * type, so the output reads like any table (listRows, read sessions). Column names follow BigQuery: expressions
 * without a usable name become `f<index>_`, and duplicate names fail the query. The compatibility macros
 * (compat.ts) must be installed in the database.
 */
export async function materializeQuery(
  conn: DuckDBConnection,
  translated: TranslatedSql,
  outputRelation: string,
): Promise<QueryOutput> {
  const described = await describe(conn, translated);
  const seen = new Set<string>();
  const schema = described.map((column, index): OutputColumn & { cast: string } => {
    const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(column.name) ? column.name : `f${index}_`;
    const key = name.toLowerCase();
    if (seen.has(key)) {
      throw new QueryExecutionError(
        `Duplicate column names in the result are not supported. Found duplicate(s): ${name}`,
      );
    }
    seen.add(key);
    const type = redivisTypeForDuckDB(column.typeId);
    const source = `q.${quoteIdent(`c${index}`)}`;
    const value = column.typeId === DuckDBTypeId.TIMESTAMP_TZ ? `timezone('UTC', ${source})` : source;
    return { name, type, cast: `CAST(${value} AS ${DUCKDB_STORAGE_TYPE[type]}) AS ${quoteIdent(name)}` };
  });
  const aliases = described.map((_, i) => quoteIdent(`c${i}`)).join(', ');
  try {
    await conn.run(
      `CREATE TABLE ${outputRelation} AS SELECT ${schema.map((c) => c.cast).join(', ')} FROM (${translated.sql}\n) AS q(${aliases})`,
    );
  } catch (error) {
    throw new QueryExecutionError(cleanMessage(error, translated));
  }
  const sizes = schema.map((c) =>
    c.type === 'string' || c.type === 'geography'
      ? `coalesce(sum(strlen(${quoteIdent(c.name)}) + 2), 0)`
      : `count(${quoteIdent(c.name)}) * ${FIXED_BYTES[c.type]}`,
  );
  const stats = await conn.runAndReadAll(
    `SELECT count(*) AS n${sizes.length ? `, ${sizes.join(' + ')}` : ', 0'} AS bytes FROM ${outputRelation}`,
  );
  const [n, bytes] = stats.getRowsJS()[0] as [bigint, bigint | number];
  return {
    schema: schema.map(({ name, type }) => ({ name, type })),
    numRows: Number(n),
    numBytes: Number(bytes),
  };
}

async function describe(
  conn: DuckDBConnection,
  translated: TranslatedSql,
): Promise<Array<{ name: string; typeId: DuckDBTypeId }>> {
  try {
    const prepared = await conn.prepare(translated.sql);
    const columns = Array.from({ length: prepared.columnCount }, (_, i) => ({
      name: prepared.columnName(i),
      typeId: prepared.columnTypeId(i),
    }));
    prepared.destroySync();
    return columns;
  } catch (error) {
    throw new QueryExecutionError(cleanMessage(error, translated));
  }
}

/**
 * DuckDB's message with the emulator's storage names replaced by the references the user wrote, and without the
 * "Did you mean …" hints and echoed SQL lines, which would name internal tables.
 */
export function cleanMessage(error: unknown, translated: TranslatedSql): string {
  let message = error instanceof Error ? error.message : String(error);
  message = message
    .split('\n')
    .filter((line) => !/^\s*(Did you mean|LINE \d+:|\^)/.test(line) && line.trim() !== '')
    .join('\n')
    .replace(/\s*Candidate tables:.*$/s, '');
  for (const { ref, relation } of translated.tables) {
    message = message.replaceAll(relation, ref.reference);
    const bare = /"([^"]+)"$/.exec(relation)?.[1];
    if (bare) message = message.replaceAll(bare, ref.reference);
  }
  return message.replace(/(\n|LINE)\s*$/, '').trim();
}
