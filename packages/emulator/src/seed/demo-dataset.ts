import { insertDataset, insertVersion, type NewDataset } from '../store/datasets.js';
import type { Queryable } from '../store/db.js';
import { seededId } from '../store/ids.js';
import { DEMO_ORG_ID } from './users.js';

/** A seeded dataset: its id and the id of its released v1.0. */
export interface DemoDataset {
  id: string;
  v1: string;
}

/**
 * Inserts a dataset of the `demo` organization with a released v1.0, ids derived from `key` (`dataset:<key>`,
 * `ref:<key>`), so every seed module creates its datasets the same way and the ids are the same on every machine.
 */
export async function seedDemoDataset(
  tx: Queryable,
  key: string,
  fields: Omit<NewDataset, 'id' | 'referenceId' | 'ownerKind' | 'ownerId'>,
  releaseNotes?: string,
): Promise<DemoDataset> {
  const id = seededId(`dataset:${key}`);
  await insertDataset(tx, {
    id,
    referenceId: seededId(`ref:${key}`, 4),
    ownerKind: 'organization',
    ownerId: DEMO_ORG_ID,
    ...fields,
  });
  const v1 = `${id}-v1`;
  await insertVersion(tx, {
    id: v1,
    datasetId: id,
    idx: 0,
    number: [1, 0],
    ...(releaseNotes === undefined ? {} : { releaseNotes }),
    at: fields.at,
  });
  return { id, v1 };
}
