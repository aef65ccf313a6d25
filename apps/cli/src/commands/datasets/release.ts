import { createCommand } from '../../core/create-command.js';

export default createCommand({
  path: ['datasets', 'release'],
  summary: "release the dataset's next version",
  args: [{ name: 'ref', description: 'dataset reference: owner.dataset' }],
  options: [{ flags: '--notes <text>', description: 'release notes' }],
  examples: ['redivis datasets release demo_admin.my_survey --notes "Adds wave 4"'],
  async handler(args, options, ctx) {
    const redivis = await ctx.redivis();
    const dataset = await redivis.dataset(String(args.ref)).release({
      signal: ctx.signal,
      ...(options.notes !== undefined ? { releaseNotes: options.notes as string } : {}),
    });
    if (ctx.globals.json) return ctx.out.json(dataset.properties ?? { released: dataset.qualifiedReference });
    ctx.out.success(
      `Released ${dataset.qualifiedReference}${dataset.versionTag ? ` (${dataset.versionTag})` : ''}`,
    );
  },
});
