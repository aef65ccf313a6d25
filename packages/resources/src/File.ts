import { path as pathTag } from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions } from './context.js';
import type { Directory } from './Directory.js';
import type { DownloadProgress } from './download.js';
import { downloadFile } from './download.js';
import { localTarget } from './local-paths.js';
import { requireFs, ResourceUsageError } from './platform.js';

/** What the file index says about one raw file. */
export interface FileProperties {
  /** File id, e.g. `1934-e2htjwa76.AnL5YRjeUXtSlz6fhPVXog`. */
  id: string;
  /** Full name in the index; `/` separates folders. */
  name: string;
  /** Size in bytes. */
  size?: number;
  /** Base64 MD5 of the content. */
  md5Hash?: string;
  /** When the file was added. */
  addedAt?: Date;
}

/** Options of {@link File.read} and {@link File.open}: an inclusive byte range. */
export interface ReadFileOptions extends MethodOptions {
  /** First byte to read. @default 0 */
  startByte?: number;
  /** Last byte to read (inclusive); to the end when absent. */
  endByte?: number;
}

/** Options of {@link File.download}. */
export interface FileDownloadOptions extends MethodOptions {
  /** Target directory or file path; the working directory when absent. */
  path?: string;
  /** Replace a different existing file. @default false */
  overwrite?: boolean;
  /** Called as bytes arrive. */
  onProgress?: (progress: DownloadProgress) => void;
}

/**
 * A raw (non-tabular) file from a file-index table's directory listing. `read()` and `open()` work everywhere;
 * `download()` needs a file system.
 */
export class File {
  /** The file id. */
  readonly id: string;
  /** The base name (last path segment). */
  readonly name: string;
  /** The full path in the index, e.g. `images/cat.png`. */
  readonly path: string;
  /** What the listing said about the file. */
  readonly properties: FileProperties;
  /** The directory holding the file. */
  readonly directory: Directory | undefined;
  readonly #ctx: ResourceContext;

  /** @internal built from a directory listing. */
  constructor(ctx: ResourceContext, properties: FileProperties, directory?: Directory) {
    this.#ctx = ctx;
    this.properties = properties;
    this.id = properties.id;
    this.path = properties.name;
    this.name = properties.name.split('/').pop() ?? properties.name;
    this.directory = directory;
  }

  /** API path, `/rawFiles/{id}`. */
  get uri(): string {
    return pathTag`/rawFiles/${this.id}`;
  }

  /** Size in bytes, when the listing gave one. */
  get size(): number | undefined {
    return this.properties.size;
  }

  /** The raw MD5 digest (decoded from the listing's base64), when known. */
  get hash(): Uint8Array | undefined {
    const b64 = this.properties.md5Hash;
    if (!b64) return undefined;
    const bin = atob(b64);
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }

  /** When the file was added, when known. */
  get addedAt(): Date | undefined {
    return this.properties.addedAt;
  }

  /** @deprecated Files carry their metadata already; returns the file without a request. */
  get(): this {
    return this;
  }

  /** The file's bytes (or a byte range), as text when `asText` is set (UTF-8). */
  read(options: ReadFileOptions & { asText: true }): Promise<string>;
  /** The file's bytes (or a byte range). */
  read(options?: ReadFileOptions & { asText?: false }): Promise<Uint8Array>;
  async read(options?: ReadFileOptions & { asText?: boolean }): Promise<Uint8Array | string> {
    const bytes = await this.#ctx.client.requestBytes({ ...this.#rangeSpec(options) });
    return options?.asText ? new TextDecoder().decode(bytes) : bytes;
  }

  /** The file's bytes (or a byte range) as a web `ReadableStream`, read as the consumer pulls. */
  async open(options?: ReadFileOptions): Promise<ReadableStream<Uint8Array>> {
    const response = await this.#ctx.client.requestStream(this.#rangeSpec(options));
    return response.body ?? new Blob([]).stream();
  }

  /** @deprecated Use {@link File.open}. */
  stream(options?: ReadFileOptions): Promise<ReadableStream<Uint8Array>> {
    return this.open(options);
  }

  /**
   * Download the file (needs {@link Platform.fs}); returns the local path. A file already there with the same
   * size (and MD5, when the platform can hash) is kept; a different one is an error unless `overwrite`. The bytes
   * are resumed with `Range` after a cut (up to 10 times), checked against the server's MD5, and only then
   * renamed to the final name; a name from the index can never place the file outside the target folder.
   */
  async download(options?: FileDownloadOptions): Promise<string> {
    const fs = requireFs(this.#ctx.platform, 'file.download()');
    let target = fs.resolve(options?.path ?? '.');
    if (options?.path?.endsWith('/') || options?.path?.endsWith('\\') || (await fs.isDirectory(target)))
      target = localTarget(fs, target, this.name);
    if ((await fs.size(target)) !== undefined) {
      if (await this.matches(target)) return target;
      if (!options?.overwrite)
        throw new ResourceUsageError(
          `A different file exists at '${target}'; pass { overwrite: true } to replace it.`,
        );
    }
    let bytes = 0;
    const onProgress = options?.onProgress;
    await downloadFile(
      this.#ctx,
      {
        path: this.uri,
        target,
        md5: this.properties.md5Hash,
        ...(onProgress
          ? {
              onBytes: (delta: number) => {
                bytes += delta;
                onProgress({
                  bytesDownloaded: bytes,
                  ...(this.size !== undefined ? { totalBytes: this.size } : {}),
                  filesCompleted: 0,
                  totalFiles: 1,
                });
              },
            }
          : {}),
      },
      callOptions(options),
    );
    onProgress?.({ bytesDownloaded: bytes, totalBytes: bytes, filesCompleted: 1, totalFiles: 1 });
    return target;
  }

  /** @internal whether the local file at `target` has this file's size and (when hashable) MD5. */
  async matches(target: string): Promise<boolean> {
    const fs = requireFs(this.#ctx.platform, 'file.download()');
    const size = await fs.size(target);
    if (size === undefined || (this.size !== undefined && size !== this.size)) return false;
    if (this.properties.md5Hash && fs.md5) return (await fs.md5(target)) === this.properties.md5Hash;
    return this.size !== undefined;
  }

  #rangeSpec(options?: ReadFileOptions) {
    const start = options?.startByte ?? 0;
    const end = options?.endByte;
    const range = end !== undefined ? `bytes=${start}-${end}` : start > 0 ? `bytes=${start}-` : undefined;
    const call = callOptions(options);
    return {
      ...call,
      path: this.uri,
      ...(range ? { headers: { ...call.headers, Range: range } } : {}),
    };
  }
}
