import {
  Bool,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int64,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimeMicrosecond,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import type { VariableInfo } from '../../src/index.js';
import { allocate, fixedWidthData } from '../../src/storage.js';
import type { FixtureTable } from './arrow-server.js';

/** A column given as JS values; `null` is a null. Integers/timestamps/times as bigint, dates as epoch days. */
export type Column = { name: string; type: DataType; values: unknown[] };

/** Builds an Arrow table from columns, writing raw storage values so microseconds survive. */
export function tableOf(columns: Column[]): Table {
  const length = columns[0]?.values.length ?? 0;
  const fields = columns.map((c) => new Field(c.name, c.type, true));
  const children = columns.map((c) => dataOf(c.type, c.values));
  const schema = new Schema(fields);
  return new Table(
    schema,
    new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children })),
  );
}

function dataOf(type: DataType, values: unknown[]) {
  if (type instanceof Utf8 || type instanceof Bool || type instanceof Float64) {
    return vectorFromArray(values as never[], type).data[0]!;
  }
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  const storage = allocate(type, values.length);
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else {
      bitmap[i >> 3]! |= 1 << (i & 7);
      storage[i] = v as number | bigint;
    }
  });
  return fixedWidthData(type, values.length, nullCount, bitmap, storage);
}

/** Rows `start..end` of a deterministic numeric table: id (integer), x (float), label (string). */
export function numericTable(start: number, end: number): Table {
  const ids = Array.from({ length: end - start }, (_, i) => BigInt(start + i));
  return tableOf([
    { name: 'id', type: new Int64(), values: ids },
    { name: 'x', type: new Float64(), values: ids.map((id) => Number(id) / 4) },
    { name: 'label', type: new Utf8(), values: ids.map((id) => (id % 7n === 0n ? null : `row ${id}`)) },
  ]);
}

/** The variables of {@link numericTable}. */
export const NUMERIC_VARIABLES: VariableInfo[] = [
  { name: 'id', type: 'integer' },
  { name: 'x', type: 'float' },
  { name: 'label', type: 'string' },
];

/** A numeric fixture of `rows` rows split evenly over `streams` streams. */
export function numericFixture(rows: number, streams: number, batchRows = 1000): FixtureTable {
  const per = Math.ceil(rows / streams);
  return {
    variables: NUMERIC_VARIABLES,
    batchRows,
    streams: Array.from({ length: streams }, (_, s) => numericTable(s * per, Math.min(rows, (s + 1) * per))),
  };
}

/** The variables of {@link typedTable}: one per Redivis type. */
export const TYPED_VARIABLES: VariableInfo[] = [
  { name: 'id', type: 'integer' },
  { name: 'big', type: 'integer' },
  { name: 'f', type: 'float' },
  { name: 'b', type: 'boolean' },
  { name: 'd', type: 'date' },
  { name: 'dt', type: 'dateTime' },
  { name: 't', type: 'time' },
  { name: 's', type: 'string' },
  { name: 'geom', type: 'geography' },
];

/** Four rows covering every type, microsecond precision, dates before 1970, and a null in every column. */
export function typedTable(): Table {
  return tableOf([
    { name: 'id', type: new Int64(), values: [1n, 2n, 3n, 4n] },
    { name: 'big', type: new Int64(), values: [9007199254740993n, -5n, null, 42n] },
    { name: 'f', type: new Float64(), values: [1.5, null, -0.25, 1e300] },
    { name: 'b', type: new Bool(), values: [true, false, null, true] },
    { name: 'd', type: new DateDay(), values: [18628, -1, null, 0] },
    {
      name: 'dt',
      type: new TimestampMicrosecond(),
      values: [1609459200123456n, -1n, null, 0n],
    },
    { name: 't', type: new TimeMicrosecond(), values: [45296000001n, 0n, 86399999999n, null] },
    { name: 's', type: new Utf8(), values: ['héllo', '', null, 'x'] },
    {
      name: 'geom',
      type: new Utf8(),
      values: [
        'POINT (30 10)',
        'LINESTRING (30 10, 10 30, 40 40)',
        null,
        'POLYGON ((30 10, 40 40, 20 40, 10 20, 30 10))',
      ],
    },
  ]);
}

/** A checksum of id values that also detects duplicates and losses: count, sum and sum of squares. */
export function checksum(ids: Iterable<bigint | number>): string {
  let count = 0n;
  let sum = 0n;
  let squares = 0n;
  for (const raw of ids) {
    const id = BigInt(raw);
    count++;
    sum += id;
    squares += id * id;
  }
  return `${count}:${sum}:${squares}`;
}

/** The checksum of ids 0..n-1. */
export function expectedChecksum(n: number): string {
  return checksum(Array.from({ length: n }, (_, i) => BigInt(i)));
}

/** Rows start..end-1 of {@link generatedFixture}'s streams (id, x), built straight from typed arrays. */
export function idBatch(start: number, end: number): RecordBatch {
  const ids = new BigInt64Array(end - start);
  const xs = new Float64Array(end - start);
  for (let i = 0; i < ids.length; i++) {
    ids[i] = BigInt(start + i);
    xs[i] = (start + i) / 4;
  }
  return new RecordBatch({ id: makeVector(ids).data[0]!, x: makeVector(xs).data[0]! });
}

/** A fixture of (id integer, x float) whose streams are generated batch by batch while they are sent. */
export function generatedFixture(rows: number, streams: number, batchRows = 1000): FixtureTable {
  const per = Math.ceil(rows / streams);
  return {
    variables: NUMERIC_VARIABLES.slice(0, 2),
    batchRows,
    streams: Array.from({ length: streams }, (_, s) => {
      const first = s * per;
      return {
        numRows: Math.min(per, rows - first),
        batch: (start: number, end: number) => idBatch(first + start, first + end),
      };
    }),
  };
}
