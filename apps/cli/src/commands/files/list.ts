import { createCommand, parseCount } from '../../core/create-command.js';
import { formatBytes, formatTimestamp } from '../../output/format.js';

export default createCommand({
  path: ['files', 'list'],
  summary: "list a file-index table's raw files",
  args: [{ name: 'ref', description: 'table reference of a file index: owner.dataset[:version].table' }],
  options: [
    {
      flags: '-n, --max-results <n>',
      description: 'list at most n files',
      parse: parseCount('--max-results'),
    },
  ],
  examples: ['redivis files list demo.iris_species.documents'],
  async handler(args, options, ctx) {
    const redivis = await ctx.redivis();
    const files = await redivis.table(String(args.ref)).listFiles({
      signal: ctx.signal,
      ...(options.maxResults !== undefined ? { maxResults: options.maxResults as number } : {}),
    });
    if (ctx.globals.json) {
      return ctx.out.json(
        files.map((f) => ({ id: f.id, path: f.path, size: f.size ?? null, addedAt: f.addedAt ?? null })),
      );
    }
    ctx.out.table(
      [{ header: 'path' }, { header: 'size', align: 'right' }, { header: 'added' }, { header: 'id' }],
      files.map((f) => [f.path, formatBytes(f.size), formatTimestamp(f.addedAt?.getTime()), f.id]),
    );
  },
});
