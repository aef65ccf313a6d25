/**
 * The Redivis object model: organizations, users, datasets, versions, tables, variables, uploads, queries,
 * workflows and their nodes, exports and raw files, built on `@redivis-ts/core` and read through
 * `@redivis-ts/arrow`. Start with {@link createRedivis}.
 *
 * @module
 */
export type { ListOptions, MethodOptions } from './context.js';
export { createRedivis, type RawRequest, type Redivis } from './create-redivis.js';
export { type CreateDatasetOptions, Dataset, type UpdateDatasetOptions } from './Dataset.js';
export { Datasource, type UpdateDatasourceOptions } from './Datasource.js';
export { Directory, type DirectoryDownloadOptions, type DirectoryListOptions } from './Directory.js';
export type {
  AddedFile,
  AddFileInput,
  AddFilesOptions,
  AddFilesProgress,
  DataFileInput,
  LocalFileInput,
} from './add-files.js';
export { type DownloadOptions, Export, type ExportWaitOptions } from './Export.js';
export type { CreateOutputTableOptions, OutputTableData } from './output-table.js';
export type { UploadCreateContent, UploadCreateOptions } from './upload-write.js';
export { DownloadIntegrityError, type DownloadProgress } from './download.js';
export type { ConcurrencyOptions } from './download-many.js';
export { File, type FileDownloadOptions, type FileProperties, type ReadFileOptions } from './File.js';
export type { DirectoryOptions, DownloadFilesOptions, ListFilesOptions } from './files.js';
export type { JobInfo, RunOptions } from './jobs.js';
export { Member, type UpdateMemberOptions } from './Member.js';
export { Notebook, type UpdateNotebookOptions } from './Notebook.js';
export { type ListDatasetsOptions, type ListMembersOptions, Organization } from './Organization.js';
export type { OwnedDatasetOptions, OwnedNameOptions, Owner } from './owner.js';
export {
  type CreateParameterOptions,
  Parameter,
  type ParameterValue,
  type UpdateParameterOptions,
} from './Parameter.js';
export {
  type FileSystemAdapter,
  type PartialFile,
  type Platform,
  PlatformFeatureError,
  ResourceUsageError,
} from './platform.js';
export { Query, type QueryOptions, type QueryWaitOptions } from './Query.js';
// One ReadStream class: arrow's, whose readers resume by offset like every other reader.
export { ReadStream, type StreamReadOptions, type StreamRowReadOptions } from '@redivis-ts/arrow';
export { Secret } from './Secret.js';
export {
  type CreateTableOptions,
  Table,
  type TableDownloadOptions,
  type UpdateTableOptions,
} from './Table.js';
export {
  type GeoJSONOptions,
  type ReadOptions,
  type Row,
  type RowMode,
  type RowReadOptions,
  type RowValue,
  TabularReader,
  type ToReadStreamsOptions,
} from './TabularReader.js';
export { Transform, type UpdateTransformOptions } from './Transform.js';
export { Upload } from './Upload.js';
export { User } from './User.js';
export {
  type StatisticsOptions,
  type UpdateVariableOptions,
  type ValueLabelInput,
  Variable,
  type VariableStatistics,
  type VariableUpdate,
} from './Variable.js';
export { type UpdateVersionOptions, Version } from './Version.js';
export { Workflow } from './Workflow.js';
export { WorkflowNode, type WorkflowNodeProperties } from './WorkflowNode.js';
