import { createCommand } from '../../core/create-command.js';

export default createCommand({
  path: ['datasets', 'next-version'],
  summary: 'create the next (unreleased) version of a dataset',
  args: [{ name: 'ref', description: 'dataset reference: owner.dataset' }],
  options: [{ flags: '--if-not-exists', description: 'succeed when a next version already exists' }],
  examples: ['redivis datasets next-version demo_admin.my_survey --if-not-exists'],
  async handler(args, options, ctx) {
    const redivis = await ctx.redivis();
    const next = await redivis
      .dataset(String(args.ref))
      .createNextVersion({ signal: ctx.signal, ifNotExists: Boolean(options.ifNotExists) });
    if (ctx.globals.json) return ctx.out.json(next.properties ?? { reference: next.qualifiedReference });
    ctx.out.success(`Next version ready: ${next.qualifiedReference}`);
  },
});
