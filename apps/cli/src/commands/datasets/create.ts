import { createCommand } from '../../core/create-command.js';
import { ACCESS_LEVELS } from '../shared.js';

export default createCommand({
  path: ['datasets', 'create'],
  summary: 'create a dataset (its first version is unreleased)',
  args: [{ name: 'ref', description: 'owner.dataset to create' }],
  options: [
    { flags: '--description <text>', description: 'short description (≤ 256 characters)' },
    { flags: '--public-access-level <level>', description: 'what anyone may see', choices: ACCESS_LEVELS },
  ],
  examples: ['redivis datasets create demo_admin.my_survey --description "Survey waves 1-3"'],
  async handler(args, options, ctx) {
    const redivis = await ctx.redivis();
    const dataset = await redivis.dataset(String(args.ref)).create({
      signal: ctx.signal,
      ...(options.description !== undefined ? { description: options.description as string } : {}),
      ...(options.publicAccessLevel !== undefined
        ? { publicAccessLevel: options.publicAccessLevel as (typeof ACCESS_LEVELS)[number] }
        : {}),
    });
    if (ctx.globals.json) return ctx.out.json(dataset.properties);
    ctx.out.success(`Created dataset ${dataset.qualifiedReference}`);
    ctx.out.line(dataset.qualifiedReference);
  },
});
