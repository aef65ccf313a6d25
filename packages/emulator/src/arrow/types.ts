import type { ArrowTypeName, VariableType } from '@redivis-ts/core';
import { VARIABLE_TYPE_FACTS } from '@redivis-ts/core';
import {
  Bool,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int64,
  Schema,
  TimeMicrosecond,
  TimestampMicrosecond,
  Utf8,
} from 'apache-arrow';

/** One column of a read: its variable name and Redivis type. */
export interface ReadColumn {
  /** Variable name as it appears in the Arrow schema (the stored casing). */
  name: string;
  /** The Redivis type, which fixes both the Arrow type and the DuckDB storage type. */
  type: VariableType;
}

// One constructor per Arrow type core names; a type core adds without one here fails to compile.
const ARROW_TYPE: Readonly<Record<ArrowTypeName, () => DataType>> = {
  int64: () => new Int64(),
  float64: () => new Float64(),
  bool: () => new Bool(),
  'date32[day]': () => new DateDay(),
  'timestamp[us]': () => new TimestampMicrosecond(),
  'time64[us]': () => new TimeMicrosecond(),
  string: () => new Utf8(),
};

/**
 * The Arrow type the official clients expect for each Redivis type (client-libraries.md §3.6), from core's
 * `VARIABLE_TYPE_FACTS`: int64, float64, bool, date32[day], timestamp[us] without a time zone, time64[us], and utf8
 * (geography as WKT).
 */
export function arrowTypeFor(type: VariableType): DataType {
  return ARROW_TYPE[VARIABLE_TYPE_FACTS[type].arrow]();
}

/** The Arrow schema of a read: every field nullable, as pyarrow's variable-derived schema is. */
export function arrowSchemaFor(columns: readonly ReadColumn[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, arrowTypeFor(c.type), true)));
}
