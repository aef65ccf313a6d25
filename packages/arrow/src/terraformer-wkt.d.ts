// @terraformer/wkt ships no type declarations; this covers the one function used.
declare module '@terraformer/wkt' {
  import type { Geometry } from 'geojson';
  export function wktToGeoJSON(wkt: string): Geometry;
}
