import { createCommand } from '../../core/create-command.js';
import { formatBytes, formatCount, formatStatistic, formatTimestamp } from '../../output/format.js';
import { HISTOGRAM_BUCKETS, histogramSql, sparkline } from '../../output/histogram.js';
import { withSpinner } from '../../output/progress.js';

export default createCommand({
  path: ['tables', 'show'],
  summary: 'show a table: its variables, types, summary statistics and distributions',
  description:
    'Show a table and its variables with their types and summary statistics; numeric variables get a small ' +
    'histogram of their distribution (one aggregate query; skipped when you may not query the data).',
  args: [{ name: 'ref', description: 'table reference: owner.dataset[:version].table' }],
  options: [{ flags: '--no-stats', description: 'skip statistics and histograms (faster)' }],
  examples: [
    'redivis tables show demo.iris_species.iris',
    'redivis tables show demo.iris_species.iris --json',
  ],
  async handler(args, options, ctx) {
    // Imported here, not at the top: every command module loads for --help, and core brings zod and ky.
    const { isVariableType, VARIABLE_TYPE_FACTS } = await import('@redivis-ts/core');
    const redivis = await ctx.redivis();
    const signal = ctx.signal;
    const table = await redivis.table(String(args.ref)).get({ signal });
    const variables = await table.listVariables({ signal });
    const withStats = options.stats !== false;
    const stats = withStats
      ? await withSpinner(ctx.out, 'Computing statistics', () =>
          Promise.all(
            variables.map((v) =>
              v.getStatistics({ signal, minDelayMs: 250, maxDelayMs: 2000 }).catch(() => null),
            ),
          ),
        )
      : variables.map(() => null);
    const numeric = variables
      .map((v, i) => ({
        name: v.name,
        type: v.properties?.type,
        min: Number(stats[i]?.min),
        max: Number(stats[i]?.max),
      }))
      .filter(
        (v) =>
          isVariableType(v.type) &&
          VARIABLE_TYPE_FACTS[v.type].kind === 'numeric' &&
          Number.isFinite(v.min) &&
          Number.isFinite(v.max),
      );
    const histograms = new Map<string, number[]>();
    if (withStats && numeric.length > 0) {
      try {
        const rows = await redivis
          .query(histogramSql(table.qualifiedReference, numeric))
          .listRows({ signal });
        for (const v of numeric) histograms.set(v.name, new Array(HISTOGRAM_BUCKETS).fill(0));
        for (const row of rows) {
          const counts = histograms.get(numeric[Number(row.v)]?.name ?? '');
          if (counts) counts[Math.max(0, Number(row.b))] = Number(row.n);
        }
      } catch (error) {
        if (signal.aborted) throw error;
        if (ctx.globals.verbose) ctx.out.warn(`no histograms: ${(error as Error).message}`);
      }
    }
    const p = table.properties as Record<string, unknown>;
    if (ctx.globals.json) {
      return ctx.out.json({
        ...p,
        variables: variables.map((v, i) => ({
          ...v.properties,
          statistics: stats[i] ?? null,
          ...(histograms.has(v.name) ? { histogram: histograms.get(v.name) } : {}),
        })),
      });
    }
    ctx.out.line(ctx.out.color.bold(table.qualifiedReference));
    ctx.out.fields([
      ['rows', formatCount(p.numRows)],
      ['variables', formatCount(p.variableCount ?? variables.length)],
      ['size', formatBytes(p.numBytes)],
      ['updated', formatTimestamp(p.updatedAt)],
      ['description', p.description ?? null],
    ]);
    ctx.out.line();
    const columns = [
      { header: 'variable' },
      { header: 'type' },
      { header: 'label' },
      ...(withStats
        ? [
            { header: 'count', align: 'right' as const },
            { header: 'distinct', align: 'right' as const },
            { header: 'min', align: 'right' as const },
            { header: 'max', align: 'right' as const },
            { header: 'mean', align: 'right' as const },
            { header: 'distribution' },
          ]
        : []),
    ];
    ctx.out.table(
      columns,
      variables.map((v, i) => {
        const s = stats[i];
        const base = [v.name, v.properties?.type ?? null, v.properties?.label ?? null];
        if (!withStats) return base;
        const histogram = histograms.get(v.name);
        return [
          ...base,
          formatCount(s?.count),
          formatCount(s?.numDistinct),
          formatStatistic(s?.min),
          formatStatistic(s?.max),
          formatStatistic(s?.mean),
          histogram ? sparkline(histogram) : '',
        ];
      }),
    );
  },
});
