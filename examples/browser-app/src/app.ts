// The example page: sign in through the Redivis consent popup (authorization code + PKCE), browse an
// organization's datasets and tables, preview rows, chart a variable, run a query and upload a CSV into a new,
// unreleased dataset. `?api=` points it at another API (the emulator in tests); `?org=` picks the organization.
import {
  authorizationCodeFlow,
  createClient,
  type Dataset,
  OOB_AUTO_REDIRECT_URI,
  popupAuthorize,
  sessionStorageTokenStore,
  type Table,
} from 'redivis-ts';
import { histogram, histogramSvg } from './chart.js';
import { rowsTable } from './html-table.js';

const params = new URLSearchParams(location.search);
const baseUrl = params.get('api') ?? 'https://redivis.com/api/v1';
const organization = params.get('org') ?? 'demo';

const redivis = createClient({
  baseUrl,
  tokenProvider: authorizationCodeFlow({
    oauthOrigin: new URL(baseUrl).origin,
    scope: ['data.data', 'data.edit'],
    redirectUri: OOB_AUTO_REDIRECT_URI,
    store: sessionStorageTokenStore(),
    authorize: popupAuthorize(),
  }),
});

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let userName: string | undefined;
let current: Table | undefined;

/** Run a UI action, showing its failure instead of losing it. */
function action(fn: () => Promise<void>): () => void {
  return () => {
    $('error').textContent = '';
    fn().catch((error: unknown) => {
      $('error').textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    });
  };
}

function buttons(container: HTMLElement, items: { label: string; ref: string; onClick: () => void }[]): void {
  container.replaceChildren(
    ...items.map(({ label, ref, onClick }) => {
      const b = document.createElement('button');
      b.className = 'item';
      b.textContent = label;
      b.dataset.ref = ref;
      b.addEventListener('click', onClick);
      return b;
    }),
  );
}

async function signIn(): Promise<void> {
  const me = await redivis.currentUser();
  userName = me.name;
  $('user').textContent = `Signed in as ${me.name}`;
  const datasets = await redivis.organization(organization).listDatasets();
  buttons(
    $('datasets'),
    datasets.map((d) => ({ label: d.name, ref: d.qualifiedReference, onClick: action(() => showTables(d)) })),
  );
}

async function showTables(dataset: Dataset): Promise<void> {
  const tables = await dataset.listTables();
  buttons(
    $('tables'),
    tables.map((t) => ({ label: t.name, ref: t.qualifiedReference, onClick: action(() => preview(t)) })),
  );
}

async function preview(table: Table): Promise<void> {
  current = table;
  const rows = await table.listRows({ maxResults: 10 });
  $('preview').replaceChildren(rowsTable(rows));
  const variables = await table.listVariables();
  const numeric = variables.filter((v) => ['integer', 'float'].includes(String(v.properties?.type)));
  $<HTMLSelectElement>('variable').replaceChildren(
    ...numeric.map((v) => {
      const option = document.createElement('option');
      option.value = option.textContent = v.name;
      return option;
    }),
  );
  $('chart').replaceChildren();
  if (numeric[0]) await chart(numeric[0].name);
}

async function chart(variable: string): Promise<void> {
  if (!current) return;
  const rows = await current.listRows({ variables: [variable], maxResults: 100_000 });
  const bins = histogram(rows.map((r) => r[variable]));
  $('chart').replaceChildren(histogramSvg(bins));
  $('chart').dataset.variable = variable;
}

async function runQuery(): Promise<void> {
  const rows = await redivis.query($<HTMLTextAreaElement>('sql').value).listRows({ maxResults: 1000 });
  $('query-result').replaceChildren(rowsTable(rows));
}

async function upload(): Promise<void> {
  const file = $<HTMLInputElement>('csv').files?.[0];
  if (!file) throw new Error('Pick a CSV file first.');
  if (!userName) await signIn();
  const dataset = redivis.user(userName as string).dataset(`browser_upload_${Date.now()}`);
  await dataset.create({ description: `Uploaded from the browser: ${file.name}` });
  const table = dataset.table('uploaded');
  await table.create();
  await table.upload(file.name).create(new Uint8Array(await file.arrayBuffer()), { type: 'delimited' });
  const rows = await table.listRows();
  $('upload-status').textContent =
    `Uploaded ${rows.length} rows into ${table.qualifiedReference} (unreleased)`;
  $('upload-result').replaceChildren(rowsTable(rows));
}

$('sign-in').addEventListener('click', action(signIn));
$('run').addEventListener('click', action(runQuery));
$('upload').addEventListener('click', action(upload));
$('variable').addEventListener(
  'change',
  action(() => chart($<HTMLSelectElement>('variable').value)),
);
