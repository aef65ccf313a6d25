import type { FileSystemAdapter } from './platform.js';
import { ResourceUsageError } from './platform.js';

// Characters a file name segment may not carry on some platform (Windows' reserved set, controls, separators).
const UNSAFE_CHAR = /[\u0000-\u001f\u007f<>:"|?*\\]/g;

/**
 * The segments of a remote file name made safe to join under a local folder: split on `/` and `\`, empty and `.`
 * segments dropped, `..` turned into `__`, characters some platform forbids replaced by `_`. What comes out can
 * only name something *below* the folder. @internal
 */
export function safeSegments(name: string): string[] {
  const out: string[] = [];
  for (const raw of name.split(/[\\/]/)) {
    if (raw === '' || raw === '.') continue;
    const segment = raw === '..' ? '__' : raw.replace(UNSAFE_CHAR, '_');
    // Trailing dots and spaces are silently dropped by Windows, which could merge two names into one.
    out.push(segment.replace(/[. ]+$/, (m) => '_'.repeat(m.length)) || '_');
  }
  return out.length > 0 ? out : ['_'];
}

/**
 * `root` joined with the safe segments of `name`, checked to resolve inside `root` (a structural guarantee on top
 * of the segment rules). @internal
 */
export function localTarget(fs: FileSystemAdapter, root: string, name: string): string {
  const base = fs.resolve(root);
  const target = fs.resolve(fs.join(base, ...safeSegments(name)));
  const inside = target.startsWith(base.endsWith('/') || base.endsWith('\\') ? base : `${base}/`);
  const insideWin = target.startsWith(`${base}\\`);
  if (!inside && !insideWin)
    throw new ResourceUsageError(`The file name '${name}' would be written outside '${base}'.`);
  return target;
}
