import { createCommand, parseCount, parseList } from '../../core/create-command.js';

export default createCommand({
  path: ['tables', 'head'],
  summary: 'show the first rows of a table',
  args: [{ name: 'ref', description: 'table reference: owner.dataset[:version].table' }],
  options: [
    { flags: '-n, --rows <n>', description: 'how many rows', default: '10', parse: parseCount('--rows') },
    { flags: '--variables <a,b>', description: 'only these variables, in this order', parse: parseList },
  ],
  examples: [
    'redivis tables head demo.iris_species.iris -n 5',
    'redivis tables head demo.iris_species.iris --json',
  ],
  async handler(args, options, ctx) {
    const [redivis, { runRead }] = await Promise.all([ctx.redivis(), import('../../read/pipeline.js')]);
    const rows = Number(options.rows ?? 10);
    await runRead(
      redivis.table(String(args.ref)),
      {
        format: ctx.globals.json ? 'json' : ctx.io.stdout.isTTY ? 'table' : 'csv',
        maxResults: rows,
        ordered: true,
        ...(options.variables ? { variables: options.variables as string[] } : {}),
      },
      ctx,
    );
  },
});
