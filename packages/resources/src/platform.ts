import type { TokenStore } from '@redivis-ts/core';
import type { ResumeStore, UploadSource } from '@redivis-ts/upload';
import { RedivisError } from '@redivis-ts/core';

/**
 * A download in progress: bytes go to a temporary sibling of the target and become the target only on
 * {@link PartialFile.commit}, so the final name never holds a partial file.
 */
export interface PartialFile {
  /** Bytes written so far (where a resumed request starts). */
  readonly size: number;
  /** Append bytes. */
  write(chunk: Uint8Array): Promise<void>;
  /** Drop every byte written (the server answered a ranged request with the whole file). */
  reset(): Promise<void>;
  /** Base64 MD5 of the bytes written so far, when the platform can hash. */
  md5?(): string;
  /** Move the bytes to the target name, replacing any file there. */
  commit(): Promise<void>;
  /** Remove the temporary file. */
  discard(): Promise<void>;
}

/**
 * File-system access that only some platforms have (Node does, a browser does not). Methods that write to local
 * paths (`table.download()`, `file.download()`, `directory.download()`, `export.downloadFiles()`) go through it.
 */
export interface FileSystemAdapter {
  /** Join path segments with the platform's separator. */
  join(...parts: string[]): string;
  /** Resolve a path to an absolute one (relative paths are taken from the working directory). */
  resolve(path: string): string;
  /** Size in bytes of the file at `path`, or `undefined` when nothing exists there. */
  size(path: string): Promise<number | undefined>;
  /** Whether `path` exists and is a directory. */
  isDirectory(path: string): Promise<boolean>;
  /** Create a directory and its missing parents. */
  mkdir(path: string): Promise<void>;
  /**
   * Write `data` to `path`, replacing any file there only once every byte has arrived (temporary file, then rename),
   * so an interrupted download never leaves a truncated file behind.
   */
  writeFile(
    path: string,
    data: ReadableStream<Uint8Array> | Uint8Array,
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  /** Start writing `path` through a temporary file (see {@link PartialFile}); creates missing folders. */
  openPartial(path: string): Promise<PartialFile>;
  /** A local file as an upload source (size and an identity for resumable sessions), for `table.addFiles()`. */
  source?(path: string): Promise<UploadSource>;
  /** Every file below a folder, as paths relative to it with `/` separators, for `table.addFiles({ directory })`. */
  listFiles?(directory: string): Promise<string[]>;
  /**
   * Base64 MD5 of a local file, used to skip re-downloading files that are already complete. Optional: without it
   * only sizes are compared (browsers' Web Crypto has no MD5).
   */
  md5?(path: string): Promise<string>;
}

/**
 * What the host environment provides beyond `fetch`. Everything is optional: methods that need a missing feature
 * throw {@link PlatformFeatureError} instead of importing Node modules into browser bundles.
 */
export interface Platform {
  /** Where OAuth credentials are kept between runs (Node: a 0600 file; browser: sessionStorage). */
  tokenStore?: TokenStore;
  /** Local file system, for the download methods. */
  fs?: FileSystemAdapter;
  /** Where resumable upload sessions survive restarts (Node: a file store; default: memory). */
  resumeStore?: ResumeStore;
  /** Open a URL for the user (device flow / OAuth in terminals). */
  openUrl?(url: string): Promise<void>;
  /**
   * Environment variables for the `REDIVIS_DEFAULT_*` conventions of the official clients
   * (`REDIVIS_DEFAULT_WORKFLOW`, `REDIVIS_DEFAULT_DATASET`, `REDIVIS_DEFAULT_NOTEBOOK`, `REDIVIS_DEFAULT_USER`,
   * `REDIVIS_DEFAULT_ORGANIZATION`). Node passes `process.env`; browsers usually pass nothing.
   */
  env?: Record<string, string | undefined>;
}

/** A method needs a platform feature (for example a file system) that the current {@link Platform} lacks. */
export class PlatformFeatureError extends RedivisError {
  /** The missing feature, e.g. `'fs'`. */
  readonly feature: keyof Platform;

  /**
   * @param feature - The missing {@link Platform} member.
   * @param operation - What the caller tried to do, e.g. `table.download()`.
   */
  constructor(feature: keyof Platform, operation: string) {
    super({
      code: 'platform_feature_missing',
      description:
        `${operation} needs the '${feature}' platform feature, which this environment does not provide` +
        (feature === 'fs'
          ? ' (downloading to a path works in Node; in a browser read the bytes instead).'
          : '.'),
    });
    this.name = 'PlatformFeatureError';
    this.feature = feature;
  }
}

/** A call that cannot proceed given the resource's state or the arguments (the Python client's ValueError). */
export class ResourceUsageError extends RedivisError {
  /** @param description - What is wrong and how to fix the call. */
  constructor(description: string) {
    super({ code: 'invalid_usage', description });
    this.name = 'ResourceUsageError';
  }
}

/** Return the platform's file system or throw {@link PlatformFeatureError}. */
export function requireFs(platform: Platform, operation: string): FileSystemAdapter {
  if (!platform.fs) throw new PlatformFeatureError('fs', operation);
  return platform.fs;
}

/** The folder part of a local file path (either separator), or `.` when it has none. @internal */
export function parentOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i > 0 ? file.slice(0, i) : '.';
}
