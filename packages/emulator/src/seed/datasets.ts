import type { AccessLevel } from '../auth/levels.js';
import type { Queryable } from '../store/db.js';
import { insertVersion } from '../store/datasets.js';
import { storageTable } from '../store/schema.js';
import { createStorageFromSelect, insertTable, type VariableOverride } from '../store/tables.js';
import { seededId } from '../store/ids.js';
import { seedDemoDataset } from './demo-dataset.js';
import { irisRows } from './iris.js';
import { DEMO_USERS } from './users.js';
import { HASH_MACRO, observationsSelect, STATIONS_SELECT } from './weather.js';
import type { VariableType } from '@redivis-ts/core';

const DAY = 86_400_000;
const userId = (name: string): string => DEMO_USERS.find((u) => u.name === name)?.id as string;

interface SeedTable {
  key: string;
  name: string;
  select: string;
  description?: string;
  entity?: string;
  variables?: Record<string, VariableOverride>;
  sampleWhere?: string;
}

async function addTables(
  tx: Queryable,
  datasetKey: string,
  versionId: string,
  tables: SeedTable[],
  at: number,
) {
  for (const t of tables) {
    const referenceId = seededId(`table:${datasetKey}:${t.key}`, 4);
    const storage = await createStorageFromSelect(tx, t.select);
    const table = await insertTable(tx, {
      referenceId,
      containerKind: 'dataset',
      versionId,
      name: t.name,
      description: t.description ?? '',
      entity: t.entity ?? null,
      storage,
      variables: t.variables ?? {},
      at,
    });
    if (t.sampleWhere !== undefined) {
      const sample = await createStorageFromSelect(
        tx,
        `SELECT * FROM ${storageTable(storage)} WHERE ${t.sampleWhere}`,
      );
      await insertTable(tx, {
        referenceId,
        containerKind: 'dataset',
        versionId,
        name: t.name,
        description: t.description ?? '',
        isSample: true,
        sampleOf: table.id,
        entity: t.entity ?? null,
        storage: sample,
        variables: t.variables ?? {},
        at,
      });
    }
  }
}

async function grant(tx: Queryable, datasetId: string, grants: Record<string, AccessLevel>): Promise<void> {
  for (const [user, level] of Object.entries(grants)) {
    await tx.run('INSERT INTO dataset_access VALUES (?, ?, ?)', [datasetId, userId(user), level]);
  }
}

function described(types: Record<string, [VariableType, string]>): Record<string, VariableOverride> {
  return Object.fromEntries(Object.entries(types).map(([k, [type, label]]) => [k, { type, label }]));
}

/** Seeds the demo datasets and the demo workflow. `rows` = rows of daily_observations. */
export async function seedDatasets(tx: Queryable, t: number, rows: number): Promise<void> {
  await tx.run(HASH_MACRO);

  // demo.iris_species — public data, v1.0 released.
  const iris = await seedDemoDataset(tx, 'iris_species', {
    name: 'Iris species',
    description: "Fisher's iris measurements: 150 flowers of three species.",
    publicAccessLevel: 'data',
    labels: ['teaching'],
    methodologyMarkdown: 'Measurements by Edgar Anderson (1935), analysed by R. A. Fisher (1936).',
    links: [{ title: 'Wikipedia', url: 'https://en.wikipedia.org/wiki/Iris_flower_data_set' }],
    at: t - 60 * DAY,
  });
  const irisValues = irisRows()
    .map(([a, b, c, d, s]) => `(${a}, ${b}, ${c}, ${d}, '${s}')`)
    .join(', ');
  await addTables(
    tx,
    'iris_species',
    iris.v1,
    [
      {
        key: 'iris',
        name: 'iris',
        entity: 'flower',
        description: 'One row per flower.',
        select: `SELECT CAST(a AS DOUBLE) AS sepal_length, CAST(b AS DOUBLE) AS sepal_width,
          CAST(c AS DOUBLE) AS petal_length, CAST(d AS DOUBLE) AS petal_width, s AS species
          FROM (VALUES ${irisValues}) v(a, b, c, d, s)`,
        variables: described({
          sepal_length: ['float', 'Sepal length (cm)'],
          sepal_width: ['float', 'Sepal width (cm)'],
          petal_length: ['float', 'Petal length (cm)'],
          petal_width: ['float', 'Petal width (cm)'],
          species: ['string', 'Species'],
        }),
      },
    ],
    t - 60 * DAY,
  );

  // demo.weather_sample — data access for members, with a 1% sample.
  const weather = await seedDemoDataset(tx, 'weather_sample', {
    name: 'Weather sample',
    description: 'Synthetic daily weather observations from 25 stations.',
    publicAccessLevel: 'overview',
    labels: ['climate', 'synthetic'],
    sampleConfiguration: { variableName: null, targetRatio: 0.01 },
    at: t - 30 * DAY,
  });
  await addTables(
    tx,
    'weather_sample',
    weather.v1,
    [
      {
        key: 'stations',
        name: 'stations',
        entity: 'station',
        select: STATIONS_SELECT,
        variables: {
          ...described({
            id: ['string', 'Station id'],
            name: ['string', 'Station name'],
            latitude: ['float', 'Latitude'],
            longitude: ['float', 'Longitude'],
            elevation: ['float', 'Elevation (m)'],
            location: ['geography', 'Location'],
            active: ['boolean', 'Active'],
            opened: ['date', 'Opened'],
          }),
        },
        sampleWhere: 'true',
      },
      {
        key: 'daily_observations',
        name: 'daily_observations',
        entity: 'observation',
        select: observationsSelect(rows),
        variables: {
          ...described({
            station_id: ['string', 'Station id'],
            date: ['date', 'Date'],
            element: ['string', 'Element'],
            value: ['integer', 'Value'],
            observed_at: ['dateTime', 'Observed at'],
            obs_time: ['time', 'Observation time'],
          }),
          element: {
            type: 'string',
            label: 'Element',
            valueLabels: [
              { value: 'TMAX', label: 'Maximum temperature' },
              { value: 'TMIN', label: 'Minimum temperature' },
              { value: 'PRCP', label: 'Precipitation' },
              { value: 'SNOW', label: 'Snowfall' },
            ],
          },
        },
        sampleWhere: 'rowid % 100 = 0',
      },
    ],
    t - 30 * DAY,
  );
  await grant(tx, weather.id, { alice: 'data', bob: 'metadata' });

  // demo.versioned_dataset — v1.0 released 30 days ago, next version with different tables.
  const versioned = await seedDemoDataset(
    tx,
    'versioned_dataset',
    {
      name: 'Versioned dataset',
      description: 'A released v1.0 and an unreleased next version whose tables differ.',
      publicAccessLevel: 'overview',
      at: t - 30 * DAY,
    },
    'First release.',
  );
  await insertVersion(tx, { id: `${versioned.id}-next`, datasetId: versioned.id, idx: 1, at: t - DAY });
  const measurements = (n: number, quality: boolean) => `
    SELECT CAST(i + 1 AS BIGINT) AS id, ['north', 'south', 'east', 'west', 'central'][1 + (i % 5)::INTEGER] AS site,
      round(emu_rh(i, 201) * 100, 2) AS value${quality ? ', i % 4 <> 0 AS quality' : ''}
    FROM range(${n}) t(i) ORDER BY i`;
  await addTables(
    tx,
    'versioned_dataset',
    versioned.v1,
    [
      { key: 'measurements', name: 'measurements', select: measurements(20, false) },
      {
        key: 'sites',
        name: 'sites',
        select: `SELECT * FROM (VALUES ('north', 'N'), ('south', 'S'), ('east', 'E'), ('west', 'W'),
          ('central', 'C')) v(site, region)`,
      },
    ],
    t - 30 * DAY,
  );
  await addTables(
    tx,
    'versioned_dataset',
    `${versioned.id}-next`,
    [
      { key: 'measurements', name: 'measurements', select: measurements(30, true) },
      {
        key: 'notes',
        name: 'notes',
        select: `SELECT CAST(i + 1 AS BIGINT) AS id, 'note ' || CAST(i + 1 AS VARCHAR) AS note,
          DATE '2024-01-01' + CAST(i AS INTEGER) AS recorded FROM range(3) t(i) ORDER BY i`,
      },
    ],
    t - DAY,
  );
  await grant(tx, versioned.id, { alice: 'data', bob: 'metadata' });

  // demo.restricted_survey — not public; bob has metadata only; exports need approval.
  const restricted = await seedDemoDataset(tx, 'restricted_survey', {
    name: 'Restricted survey',
    description: 'Survey responses under export restrictions.',
    publicAccessLevel: 'none',
    labels: ['restricted'],
    exportRestrictions: { requiresApproval: true, maxRows: 100, allowedIpRanges: [], exceptions: [] },
    at: t - 10 * DAY,
  });
  await addTables(
    tx,
    'restricted_survey',
    restricted.v1,
    [
      {
        key: 'responses',
        name: 'responses',
        entity: 'respondent',
        select: `SELECT CAST(i + 1 AS BIGINT) AS respondent_id,
            CASE WHEN emu_rh(i, 301) < 0.05 THEN NULL ELSE CAST(18 + floor(emu_rh(i, 302) * 70) AS BIGINT) END AS age,
            round(emu_rh(i, 303) * 150000, 2) AS income,
            ['north', 'south', 'east', 'west'][1 + (i % 4)::INTEGER] AS region,
            TIMESTAMP '2023-01-01 00:00:00' + to_seconds(CAST(floor(emu_rh(i, 304) * 31536000) AS BIGINT)) AS answered_at
          FROM range(500) t(i) ORDER BY i`,
      },
    ],
    t - 10 * DAY,
  );
  await grant(tx, restricted.id, { alice: 'data', bob: 'metadata' });

  await seedWorkflow(tx, t);
}

async function seedWorkflow(tx: Queryable, t: number): Promise<void> {
  const wf = seededId('workflow:weather_analysis');
  await tx.run(
    `INSERT INTO workflows VALUES (?, ?, 'user', ?, 'Weather analysis', 'Counts of observations per station.',
       'none', ?, ?, ?)`,
    [wf, seededId('ref:weather_analysis', 4), userId('demo_admin'), t - 5 * DAY, t - 5 * DAY, t - DAY],
  );
  await tx.run("INSERT INTO workflow_access VALUES (?, ?, 'view')", [wf, userId('alice')]);
  const weatherObs = await tx.one<{ storage: string }>(
    "SELECT storage FROM tables WHERE name = 'daily_observations' AND NOT is_sample LIMIT 1",
  );
  const storage = await createStorageFromSelect(
    tx,
    `SELECT station_id, count(*) AS observations FROM ${storageTable(weatherObs?.storage as string)}
     GROUP BY station_id ORDER BY station_id`,
  );
  await insertTable(tx, {
    referenceId: seededId('table:weather_analysis:station_counts', 4),
    containerKind: 'workflow',
    workflowId: wf,
    name: 'station_counts',
    description: 'Observations per station.',
    storage,
    at: t - DAY,
  });
}
