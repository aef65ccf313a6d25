import type { CommandDefinition } from '../core/create-command.js';
import completion from './completion.js';
import datasetsCreate from './datasets/create.js';
import datasetsDelete from './datasets/delete.js';
import datasetsList from './datasets/list.js';
import datasetsNextVersion from './datasets/next-version.js';
import datasetsRelease from './datasets/release.js';
import datasetsShow from './datasets/show.js';
import datasetsUnrelease from './datasets/unrelease.js';
import datasetsUpdate from './datasets/update.js';
import emulatorStart from './emulator/start.js';
import query from './query.js';
import read from './read.js';
import tablesHead from './tables/head.js';
import tablesList from './tables/list.js';
import tablesShow from './tables/show.js';
import versionsList from './versions/list.js';

/** One line per noun in `redivis --help`. */
export const nounSummaries: Record<string, string> = {
  datasets: 'list, show, create, update, delete and release datasets',
  versions: "a dataset's versions",
  tables: 'list tables, show their variables and statistics, preview rows',
  emulator: 'a local Redivis API for offline work and tests',
};

/** Every command, in the order `--help` lists them. */
export const commands: readonly CommandDefinition[] = [
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
  emulatorStart,
  completion,
];
