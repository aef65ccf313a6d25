import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIGQUERY_COMPAT_MACROS,
  type SqlTableRef,
  SqlTranslationError,
  tokenize,
  translateSql,
} from '../../src/sql/index.js';

/** A resolver over a fixed catalog, recording what it was asked. */
function catalog(entries: Record<string, string>) {
  const asked: SqlTableRef[] = [];
  const resolve = (ref: SqlTableRef) => {
    asked.push(ref);
    const relation = entries[ref.reference.toLowerCase()];
    if (!relation) throw new Error(`Table not found: ${ref.reference}`);
    return `"${relation}"`;
  };
  return { asked, resolve };
}

const iris = catalog({
  'demo.iris_species:v1_0.iris': 't_iris',
  'demo.iris_species.iris': 't_iris',
  'demo.iris_species:7br5:v1_0.iris:x1y2': 't_iris',
  'demo.iris species.iris': 't_iris',
  'demo.weather_sample:sample.stations': 't_stations_sample',
  'iris_species.iris': 't_iris',
  iris: 't_iris',
  'demo.weather_sample.stations': 't_stations',
});

const tr = async (sql: string) => (await translateSql(sql, iris.resolve)).sql;

describe('translateSql', () => {
  it('rewrites every documented reference form, keeping the table name as the implicit alias', async () => {
    expect(await tr('SELECT * FROM `demo.iris_species:v1_0.iris`')).toBe('SELECT * FROM "t_iris" AS "iris"');
    expect(await tr('SELECT * FROM demo.iris_species.iris')).toBe('SELECT * FROM "t_iris" AS "iris"');
    expect(await tr('SELECT * FROM demo.iris_species:v1_0.iris')).toBe('SELECT * FROM "t_iris" AS "iris"');
    expect(await tr('select * from `demo`.`iris species`.iris')).toBe('select * from "t_iris" AS "iris"');
    expect(await tr('SELECT * FROM demo.iris_species:7br5:v1_0.iris:x1y2 i')).toBe(
      'SELECT * FROM "t_iris" i',
    );
    expect(await tr('SELECT * FROM `demo.weather_sample:sample.stations` AS s')).toBe(
      'SELECT * FROM "t_stations_sample" AS s',
    );
    expect(await tr('SELECT * FROM iris_species.iris')).toBe('SELECT * FROM "t_iris" AS "iris"');
    expect(await tr('SELECT * FROM iris WHERE iris.species = "setosa"')).toBe(
      `SELECT * FROM "t_iris" AS "iris" WHERE iris.species = 'setosa'`,
    );
  });

  it('finds tables after JOIN, in comma lists and in subqueries, and leaves column paths alone', async () => {
    const sql = await tr(
      `SELECT a.x, b.y FROM demo.iris_species.iris a
       JOIN demo.weather_sample.stations AS b ON a.id = b.id, demo.iris_species.iris c
       WHERE a.x IN (SELECT x FROM demo.weather_sample.stations) AND upper(a.y, b.z) > 1
       GROUP BY a.x, b.y ORDER BY a.x, b.y`,
    );
    expect(sql).toContain('FROM "t_iris" a');
    expect(sql).toContain('JOIN "t_stations" AS b ON a.id = b.id, "t_iris" c');
    expect(sql).toContain('IN (SELECT x FROM "t_stations" AS "stations")');
    expect(sql).toContain('GROUP BY a.x, b.y ORDER BY a.x, b.y');
  });

  it('leaves CTE names, strings, comments and function tables untouched', async () => {
    const sql = await tr(
      `WITH setosa AS (SELECT * FROM iris WHERE species = 'iris FROM demo.x.y'), v (n) AS (SELECT 1)
       -- FROM demo.nothing.here
       SELECT * FROM setosa, v, UNNEST([1, 2]) AS u /* FROM demo.a.b */`,
    );
    expect(sql).toContain(`FROM "t_iris" AS "iris" WHERE species = 'iris FROM demo.x.y'`);
    expect(sql).toContain('-- FROM demo.nothing.here');
    expect(sql).toContain('FROM setosa, v, UNNEST([1, 2]) AS u /* FROM demo.a.b */');
  });

  it('maps BigQuery lexical forms to DuckDB ones', async () => {
    expect(await tr("SELECT `my col`, \"it's\", 'a\\nb', r'\\d+', SAFE_CAST(x AS FLOAT64) FROM iris")).toBe(
      `SELECT "my col", 'it''s', 'a\nb', '\\d+', TRY_CAST(x AS DOUBLE) FROM "t_iris" AS "iris"`,
    );
    expect(await tr('#standardSQL\nSELECT """multi\n"line" """')).toBe(
      `--standardSQL\nSELECT 'multi\n"line" '`,
    );
  });

  it('resolves each distinct reference once and reports what the query reads', async () => {
    const c = catalog({ 'a.b.c': 'r1' });
    const out = await translateSql('SELECT * FROM a.b.c x JOIN `a.b.c` y USING (k)', c.resolve);
    expect(c.asked.map((r) => r.parts)).toEqual([['a', 'b', 'c']]);
    expect(out.tables.map((t) => t.relation)).toEqual(['"r1"']);
  });

  it('refuses what is not a single Redivis query, with the position', async () => {
    const fails = async (sql: string, message: RegExp) => {
      const error = await translateSql(sql, iris.resolve).catch((e: unknown) => e);
      expect(error, sql).toBeInstanceOf(SqlTranslationError);
      expect((error as Error).message, sql).toMatch(message);
    };
    await fails('SELECT 1; DROP TABLE x', /one statement.*\[1:9\]/);
    await fails('DROP TABLE users', /Only queries/);
    await fails("SELECT * FROM '/etc/passwd'", /Expected a table reference/);
    await fails("SELECT * FROM read_csv('/etc/passwd')", /Table-valued function not found: read_csv/);
    await fails("SELECT * FROM iris WHERE x = 'open", /Unclosed string/);
    await fails('SELECT @param', /parameters are not supported/);
    await fails('SELECT * FROM a.b.c.d.e', /Invalid table reference/);
    await fails('   ', /empty/);
    await expect(translateSql('SELECT * FROM demo.unknown.t', iris.resolve)).rejects.toThrow(
      /Table not found/,
    );
  });

  it('tokenizes losslessly', () => {
    const sql = "SELECT `a\\`b`, 'x''y', r\"\\d\" -- c\n/* d */ 1.5e3 :: @p FROM t:7br5";
    expect(
      tokenize(sql)
        .map((t) => t.text)
        .join(''),
    ).toBe(sql);
  });
});

describe('translated SQL on DuckDB', () => {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
    for (const macro of BIGQUERY_COMPAT_MACROS) await conn.run(macro);
    await conn.run(
      `CREATE TABLE t_iris AS SELECT * FROM (VALUES (5.1, 'setosa'), (7.0, 'versicolor')) v(sepal_length, species)`,
    );
  });
  afterAll(() => {
    conn.closeSync();
    instance.closeSync();
  });

  it('runs with the implicit alias, BigQuery strings and compatibility functions', async () => {
    const sql = await tr(
      `SELECT iris.species, SAFE_DIVIDE(sepal_length, 0) AS d, SAFE_CAST('x' AS INT64) AS c,
        REGEXP_CONTAINS(species, r'^set') AS m, FORMAT_DATE('%Y', DATE '2020-05-01') AS y, DIV(7, 2) AS q
       FROM \`demo.iris_species:v1_0.iris\` WHERE species = "setosa"`,
    );
    const rows = (await conn.runAndReadAll(sql)).getRowObjectsJS();
    expect(rows).toEqual([{ species: 'setosa', d: null, c: null, m: true, y: '2020', q: 3 }]);
  });
});
