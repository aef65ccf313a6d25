import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createCommand } from '../core/create-command.js';
import { UsageError } from '../core/errors.js';
import { withSpinner } from '../output/progress.js';
import { readOptions } from './read.js';
import { readStdin } from './shared.js';

export default createCommand({
  path: ['query'],
  summary: 'run a SQL query and stream its results',
  description:
    'Run a Redivis SQL query (BigQuery dialect; tables as owner.dataset.table) and stream its results like ' +
    '`read`. The SQL comes from the argument, --file, or stdin.',
  args: [{ name: 'sql', description: 'the query', required: false }],
  options: [{ flags: '--file <path>', description: 'read the SQL from a file' }, ...readOptions],
  examples: [
    'redivis query "SELECT species, AVG(petal_length) AS mean FROM demo.iris_species.iris GROUP BY species"',
    'redivis query --file report.sql --out report.parquet',
    'cat report.sql | redivis query --format ndjson',
  ],
  async handler(args, options, ctx) {
    if (args.sql && options.file)
      throw new UsageError('Give the SQL either as an argument or with --file, not both');
    const sql = args.sql
      ? String(args.sql)
      : options.file
        ? await readFile(resolve(ctx.io.cwd, String(options.file)), 'utf8')
        : await readStdin(ctx.io.stdin);
    if (!sql.trim()) throw new UsageError('The query is empty');
    const [redivis, { runRead }] = await Promise.all([ctx.redivis(), import('../read/pipeline.js')]);
    const query = redivis.query(sql);
    await withSpinner(ctx.out, 'Running query', () => query.waitForFinish({ signal: ctx.signal }));
    // The SDK reads a query result's streams in parallel and hands the batches over in stream order (its ORDER BY).
    await runRead(query, options, ctx);
  },
});
