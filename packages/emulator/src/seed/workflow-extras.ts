import type { Queryable } from '../store/db.js';
import { seededId } from '../store/ids.js';

/**
 * Seeds the workflow extras of the demo: on `demo_admin.weather_analysis` a data source (demo.weather_sample), a
 * parameter, a transform counting observations per element, and a notebook over `station_counts`; plus one
 * secret on the demo organization and one on demo_admin.
 */
export async function seedWorkflowExtras(tx: Queryable, t: number): Promise<void> {
  const wf = seededId('workflow:weather_analysis');
  const org = await tx.one<{ id: string }>("SELECT id FROM organizations WHERE name = 'demo'");
  const admin = await tx.one<{ id: string }>("SELECT id FROM users WHERE name = 'demo_admin'");
  await tx.run("INSERT INTO wf_datasources VALUES (?, ?, 'dataset', 'demo.weather_sample', '{}', ?, ?)", [
    seededId('datasource:weather_sample'),
    wf,
    t,
    t,
  ]);
  await tx.run("INSERT INTO wf_parameters VALUES (?, ?, 'elements', 'string', ?, ?, ?)", [
    seededId('parameter:elements'),
    wf,
    JSON.stringify(['TMAX', 'TMIN']),
    t,
    t,
  ]);
  await tx.run(
    `INSERT INTO wf_nodes VALUES (?, ?, 'transform', ?, 'Element counts', ?, 'demo.weather_sample.daily_observations',
       NULL, 'element_counts', ?, ?)`,
    [
      seededId('transform:element_counts'),
      wf,
      seededId('ref:element_counts', 4),
      'SELECT element, count(*) AS observations FROM demo.weather_sample.daily_observations GROUP BY element ORDER BY element',
      t,
      t,
    ],
  );
  await tx.run(
    `INSERT INTO wf_nodes VALUES (?, ?, 'notebook', ?, 'Exploration', NULL, 'demo_admin.weather_analysis.station_counts',
       NULL, 'exploration_output', ?, ?)`,
    [seededId('notebook:exploration'), wf, seededId('ref:exploration', 4), t, t],
  );
  if (org)
    await tx.run("INSERT INTO secrets VALUES ('organization', ?, 'api_key', 'demo-org-secret', ?)", [
      org.id,
      t,
    ]);
  if (admin)
    await tx.run("INSERT INTO secrets VALUES ('user', ?, 'personal_key', 'demo-admin-secret', ?)", [
      admin.id,
      t,
    ]);
}
