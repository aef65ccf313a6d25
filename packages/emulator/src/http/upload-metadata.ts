import { isVariableType, nameProblem, VARIABLE_TYPES } from '@redivis-ts/core';
import { type TypeResolution, resolveType, SUPPORTED_TYPES } from '../ingest/formats.js';
import type { SchemaColumn, UploadOptions, UploadType, VariableMetadata } from '../store/uploads.js';
import { optBool, optEnum, optString, optStringArray } from './body.js';
import { badRequest } from './errors.js';

/** Variable names an upload may declare: Redivis' rule (letters, digits, underscores, not starting with a digit). */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,59}$/;

/** Where the rows come from, besides the request's own bytes. */
export type UploadContent =
  | { kind: 'file' }
  | { kind: 'tempUpload'; tempUploadId: string }
  | { kind: 'transfer'; sourcePath: string }
  | { kind: 'stream' };

/** A validated uploads.post metadata object. */
export interface UploadRequest {
  name: string | undefined;
  explicitType: string | undefined;
  options: Omit<UploadOptions, 'compression' | 'transferFromTableId'>;
  /** Whether `mergeStrategy` was given (else the table's `uploadMergeStrategy` applies). */
  mergeStrategyGiven: boolean;
  tempUploadId: string | undefined;
  transfer: { sourceType: string; sourcePath: string } | undefined;
}

function oneChar(body: Record<string, unknown>, key: string): string | null {
  const v = optString(body, key);
  if (v === undefined) return null;
  const value = key === 'delimiter' && v === '\\t' ? '\t' : v;
  if ([...value].length !== 1 || value === '\n' || value === '\r') {
    throw badRequest(`${key} must be a single character other than a newline`);
  }
  return value;
}

function schemaOf(body: Record<string, unknown>): SchemaColumn[] | null {
  const v = body.schema;
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.length === 0 || v.length > 10_000) {
    throw badRequest('schema must be a non-empty array of {name, type} (at most 10,000 variables)');
  }
  const seen = new Set<string>();
  return v.map((c, i) => {
    if (c === null || typeof c !== 'object' || Array.isArray(c))
      throw badRequest(`schema[${i}] must be an object`);
    const { name, type } = c as { name?: unknown; type?: unknown };
    if (typeof name !== 'string' || !VARIABLE_NAME.test(name)) {
      throw badRequest(
        `schema[${i}].name must start with a letter or underscore and hold only letters, digits and underscores (at most 60)`,
      );
    }
    if (!isVariableType(type)) {
      throw badRequest(`schema[${i}].type must be one of ${VARIABLE_TYPES.join(', ')}`);
    }
    if (seen.has(name.toLowerCase())) throw badRequest(`schema declares the variable "${name}" twice`);
    seen.add(name.toLowerCase());
    return { name, type };
  });
}

function valueLabelsOf(v: unknown, where: string): Array<{ value: string; label: string }> | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    return v.map((x, i) => {
      const { value, label } = (x ?? {}) as { value?: unknown; label?: unknown };
      if (value === undefined || typeof label !== 'string') {
        throw badRequest(`${where}.valueLabels[${i}] must be {value, label}`);
      }
      return { value: String(value), label };
    });
  }
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>).map(([value, label]) => {
      if (typeof label !== 'string') throw badRequest(`${where}.valueLabels values must be strings`);
      return { value, label };
    });
  }
  throw badRequest(`${where}.valueLabels must be an object or an array of {value, label}`);
}

function metadataOf(body: Record<string, unknown>): Record<string, VariableMetadata> | null {
  const v = body.metadata;
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v))
    throw badRequest('metadata must be an object keyed by variable name');
  const out: Record<string, VariableMetadata> = {};
  for (const [name, m] of Object.entries(v as Record<string, unknown>)) {
    if (m === null || typeof m !== 'object' || Array.isArray(m))
      throw badRequest(`metadata.${name} must be an object`);
    const entry = m as Record<string, unknown>;
    out[name] = {
      label: optString(entry, 'label', 256) ?? null,
      description: optString(entry, 'description', 5000) ?? null,
      valueLabels: valueLabelsOf(entry.valueLabels, `metadata.${name}`),
    };
  }
  return out;
}

function transferOf(body: Record<string, unknown>): UploadRequest['transfer'] {
  const v = body.transferSpecification;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest('transferSpecification must be an object');
  const spec = v as Record<string, unknown>;
  const sourceType = optString(spec, 'sourceType');
  const sourcePath = optString(spec, 'sourcePath', 2048);
  if (!sourceType || !sourcePath) throw badRequest('transferSpecification needs sourceType and sourcePath');
  return { sourceType, sourcePath };
}

/**
 * `tempUploadId`, or `resumableUploadId`, its legacy name (spec §5.9.1: the id answered by
 * `POST {table}/resumableUpload`, a temp upload slot too). Both given must agree.
 */
function tempUploadIdOf(body: Record<string, unknown>): string | undefined {
  const id = optString(body, 'tempUploadId', 128);
  const legacy = optString(body, 'resumableUploadId', 128);
  if (id !== undefined && legacy !== undefined && id !== legacy) {
    throw badRequest('tempUploadId and resumableUploadId (its legacy name) name different uploads; send one');
  }
  return id ?? legacy;
}

/**
 * Validates the metadata of uploads.post (spec §5.9.1): every field the clients send, `null` meaning unset. Query
 * parameters `name` and `type` override the body's.
 */
export function readUploadRequest(
  body: Record<string, unknown>,
  query: { name?: string; type?: string },
): UploadRequest {
  const nullMarkers = optStringArray(body, 'nullMarkers') ?? null;
  if (nullMarkers && nullMarkers.length > 100) throw badRequest('nullMarkers may hold at most 100 strings');
  const mergeStrategy = optEnum(body, 'mergeStrategy', ['append', 'replace'] as const);
  const name = query.name ?? optString(body, 'name', 1024);
  if (name !== undefined) {
    // The one name rule (core's nameProblem), and no slashes: an upload name is a file name.
    const problem = nameProblem(name);
    if (problem) throw badRequest(`The upload name ${problem}`);
    if (/[/\\]/.test(name)) throw badRequest('The upload name is a file name: it cannot hold slashes');
  }
  return {
    name,
    explicitType: query.type ?? optString(body, 'type'),
    options: {
      delimiter: oneChar(body, 'delimiter'),
      quoteCharacter: oneChar(body, 'quoteCharacter'),
      escapeCharacter: oneChar(body, 'escapeCharacter'),
      hasHeaderRow: optBool(body, 'hasHeaderRow') ?? true,
      hasQuotedNewlines: optBool(body, 'hasQuotedNewlines') ?? null,
      allowJaggedRows: optBool(body, 'allowJaggedRows') ?? false,
      skipBadRecords: optBool(body, 'skipBadRecords') ?? false,
      nullMarkers,
      schema: schemaOf(body),
      metadata: metadataOf(body),
      mergeStrategy: mergeStrategy ?? 'append',
    },
    mergeStrategyGiven: mergeStrategy !== undefined,
    tempUploadId: tempUploadIdOf(body),
    transfer: transferOf(body),
  };
}

/** The upload type, or the documented 400 for types the emulator cannot import or that do not exist. */
export function uploadTypeOf(resolution: TypeResolution): { type: UploadType; compression: 'gzip' | null } {
  if (resolution.ok) return { type: resolution.type, compression: resolution.compression };
  if (resolution.reason === 'unsupported' && resolution.type === 'xls') {
    throw badRequest(
      'Uploads of type "xls" (legacy Excel) are not supported by the emulator: no maintained JavaScript reader exists for it; save the sheet as .xlsx or CSV',
    );
  }
  if (resolution.reason === 'unsupported') {
    throw badRequest(
      `Uploads of type "${resolution.type}" are not supported by the emulator (it imports ${SUPPORTED_TYPES.join(', ')})`,
    );
  }
  throw badRequest(`Unknown upload type "${resolution.type}"`);
}

export { resolveType };
