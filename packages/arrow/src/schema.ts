import { type ArrowTypeName, isVariableType, VARIABLE_TYPE_FACTS } from '@redivis-ts/core';
import {
  Bool,
  type Data,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  TimeMicrosecond,
  TimestampMicrosecond,
  Type,
  Utf8,
} from 'apache-arrow';
import { coerceData, sameType } from './coerce.js';
import { carryReceivedIpc } from './received-ipc.js';
import { allocate, fixedWidthData } from './storage.js';
import type { VariableInfo } from './types.js';

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
 * The Arrow type a Redivis variable type streams as (client-libraries.md §3.6), from core's `VARIABLE_TYPE_FACTS`:
 * int64, float64, bool, date32[day], timestamp[us] without a time zone, time64[us], utf8 (string; geography as
 * WKT). Unknown types map to utf8.
 *
 * @param type - A Redivis variable type, e.g. `'dateTime'`.
 */
export function arrowTypeForVariable(type: string): DataType {
  return ARROW_TYPE[isVariableType(type) ? VARIABLE_TYPE_FACTS[type].arrow : 'string']();
}

/**
 * The Arrow schema every batch of a read is reconciled to: one nullable field per variable, in variable order.
 *
 * @param variables - The variables being read, in the order the caller asked for.
 */
export function schemaForVariables(variables: readonly VariableInfo[]): Schema {
  return new Schema(variables.map((v) => new Field(v.name, arrowTypeForVariable(v.type), true)));
}

interface Plan {
  /** True when batches pass through unchanged. */
  identity: boolean;
  /** Per target field: index of the source column, or -1 for a column of typed nulls. */
  sources: number[];
}

/**
 * Brings batches from streams with differing schemas (unreleased tables have one stream per upload) to one
 * target schema: columns matched by name case-insensitively, reordered to the variables' order, converted to the
 * variable's type when a stream sent another, and missing columns filled with typed nulls.
 */
export class BatchReconciler {
  readonly #target: Schema;
  readonly #plans = new WeakMap<Schema, Plan>();

  /** @param target - The schema to produce (see {@link schemaForVariables}). */
  constructor(target: Schema) {
    this.#target = target;
  }

  /** The schema every reconciled batch has. */
  get schema(): Schema {
    return this.#target;
  }

  /**
   * @param batch - A batch as decoded from a stream.
   * @returns The batch with the target schema (the same object when nothing had to change).
   */
  reconcile(batch: RecordBatch): RecordBatch {
    const plan = this.#plan(batch.schema);
    // Same columns, order and types: only the schema object changes (no data is copied).
    if (plan.identity) {
      if (batch.schema === this.#target) return batch;
      const same = new RecordBatch(this.#target, batch.data);
      carryReceivedIpc(batch, same);
      return same;
    }
    const fields = this.#target.fields;
    const children: Data[] = fields.map((field, i) => {
      const j = plan.sources[i]!;
      if (j === -1) return nullData(field.type, batch.numRows);
      return coerceData(batch.getChildAt(j)!.data[0]!, field.type, field.name);
    });
    const data = makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children });
    return new RecordBatch(this.#target, data);
  }

  #plan(source: Schema): Plan {
    let plan = this.#plans.get(source);
    if (plan) return plan;
    const byName = new Map<string, number>();
    source.fields.forEach((f, j) => {
      if (!byName.has(f.name.toLowerCase())) byName.set(f.name.toLowerCase(), j);
    });
    const sources = this.#target.fields.map((f) => byName.get(f.name.toLowerCase()) ?? -1);
    const identity =
      source.fields.length === this.#target.fields.length &&
      this.#target.fields.every((f, i) => {
        const s = source.fields[i]!;
        return sources[i] === i && s.name === f.name && sameType(s.type, f.type);
      });
    plan = { identity, sources };
    this.#plans.set(source, plan);
    return plan;
  }
}

function nullData(type: DataType, length: number): Data {
  const bitmap = new Uint8Array((length + 7) >> 3);
  if (type.typeId === Type.Utf8) {
    return makeData({
      type: type as Utf8,
      length,
      nullCount: length,
      nullBitmap: bitmap,
      valueOffsets: new Int32Array(length + 1),
      data: new Uint8Array(0),
    });
  }
  return fixedWidthData(type, length, length, bitmap, allocate(type, length, type.typeId === Type.Bool));
}
