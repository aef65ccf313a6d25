/**
 * Parsing and formatting of Redivis reference strings (datasets, workflows, tables, uploads, versions), name
 * escaping, and the percent-encoding of path segments. Every function here throws only
 * {@link InvalidReferenceError}.
 *
 * @module
 */
export {
  type DatasetReference,
  type FormatOwnedReferenceOptions,
  formatDatasetReference,
  formatWorkflowReference,
  type ParseOwnedReferenceOptions,
  parseDatasetReference,
  parseWorkflowReference,
  type WorkflowReference,
} from './dataset.js';
export { decodePathSegment, encodePathSegment, type PathValue, path } from './encoding.js';
export {
  parseUploadReference,
  referenceIdFromUrl,
  type UploadReference,
  uploadNameToPath,
} from './misc.js';
export { escapeName, isValidOwnerName, nameProblem, namesMatch, parseOwnerName } from './names.js';
export {
  formatSqlTableReference,
  formatTableReference,
  parseSqlTableReference,
  parseTableReference,
  type TableParentReference,
  type TableReference,
} from './table.js';
export {
  compareVersionTags,
  formatVersionTag,
  isVersionSuffix,
  normalizeVersionTag,
  parseVersionNumber,
  type VersionNumber,
  type VersionTag,
  versionTagToPath,
} from './versions.js';
