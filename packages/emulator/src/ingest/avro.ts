import avsc from 'avsc';
import type { SchemaColumn } from '../store/uploads.js';
import { variableNames } from './columns.js';
import type { RecordSink } from './records.js';
import type { VariableType } from '@redivis-ts/core';

type AvroSchema =
  | string
  | { type: unknown; logicalType?: string; items?: unknown; fields?: unknown }
  | unknown[];

/** The variable type of an Avro field type (unions with null are nullable; nested types become JSON text). */
function avroType(schema: AvroSchema): { type: VariableType; convert: (v: unknown) => unknown } {
  if (Array.isArray(schema)) {
    const inner = schema.filter((s) => s !== 'null');
    if (inner.length === 1) return avroType(inner[0] as AvroSchema);
    return { type: 'string', convert: (v) => (v === null ? null : JSON.stringify(v)) };
  }
  if (typeof schema === 'object' && schema !== null) {
    const { type, logicalType } = schema as { type: unknown; logicalType?: string };
    if (logicalType === 'date') return { type: 'date', convert: (v) => isoDate(Number(v) * 86_400_000) };
    if (logicalType === 'timestamp-millis')
      return { type: 'dateTime', convert: (v) => isoDateTime(Number(v) * 1000) };
    if (logicalType === 'timestamp-micros')
      return { type: 'dateTime', convert: (v) => isoDateTime(Number(v)) };
    if (logicalType === 'time-millis') return { type: 'time', convert: (v) => isoTime(Number(v) * 1000) };
    if (logicalType === 'time-micros') return { type: 'time', convert: (v) => isoTime(Number(v)) };
    if (typeof type === 'string' && type !== 'record' && type !== 'array' && type !== 'map') {
      return type === 'enum' ? { type: 'string', convert: (v) => v } : avroType(type);
    }
    return { type: 'string', convert: (v) => (v === null ? null : JSON.stringify(v, jsonBytes)) };
  }
  switch (schema) {
    case 'int':
    case 'long':
      return { type: 'integer', convert: (v) => v };
    case 'float':
    case 'double':
      return { type: 'float', convert: (v) => v };
    case 'boolean':
      return { type: 'boolean', convert: (v) => v };
    case 'bytes':
      return { type: 'string', convert: (v) => (Buffer.isBuffer(v) ? v.toString('base64') : v) };
    default:
      return { type: 'string', convert: (v) => (v === null || typeof v === 'string' ? v : String(v)) };
  }
}

function jsonBytes(_key: string, value: unknown): unknown {
  return Buffer.isBuffer(value) ? value.toString('base64') : value;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
function isoDateTime(micros: number): string {
  const ms = Math.floor(micros / 1000);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}.${pad(((micros % 1e6) + 1e6) % 1e6, 6)}`;
}
function isoTime(micros: number): string {
  const s = Math.floor(micros / 1e6);
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(micros % 1e6, 6)}`;
}

/**
 * Converts an Avro object container file into rows (streaming, block by block) and returns the schema its writer
 * declared, so the columns keep the Avro types instead of being re-inferred from JSON.
 */
export async function convertAvro(path: string, sink: RecordSink): Promise<SchemaColumn[]> {
  const decoder = avsc.createFileDecoder(path, { noDecode: false });
  let fields: Array<{ source: string; name: string; type: VariableType; convert: (v: unknown) => unknown }> =
    [];
  // The writer's schema as declared in the file header: Type.schema() drops logical types avsc did not decode.
  decoder.on('metadata', (_type: unknown, _codec: unknown, header: { meta: Record<string, Buffer> }) => {
    const schema = JSON.parse(String(header.meta['avro.schema'])) as {
      type?: string;
      fields?: Array<{ name: string; type: AvroSchema }>;
    };
    if (schema.type !== 'record' || !Array.isArray(schema.fields)) {
      decoder.destroy(new Error('Avro files must hold records'));
      return;
    }
    const names = variableNames(schema.fields.map((f) => f.name));
    fields = schema.fields.map((f, i) => ({ source: f.name, name: names[i] as string, ...avroType(f.type) }));
  });
  let index = 0;
  try {
    for await (const record of decoder) {
      index++;
      await sink.record(index, () => {
        const r = record as Record<string, unknown>;
        const row: Record<string, unknown> = {};
        for (const f of fields) {
          const v = r[f.source];
          row[f.name] = v === null || v === undefined ? null : f.convert(v);
        }
        return row;
      });
    }
  } catch (e) {
    throw new Error(`The file is not a readable Avro container: ${(e as Error).message}`);
  }
  return fields.map((f) => ({ name: f.name, type: f.type }));
}
