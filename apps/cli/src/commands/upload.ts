import { resolve } from 'node:path';
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
    'Upload local files into a table (one upload per file, named after it) and wait until the server has ' +
    'imported them. Large files go through a resumable upload whose session is remembered on disk: if the ' +
    'command is interrupted, run it again and it continues from the last committed byte. Files already ' +
    'uploaded under the same name are skipped, unless --replace.',
  args: [
    { name: 'ref', description: 'table reference: owner.dataset.table (its next version)' },
    { name: 'files', description: 'files to upload', variadic: true },
  ],
  options: [
    { flags: '--type <type>', description: 'file type (default: from the extension)', choices: TYPES },
    { flags: '--replace', description: 'replace an existing upload of the same name' },
    { flags: '--create-table', description: 'create the table first when it does not exist' },
  ],
  examples: [
    'redivis upload demo_admin.my_survey.responses wave1.csv wave2.csv --create-table',
    'redivis upload demo_admin.my_survey.responses big.parquet   # interrupted? run it again to resume',
  ],
  async handler(args, options, ctx) {
    const [redivis, { fileSource }] = await Promise.all([ctx.redivis(), import('@redivis-ts/node')]);
    const table = redivis.table(String(args.ref));
    if (options.createTable) {
      try {
        await table.get({ signal: ctx.signal });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await table.create({ signal: ctx.signal });
        ctx.out.success(`Created table ${table.qualifiedReference}`);
      }
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
          ...(options.replace ? { replaceOnConflict: true } : { ifNotExists: true }),
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
