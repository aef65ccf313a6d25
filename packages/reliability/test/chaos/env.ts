import { createHash } from 'node:crypto';
import type { Redivis } from '@redivis-ts/resources';
import type { Table as ArrowTable } from 'apache-arrow';
import type { Prng } from '../helpers/prng.js';
import type { Fault } from './faults.js';

/** What every operation needs: the client, the emulator's API URL and the source figures it is checked against. */
export interface ChaosEnv {
  redivis: Redivis;
  url: string;
  /** Order-insensitive checksum and count of `demo.weather_sample.daily_observations`. */
  source: { rows: number; checksum: string };
  /** Raw files of demo.demo_files: id, name, size, md5 (base64). */
  files: { id: string; name: string; size: number; md5: string }[];
  /** Dataset (unreleased) that upload and insert runs create their tables in. */
  dataset: string;
  /** The API token the client processes of the kill runs use. */
  token: string;
  /** The bundled client-child script (see client-kill.ts). */
  childScript: string;
}

/** An operation of the mix: the fault it runs under and the work, which throws when the result is wrong. */
export interface Planned {
  op: string;
  fault: Fault;
  /** Runs the operation; resolves to 'ok' or 'typed-failure' (an expected, typed refusal such as a failed upload). */
  run: () => Promise<'ok' | 'typed-failure'>;
}

export const TABLE = 'demo.weather_sample.daily_observations';

/** sha256 over the sorted JSON of every row: equal for the same multiset of rows, whatever the stream order. */
export function checksumRows(rows: unknown[][]): { rows: number; checksum: string } {
  const lines = rows
    .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
    .sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return { rows: lines.length, checksum: hash.digest('hex') };
}

export function arrowRows(table: ArrowTable): unknown[][] {
  return table.toArray().map((row) => Object.values(row.toJSON()));
}

export function expectSame(
  what: string,
  got: { rows: number; checksum: string },
  want: { rows: number; checksum: string },
) {
  if (got.rows !== want.rows || got.checksum !== want.checksum) {
    throw new Error(
      `${what}: ${got.rows} rows (${got.checksum.slice(0, 12)}), want ${want.rows} (${want.checksum.slice(0, 12)})`,
    );
  }
}

/** Rows of an upload or insert run: ids and strings with quotes, commas and unicode, from the seed. */
export function sourceRows(rng: Prng, n: number): [number, string][] {
  const words = ['a', 'b,c', 'd"e', 'é', 'ü x', '', 'line'];
  return Array.from({ length: n }, (_, i) => [i, `${rng.pick(words)}${rng.int(0, 1e6)}`]);
}

let tableCounter = 0;
export async function freshTable(env: ChaosEnv, rng: Prng) {
  const table = env.redivis.dataset(env.dataset).table(`t_${rng.seed}_${tableCounter++}`);
  await table.create();
  return table;
}

export async function tableChecksum(table: { toArrowTable: () => Promise<ArrowTable> }) {
  return checksumRows(arrowRows(await table.toArrowTable()).map(([id, s]) => [Number(id), s ?? '']));
}

/** The rows as the CSV an upload run sends: a header, then every string quoted (quotes doubled). */
export function csvOf(rows: [number, string][]): string {
  return `id,s\n${rows.map(([id, s]) => `${id},"${s.replaceAll('"', '""')}"`).join('\n')}\n`;
}
