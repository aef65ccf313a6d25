import type { Prng } from '../helpers/prng.js';

/** Sends API requests to whichever emulator process is current (it changes at every restart). */
export interface Api {
  (
    path: string,
    init?: { method?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions that read them
    body: any;
    headers: Headers;
  }>;
  /** The current process's site origin (temp upload URLs live there). */
  origin: () => string;
}

/** One kill point: `start` begins the work (it may be cut at any moment), `check` runs after the restart. */
export interface CrashAction {
  name: string;
  /** Work done before the kill window, acknowledged by the server (so it must survive). */
  prepare: (api: Api) => Promise<void>;
  /** The work the kill interrupts; records what the server acknowledged. Never throws for a dropped connection. */
  start: (api: Api) => Promise<void>;
  /** After the restart: nothing acknowledged lost, nothing half-applied. Throws with the reason otherwise. */
  check: (api: Api) => Promise<void>;
}

/** CSV rows with an integer id and a string, and the sum of ids (the check's checksum). */
export function csvRows(rng: Prng, n: number): { csv: string; n: number; sum: number } {
  const lines = ['id,s'];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const id = rng.int(0, 1_000_000);
    sum += id;
    lines.push(`${id},r${i}`);
  }
  return { csv: `${lines.join('\n')}\n`, n, sum };
}

/** Count and id sum of a table, read through a query (so the whole read path is checked after the restart). */
export async function tableFigures(api: Api, ref: string): Promise<{ n: number; sum: number }> {
  // A table no upload ever completed into has no variables, so no `id` to sum: it holds nothing.
  const table = await api(`/tables/${ref}`);
  if (table.status !== 200)
    throw new Error(`GET table ${ref}: ${table.status} ${JSON.stringify(table.body)}`);
  if (Number(table.body.numRows) === 0) return { n: 0, sum: 0 };
  const q = await api('/queries', {
    json: { query: `SELECT count(*) AS n, coalesce(sum(id), 0) AS s FROM \`${ref}\`` },
  });
  if (q.status !== 201 && q.status !== 200)
    throw new Error(`query on ${ref}: ${q.status} ${JSON.stringify(q.body)}`);
  let job = q.body;
  while (job.status === 'queued' || job.status === 'running') {
    job = (await api(`/queries/${job.id}`)).body;
  }
  if (job.status !== 'completed') throw new Error(`query on ${ref} ${job.status}: ${job.errorMessage}`);
  const rows = await api(`/queries/${job.id}/rows`);
  const text = typeof rows.body === 'string' ? rows.body : JSON.stringify(rows.body);
  const [n, s] = JSON.parse(text.trim().split('\n')[0] as string) as [string, string];
  return { n: Number(n), sum: Number(s) };
}

/** Polls an upload until it ends (completed or failed) or until `until` says to stop. */
export async function waitUpload(
  api: Api,
  uri: string,
): Promise<{ status: string; errorMessage: string | null }> {
  for (;;) {
    const r = await api(uri);
    if (r.status !== 200) throw new Error(`GET ${uri}: ${r.status} ${JSON.stringify(r.body)}`);
    if (r.body.status === 'completed' || r.body.status === 'failed') return r.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A connection the kill dropped: a network error, which the actions expect and swallow. */
export function dropped(e: unknown): boolean {
  return e instanceof TypeError || (e as Error)?.name === 'AbortError';
}
