import type { Queryable } from '../store/db.js';
import { seededId } from '../store/ids.js';

/**
 * Seeds the contents of the demo workflow `demo_admin.weather_analysis`: a data source (demo.weather_sample), a
 * parameter, a transform counting observations per element, and a notebook over `station_counts`.
 */
export async function seedWeatherAnalysis(tx: Queryable, t: number): Promise<void> {
  const wf = seededId('workflow:weather_analysis');
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
}
