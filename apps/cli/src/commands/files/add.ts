import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createCommand, parseCount } from '../../core/create-command.js';
import { UsageError } from '../../core/errors.js';
import { createProgress } from '../../output/progress.js';
import { isNotFound } from '../shared.js';

export default createCommand({
  path: ['files', 'add'],
  summary: 'add local files or folders to a file-index table',
  description:
    'Add raw files to a file-index table of an unreleased version (table.addFiles): each file is sent through a ' +
    'temporary upload (resumable above 50 MB), several at once, then registered in the index. A file is named ' +
    'after itself; a folder adds every file below it, named by its path relative to the folder (a/b.txt).',
  args: [
    { name: 'ref', description: 'table reference of a file index: owner.dataset.table (its next version)' },
    { name: 'paths', description: 'files and folders to add', variadic: true },
  ],
  options: [
    { flags: '--create-table', description: 'create the file-index table first when it does not exist' },
    {
      flags: '--concurrency <n>',
      description: 'files sent at once (default 10)',
      parse: parseCount('--concurrency'),
    },
  ],
  examples: [
    'redivis files add demo_admin.my_survey.documents codebook.pdf scans/ --create-table',
    'redivis --json files add demo_admin.my_survey.documents notes.txt',
  ],
  async handler(args, options, ctx) {
    const paths = (args.paths as string[]).map((p) => resolve(ctx.io.cwd, p));
    // Sorted into files and folders before anything is sent, so a missing path fails with nothing added.
    const files: string[] = [];
    const folders: string[] = [];
    for (const [k, path] of paths.entries()) {
      const kind = await stat(path).catch(() => undefined);
      if (!kind) throw new UsageError(`No such file or folder: ${(args.paths as string[])[k]}`);
      (kind.isDirectory() ? folders : files).push(path);
    }
    const redivis = await ctx.redivis();
    const table = redivis.table(String(args.ref));
    if (options.createTable) {
      try {
        await table.get({ signal: ctx.signal });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await table.create({ isFileIndex: true, signal: ctx.signal });
        ctx.out.success(`Created file-index table ${table.qualifiedReference}`);
      }
    }
    // One addFiles call for the loose files, one per folder (names relative to it).
    const batches = [
      ...(files.length
        ? [{ files, label: `Adding ${files.length} file${files.length === 1 ? '' : 's'}` }]
        : []),
      ...folders.map((directory) => ({ directory, label: `Adding ${directory}` })),
    ];
    const added: Array<{ name: string; id: string | null }> = [];
    for (const batch of batches) {
      const progress = await createProgress(ctx.out, 'bytes', batch.label);
      try {
        const result = await table.addFiles({
          signal: ctx.signal,
          ...('files' in batch ? { files: batch.files } : { directory: batch.directory }),
          ...(options.concurrency ? { maxConcurrency: options.concurrency as number } : {}),
          onProgress: (p) => progress.update({ value: p.bytesUploaded, total: p.totalBytes }),
        });
        for (const file of result) added.push({ name: file.name, id: file.id ?? null });
      } finally {
        progress.stop();
      }
    }
    if (ctx.globals.json) return ctx.out.json({ table: table.qualifiedReference, files: added });
    for (const file of added) ctx.out.line(file.name);
    ctx.out.success(
      `Added ${added.length} file${added.length === 1 ? '' : 's'} to ${table.qualifiedReference}`,
    );
  },
});
