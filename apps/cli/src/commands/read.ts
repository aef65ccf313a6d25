import { createCommand, parseCount, parseList } from '../core/create-command.js';

/** The options `read` and `query` share. */
export const readOptions = [
  {
    flags: '-f, --format <format>',
    description:
      'table, csv, tsv, json, ndjson, arrow or parquet (default: from --out, else table on a terminal, else csv)',
    choices: ['table', 'csv', 'tsv', 'json', 'ndjson', 'arrow', 'parquet'],
  },
  { flags: '-o, --out <file>', description: 'write to this file (appears only once complete)' },
  { flags: '-n, --max-results <n>', description: 'read at most n rows', parse: parseCount('--max-results') },
  { flags: '--variables <a,b>', description: 'only these variables, in this order', parse: parseList },
  {
    flags: '--ordered',
    description: 'rows in table order (reads one stream at a time; slower for big tables)',
  },
] as const;

export default createCommand({
  path: ['read'],
  summary: "stream a table's rows to stdout or a file",
  description:
    "Stream a table's rows to stdout or a file in bounded memory. With --out the file is written under a " +
    'temporary name and renamed when complete, so an interrupted read never leaves a partial file.',
  args: [{ name: 'ref', description: 'table reference: owner.dataset[:version].table' }],
  options: readOptions,
  examples: [
    'redivis read demo.iris_species.iris --format csv > iris.csv',
    'redivis read demo.weather_sample.daily_observations --out obs.parquet',
    'redivis read demo.iris_species.iris --variables species,petal_length -n 5',
  ],
  async handler(args, options, ctx) {
    const [redivis, { runRead }] = await Promise.all([ctx.redivis(), import('../read/pipeline.js')]);
    await runRead(redivis.table(String(args.ref)), options, ctx);
  },
});
