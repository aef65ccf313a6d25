import type { RawFileRow } from '../store/files.js';

// MIME types by extension for the files people keep in file index tables; anything else is octet-stream, as the
// spec says the real service answers for an unknown extension.
const MIME: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  xml: 'application/xml',
  html: 'text/html',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  zip: 'application/zip',
  gz: 'application/gzip',
  parquet: 'application/vnd.apache.parquet',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
};

/** The file's MIME type from its name's extension (spec §5.4.2), else `application/octet-stream`. */
export function contentTypeFor(name: string | null): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name ?? '')?.[1]?.toLowerCase();
  return (ext && MIME[ext]) || 'application/octet-stream';
}

/** The name a download goes by: the name the file was added under, else (older rows) its id. */
export function downloadName(file: RawFileRow): string {
  const base = (file.name ?? file.id).split('/').pop() as string;
  return base === '' ? file.id : base;
}

/**
 * Headers of `GET` and `HEAD /rawFiles/:id` (spec §5.4.2–5.4.3) apart from the length and range: the type,
 * `Content-Disposition` (RFC 6266: an ASCII fallback and the UTF-8 `filename*`), `X-Redivis-Filename` (the
 * whole URL-encoded name, nested path included, what the docs recommend reading), and the MD5 in the three forms clients look for.
 */
export function downloadHeaders(file: RawFileRow): Record<string, string> {
  const name = downloadName(file);
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return {
    'Content-Type': contentTypeFor(file.name),
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'X-Redivis-Filename': encodeURIComponent(file.name ?? file.id),
    'Accept-Ranges': 'bytes',
    'Content-Digest': `md5=:${file.md5_hash}:`,
    Digest: `md5=${file.md5_hash}`,
    'x-goog-hash': `md5=${file.md5_hash}`,
    'Cache-Control': 'private, no-store',
  };
}
