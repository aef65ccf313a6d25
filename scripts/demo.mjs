// The README's main job: start the embedded emulator with demo data, then drive it with redivis-ts the way a
// researcher would: discover datasets, inspect a table, stream its rows as Arrow, and run a query.
import { startEmulator } from '../packages/emulator/dist/index.js';
import { createClient } from '../packages/redivis-ts/dist/index.js';

const seedRows = Number(process.env.DEMO_SEED_ROWS ?? 100_000);
const emulator = await startEmulator({ seed: 'demo', seedRows, token: 'demo-token' });
console.log(`Redivis emulator listening on ${emulator.url}`);

try {
  const redivis = createClient({ baseUrl: emulator.url, apiToken: 'demo-token' });

  const datasets = await redivis.organization('demo').listDatasets();
  console.log(`\nDatasets in organization demo (${datasets.length}):`);
  for (const dataset of datasets) console.log(`  ${dataset.qualifiedReference}`);

  const iris = redivis.table('demo.iris_species.iris');
  const variables = await iris.listVariables();
  console.log(`\ndemo.iris_species.iris: ${variables.map((v) => `${v.name}`).join(', ')}`);
  const rows = await iris.listRows();
  const sum = rows.reduce((total, row) => total + row.sepal_length, 0);
  console.log(`  ${rows.length} rows read; sum of sepal_length = ${sum.toFixed(1)}`);

  const observations = redivis.table('demo.weather_sample.daily_observations');
  let streamed = 0;
  let batches = 0;
  const started = performance.now();
  for await (const batch of observations.toArrowBatchIterator()) {
    streamed += batch.numRows;
    batches += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\ndemo.weather_sample.daily_observations: streamed ${streamed} rows in ${batches} Arrow batches ` +
      `(${Math.round(streamed / seconds).toLocaleString('en-US')} rows/s)`,
  );

  const query = redivis.query(
    'SELECT species, COUNT(*) AS n, ROUND(AVG(petal_length), 3) AS mean_petal_length ' +
      'FROM demo.iris_species.iris GROUP BY species ORDER BY species',
  );
  console.log('\nQuery: mean petal length by species');
  for (const row of await query.listRows()) {
    console.log(`  ${row.species.padEnd(12)} n=${row.n}  mean_petal_length=${row.mean_petal_length}`);
  }
} finally {
  await emulator.stop();
}
