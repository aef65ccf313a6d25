import type { CallOptions, UploadType } from '@redivis-ts/core';
import type { ResumeStore } from './resume-store.js';
import type { UploadSource } from './source.js';

/** A variable of a stream upload's schema. */
export interface SchemaVariable {
  /** Variable name. */
  name: string;
  /** Redivis type: `string`, `integer`, `float`, `boolean`, `date`, `dateTime`, `time`, `geography`. */
  type: string;
}

/** Metadata applied to one variable by an upload. */
export interface VariableMetadata {
  /** Short label. */
  label?: string;
  /** Longer description. */
  description?: string;
  /** Value → label. */
  valueLabels?: Record<string, string>;
}

/** Where a transfer upload reads from instead of request bytes. */
export interface TransferSpecification {
  /** e.g. `gcs`, `redivis`. */
  sourceType: string;
  /** Bucket path, or a table reference for `redivis`. */
  sourcePath: string;
  /** Identity used to read the source (GCS). */
  identity?: string;
}

/** Progress of an upload. */
export interface UploadProgress {
  /** `uploading` while bytes are sent, `processing` while the server imports them. */
  phase: 'uploading' | 'processing';
  /** Bytes the server has committed. */
  bytesUploaded: number;
  /** Total bytes, when known. */
  totalBytes?: number;
}

/** Options of `upload.create()`: every option of the Python client, camelCased, plus transport controls. */
export interface CreateUploadOptions extends CallOptions {
  /** File type; inferred by the server from the name when absent. Tabular data is always `parquet`. */
  type?: UploadType;
  /** Delimited files: the field delimiter (auto-detected when absent). */
  delimiter?: string;
  /** Stream uploads: the variables and their types. */
  schema?: SchemaVariable[];
  /** Variable metadata keyed by variable name. */
  metadata?: Record<string, VariableMetadata>;
  /** Delimited / xls: whether the first row holds names. @defaultValue true */
  hasHeaderRow?: boolean;
  /** Skip rows that cannot be parsed (counted in `badRecordsCount`). @defaultValue false */
  skipBadRecords?: boolean;
  /** Delimited: quoted fields may contain newlines. */
  hasQuotedNewlines?: boolean;
  /** Delimited: the quote character. */
  quoteCharacter?: string;
  /** Delimited: the escape character. */
  escapeCharacter?: string;
  /** Strings read as null. */
  nullMarkers?: string[];
  /** Delimited: rows may miss trailing columns. @defaultValue false */
  allowJaggedRows?: boolean;
  /** An upload of this name existing already: return it and send nothing. @defaultValue false */
  ifNotExists?: boolean;
  /** An upload of this name existing already: let the server pick another name. @defaultValue false */
  renameOnConflict?: boolean;
  /** An upload of this name existing already: delete it first. @defaultValue false */
  replaceOnConflict?: boolean;
  /** Delete the upload when its import fails. @defaultValue false */
  removeOnFail?: boolean;
  /** Wait until the server has imported the data. @defaultValue true */
  waitForFinish?: boolean;
  /** Throw {@link UploadFailedError} when the import fails. @defaultValue true */
  raiseOnFail?: boolean;
  /** Import from an external source instead of sending bytes. */
  transferSpecification?: TransferSpecification;
  /** Called as bytes are committed and while the server processes them. */
  onProgress?: (progress: UploadProgress) => void;
  /** Bytes per resumable PUT (rounded up to a multiple of 256 KiB). @defaultValue 8 MiB; 64 MiB for a source that streams */
  chunkSize?: number;
  /** Size of stream / async-iterable content, so it can be sent without buffering it whole. */
  size?: number;
  /** Where resumable sessions are remembered across calls and restarts. @defaultValue a process-wide memory store */
  resumeStore?: ResumeStore;
  /** Attempts per resumable chunk after failures before giving up. @defaultValue 10 */
  maxChunkRetries?: number;
  /** Longest wait for the import, in ms (`WaitTimeoutError` after). */
  maxWaitMs?: number;
}

/** Content up to this size goes as one multipart request (the Python client's MAX_SIMPLE_UPLOAD_SIZE). */
export const MAX_SIMPLE_UPLOAD_SIZE = 2 ** 20;
/** Temp uploads from this size on use the resumable protocol (the Python client's MIN_RESUMABLE_UPLOAD_SIZE). */
export const MIN_RESUMABLE_UPLOAD_SIZE = 2 ** 25;
/** Default resumable chunk: 8 MiB, a multiple of the 256 KiB GCS granularity. */
export const DEFAULT_CHUNK_SIZE = 8 * 2 ** 20;
/**
 * Default resumable chunk of a source that streams (`UploadSource.stream`, e.g. a local file in Node): 64 MiB. A
 * streamed chunk costs no memory, and each chunk's round trip (the PUT waits for the server's `308` before the
 * next starts) then recurs 8× less often; the Python client sends the whole rest of the file in one PUT, but a
 * bound keeps progress reports coming.
 */
export const DEFAULT_STREAMED_CHUNK_SIZE = 64 * 2 ** 20;

/**
 * The resumable chunk size used when none is given: {@link DEFAULT_STREAMED_CHUNK_SIZE} for a source that streams,
 * else {@link DEFAULT_CHUNK_SIZE}.
 *
 * @param source - The bytes to send.
 */
export function defaultChunkSize(source: Pick<UploadSource, 'stream'>): number {
  return source.stream ? DEFAULT_STREAMED_CHUNK_SIZE : DEFAULT_CHUNK_SIZE;
}

/**
 * The JSON metadata of `POST {table}/uploads`: every key present, `null` when unset, as the Python client sends it.
 * @internal
 */
export function uploadMetadata(
  name: string | undefined,
  options: CreateUploadOptions,
  tempUploadId?: string,
): Record<string, unknown> {
  return {
    name: name ?? null,
    type: options.type ?? null,
    schema: options.schema ?? null,
    metadata: options.metadata ?? null,
    hasHeaderRow: options.hasHeaderRow ?? true,
    skipBadRecords: options.skipBadRecords ?? false,
    hasQuotedNewlines: options.hasQuotedNewlines ?? null,
    allowJaggedRows: options.allowJaggedRows ?? false,
    quoteCharacter: options.quoteCharacter ?? null,
    escapeCharacter: options.escapeCharacter ?? null,
    nullMarkers: options.nullMarkers ?? null,
    delimiter: options.delimiter ?? null,
    tempUploadId: tempUploadId ?? null,
    transferSpecification: options.transferSpecification ?? null,
  };
}
