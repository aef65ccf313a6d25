/**
 * Quotes an SQL identifier for DuckDB (`a"b` → `"a""b"`): the one way a name reaches SQL as an identifier, whatever
 * characters it holds.
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
