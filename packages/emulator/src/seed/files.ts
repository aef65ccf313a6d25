import { createHash } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { storageTable } from '../store/schema.js';
import { createStorageFromSelect, insertTable } from '../store/tables.js';
import { insertRawFile } from '../store/files.js';
import { seededId } from '../store/ids.js';

const DOCUMENTS: ReadonlyArray<[string, string]> = [
  ['README.txt', 'Iris measurements, documented.\n'],
  ['data/setosa.csv', 'sepal_length,sepal_width\n5.1,3.5\n4.9,3.0\n'],
  ['data/notes/method.md', '# Method\n\nMeasured with calipers by Edgar Anderson.\n'],
];

/**
 * Seeds an upload record for iris (the import that produced its rows) and a file-index table `documents` in
 * demo.iris_species v1.0 listing three raw files whose bytes live in `raw_files`.
 */
export async function seedFiles(tx: Queryable, t: number): Promise<void> {
  const iris = await tx.one<{
    id: string;
    storage: string;
    version_id: string;
    num_rows: number;
    num_bytes: number;
  }>(
    "SELECT id, storage, version_id, num_rows, num_bytes FROM tables WHERE name = 'iris' AND NOT is_sample LIMIT 1",
  );
  if (!iris) return;
  await tx.run(
    `INSERT INTO uploads (id, table_id, name, type, status, error_message, storage, size, hash, num_rows, num_bytes,
       created_at, updated_at) VALUES (?, ?, 'iris.csv', 'delimited', 'completed', NULL, ?, ?, ?, ?, ?, ?, ?)`,
    [
      seededId('upload:iris.csv'),
      iris.id,
      iris.storage,
      4_550,
      createHash('md5').update('iris.csv').digest('hex'),
      iris.num_rows,
      iris.num_bytes,
      t,
      t,
    ],
  );
  const dataset = await tx.one<{ dataset_id: string }>('SELECT dataset_id FROM versions WHERE id = ?', [
    iris.version_id,
  ]);
  const values: string[] = [];
  for (const [name, content] of DOCUMENTS) {
    const id = `${seededId(`rawfile:${name}`, 4)}-${seededId(`rawfile2:${name}`, 9)}`;
    const bytes = Buffer.from(content);
    const md5 = createHash('md5').update(bytes).digest('base64');
    await insertRawFile(tx, {
      id,
      datasetId: dataset?.dataset_id ?? null,
      name,
      md5,
      at: t,
      bytes,
      size: bytes.length,
    });
    values.push(`('${id}', '${name}', ${bytes.length}, '${md5}', make_timestamp(${t * 1000}))`);
  }
  const storage = await createStorageFromSelect(
    tx,
    `SELECT * FROM (VALUES ${values.join(', ')}) v(file_id, file_name, size, md5_hash, added_at)`,
  );
  await tx.run(`ALTER TABLE ${storageTable(storage)} ALTER size TYPE BIGINT`);
  await insertTable(tx, {
    referenceId: seededId('table:iris_species:documents', 4),
    containerKind: 'dataset',
    versionId: iris.version_id,
    name: 'documents',
    description: 'Raw files documenting the dataset.',
    isFileIndex: true,
    storage,
    at: t,
  });
}
