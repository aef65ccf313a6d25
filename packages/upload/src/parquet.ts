import type { Data, DataType, Dictionary, RecordBatch, Vector } from 'apache-arrow';
import { DateUnit, Precision, TimeUnit, Type, vectorFromArray } from 'apache-arrow';
import type { ColumnSource } from 'hyparquet-writer';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import { UploadUsageError } from './errors.js';
import { isArrowTable, isRecordBatch, type RowInput, type TabularData } from './tabular.js';

type SchemaElement = NonNullable<Parameters<typeof parquetWrite>[0]['schema']>[number];
interface Column {
  source: ColumnSource;
  element: SchemaElement;
}

const MICROS: Record<number, bigint> = {
  [TimeUnit.SECOND]: 1_000_000n,
  [TimeUnit.MILLISECOND]: 1_000n,
  [TimeUnit.MICROSECOND]: 1n,
};

// The values of a fixed-width vector read straight from its buffers, converted, nulls kept: one loop over a typed
// array instead of a boxed `get()` per row (the profile's hot spot with garbage collection). A sliced Data's
// `values` already start at its first row; its `offset` only applies to the validity bitmap, which `getValid` reads.
function rawValues<T>(vector: Vector, convert: (raw: bigint | number) => T): (T | null)[] {
  const out = new Array<T | null>(vector.length);
  let at = 0;
  for (const data of vector.data as Data<DataType>[]) {
    const values = data.values as unknown as ArrayLike<bigint | number>;
    const nulls = data.nullCount > 0;
    for (let i = 0; i < data.length; i++)
      out[at++] = !nulls || data.getValid(i) ? convert(values[i] as bigint | number) : null;
  }
  return out;
}

// Values without nulls whose Parquet form is their Arrow form (int64, float64, date32, µs timestamps and times), as
// one typed array copied from the buffers: no value is boxed while the column waits to be encoded, which is what
// filled the old generation (and RSS) when a row group's values outlived the young generation.
type Typed = typeof BigInt64Array | typeof Float64Array | typeof Int32Array;
function unboxed(vector: Vector, Kind: Typed): InstanceType<Typed> | undefined {
  const datas = vector.data as Data<DataType>[];
  if (datas.some((d) => d.nullCount > 0 || !(d.values instanceof Kind))) return undefined;
  const out = new Kind(vector.length);
  let at = 0;
  for (const data of datas) {
    out.set((data.values as InstanceType<Typed>).subarray(0, data.length) as never, at);
    at += data.length;
  }
  return out;
}

// A dictionary-encoded string column as plain values: the dictionary is decoded once and rows take its entries by
// index (re-building the vector as Utf8 encoded and decoded every string twice more).
function dictionaryValues(vector: Vector): unknown[] {
  const out = new Array<unknown>(vector.length);
  let at = 0;
  for (const data of vector.data as Data<Dictionary>[]) {
    const words = data.dictionary ? [...data.dictionary] : [];
    const keys = data.values as unknown as ArrayLike<number | bigint>;
    const nulls = data.nullCount > 0;
    for (let i = 0; i < data.length; i++)
      out[at++] = !nulls || data.getValid(i) ? words[Number(keys[i])] : null;
  }
  return out;
}

function arrowColumn(name: string, vector: Vector): Column {
  const type = vector.type as DataType & { unit?: number; bitWidth?: number };
  const base = { name, repetition_type: 'OPTIONAL' as const };
  switch (type.typeId) {
    case Type.Int:
      return {
        source: { name, data: unboxed(vector, BigInt64Array) ?? rawValues(vector, BigInt) },
        element: { ...base, type: 'INT64' },
      };
    case Type.Float: {
      // Half floats are stored as raw 16-bit patterns: only `get()` decodes them.
      const half = (type as unknown as { precision?: number }).precision === Precision.HALF;
      const data = half
        ? [...vector].map((v) => (v == null ? null : Number(v)))
        : (unboxed(vector, Float64Array) ?? rawValues(vector, Number));
      return { source: { name, data }, element: { ...base, type: 'DOUBLE' } };
    }
    case Type.Bool:
      return { source: { name, data: [...vector] }, element: { ...base, type: 'BOOLEAN' } };
    case Type.Utf8:
    case Type.LargeUtf8:
      return {
        source: { name, data: [...vector] },
        element: { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' },
      };
    case Type.Date: {
      const days =
        type.unit === DateUnit.DAY
          ? (unboxed(vector, Int32Array) ?? rawValues(vector, (v) => Number(v)))
          : rawValues(vector, (v) => Math.floor(Number(v) / 86_400_000));
      return { source: { name, data: days }, element: { ...base, type: 'INT32', converted_type: 'DATE' } };
    }
    case Type.Timestamp: {
      const unit = type.unit ?? TimeUnit.MILLISECOND;
      const micros =
        (unit === TimeUnit.MICROSECOND ? unboxed(vector, BigInt64Array) : undefined) ??
        rawValues(vector, (v) =>
          unit === TimeUnit.NANOSECOND ? BigInt(v) / 1000n : BigInt(v) * (MICROS[unit] as bigint),
        );
      return {
        source: { name, data: micros },
        element: {
          ...base,
          type: 'INT64',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' },
        },
      };
    }
    case Type.Time: {
      const unit = type.unit ?? TimeUnit.MILLISECOND;
      const micros =
        (unit === TimeUnit.MICROSECOND ? unboxed(vector, BigInt64Array) : undefined) ??
        rawValues(vector, (v) =>
          unit === TimeUnit.NANOSECOND ? BigInt(v) / 1000n : BigInt(v) * (MICROS[unit] as bigint),
        );
      return {
        source: { name, data: micros },
        element: {
          ...base,
          type: 'INT64',
          logical_type: { type: 'TIME', isAdjustedToUTC: false, unit: 'MICROS' },
        },
      };
    }
    case Type.Dictionary: {
      // tableFromArrays and most readers dictionary-encode strings: the values are what is uploaded.
      const dictionary = (type as unknown as Dictionary).dictionary;
      if (dictionary.typeId === Type.Utf8 || dictionary.typeId === Type.LargeUtf8)
        return {
          source: { name, data: dictionaryValues(vector) },
          element: { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' },
        };
      return arrowColumn(name, vectorFromArray([...vector], dictionary));
    }
    default:
      throw new UploadUsageError(
        `Column '${name}' has Arrow type ${String(type)}, which cannot be uploaded; cast it to a string, number, boolean, date or timestamp column.`,
      );
  }
}

type Kind = 'int' | 'float' | 'bool' | 'string' | 'timestamp';

function kindOf(value: unknown): Kind | undefined {
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (value instanceof Date) return 'timestamp';
  return undefined;
}

function rowsColumns(rows: RowInput[]): Column[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const key of Object.keys(row))
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
  return names.map((name) => {
    let kind: Kind | undefined;
    for (const row of rows) {
      const v = row[name];
      if (v === null || v === undefined) continue;
      const k = kindOf(v);
      if (!k) throw new UploadUsageError(`Column '${name}' holds a value of unsupported type ${typeof v}.`);
      if (kind === undefined || (kind === 'int' && k === 'float')) kind = k;
      else if (!(kind === 'float' && k === 'int') && kind !== k)
        throw new UploadUsageError(
          `Column '${name}' mixes ${kind} and ${k} values; give every row the same type.`,
        );
    }
    const values = rows.map((r) => (r[name] === undefined ? null : r[name]));
    const base = { name, repetition_type: 'OPTIONAL' as const };
    switch (kind ?? 'string') {
      case 'int':
        return {
          source: { name, data: values.map((v) => (v == null ? null : BigInt(v as number | bigint))) },
          element: { ...base, type: 'INT64' },
        };
      case 'float':
        return {
          source: { name, data: values.map((v) => (v == null ? null : Number(v))) },
          element: { ...base, type: 'DOUBLE' },
        };
      case 'bool':
        return { source: { name, data: values }, element: { ...base, type: 'BOOLEAN' } };
      case 'timestamp':
        return {
          source: {
            name,
            data: values.map((v) => (v == null ? null : BigInt((v as Date).getTime()) * 1000n)),
          },
          element: {
            ...base,
            type: 'INT64',
            logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' },
          },
        };
      default:
        return {
          source: { name, data: values },
          element: { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' },
        };
    }
  });
}

/**
 * Encode tabular data as a Parquet file, types preserved: Arrow integers → INT64, floats → DOUBLE, booleans,
 * strings, dates → DATE, timestamps → TIMESTAMP(µs) (the Python client coerces to µs too), times → TIME(µs), nulls
 * kept. Plain rows: integral numbers and bigints → INT64, other numbers → DOUBLE, `Date` → TIMESTAMP(µs).
 *
 * @param data - An Arrow Table, Arrow record batches, or an array of row objects.
 * @throws UploadUsageError for unsupported or mixed column types.
 */
export function toParquet(data: TabularData): Uint8Array {
  let columns: Column[];
  if (isArrowTable(data)) {
    columns = data.schema.fields.map((f, i) => arrowColumn(f.name, data.getChildAt(i) as Vector));
  } else if (data.every(isRecordBatch)) {
    const batches = data as RecordBatch[];
    const first = batches[0] as RecordBatch;
    columns = first.schema.fields.map((f, i) => {
      const vectors = batches.map((b) => b.getChildAt(i) as Vector);
      const joined = vectors.slice(1).reduce((acc, v) => acc.concat(v), vectors[0] as Vector);
      return arrowColumn(f.name, joined);
    });
  } else {
    columns = rowsColumns(data as RowInput[]);
  }
  if (columns.length === 0) throw new UploadUsageError('Tabular data without columns cannot be uploaded.');
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    columnData: columns.map((c) => c.source),
    schema: [{ name: 'root', num_children: columns.length }, ...columns.map((c) => c.element)],
    statistics: false,
    rowGroupSize: 100_000,
  });
  return new Uint8Array(writer.getBuffer());
}
