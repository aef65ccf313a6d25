import { createCommand, parseCount } from '../../core/create-command.js';
import { formatTimestamp } from '../../output/format.js';
import { isNotFound } from '../shared.js';

export default createCommand({
  path: ['datasets', 'list'],
  summary: "list an organization's or a user's datasets",
  description:
    'List the datasets of an organization or a user (the organization is tried first, then the user).',
  args: [{ name: 'owner', description: 'organization or user name' }],
  options: [
    {
      flags: '-n, --max-results <n>',
      description: 'list at most n datasets',
      parse: parseCount('--max-results'),
    },
  ],
  examples: ['redivis datasets list demo', 'redivis datasets list demo --json | jq ".[].qualifiedReference"'],
  async handler(args, options, ctx) {
    const redivis = await ctx.redivis();
    const owner = String(args.owner);
    const list = {
      signal: ctx.signal,
      ...(options.maxResults !== undefined ? { maxResults: options.maxResults as number } : {}),
    };
    let datasets: Awaited<ReturnType<ReturnType<typeof redivis.user>['listDatasets']>>;
    try {
      datasets = await redivis.organization(owner).listDatasets(list);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      datasets = await redivis.user(owner).listDatasets(list);
    }
    if (ctx.globals.json) return ctx.out.json(datasets.map((d) => d.properties));
    ctx.out.table(
      [{ header: 'reference' }, { header: 'name' }, { header: 'version' }, { header: 'updated' }],
      datasets.map((d) => {
        const p = d.properties as Record<string, unknown> | undefined;
        const version = p?.version as { tag?: string } | null | undefined;
        return [d.qualifiedReference, d.name, version?.tag ?? null, formatTimestamp(p?.updatedAt)];
      }),
    );
    ctx.out.status(ctx.out.errColor.dim(`${datasets.length} dataset${datasets.length === 1 ? '' : 's'}`));
  },
});
