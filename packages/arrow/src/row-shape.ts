import type { Row, RowValue } from './types.js';

/**
 * Builds rows from converted columns: `build(columns, count, out)` pushes rows 0..count-1 onto `out`.
 *
 * Object rows come from a function generated once per list of names whose body is one object literal, so every row
 * is allocated with its final shape and all properties in the object itself; assigning the keys one by one walks a
 * hidden-class transition per key and moves properties past the fourth into a second allocation per row.
 */
export type RowBuilder<R> = (columns: readonly RowValue[][], count: number, out: R[]) => void;

// Names safe to place inside a double-quoted key by construction: letters, digits, underscores and spaces (what
// Redivis variable names are made of). Anything else takes the generic builder.
const LITERAL_KEY = /^[\p{L}\p{N}_ ]*$/u;
const MAX_LITERAL_KEYS = 256;
const CACHE_LIMIT = 64;
const cache = new Map<string, RowBuilder<Row> | null>();

/** The object-row builder for these column names (generated when the names allow it, else generic). */
export function objectRowBuilder(names: readonly string[]): RowBuilder<Row> {
  const key = names.join('\u0000');
  let built = cache.get(key);
  if (built === undefined) {
    built = generate(names);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, built);
  }
  return built ?? genericObjectRows(names);
}

function generate(names: readonly string[]): RowBuilder<Row> | null {
  if (names.length > MAX_LITERAL_KEYS || !names.every((n) => LITERAL_KEY.test(n))) return null;
  // `__proto__: v` in a literal would set the prototype; the computed form defines an own property like the
  // generic builder does.
  const props = names.map((n, j) => `${n === '__proto__' ? '["__proto__"]' : `"${n}"`}: c${j}[i]`);
  const locals = names.map((_, j) => `const c${j} = columns[${j}];`).join('\n');
  const body = `${locals}\nfor (let i = 0; i < count; i++) out.push({ ${props.join(', ')} });`;
  try {
    return new Function('columns', 'count', 'out', body) as RowBuilder<Row>;
  } catch {
    // A Content-Security-Policy without 'unsafe-eval' forbids generated code.
    return null;
  }
}

function genericObjectRows(names: readonly string[]): RowBuilder<Row> {
  return (columns, count, out) => {
    for (let i = 0; i < count; i++) {
      const row: Row = {};
      for (let j = 0; j < names.length; j++) {
        const name = names[j] as string;
        const value = (columns[j] as RowValue[])[i] as RowValue;
        if (name === '__proto__')
          Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
        else row[name] = value;
      }
      out.push(row);
    }
  };
}

/** Array rows: values in column order. */
export const arrayRowBuilder: RowBuilder<RowValue[]> = (columns, count, out) => {
  const width = columns.length;
  for (let i = 0; i < count; i++) {
    const row: RowValue[] = new Array(width);
    for (let j = 0; j < width; j++) row[j] = (columns[j] as RowValue[])[i] as RowValue;
    out.push(row);
  }
};
