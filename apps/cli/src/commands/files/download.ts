import { resolve } from 'node:path';
import { createCommand, parseCount } from '../../core/create-command.js';
import { createProgress } from '../../output/progress.js';

export default createCommand({
  path: ['files', 'download'],
  summary: "download a file-index table's raw files into a folder",
  description:
    'Download the raw files of a file-index table, in parallel, keeping their folders. Each file is written ' +
    'under a temporary name, checked against its MD5 and renamed only when complete; files already there with ' +
    'the same content are kept.',
  args: [{ name: 'ref', description: 'table reference of a file index' }],
  options: [
    { flags: '-o, --out <dir>', description: 'folder to write into (default: the current one)' },
    {
      flags: '-n, --max-results <n>',
      description: 'download at most n files',
      parse: parseCount('--max-results'),
    },
    { flags: '--overwrite', description: 'replace existing files that differ' },
    {
      flags: '--concurrency <n>',
      description: 'files at once (default 48)',
      parse: parseCount('--concurrency'),
    },
  ],
  examples: ['redivis files download demo.iris_species.documents --out docs/'],
  async handler(args, options, ctx) {
    const redivis = await ctx.redivis();
    const directory = await redivis.table(String(args.ref)).toDirectory({ signal: ctx.signal });
    const progress = await createProgress(ctx.out, 'bytes', 'Downloading');
    let paths: string[];
    try {
      paths = await directory.download({
        signal: ctx.signal,
        path: resolve(ctx.io.cwd, options.out ? String(options.out) : '.'),
        overwrite: Boolean(options.overwrite),
        ...(options.maxResults !== undefined ? { maxResults: options.maxResults as number } : {}),
        ...(options.concurrency ? { maxConcurrency: options.concurrency as number } : {}),
        onProgress: (p) =>
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
