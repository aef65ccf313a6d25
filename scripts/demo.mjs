// The README's main job: start the embedded emulator with demo data, then walk through it with the real `redivis`
// command (apps/cli, built by `pnpm demo`) the way a researcher would: discover datasets, inspect a table, query,
// stream a table to Parquet, create a dataset, upload a CSV, release and read it back, and download raw files.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../packages/emulator/dist/index.js';

const bin = fileURLToPath(new URL('../apps/cli/dist/bin.js', import.meta.url));
const seedRows = Number(process.env.DEMO_SEED_ROWS ?? 100_000);
const work = await mkdtemp(join(tmpdir(), 'redivis-demo-'));
const emulator = await startEmulator({ seed: 'demo', seedRows, token: 'demo-token' });
const env = {
  ...process.env,
  REDIVIS_API_ENDPOINT: emulator.url,
  REDIVIS_API_TOKEN: 'demo-token',
  // Keep the demo away from any login of your own.
  REDIVIS_CONFIG_DIR: join(work, 'config'),
};
const bold = process.stdout.isTTY ? (s) => `\u001b[1m${s}\u001b[22m` : (s) => s;
const dim = process.stdout.isTTY ? (s) => `\u001b[2m${s}\u001b[22m` : (s) => s;

/** Print what the step shows, then run `redivis …` as a subprocess sharing this terminal. */
async function step(explanation, args) {
  console.log(`\n${bold(explanation)}`);
  const shown = args.map((a) => (/[\s"*(),]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ');
  console.log(dim(`$ redivis ${shown.replaceAll(work, '$DEMO_DIR')}`));
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, cwd: work, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`redivis ${args.join(' ')} exited with ${code}`);
}

console.log(
  `${bold('Redivis emulator')} listening on ${emulator.url} (demo data, ${seedRows.toLocaleString('en-US')} weather rows)`,
);
console.log(
  dim(`Every command below talks to it: REDIVIS_API_ENDPOINT=${emulator.url} REDIVIS_API_TOKEN=demo-token`),
);
try {
  await step('1. Which datasets does the demo organization have?', ['datasets', 'list', 'demo']);
  await step('2. What is in the iris table? Variables, types, statistics and distributions:', [
    'tables',
    'show',
    'demo.iris_species.iris',
  ]);
  await step('3. An aggregate query: mean petal length by species.', [
    'query',
    'SELECT species, COUNT(*) AS n, ROUND(AVG(petal_length), 3) AS mean_petal_length FROM demo.iris_species.iris GROUP BY species ORDER BY species',
  ]);
  const parquet = join(work, 'daily_observations.parquet');
  await step(
    '4. Stream a whole table to a Parquet file (bounded memory; the file appears only once complete).',
    ['read', 'demo.weather_sample.daily_observations', '--out', parquet],
  );
  console.log(dim(`   ${(await stat(parquet)).size.toLocaleString('en-US')} bytes on disk`));
  await step('5. Peek at it the way a script would: --json puts only JSON on stdout.', [
    'tables',
    'head',
    'demo.weather_sample.daily_observations',
    '-n',
    '3',
    '--json',
  ]);
  await step('6. Create a dataset of your own.', [
    'datasets',
    'create',
    'demo_admin.my_first_dataset',
    '--description',
    'Made by the redivis-ts demo',
  ]);
  const csv = join(work, 'measurements.csv');
  await writeFile(csv, 'site,day,reading\nalpha,2024-01-01,1.5\nalpha,2024-01-02,2.25\nbeta,2024-01-01,3\n');
  await step('7. Upload a CSV into a new table of it (resumable: interrupted, run it again to continue).', [
    'upload',
    'demo_admin.my_first_dataset.measurements',
    csv,
    '--create-table',
  ]);
  await step('8. Release the version, so others can read it.', [
    'datasets',
    'release',
    'demo_admin.my_first_dataset',
  ]);
  await step('9. Read it back.', ['read', 'demo_admin.my_first_dataset.measurements', '--ordered']);
  await step('10. List the raw files of a file-index table, then download them (MD5-checked).', [
    'files',
    'list',
    'demo.iris_species.documents',
  ]);
  await step('   …and download them:', [
    'files',
    'download',
    'demo.iris_species.documents',
    '--out',
    join(work, 'documents'),
  ]);
  console.log(
    `\n${bold('Done.')} Try it yourself: node apps/cli/dist/bin.js --help (or \`redivis --help\` once installed).`,
  );
} finally {
  await emulator.stop();
  await rm(work, { recursive: true, force: true });
}
