import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redivis-ts';
import { startTestCli, type TestCli } from './helpers/run.js';

let cli: TestCli;
beforeAll(async () => {
  cli = await startTestCli();
});
afterAll(async () => {
  await cli.stop();
});

describe('datasets', () => {
  it('lists an organization’s datasets as a table, and as JSON with --json', async () => {
    const human = await cli.run(['datasets', 'list', 'demo']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/│ demo\.iris_species:v1_0:\w+ +│ Iris species +│ v1\.0 /);
    expect(human.stderr).toBe('5 datasets\n');
    const json = await cli.run(['--json', 'datasets', 'list', 'demo']);
    expect(json.stderr).toBe('');
    const parsed = JSON.parse(json.stdout) as Array<{ name: string }>;
    expect(parsed.map((d) => d.name).sort()).toEqual([
      'Demo files',
      'Iris species',
      'Restricted survey',
      'Versioned dataset',
      'Weather sample',
    ]);
  });

  it('falls back to a user’s datasets and honours --max-results', async () => {
    const result = await cli.run(['--json', 'datasets', 'list', 'demo_admin', '-n', '0']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('shows a dataset with its tables', async () => {
    const result = await cli.run(['datasets', 'show', 'demo.iris_species']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Iris species\n');
    expect(result.stdout).toMatch(/public access +data/);
    expect(result.stdout).toMatch(/│ iris +│ +150 │ +5 │/);
  });

  it('creates, updates, releases, opens a next version, lists versions and deletes a dataset', async () => {
    const created = await cli.run([
      'datasets',
      'create',
      'demo_admin.cli_made',
      '--description',
      'from the CLI',
    ]);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('✓ Created dataset demo_admin.cli_made');
    const updated = await cli.run(['--json', 'datasets', 'update', 'demo_admin.cli_made', '--labels', 'a,b']);
    expect(JSON.parse(updated.stdout).labels).toEqual(['a', 'b']);
    expect((await cli.run(['datasets', 'update', 'demo_admin.cli_made'])).code).toBe(2);
    const empty = await cli.run(['datasets', 'release', 'demo_admin.cli_made']);
    expect(empty).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: The next version cannot be released: it has no changes\n',
    });
    await createClient({ baseUrl: cli.emu.url, apiToken: 'rdv_demo_admin_token' })
      .table('demo_admin.cli_made.t')
      .create();
    const released = await cli.run(['datasets', 'release', 'demo_admin.cli_made', '--notes', 'first']);
    expect(released.stderr).toMatch(/^✓ Released demo_admin\.cli_made/);
    expect((await cli.run(['datasets', 'next-version', 'demo_admin.cli_made'])).code).toBe(0);
    const again = await cli.run(['datasets', 'next-version', 'demo_admin.cli_made', '--if-not-exists']);
    expect(again.code).toBe(0);
    const versions = await cli.run(['--json', 'versions', 'list', 'demo_admin.cli_made']);
    const tags = (JSON.parse(versions.stdout) as Array<{ tag: string; isReleased: boolean }>).map(
      (v) => v.tag,
    );
    expect(tags).toEqual(['next', 'v1.0']);
    const refused = await cli.run(['datasets', 'delete', 'demo_admin.cli_made']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    expect((await cli.run(['datasets', 'delete', 'demo_admin.cli_made', '--yes'])).code).toBe(0);
    expect((await cli.run(['datasets', 'show', 'demo_admin.cli_made'])).code).toBe(4);
  });
});

describe('tables', () => {
  it('lists the tables of a dataset and of a workflow', async () => {
    const dataset = await cli.run(['tables', 'list', 'demo.weather_sample']);
    expect(dataset.stdout).toMatch(/│ daily_observations │/);
    const workflow = await cli.run(['--json', 'tables', 'list', 'demo_admin.weather_analysis']);
    expect((JSON.parse(workflow.stdout) as Array<{ name: string }>).map((t) => t.name)).toContain(
      'station_counts',
    );
  });

  it('shows variables with types, statistics and histograms of numeric variables', async () => {
    const result = await cli.run(['tables', 'show', 'demo.iris_species.iris']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /│ sepal_length │ float +│ Sepal length \(cm\) │ +150 │ +35 │ +4\.3 │ +7\.9 │ 5\.84333 │ [▁-█ ]{12} │/,
    );
    const json = JSON.parse((await cli.run(['--json', 'tables', 'show', 'demo.iris_species.iris'])).stdout);
    const sepal = json.variables.find((v: { name: string }) => v.name === 'sepal_length');
    expect(sepal.histogram).toHaveLength(12);
    expect(sepal.histogram.reduce((a: number, b: number) => a + b, 0)).toBe(150);
  });

  it('previews rows: a table on a terminal, CSV when piped, JSON with --json', async () => {
    const tty = await cli.run(['tables', 'head', 'demo.iris_species.iris', '-n', '2'], { tty: 120 });
    expect(tty.stdout).toMatch(/│ sepal_length │ sepal_width │/);
    expect(tty.stdout.split('\n').filter((l) => l.includes('setosa'))).toHaveLength(2);
    const piped = await cli.run(['tables', 'head', 'demo.iris_species.iris', '-n', '2']);
    expect(piped.stdout).toBe(
      'sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n4.9,3,1.4,0.2,setosa\n',
    );
    const json = await cli.run(['--json', 'tables', 'head', 'demo.iris_species.iris', '-n', '1']);
    expect(JSON.parse(json.stdout)).toEqual([
      { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2, species: 'setosa' },
    ]);
  });

  it('fits a wide table into a narrow terminal, cutting cells with an ellipsis', async () => {
    const result = await cli.run(['tables', 'head', 'demo.weather_sample.daily_observations', '-n', '3'], {
      tty: 60,
    });
    const lines = result.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(60);
    expect(result.stdout).toContain('…');
  });
});

describe('completion', () => {
  it('prints a script that knows every command, the completion command included', async () => {
    const result = await cli.run(['completion', 'bash']);
    expect(result.code).toBe(0);
    for (const word of ['datasets', 'next-version', 'head', 'completion'])
      expect(result.stdout).toContain(word);
  });
});

describe('a wrong endpoint', () => {
  it('fails fast on a closed port, naming the endpoint and never the token', async () => {
    // Port 2 is privileged, outside the range the OS hands out, and not blocked by fetch (port 1 is). A port bound
    // by the OS and released could be handed to another process's server on a busy machine before the CLI connected.
    const port = 2;
    const result = await cli.run(['datasets', 'list', 'demo'], {
      env: { REDIVIS_API_ENDPOINT: `http://127.0.0.1:${port}/api/v1` },
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`Connection refused by http://127.0.0.1:${port}`);
    expect(result.stderr).toContain('check --endpoint');
    expect(result.stderr).not.toContain('rdv_demo_admin_token');
  });
});
