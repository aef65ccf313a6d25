import { resolve } from 'node:path';
import { createCommand } from '../core/create-command.js';
import { createProgress } from '../output/progress.js';

export default createCommand({
  path: ['download'],
  summary: 'export a table to files and download them',
  description:
    'Export a table on the server (csv, parquet, ndjson, avro, dta or sav) and download the files into a folder. ' +
    'Each file is written under a temporary name, checked against its MD5 and renamed only when complete.',
  args: [{ name: 'ref', description: 'table reference: owner.dataset[:version].table' }],
  options: [
    {
      flags: '-f, --format <format>',
      description: 'export format',
      choices: ['csv', 'parquet', 'ndjson', 'avro', 'dta', 'sav'],
      default: 'csv',
    },
    { flags: '-o, --out <dir>', description: 'folder to write into (default: the current one)' },
    { flags: '--overwrite', description: 'replace existing files that differ' },
  ],
  examples: ['redivis download demo.iris_species.iris --format parquet --out exports/'],
  async handler(args, options, ctx) {
    const redivis = await ctx.redivis();
    const progress = await createProgress(ctx.out, 'bytes', 'Downloading');
    let paths: string[];
    try {
      paths = await redivis.table(String(args.ref)).download({
        signal: ctx.signal,
        format: String(options.format),
        path: resolve(ctx.io.cwd, options.out ? String(options.out) : '.'),
        overwrite: Boolean(options.overwrite),
        onDownloadProgress: (p) =>
          progress.update({
            value: p.bytesDownloaded,
            ...(p.totalBytes !== undefined ? { total: p.totalBytes } : {}),
          }),
      });
    } finally {
      progress.stop();
    }
    if (ctx.globals.json) return ctx.out.json({ files: paths });
    for (const path of paths) ctx.out.line(path);
    ctx.out.success(`Downloaded ${paths.length} file${paths.length === 1 ? '' : 's'}`);
  },
});
