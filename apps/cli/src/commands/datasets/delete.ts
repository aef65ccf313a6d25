import { createCommand } from '../../core/create-command.js';
import { UsageError } from '../../core/errors.js';
import { confirm } from '../shared.js';

export default createCommand({
  path: ['datasets', 'delete'],
  summary: 'delete a dataset',
  args: [{ name: 'ref', description: 'dataset reference: owner.dataset' }],
  options: [
    { flags: '-y, --yes', description: 'do not ask for confirmation (required when not on a terminal)' },
  ],
  examples: ['redivis datasets delete demo_admin.my_survey --yes'],
  async handler(args, options, ctx) {
    const ref = String(args.ref);
    if (!options.yes && !(await confirm(ctx.io, `Delete dataset ${ref}?`))) {
      throw new UsageError(`Not deleting ${ref}`, 'pass --yes to delete without asking');
    }
    const redivis = await ctx.redivis();
    await redivis.dataset(ref).delete({ signal: ctx.signal });
    if (ctx.globals.json) return ctx.out.json({ deleted: ref });
    ctx.out.success(`Deleted dataset ${ref}`);
  },
});
