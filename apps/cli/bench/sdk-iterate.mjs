// The baseline of the read benchmark: the SDK's own Arrow iteration of a table, counting rows.
import { createClient } from '../../../packages/redivis-ts/dist/index.js';

const [ref, max] = process.argv.slice(2);
const redivis = createClient();
let rows = 0;
for await (const batch of redivis.table(ref).toArrowBatchIterator(max ? { maxResults: Number(max) } : {})) {
  rows += batch.numRows;
}
process.stdout.write(`${rows}\n`);
