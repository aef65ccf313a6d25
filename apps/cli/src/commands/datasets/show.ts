import { createCommand } from '../../core/create-command.js';
import { formatBytes, formatCount, formatTimestamp } from '../../output/format.js';

export default createCommand({
  path: ['datasets', 'show'],
  summary: 'show a dataset and its tables',
  args: [{ name: 'ref', description: 'dataset reference: owner.dataset[:version]' }],
  examples: ['redivis datasets show demo.iris_species', 'redivis datasets show demo.versioned_dataset:next'],
  async handler(args, _options, ctx) {
    const redivis = await ctx.redivis();
    const dataset = await redivis.dataset(String(args.ref)).get({ signal: ctx.signal });
    const tables = await dataset.listTables({ signal: ctx.signal });
    const p = dataset.properties as Record<string, unknown>;
    if (ctx.globals.json) return ctx.out.json({ ...p, tables: tables.map((t) => t.properties) });
    const version = p.version as { tag?: string; isReleased?: boolean } | null | undefined;
    const owner = p.owner as { userName?: string; name?: string } | undefined;
    ctx.out.line(ctx.out.color.bold(dataset.name));
    ctx.out.fields([
      ['reference', dataset.qualifiedReference],
      ['owner', owner?.userName ?? owner?.name ?? null],
      ['version', version ? `${version.tag}${version.isReleased === false ? ' (unreleased)' : ''}` : null],
      ['public access', p.publicAccessLevel ?? null],
      ['your access', p.accessLevel ?? null],
      ['size', formatBytes(p.totalNumBytes ?? p.numBytes)],
      ['updated', formatTimestamp(p.updatedAt)],
      ['description', p.description ?? null],
    ]);
    ctx.out.line();
    ctx.out.table(
      [{ header: 'table' }, { header: 'rows', align: 'right' }, { header: 'variables', align: 'right' }],
      tables.map((t) => {
        const tp = t.properties as Record<string, unknown> | undefined;
        return [t.name, formatCount(tp?.numRows), formatCount(tp?.variableCount)];
      }),
    );
  },
});
