import { JobFailedError, RedivisError } from '@redivis-ts/core';

/** An upload's import failed on the server (`status: failed`): the server's message and the bad-record count. */
export class UploadFailedError extends JobFailedError {
  /** Rows the server could not parse (skipped or fatal), when it reported them. */
  readonly badRecordsCount: number | undefined;
  /** The upload's API path. */
  readonly uploadUri: string;

  /**
   * @param uploadUri - The upload that failed.
   * @param errorMessage - The server's `errorMessage`.
   * @param badRecordsCount - The server's `badRecordsCount`.
   */
  constructor(uploadUri: string, errorMessage: string | null | undefined, badRecordsCount?: number | null) {
    super({
      code: 'upload_failed',
      description: `Upload ${uploadUri} failed: ${errorMessage ?? 'no message'}${
        badRecordsCount ? ` (${badRecordsCount} bad records)` : ''
      }`,
      kind: 'upload',
      jobStatus: 'failed',
    });
    this.name = 'UploadFailedError';
    this.uploadUri = uploadUri;
    this.badRecordsCount = badRecordsCount ?? undefined;
  }
}

/** The content or options given to an upload cannot be sent as they are (checked before any request). */
export class UploadUsageError extends RedivisError {
  /** @param description - What is wrong and how to fix it. */
  constructor(description: string) {
    super({ code: 'invalid_upload', description });
    this.name = 'UploadUsageError';
  }
}

/** The resumable protocol could not make progress (the session kept failing past the retry limit). */
export class ResumableUploadError extends RedivisError {
  /** Bytes the server had committed when the upload gave up. */
  readonly committedBytes: number;

  /**
   * @param description - What went wrong.
   * @param committedBytes - The server's committed offset.
   * @param cause - The last error.
   */
  constructor(description: string, committedBytes: number, cause?: unknown) {
    super({ code: 'resumable_upload_failed', description, cause });
    this.name = 'ResumableUploadError';
    this.committedBytes = committedBytes;
  }
}
