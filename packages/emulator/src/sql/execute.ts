import type { DuckDBAppender, DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
import { materializedChunks, materializedRows } from '../store/materialized.js';
import { quoteIdent } from '../store/identifiers.js';
import { CACHE_SCHEMA } from './input-cache.js';
import { OUTPUT_SCHEMA, type Sandbox } from './sandbox.js';
import { checkedSql } from './sql-check.js';
import type { SqlTableRef, TableResolver, TranslatedSql } from './translate.js';
import { INPUT_SCHEMA } from './tree-check.js';
import { duckdbStorageType, numBytesSql, variableTypeOfDuckDB } from '../store/duckdb-types.js';
import type { VariableType } from '@redivis-ts/core';

/** One column of a query's output (the Query resource's `outputSchema` entries). */
export interface OutputColumn {
  name: string;
  type: VariableType;
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

/** A table the query may read: its relation in the emulator's database and its name in the sandbox's input schema. */
export interface QueryInput {
  name: string;
  source: string;
  /**
   * Set only when the rows of `source` cannot change (a table of a released version): a sandbox may keep its copy
   * under this key for the same user's later jobs (input-cache.ts).
   */
  cacheKey?: string;
  /** The table's size estimate (its `numBytes`), counted against the sandbox's cache budget. */
  numBytes?: number;
}

/** What a resolver hands {@link sandboxInputs}: a relation, or a relation with what its copy may be cached under. */
export type InputTable = string | { relation: string; cacheKey?: string; numBytes?: number };

/**
 * A resolver for {@link translateSql} that names each table by its place in the sandbox (`input."rdv_table_<n>"`),
 * with `inputs` collecting which relation of the emulator's database each name is copied from (once per relation).
 */
export function sandboxInputs(resolveRelation: (ref: SqlTableRef) => Promise<InputTable> | InputTable): {
  resolve: TableResolver;
  inputs: QueryInput[];
} {
  const inputs: QueryInput[] = [];
  const resolve: TableResolver = async (ref) => {
    const resolved = await resolveRelation(ref);
    const table = typeof resolved === 'string' ? { relation: resolved } : resolved;
    const source = table.relation;
    let input = inputs.find((i) => i.source === source);
    if (!input) {
      input = { name: `rdv_table_${inputs.length}`, source };
      if (table.cacheKey !== undefined) input.cacheKey = table.cacheKey;
      if (table.numBytes !== undefined) input.numBytes = table.numBytes;
      inputs.push(input);
    }
    return `${INPUT_SCHEMA}.${quoteIdent(input.name)}`;
  };
  return { resolve, inputs };
}

/** Where a completed query's output goes in the emulator's database. */
export interface OutputTarget {
  schema: string;
  table: string;
}

/** What {@link runQueryInSandbox} needs besides the SQL. */
export interface SandboxJob {
  sandbox: Sandbox;
  /** Opens a connection to the emulator's database (and tracks it, so a stop or a cancel can interrupt it). */
  openMain(): Promise<DuckDBConnection>;
  releaseMain(conn: DuckDBConnection): void;
  inputs: readonly QueryInput[];
  /** The user the job runs for: the sandbox's kept input copies are theirs alone. Without it nothing is kept. */
  userId?: string;
  /** Checked between steps: an abort (cancel, time limit, stop) ends the job before its next statement. */
  signal?: AbortSignal;
  output: OutputTarget;
  /** Output larger than this (in BigQuery bytes) fails the query and is never copied out of the sandbox. */
  outputLimitBytes: number;
}

/**
 * Runs a translated query in a sandbox: checks its parse tree against the allow-lists (sql-check.ts), copies the
 * input tables from the emulator's database into the sandbox, builds the output there with each column cast to the
 * storage type of its Redivis type, measures it, and copies it to `output` in the emulator's database. Column
 * names follow BigQuery: expressions without a usable name become `f<index>_`, and duplicate names fail the query.
 * The output table is created in the emulator's database while the sandbox builds the rows (its columns are known
 * once the statement is prepared): each of the two is a round trip to a different DuckDB instance.
 */
export async function runQueryInSandbox(job: SandboxJob, translated: TranslatedSql): Promise<QueryOutput> {
  const { sandbox, signal } = job;
  const sql = await checkedSql(sandbox.conn, translated, new Set(job.inputs.map((i) => i.name)));
  signal?.throwIfAborted();
  let main: DuckDBConnection | undefined;
  const connectMain = async () => {
    main ??= await job.openMain();
    return main;
  };
  let target: Promise<DuckDBAppender> | undefined;
  try {
    const views = await provideInputs(job, connectMain);
    const result = `${OUTPUT_SCHEMA}.${quoteIdent('result')}`;
    signal?.throwIfAborted();
    const checked = { ...translated, sql };
    const schema = await outputSchema(sandbox.conn, checked, views);
    const columns = schema.map((c) => `${quoteIdent(c.name)} ${duckdbStorageType(c.type)}`).join(', ');
    // The table and its rows are one transaction: one commit (a WAL sync) instead of two, and the appender's flush
    // (synchronous, on the event loop) writes no WAL; the COMMIT syncs it on DuckDB's side.
    target = connectMain().then(async (conn) => {
      await conn.run(
        `BEGIN TRANSACTION; CREATE TABLE ${job.output.schema}.${quoteIdent(job.output.table)} (${columns})`,
      );
      return conn.createAppender(job.output.table, job.output.schema);
    });
    // Awaited below on every path, but it may fail (a cancel interrupts the connection) while the sandbox works.
    target.catch(() => undefined);
    const output = await materialize(sandbox.conn, checked, schema, result);
    if (output.numBytes > job.outputLimitBytes) {
      throw new QueryExecutionError(
        `Query output too large: ${output.numBytes} bytes exceed the emulator's limit of ${job.outputLimitBytes} bytes (queryOutputLimitBytes)`,
      );
    }
    signal?.throwIfAborted();
    await copyOutput(sandbox.conn, result, output, await target);
    await (await connectMain()).run('COMMIT');
    return output;
  } catch (error) {
    // A failed job stores nothing: the transaction creating its output table (maybe still being begun) rolls back.
    const appender = await target?.catch(() => undefined);
    if (appender && main) {
      try {
        appender.closeSync();
      } catch {
        // Already closed; the transaction rolls back anyway.
      }
      await main.run('ROLLBACK').catch(() => undefined);
    }
    throw error;
  } finally {
    if (main) job.releaseMain(main);
  }
}

/**
 * Puts each input in the sandbox's input schema: a copy from the emulator's database, or, for an input whose copy
 * the sandbox keeps (input-cache.ts; made now when the input is immutable and fits), a view of that copy. The views
 * are returned as statements for the caller to run with its next one: a round trip each saved.
 */
async function provideInputs(
  job: SandboxJob,
  connectMain: () => Promise<DuckDBConnection>,
): Promise<string[]> {
  const views: string[] = [];
  const { sandbox, signal } = job;
  const cache = job.userId === undefined ? undefined : sandbox.cache;
  if (cache && job.userId !== undefined) await cache.claim(sandbox.conn, job.userId);
  const keys = new Set(job.inputs.flatMap((i) => (i.cacheKey === undefined ? [] : [i.cacheKey])));
  for (const input of job.inputs) {
    signal?.throwIfAborted();
    const target = `${INPUT_SCHEMA}.${quoteIdent(input.name)}`;
    const key = cache ? input.cacheKey : undefined;
    const kept = key === undefined ? undefined : cache?.lookup(key);
    if (kept) {
      views.push(`CREATE VIEW ${target} AS SELECT * FROM ${kept}`);
      continue;
    }
    const bytes = input.numBytes ?? 0;
    const table = key === undefined ? undefined : await cache?.reserve(sandbox.conn, bytes, keys);
    const select = `SELECT * FROM ${input.source}`;
    if (key === undefined || table === undefined || !cache) {
      await copyRows(await connectMain(), select, sandbox.conn, { schema: INPUT_SCHEMA, table: input.name });
      continue;
    }
    await copyRows(await connectMain(), select, sandbox.conn, { schema: CACHE_SCHEMA, table });
    cache.add(key, table, bytes);
    views.push(`CREATE VIEW ${target} AS SELECT * FROM ${cache.lookup(key)}`);
  }
  return views;
}

/** An output column with the cast that stores it as its Redivis type. */
type PlannedColumn = OutputColumn & { cast: string };

/**
 * The output's columns, as DuckDB describes the checked statement (after running `before`, in the same round trip):
 * BigQuery's names and each column's Redivis type.
 */
async function outputSchema(
  conn: DuckDBConnection,
  translated: TranslatedSql,
  before: readonly string[],
): Promise<PlannedColumn[]> {
  const described = await describe(conn, translated, before);
  const seen = new Set<string>();
  return described.map((column, index): PlannedColumn => {
    const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(column.name) ? column.name : `f${index}_`;
    const key = name.toLowerCase();
    if (seen.has(key)) {
      throw new QueryExecutionError(
        `Duplicate column names in the result are not supported. Found duplicate(s): ${name}`,
      );
    }
    seen.add(key);
    const type = variableTypeOfDuckDB(column.typeName);
    const source = `q.${quoteIdent(`c${index}`)}`;
    const value = column.typeName === TIMESTAMP_TZ ? `timezone('UTC', ${source})` : source;
    return { name, type, cast: `CAST(${value} AS ${duckdbStorageType(type)}) AS ${quoteIdent(name)}` };
  });
}

async function materialize(
  conn: DuckDBConnection,
  translated: TranslatedSql,
  schema: readonly PlannedColumn[],
  relation: string,
): Promise<QueryOutput> {
  const aliases = schema.map((_, i) => quoteIdent(`c${i}`)).join(', ');
  const sizes = numBytesSql(schema.map((c) => ({ column: c.name, type: c.type })));
  let n: bigint;
  let bytes: bigint | number;
  try {
    // One round trip: DuckDB runs both statements and answers the last (only the first can fail on user SQL).
    const stats = await conn.run(
      `CREATE TABLE ${relation} AS SELECT ${schema.map((c) => c.cast).join(', ')} FROM (${translated.sql}\n) AS q(${aliases});
       SELECT count(*) AS n, ${sizes} AS bytes FROM ${relation}`,
    );
    [n, bytes] = materializedRows(stats)[0] as [bigint, bigint | number];
  } catch (error) {
    throw new QueryExecutionError(cleanMessage(error, translated));
  }
  return {
    schema: schema.map(({ name, type }) => ({ name, type })),
    numRows: Number(n),
    numBytes: Number(bytes),
  };
}

/**
 * Copies the rows of `select` (run on `from`) into a new table `to` on another instance: {@link appendRows} after
 * creating the table with the result's column types.
 */
async function copyRows(
  from: DuckDBConnection,
  select: string,
  to: DuckDBConnection,
  target: OutputTarget,
): Promise<void> {
  const result = await from.stream(select);
  const names = result.columnNames();
  const types = result.columnTypes();
  const columns = names.map((name, i) => `${quoteIdent(name)} ${String(types[i])}`).join(', ');
  await to.run(`CREATE TABLE ${target.schema}.${quoteIdent(target.table)} (${columns})`);
  await appendResult(result, to, target);
}

/**
 * Outputs of at most this many bytes (the `outputNumBytes` measure, where a null counts nothing) and rows are read
 * out of the sandbox in one materialized round trip; larger ones are streamed chunk by chunk, so the sandbox never
 * holds a second copy of a large output.
 */
const MATERIALIZED_OUTPUT = { numBytes: 16 * 1024 * 1024, numRows: 100_000 };

/** Appends the sandbox's output `relation` to the emulator's output table through its appender. */
async function copyOutput(
  sandbox: DuckDBConnection,
  relation: string,
  output: QueryOutput,
  appender: DuckDBAppender,
): Promise<void> {
  const select = `SELECT * FROM ${relation}`;
  try {
    if (output.numBytes <= MATERIALIZED_OUTPUT.numBytes && output.numRows <= MATERIALIZED_OUTPUT.numRows) {
      for (const chunk of materializedChunks(await sandbox.run(select))) appender.appendDataChunk(chunk);
    } else {
      await appendChunks(await sandbox.stream(select), appender);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Appends every chunk a streamed result still has, one at a time (never the whole result in memory). */
async function appendChunks(result: DuckDBResult, appender: DuckDBAppender): Promise<void> {
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    appender.appendDataChunk(chunk);
  }
}

/**
 * Appends a streamed result chunk by chunk through an appender: the two DuckDB instances share nothing, so this is
 * the only way data crosses between them. The target is dropped when the copy fails.
 */
async function appendResult(result: DuckDBResult, to: DuckDBConnection, target: OutputTarget): Promise<void> {
  try {
    const appender = await to.createAppender(target.table, target.schema);
    try {
      await appendChunks(result, appender);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  } catch (error) {
    await to.run(`DROP TABLE IF EXISTS ${target.schema}.${quoteIdent(target.table)}`).catch(() => undefined);
    throw error;
  }
}

/** DuckDB's name of TIMESTAMPTZ in a description. */
const TIMESTAMP_TZ = 'TIMESTAMP WITH TIME ZONE';

/**
 * The columns of the checked statement: DuckDB's DESCRIBE binds it without running it, like a prepare, and, unlike
 * a prepare, can follow other statements (`before`) in the same round trip.
 */
async function describe(
  conn: DuckDBConnection,
  translated: TranslatedSql,
  before: readonly string[],
): Promise<Array<{ name: string; typeName: string }>> {
  try {
    const result = await conn.run([...before, `DESCRIBE ${translated.sql}\n`].join(';\n'));
    return materializedRows(result).map(([name, typeName]) => ({
      name: String(name),
      typeName: String(typeName),
    }));
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
