// The smallest useful program, for the bundle-size measurement: a client and one table read as Arrow.
import { createClient } from 'redivis-ts';

/** Read a table into an Arrow table and return its row count. */
export async function minimalRead(baseUrl: string, apiToken: string, table: string): Promise<number> {
  const arrow = await createClient({ baseUrl, apiToken }).table(table).toArrowTable();
  return arrow.numRows;
}
