/** @internal the `redivis-ts` object a facade object delegates to (a symbol, so it stays out of the public shape). */
export const INNER: unique symbol = Symbol('redivis-ts/compat inner');

/** Options of the facade's list methods. */
export interface CompatListOptions {
  /** Stop after this many items. */
  maxResults?: number;
}

/**
 * What every facade class shares with the official client's: server `properties`, `getProperty(name)` (which
 * works on every class here; the official `Project` and `Version` throw) and `toString()` as indented JSON.
 */
export abstract class CompatResource<P extends object> {
  /** The server's representation after `get()` (or a list call); `{}` before. */
  properties: Partial<P> = {};

  /** One property of {@link CompatResource.properties}, `undefined` when absent. */
  getProperty<K extends keyof P & string>(name: K): P[K] | undefined;
  getProperty(name: string): unknown;
  getProperty(name: string): unknown {
    return (this.properties as Record<string, unknown>)[name];
  }

  /** The properties as indented JSON. */
  toString(): string {
    return JSON.stringify(this.properties, null, 2);
  }
}

/** Split the official constructors' `(name, options)` / `(options)` forms. @internal */
export function nameAndOptions<O extends { name?: string }>(
  nameOrOptions: string | O | undefined,
  options: O | undefined,
): O & { name: string } {
  const merged = (
    typeof nameOrOptions === 'object' ? nameOrOptions : { ...options, name: nameOrOptions }
  ) as O;
  const name = merged.name ?? (typeof nameOrOptions === 'string' ? nameOrOptions : undefined);
  if (typeof name !== 'string' || name === '') throw new TypeError('A name is required.');
  return { ...merged, name };
}
