import { fail, requireString } from './fail.js';
import { isValidOwnerName, referenceName } from './names.js';
import { formatSuffixes } from './suffixes.js';
import { classifySuffixes, parseWithDottedVersions, splitSuffixes } from './tokenize.js';

/**
 * The dataset or workflow a table belongs to, as written in a table reference. Whether it is a dataset or a
 * workflow cannot be told from the string (a version or `:sample` implies a dataset).
 */
export interface TableParentReference {
  /** Dataset or workflow name as written. */
  name: string;
  /** Persistent reference id of the dataset or workflow. */
  referenceId?: string;
  /** Dataset version (`v1_0`, `current`, `next`); only datasets have versions. */
  version?: string;
  /** `true` for the dataset's sample tables. */
  sample?: boolean;
}

/**
 * A parsed table reference in one of three forms: `owner.parent.table` (qualified), `parent.table` (scoped to an
 * owner the caller knows) or `table` (resolved against a default dataset, workflow or notebook). The same shape
 * addresses notebooks and transforms inside a workflow.
 */
export interface TableReference {
  /** User or organization name; absent in the scoped and bare forms. */
  owner?: string;
  /** The dataset or workflow; absent in the bare form. */
  parent?: TableParentReference;
  /** Table name as written. */
  name: string;
  /** Persistent table id, stable across dataset versions. */
  referenceId?: string;
}

function parseParent(what: string, input: string, part: string): TableParentReference {
  const parsed = splitSuffixes(what, input, part, 'dataset or workflow');
  const suffixes = classifySuffixes(what, input, parsed, 'dataset or workflow', {
    version: true,
    sample: true,
  });
  return { name: parsed.name, ...suffixes };
}

function parseParts(what: string, input: string, parts: string[]): TableReference {
  if (parts.length > 3) {
    fail(what, input, `expected at most 3 dot-separated parts (owner.dataset.table), found ${parts.length}`);
  }
  const tablePart = splitSuffixes(what, input, parts[parts.length - 1]!, 'table');
  // The JS client writes `:sample` after the table name; it belongs to the dataset.
  const { sample, ...table } = classifySuffixes(what, input, tablePart, 'table', {
    version: false,
    sample: true,
  });
  const ref: Partial<TableReference> = {};
  if (parts.length === 3) {
    const owner = parts[0]!;
    if (!isValidOwnerName(owner)) {
      fail(what, input, `the owner "${owner}" must contain only ASCII letters, digits and "_"`);
    }
    ref.owner = owner;
  }
  if (parts.length >= 2) {
    ref.parent = parseParent(what, input, parts[parts.length - 2]!);
    if (sample) ref.parent.sample = true;
  } else if (sample) {
    fail(what, input, '":sample" needs a dataset (write "dataset:sample.table")');
  }
  return Object.assign(ref, { name: tablePart.name }, table) as TableReference;
}

/**
 * Parses a table reference: `owner.dataset[:suffixes].table[:referenceId]`, `dataset.table` or `table`. Dataset
 * suffixes may come in any order (see {@link parseDatasetReference}); a dotted version (`:v1.0`) is accepted; a
 * `:sample` written after the table name (as the JS client does) is moved to the parent. Backticks as in SQL
 * (`` `demo.iris_species:v1_0.iris` ``) are accepted.
 *
 * @example
 * ```ts
 * parseTableReference('demo.cms_2014_medicare_data:349j.physicians_and_other_supplier:kn00');
 * // { owner: 'demo', parent: { name: 'cms_2014_medicare_data', referenceId: '349j' },
 * //   name: 'physicians_and_other_supplier', referenceId: 'kn00' }
 * ```
 * @param input - The reference string.
 * @returns The parts; optional fields are absent when not given.
 * @throws {@link InvalidReferenceError} naming the bad part.
 */
export function parseTableReference(input: string): TableReference {
  const what = 'table reference';
  requireString(what, input);
  return parseWithDottedVersions(what, input, (parts) => parseParts(what, input, parts));
}

/**
 * Formats a table reference as `owner.parent[:version][:referenceId][:sample].table[:referenceId]`, or the shorter
 * forms when `owner` / `parent` are absent. Names containing `.`, `:` or a backtick are escaped.
 *
 * @param ref - The reference.
 * @returns The reference string.
 * @throws {@link InvalidReferenceError} for an owner without a parent, an invalid owner, version or reference id,
 *   or an empty name.
 */
export function formatTableReference(ref: TableReference): string {
  const what = 'table reference';
  let out = '';
  if (ref.owner !== undefined) {
    if (ref.parent === undefined) fail(what, ref.owner, 'an owner needs a dataset or workflow');
    if (!isValidOwnerName(ref.owner))
      fail(what, String(ref.owner), 'the owner must contain only letters, digits, "_"');
    out += `${ref.owner}.`;
  }
  if (ref.parent !== undefined) {
    out += `${referenceName('dataset or workflow', ref.parent.name)}${formatSuffixes(what, ref.parent)}.`;
  }
  const id = ref.referenceId === undefined ? {} : { referenceId: ref.referenceId };
  return out + referenceName('table', ref.name) + formatSuffixes(what, id);
}

/**
 * Parses a table reference as written in Redivis SQL, where it is usually wrapped in backticks
 * (`` `demo.iris_species:v1_0.iris` `` or `` `demo`.`iris_species`.`iris` ``). Same result as
 * {@link parseTableReference}, which also accepts the backticks.
 *
 * @param identifier - The identifier text from the query.
 * @returns The parsed reference.
 * @throws {@link InvalidReferenceError} naming the bad part.
 */
export function parseSqlTableReference(identifier: string): TableReference {
  return parseTableReference(identifier);
}

/**
 * Formats a table reference for use in SQL: {@link formatTableReference} wrapped in backticks.
 *
 * @param ref - The reference.
 * @returns e.g. `` `demo.iris_species:v1_0.iris` ``.
 * @throws {@link InvalidReferenceError} as {@link formatTableReference} does.
 */
export function formatSqlTableReference(ref: TableReference): string {
  return `\`${formatTableReference(ref)}\``;
}
