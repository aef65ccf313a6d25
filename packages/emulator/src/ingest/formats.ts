import { uploadTypeSchema } from '@redivis-ts/core';
import type { UploadType } from '../store/uploads.js';

/** Every `type` the real service documents (spec §5.9.1), as core's schema lists them; `csv` is the legacy name of `delimited`. */
const DOCUMENTED_TYPES: readonly string[] = uploadTypeSchema.options;

/** The documented types the emulator imports. */
export const SUPPORTED_TYPES: readonly UploadType[] = [
  'delimited',
  'stream',
  'avro',
  'ndjson',
  'parquet',
  'geojson',
  'geojsonl',
  'json',
  'xlsx',
];

/** The outcome of reading a `type` field or a file name. */
export type TypeResolution =
  | { ok: true; type: UploadType; compression: 'gzip' | null }
  | { ok: false; reason: 'unknown' | 'unsupported'; type: string };

const EXTENSIONS: Record<string, string> = {
  csv: 'delimited',
  tsv: 'delimited',
  psv: 'delimited',
  tab: 'delimited',
  txt: 'delimited',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  json: 'json',
  parquet: 'parquet',
  avro: 'avro',
  geojson: 'geojson',
  geojsonl: 'geojsonl',
  orc: 'orc',
  xls: 'xls',
  xlsx: 'xlsx',
  dta: 'dta',
  sas7bdat: 'sas7bdat',
  sav: 'sav',
  shp: 'shp',
  kml: 'kml',
};

function classify(type: string, compression: 'gzip' | null): TypeResolution {
  const t = type === 'csv' ? 'delimited' : type;
  if ((SUPPORTED_TYPES as readonly string[]).includes(t)) {
    return { ok: true, type: t as UploadType, compression };
  }
  if (DOCUMENTED_TYPES.includes(t)) return { ok: false, reason: 'unsupported', type: t };
  return { ok: false, reason: 'unknown', type: t };
}

/**
 * The upload type: the explicit `type` when given, else detected from the name's extension (a trailing `.gz` means
 * gzip-compressed delimited or JSON text); names without a known extension are delimited, as on Redivis.
 */
export function resolveType(explicit: string | undefined, name: string): TypeResolution {
  const lower = name.toLowerCase();
  const gz = lower.endsWith('.gz');
  const base = gz ? lower.slice(0, -3) : lower;
  const compression = gz ? 'gzip' : null;
  if (explicit !== undefined) return classify(explicit, compression);
  if (base.endsWith('.shp.zip')) return classify('shp.zip', null);
  const dot = base.lastIndexOf('.');
  const ext = dot >= 0 ? base.slice(dot + 1) : '';
  return classify(EXTENSIONS[ext] ?? 'delimited', compression);
}

/** The extension of the default name `untitled_upload.{ext}` for a type. */
export function defaultExtension(type: UploadType): string {
  return type === 'delimited' ? 'csv' : type;
}
