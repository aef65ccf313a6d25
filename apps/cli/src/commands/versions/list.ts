import { createCommand } from '../../core/create-command.js';
import { formatTimestamp } from '../../output/format.js';

export default createCommand({
  path: ['versions', 'list'],
  summary: "list a dataset's versions, newest first",
  args: [{ name: 'dataset', description: 'dataset reference: owner.dataset' }],
  examples: ['redivis versions list demo.versioned_dataset'],
  async handler(args, _options, ctx) {
    const redivis = await ctx.redivis();
    const versions = await redivis.dataset(String(args.dataset)).listVersions({ signal: ctx.signal });
    if (ctx.globals.json) return ctx.out.json(versions.map((v) => v.properties));
    ctx.out.table(
      [{ header: 'tag' }, { header: 'status' }, { header: 'released' }, { header: 'label' }],
      versions.map((v) => {
        const p = (v.properties ?? {}) as Record<string, unknown>;
        const status = p.isDeleted ? 'deleted' : p.isReleased === false ? 'unreleased' : 'released';
        return [p.tag ?? v.tag, status, formatTimestamp(p.releasedAt), p.label ?? null];
      }),
    );
  },
});
