// biome-ignore lint/suspicious/noTsIgnore: the error (TS7016) exists only under noImplicitAny, so expect-error would not fit every consumer
// @ts-ignore TS7016: @terraformer/wkt ships no declaration file
import { geojsonToWKT as untypedGeojsonToWKT } from '@terraformer/wkt';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { BadRecordError, convertJsonLines, type RecordSink } from './records.js';

const geojsonToWKT = untypedGeojsonToWKT as (geometry: unknown) => string;

/** GeoJSON files are one JSON document, parsed whole; larger files should be sent as GeoJSONL. */
export const MAX_GEOJSON_BYTES = 512 * 2 ** 20;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** One feature → one row: its properties, then `geometry` as WKT (Redivis' geography text form). */
function featureRow(feature: unknown): Record<string, unknown> {
  if (!isObject(feature)) throw new BadRecordError('a feature must be a JSON object');
  const geometry = feature.type === 'Feature' ? feature.geometry : feature;
  const properties = feature.type === 'Feature' ? (feature.properties ?? {}) : {};
  if (!isObject(properties)) throw new BadRecordError('feature properties must be an object or null');
  let wkt: string | null = null;
  if (geometry !== null && geometry !== undefined) {
    if (!isObject(geometry) || typeof geometry.type !== 'string') {
      throw new BadRecordError('a feature geometry must be a GeoJSON geometry object');
    }
    try {
      wkt = geojsonToWKT(geometry);
    } catch (e) {
      throw new BadRecordError(`invalid geometry: ${(e as Error).message}`);
    }
  }
  const { geometry: _shadowed, ...rest } = properties;
  return { ...rest, geometry: wkt };
}

/** Converts a GeoJSON document (FeatureCollection, Feature or bare geometry) into rows. */
export async function convertGeoJson(path: string, sink: RecordSink): Promise<void> {
  const { size } = await stat(path);
  if (size > MAX_GEOJSON_BYTES) {
    throw new Error(
      `GeoJSON files over ${MAX_GEOJSON_BYTES / 2 ** 20} MiB are not supported by the emulator; send the features as GeoJSONL`,
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path)) chunks.push(chunk as Buffer);
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new Error(`The file is not valid GeoJSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new Error('The file is not valid GeoJSON: the document must be an object');
  const features = doc.type === 'FeatureCollection' ? doc.features : [doc];
  if (!Array.isArray(features)) throw new Error('The file is not valid GeoJSON: features must be an array');
  for (let i = 0; i < features.length; i++) await sink.record(i + 1, () => featureRow(features[i]));
}

/** Converts GeoJSONL (one feature per line) into rows, streaming. */
export function convertGeoJsonl(path: string, sink: RecordSink): Promise<void> {
  return convertJsonLines(path, sink, featureRow);
}
