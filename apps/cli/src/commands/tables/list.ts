import { createCommand } from '../../core/create-command.js';
import { formatCount } from '../../output/format.js';
import { isNotFound } from '../shared.js';

export default createCommand({
  path: ['tables', 'list'],
  summary: 'list the tables of a dataset or workflow',
  args: [
    { name: 'container', description: 'dataset (owner.dataset[:version]) or workflow (owner.workflow)' },
  ],
  examples: ['redivis tables list demo.weather_sample', 'redivis tables list demo_admin.weather_analysis'],
  async handler(args, _options, ctx) {
    const redivis = await ctx.redivis();
    const ref = String(args.container);
    let tables: Awaited<ReturnType<ReturnType<typeof redivis.dataset>['listTables']>>;
    try {
      tables = await redivis.dataset(ref).listTables({ signal: ctx.signal });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      tables = await redivis.workflow(ref).listTables({ signal: ctx.signal });
    }
    if (ctx.globals.json) return ctx.out.json(tables.map((t) => t.properties));
    ctx.out.table(
      [
        { header: 'table' },
        { header: 'reference' },
        { header: 'rows', align: 'right' },
        { header: 'variables', align: 'right' },
      ],
      tables.map((t) => {
        const p = t.properties as Record<string, unknown> | undefined;
        return [t.name, t.qualifiedReference, formatCount(p?.numRows), formatCount(p?.variableCount)];
      }),
    );
  },
});
