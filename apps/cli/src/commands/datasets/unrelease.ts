import { createCommand } from '../../core/create-command.js';

export default createCommand({
  path: ['datasets', 'unrelease'],
  summary: 'unrelease the current version (within 7 days of its release)',
  args: [{ name: 'ref', description: 'dataset reference: owner.dataset' }],
  examples: ['redivis datasets unrelease demo_admin.my_survey'],
  async handler(args, _options, ctx) {
    const redivis = await ctx.redivis();
    const dataset = await redivis.dataset(String(args.ref)).unrelease({ signal: ctx.signal });
    if (ctx.globals.json)
      return ctx.out.json(dataset.properties ?? { unreleased: dataset.qualifiedReference });
    ctx.out.success(`Unreleased the current version of ${dataset.qualifiedReference}`);
  },
});
