import type { CommandDefinition } from '../core/create-command.js';
import authLogin from './auth/login.js';
import authLogout from './auth/logout.js';
import authStatus from './auth/status.js';
import authToken from './auth/token.js';
import completionCommand from './completion.js';
import datasetsCreate from './datasets/create.js';
import datasetsDelete from './datasets/delete.js';
import datasetsList from './datasets/list.js';
import datasetsNextVersion from './datasets/next-version.js';
import datasetsRelease from './datasets/release.js';
import datasetsShow from './datasets/show.js';
import datasetsUnrelease from './datasets/unrelease.js';
import datasetsUpdate from './datasets/update.js';
import download from './download.js';
import emulatorStart from './emulator/start.js';
import filesAdd from './files/add.js';
import filesDownload from './files/download.js';
import filesList from './files/list.js';
import query from './query.js';
import read from './read.js';
import tablesHead from './tables/head.js';
import tablesList from './tables/list.js';
import tablesShow from './tables/show.js';
import upload from './upload.js';
import versionsList from './versions/list.js';

/** One line per noun in `redivis --help`. */
export const nounSummaries: Record<string, string> = {
  auth: 'sign in and out, see who you are',
  datasets: 'list, show, create, update, delete and release datasets',
  versions: "a dataset's versions",
  tables: 'list tables, show their variables and statistics, preview rows',
  files: "a file-index table's raw files: list, download, add",
  emulator: 'a local Redivis API for offline work and tests',
};

/** Every command, in the order `--help` lists them. */
export const commands: readonly CommandDefinition[] = [
  authLogin,
  authStatus,
  authToken,
  authLogout,
  datasetsList,
  datasetsShow,
  datasetsCreate,
  datasetsUpdate,
  datasetsDelete,
  datasetsRelease,
  datasetsUnrelease,
  datasetsNextVersion,
  versionsList,
  tablesList,
  tablesShow,
  tablesHead,
  query,
  read,
  upload,
  download,
  filesList,
  filesDownload,
  filesAdd,
  emulatorStart,
  completionCommand(() => commands),
];
