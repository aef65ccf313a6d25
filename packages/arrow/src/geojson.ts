import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { SchemaMismatchError, UnknownVariableError } from './errors.js';
import { collectRows, type ReadPlan, readPlan } from './pipeline.js';
import { planRead } from './readers.js';
import type { ArrowClient, ReadOptions, RowValue } from './types.js';

/** Options of {@link toGeoJSON}. */
export interface GeoJSONOptions extends ReadOptions {
  /**
   * The variable holding the geometry as WKT. Default: the first variable of type `geography`.
   */
  geographyVariable?: string;
}

/** Properties of a feature: every other variable of the row, mapped as in {@link listRows}. */
export type FeatureProperties = Record<string, RowValue>;

/**
 * Reads a table, query result or upload into a GeoJSON FeatureCollection (coordinates in EPSG:4326, as Redivis
 * stores geography): the JavaScript counterpart of the geopandas and sf readers. Each row becomes a Feature whose
 * geometry is parsed from the geography variable's WKT (`null` when the value is null) and whose properties are
 * the other variables.
 *
 * @param client - The core client.
 * @param sourceUri - API path of a table, query or upload.
 * @param options - See {@link GeoJSONOptions} and {@link ReadOptions}.
 * @throws UnknownVariableError when `geographyVariable` names no variable being read.
 * @throws SchemaMismatchError when there is no geography variable, or a value is not valid WKT.
 */
export async function toGeoJSON(
  client: ArrowClient,
  sourceUri: string,
  options: GeoJSONOptions = {},
): Promise<FeatureCollection<Geometry | null, FeatureProperties>> {
  const plan = await planRead(client, sourceUri, options);
  return featureCollection(client, plan, options);
}

/** Builds the FeatureCollection of an already planned read (shared with ReadStream). */
export async function featureCollection(
  client: ArrowClient,
  plan: ReadPlan,
  options: GeoJSONOptions,
): Promise<FeatureCollection<Geometry | null, FeatureProperties>> {
  const geo = geographyColumn(plan, options.geographyVariable);
  // The WKT parser loads with the first GeoJSON read, so a bundle that never reads GeoJSON does not carry it.
  const [{ wktToGeoJSON }, rows] = await Promise.all([
    import('./wkt.js'),
    collectRows(readPlan(client, plan, options), plan, options),
  ]);
  const features = rows.map((row): Feature<Geometry | null, FeatureProperties> => {
    const { [geo]: wkt, ...properties } = row;
    return { type: 'Feature', geometry: parseWkt(wktToGeoJSON, wkt ?? null, geo), properties };
  });
  return { type: 'FeatureCollection', features };
}

function geographyColumn(plan: ReadPlan, requested: string | undefined): string {
  if (requested) {
    const match = plan.variables.find((v) => v.name.toLowerCase() === requested.toLowerCase());
    if (!match) throw new UnknownVariableError({ variables: [requested] });
    return match.name;
  }
  const first = plan.variables.find((v) => v.type === 'geography');
  if (!first) {
    throw new SchemaMismatchError({
      variable: '',
      description: 'No variable of type geography is being read; pass geographyVariable or select one',
    });
  }
  return first.name;
}

function parseWkt(
  wktToGeoJSON: (wkt: string) => Geometry,
  value: RowValue,
  variable: string,
): Geometry | null {
  if (value === null) return null;
  try {
    return wktToGeoJSON(String(value));
  } catch (cause) {
    const text = String(value);
    throw new SchemaMismatchError({
      variable,
      description: `Variable "${variable}" holds invalid WKT: ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`,
      cause,
    });
  }
}
