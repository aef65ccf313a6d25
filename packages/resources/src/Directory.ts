import type { MethodOptions, ResourceContext } from './context.js';
import type { FileProperties } from './File.js';
import { File } from './File.js';
import { callOptions } from './context.js';
import type { ConcurrencyOptions } from './download-many.js';
import { downloadMany } from './download-many.js';
import { localTarget } from './local-paths.js';
import { requireFs, ResourceUsageError } from './platform.js';

/** Options of {@link Directory.list}. */
export interface DirectoryListOptions {
  /** Stop after this many entries. */
  maxResults?: number;
  /** Which entries to return. @default 'all' */
  mode?: 'all' | 'files' | 'directories';
  /** Descend into sub-directories. @default false */
  recursive?: boolean;
}

/** Options of {@link Directory.download}. */
export interface DirectoryDownloadOptions extends MethodOptions, ConcurrencyOptions {
  /** Target directory; the working directory when absent. */
  path?: string;
  /** Download at most this many files. */
  maxResults?: number;
  /** Replace different existing files. @default false */
  overwrite?: boolean;
}

/**
 * A folder in a file index, built client-side from the listing (no requests). `list()` and `get()` navigate;
 * `download()` fetches the files in parallel (needs a file system).
 */
export class Directory {
  /** Folder name (`''` for the root). */
  readonly name: string;
  /** Path from the root, without leading or trailing `/` (`''` for the root). */
  readonly path: string;
  /** The parent folder; `undefined` for the root. */
  readonly parent: Directory | undefined;
  readonly #ctx: ResourceContext;
  readonly #children = new Map<string, Directory | File>();

  /** @internal built by `toDirectory()`. */
  constructor(ctx: ResourceContext, name: string, parent?: Directory) {
    this.#ctx = ctx;
    this.name = name;
    this.parent = parent;
    this.path = parent?.path ? `${parent.path}/${name}` : name;
  }

  /** @internal build the tree of a listing. */
  static fromFiles(ctx: ResourceContext, files: FileProperties[]): Directory {
    const root = new Directory(ctx, '');
    for (const props of files) {
      const parts = props.name.split('/').filter(Boolean);
      let dir = root;
      for (const part of parts.slice(0, -1)) dir = dir.#subdirectory(part);
      const base = parts[parts.length - 1];
      if (base) dir.#children.set(base, new File(ctx, props, dir));
    }
    return root;
  }

  /** Entries of this folder (sorted by name), optionally recursive and filtered to files or directories. */
  list(options?: DirectoryListOptions): (Directory | File)[] {
    const mode = options?.mode ?? 'all';
    const max = options?.maxResults ?? Number.POSITIVE_INFINITY;
    const out: (Directory | File)[] = [];
    const visit = (dir: Directory): boolean => {
      for (const key of [...dir.#children.keys()].sort()) {
        if (out.length >= max) return false;
        const entry = dir.#children.get(key) as Directory | File;
        const isDir = entry instanceof Directory;
        if (mode === 'all' || (mode === 'directories') === isDir) out.push(entry);
        if (isDir && options?.recursive && !visit(entry)) return false;
      }
      return true;
    };
    visit(this);
    return out.slice(0, max);
  }

  /**
   * The entry at a relative path (`a/b.txt`, `../x`, `/from/root`), or `undefined` when there is none (a lookup,
   * as Python's `get`). A trailing `/` requires a directory.
   *
   * @throws ResourceUsageError when `..` would climb above the root (the Python client raises too; staying at the
   *   root would answer for a path the caller did not write).
   */
  get(path: string): Directory | File | undefined {
    let node: Directory | File = path.startsWith('/') ? this.#root() : this;
    for (const part of path.split('/')) {
      if (part === '' || part === '.') continue;
      if (!(node instanceof Directory)) return undefined;
      if (part === '..') node = parentOf(node, path);
      else {
        const child: Directory | File | undefined = node.#children.get(part);
        if (!child) return undefined;
        node = child;
      }
    }
    if (path.endsWith('/') && !(node instanceof Directory)) return undefined;
    return node;
  }

  /**
   * Download every file below this folder into `path`, keeping the folder structure; files already present with
   * the same size (and MD5, when the platform can hash) are skipped, different ones are an error unless
   * `overwrite`. At most `maxConcurrency` files download at once, each resumed after a cut and checked against its
   * MD5. Names from the index are made safe so nothing lands outside `path`. Returns the local paths.
   */
  async download(options?: DirectoryDownloadOptions): Promise<string[]> {
    const fs = requireFs(this.#ctx.platform, 'directory.download()');
    const root = fs.resolve(options?.path ?? '.');
    const files = this.list({
      mode: 'files',
      recursive: true,
      ...(options?.maxResults !== undefined ? { maxResults: options.maxResults } : {}),
    }) as File[];
    const prefix = this.path ? `${this.path}/` : '';
    const targets = files.map((f) => localTarget(fs, root, f.path.slice(prefix.length)));
    const jobs = [];
    for (const [i, file] of files.entries()) {
      const target = targets[i] as string;
      if ((await fs.size(target)) !== undefined) {
        if (await file.matches(target)) continue;
        if (!options?.overwrite)
          throw new ResourceUsageError(
            `A different file exists at '${target}'; pass { overwrite: true } to replace it.`,
          );
      }
      jobs.push({ path: file.uri, target, md5: file.properties.md5Hash });
    }
    await downloadMany(this.#ctx, jobs, options ?? {}, callOptions(options));
    return targets;
  }

  // Recursive rather than a `while (dir.parent)` loop: biome 2.3.8's type inference never finishes on that loop
  // once the project-wide module graph is on (noImportCycles), hanging `biome check`.
  #root(): Directory {
    return this.parent ? this.parent.#root() : this;
  }

  #subdirectory(name: string): Directory {
    const existing = this.#children.get(name);
    if (existing instanceof Directory) return existing;
    const dir = new Directory(this.#ctx, name, this);
    this.#children.set(name, dir);
    return dir;
  }
}

function parentOf(dir: Directory, path: string): Directory {
  if (!dir.parent) throw new ResourceUsageError(`The path "${path}" climbs above the root folder`);
  return dir.parent;
}
