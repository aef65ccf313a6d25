// Version 4: raw files remember their name (for HEAD's X-Redivis-Filename and Content-Type) and may keep their
// bytes in a file under the data dir instead of the row (files added from temp uploads can be many GiB). Frozen.

/** `name` (null on rows from before this migration) and `on_disk` (bytes at `<dataDir>/raw-files/<id>`). */
export const RAW_FILE_NAMES = `
  ALTER TABLE raw_files ADD COLUMN name VARCHAR;
  ALTER TABLE raw_files ADD COLUMN on_disk BOOLEAN DEFAULT false;`;
