import { resolve } from 'node:path';
import type { Table } from 'redivis-ts';
import type { CommandContext } from '../core/context.js';
import { createCommand } from '../core/create-command.js';
import { isNotFound } from './shared.js';
import { createProgress } from '../output/progress.js';

const TYPES = [
  'delimited',
  'csv',
  'avro',
  'ndjson',
  'parquet',
  'orc',
  'xls',
  'xlsx',
  'dta',
  'sas7bdat',
  'sav',
  'geojson',
  'geojsonl',
];

export default createCommand({
  path: ['upload'],
  summary: "upload files into a table of a dataset's next version",
  description:
    'Upload local files into a table of the next version (one upload per file, named after it) and wait until ' +
    'the server has imported them. By default the rows are added: to the rows the table had in the previous ' +
    'version and to the uploads already made in this one (a re-run skips files already uploaded under the same ' +
    "name). With --replace the files become the table's rows: the uploads already made in this version are " +
    'deleted and the table\'s uploadMergeStrategy is set to "replace", so the previous version\'s rows are ' +
    "not carried over either (the setting stays on the table, as the Python client's " +
    'table.update(upload_merge_strategy="replace") leaves it). Large files go through a resumable upload whose ' +
    'session is remembered on disk: if the command is interrupted, run it again and it continues from the last ' +
    'committed byte.',
  args: [
    { name: 'ref', description: 'table reference: owner.dataset[:next].table (its next version)' },
    { name: 'files', description: 'files to upload', variadic: true },
  ],
  options: [
    { flags: '--type <type>', description: 'file type (default: from the extension)', choices: TYPES },
    {
      flags: '--replace',
      description:
        "make these files the table's rows (previous version's rows and this version's uploads go)",
    },
    { flags: '--create-table', description: 'create the table first when it does not exist' },
  ],
  examples: [
    'redivis upload demo_admin.my_survey.responses wave1.csv wave2.csv --create-table',
    'redivis upload demo_admin.my_survey.responses big.parquet   # interrupted? run it again to resume',
  ],
  async handler(args, options, ctx) {
    const [redivis, { fileSource }] = await Promise.all([ctx.redivis(), import('@redivis-ts/node')]);
    const table = redivis.table(String(args.ref));
    try {
      await table.get({ signal: ctx.signal });
    } catch (error) {
      if (!options.createTable || !isNotFound(error)) throw error;
      await table.create({
        signal: ctx.signal,
        ...(options.replace ? { uploadMergeStrategy: 'replace' as const } : {}),
      });
      ctx.out.success(`Created table ${table.qualifiedReference}`);
    }
    if (options.replace) await replaceRows(table, ctx);
    else if (table.properties?.uploadMergeStrategy === 'replace') {
      ctx.out.status(
        `note: ${table.qualifiedReference} has uploadMergeStrategy "replace": this version's uploads replace ` +
          "the previous version's rows",
      );
    }
    const uploaded: Array<{ file: string; upload: string; status: unknown; numRows: unknown }> = [];
    for (const file of args.files as string[]) {
      const source = await fileSource(resolve(ctx.io.cwd, file));
      const name = source.name ?? file;
      const progress = await createProgress(ctx.out, 'bytes', `Uploading ${name}`);
      let upload: Awaited<ReturnType<ReturnType<typeof table.upload>['create']>>;
      try {
        upload = await table.upload(name).create(source, {
          signal: ctx.signal,
          ...(options.type ? { type: options.type as 'csv' } : {}),
          // After --replace cleared this version's uploads, a same-named upload is one a re-run already made.
          ifNotExists: true,
          onProgress: (p) =>
            progress.update({
              value: p.bytesUploaded,
              ...(p.totalBytes !== undefined ? { total: p.totalBytes } : {}),
            }),
        });
      } finally {
        progress.stop();
      }
      const p = (upload.properties ?? {}) as Record<string, unknown>;
      uploaded.push({ file, upload: upload.name, status: p.status ?? null, numRows: p.numRows ?? null });
      ctx.out.success(
        `Uploaded ${file} → ${table.qualifiedReference} (${p.numRows === undefined ? '' : `${Number(p.numRows).toLocaleString('en-US')} rows, `}${p.status ?? 'done'})`,
      );
    }
    if (ctx.globals.json) ctx.out.json(uploaded);
  },
});

/**
 * `--replace`: the table's `uploadMergeStrategy` becomes `replace` (the previous version's rows are not carried
 * over) and the uploads already made in this version are deleted (their rows leave the table with them).
 */
async function replaceRows(table: Table, ctx: CommandContext): Promise<void> {
  if (table.properties?.uploadMergeStrategy !== 'replace') {
    await table.update({ uploadMergeStrategy: 'replace', signal: ctx.signal });
    ctx.out.status(`Set ${table.qualifiedReference} to replace its rows with this version's uploads`);
  }
  const existing = await table.listUploads({ signal: ctx.signal });
  for (const upload of existing) {
    await upload.delete({ signal: ctx.signal });
    ctx.out.status(`Deleted the earlier upload ${upload.name}`);
  }
}
