import type { UploadProperties } from '@redivis-ts/core';
import type { EmulatorContext } from '../context.js';
import { type UploadRow, uploadOptions } from '../store/uploads.js';
import { mergeStrategy } from './tables.js';

/** The path segment the clients use for an upload: its name with `.` written `_`, percent-encoded. */
export function uploadSegment(name: string): string {
  return encodeURIComponent(name.replaceAll('.', '_'));
}

/**
 * Upload get representation (spec §6.8): the list fields plus type, parse options, bad-record count and error.
 * `tableUri` is the table's URI as the caller addressed it.
 */
export function uploadRepr(
  ctx: EmulatorContext,
  u: UploadRow,
  tableUri: string,
  tableMergeStrategy: string,
): UploadProperties {
  const o = uploadOptions(u);
  const uri = `${tableUri}/uploads/${uploadSegment(u.name)}`;
  return {
    kind: 'upload',
    uri,
    url: `${ctx.origin}${uri}`,
    id: u.id,
    name: u.name,
    status: u.status,
    type: u.type,
    hash: u.hash,
    size: u.size,
    numRows: u.num_rows,
    numBytes: u.num_bytes,
    hasHeaderRow: o.hasHeaderRow ?? true,
    delimiter: o.delimiter ?? null,
    quoteCharacter: o.quoteCharacter ?? null,
    escapeCharacter: o.escapeCharacter ?? null,
    skipBadRecords: o.skipBadRecords ?? false,
    badRecordsCount: u.bad_records_count,
    hasQuotedNewlines: o.hasQuotedNewlines ?? false,
    allowJaggedRows: o.allowJaggedRows ?? false,
    nullMarkers: o.nullMarkers ?? [],
    schema: o.schema ?? null,
    errorMessage: u.error_message,
    mergeStrategy: o.mergeStrategy ?? mergeStrategy(tableMergeStrategy),
    createdAt: u.created_at,
    updatedAt: u.updated_at,
  };
}
