import { fail, requireString } from './fail.js';

/** A parsed upload reference: an upload name, with the numeric id legacy paths carried (`name:789`). */
export interface UploadReference {
  /** Upload name (usually the uploaded file's name). */
  name: string;
  /** Legacy numeric upload id. */
  referenceId?: string;
}

const LEGACY_UPLOAD_ID = /^(.*):(\d+)$/s;

/**
 * Parses the `:uploadName` path parameter (already percent-decoded). Upload names are file names and may contain
 * `.` and `:`; only a trailing `:<digits>` is split off, as the legacy `upload_name:id` form.
 *
 * @param input - The decoded path parameter.
 * @returns The name and, for the legacy form, the id.
 * @throws {@link InvalidReferenceError} when the name is empty.
 */
export function parseUploadReference(input: string): UploadReference {
  const what = 'upload reference';
  requireString(what, input);
  const m = LEGACY_UPLOAD_ID.exec(input);
  const name = m ? m[1]! : input;
  if (name === '') fail(what, input, 'the upload name is empty');
  return m ? { name, referenceId: m[2]! } : { name };
}

/**
 * The upload-name path segment the official clients send: the name with every `.` replaced by `_`
 * (`data.csv` → `data_csv`), before percent-encoding. Servers match it leniently (see {@link namesMatch}).
 *
 * @param name - The upload name.
 * @returns The name with dots replaced.
 * @throws {@link InvalidReferenceError} when the name is empty.
 */
export function uploadNameToPath(name: string): string {
  requireString('upload name', name);
  if (name === '') fail('upload name', name, 'the upload name is empty');
  return name.replace(/\./g, '_');
}

/**
 * Extracts the persistent reference id from the id-style segment of a Redivis web URL: `7br5-41440fjzk` → `7br5`.
 * A full URL (or path) is accepted too; the first path segment of that shape is used.
 *
 * @example
 * ```ts
 * referenceIdFromUrl('https://redivis.com/datasets/7br5-41440fjzk'); // '7br5'
 * ```
 * @param input - The segment, path or URL.
 * @returns The reference id (the text before the first `-`).
 * @throws {@link InvalidReferenceError} when there is no `<id>-<rest>` segment.
 */
export function referenceIdFromUrl(input: string): string {
  const what = 'URL reference id';
  requireString(what, input);
  const pathPart = input.replace(/[?#].*$/s, '').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  for (const segment of pathPart.split('/')) {
    const m = /^([A-Za-z0-9]+)-[A-Za-z0-9]+$/.exec(segment);
    if (m) return m[1]!;
  }
  return fail(what, input, 'expected a segment like "7br5-41440fjzk"');
}
