import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Queryable } from '../store/db.js';
import { insertRawFile } from '../store/files.js';
import { seededId } from '../store/ids.js';
import { storageTable } from '../store/schema.js';
import { createStorageFromSelect, insertTable } from '../store/tables.js';
import { seedDemoDataset } from './demo-dataset.js';

/** Size of the generated binary: several MB, so downloads exercise ranges, resume and the upload size limits. */
export const DEMO_BLOB_BYTES = 6 * 1024 * 1024;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A 32×32 RGB gradient PNG, built byte by byte (no image library, same bytes everywhere). */
export function demoPng(): Buffer {
  const size = 32;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
  const raw = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    for (let x = 0; x < size; x++) raw.set([x * 8, y * 8, 128], row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** `DEMO_BLOB_BYTES` pseudo-random bytes from a fixed xorshift32 seed. */
export function demoBlob(): Buffer {
  const out = Buffer.alloc(DEMO_BLOB_BYTES);
  let x = 0x2545f491;
  for (let i = 0; i < out.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  return out;
}

/** The files of `demo.demo_files`, in listing order. */
export function demoFiles(): Array<[string, Buffer]> {
  const csv = [
    'station,date,value',
    ...Array.from(
      { length: 50 },
      (_, i) => `S${i % 5},2024-01-${String((i % 28) + 1).padStart(2, '0')},${(i * 7) % 31}`,
    ),
  ];
  return [
    ['readme.txt', Buffer.from('Demo files: a text file, a CSV, a PNG image and a binary of several MB.\n')],
    ['tables/measurements.csv', Buffer.from(`${csv.join('\n')}\n`)],
    ['images/gradient.png', demoPng()],
    ['binary/blob.bin', demoBlob()],
  ];
}

/**
 * Seeds `demo.demo_files` ("Demo files", public data, v1.0) with a file index table `files` listing the generated
 * files of {@link demoFiles}; their bytes live in `raw_files`, by id.
 */
export async function seedDemoFiles(tx: Queryable, t: number): Promise<void> {
  const { id: datasetId, v1: versionId } = await seedDemoDataset(tx, 'demo_files', {
    name: 'Demo files',
    description: 'Non-tabular files: text, CSV, an image and a large binary.',
    publicAccessLevel: 'data',
    at: t,
  });
  const values: string[] = [];
  for (const [name, bytes] of demoFiles()) {
    const id = `${seededId(`demofile:${name}`, 4)}-${seededId(`demofile2:${name}`, 9)}`;
    const md5 = createHash('md5').update(bytes).digest('base64');
    await insertRawFile(tx, { id, datasetId: datasetId, name, md5, at: t, bytes, size: bytes.length });
    values.push(`('${id}', '${name}', ${bytes.length}, '${md5}', make_timestamp(${t * 1000}))`);
  }
  const storage = await createStorageFromSelect(
    tx,
    `SELECT * FROM (VALUES ${values.join(', ')}) v(file_id, file_name, size, md5_hash, added_at)`,
  );
  await tx.run(`ALTER TABLE ${storageTable(storage)} ALTER size TYPE BIGINT`);
  await insertTable(tx, {
    referenceId: seededId('table:demo_files:files', 4),
    containerKind: 'dataset',
    versionId,
    name: 'files',
    description: 'The demo files.',
    isFileIndex: true,
    storage,
    at: t,
  });
}
