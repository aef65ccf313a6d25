import { createCommand, parseList } from '../../core/create-command.js';
import { UsageError } from '../../core/errors.js';
import { ACCESS_LEVELS } from '../shared.js';

export default createCommand({
  path: ['datasets', 'update'],
  summary: "change a dataset's name, description, labels or public access",
  args: [{ name: 'ref', description: 'dataset reference: owner.dataset' }],
  options: [
    { flags: '--name <name>', description: 'a new name' },
    { flags: '--description <text>', description: 'a new description' },
    { flags: '--labels <a,b>', description: 'replace the labels', parse: parseList },
    { flags: '--public-access-level <level>', description: 'what anyone may see', choices: ACCESS_LEVELS },
  ],
  examples: ['redivis datasets update demo_admin.my_survey --description "Waves 1-4" --labels survey,panel'],
  async handler(args, options, ctx) {
    const changes = {
      ...(options.name !== undefined ? { name: options.name as string } : {}),
      ...(options.description !== undefined ? { description: options.description as string } : {}),
      ...(options.labels !== undefined ? { labels: options.labels as string[] } : {}),
      ...(options.publicAccessLevel !== undefined
        ? { publicAccessLevel: options.publicAccessLevel as (typeof ACCESS_LEVELS)[number] }
        : {}),
    };
    if (Object.keys(changes).length === 0) {
      throw new UsageError(
        'Nothing to update',
        'pass --name, --description, --labels or --public-access-level',
      );
    }
    const redivis = await ctx.redivis();
    const dataset = await redivis.dataset(String(args.ref)).update({ ...changes, signal: ctx.signal });
    if (ctx.globals.json) return ctx.out.json(dataset.properties);
    ctx.out.success(`Updated dataset ${dataset.qualifiedReference}`);
  },
});
