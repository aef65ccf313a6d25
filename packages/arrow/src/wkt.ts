// @terraformer/wkt ships no type declarations. An ambient module file would not travel with this package's sources
// (other workspace packages compile them through the source condition), so the one import is typed here instead.
// biome-ignore lint/suspicious/noTsIgnore: the error (TS7016) exists only under noImplicitAny, so expect-error would not fit every consumer
// @ts-ignore TS7016: the module has no declaration file
import { wktToGeoJSON as untypedWktToGeoJSON } from '@terraformer/wkt';
import type { Geometry } from 'geojson';

/** WKT text → a GeoJSON geometry (throws on invalid WKT). @internal */
export const wktToGeoJSON = untypedWktToGeoJSON as (wkt: string) => Geometry;
