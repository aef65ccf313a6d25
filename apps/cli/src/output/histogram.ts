const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** Buckets a numeric distribution is drawn with. */
export const HISTOGRAM_BUCKETS = 12;

/** Counts per bucket as one line of block characters (an empty bucket is a space), scaled to the largest. */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  if (max === 0) return ' '.repeat(counts.length);
  return counts
    .map((n) =>
      n <= 0
        ? ' '
        : (BARS[Math.min(BARS.length - 1, Math.floor((n / max) * (BARS.length - 1) + 0.5))] ?? '█'),
    )
    .join('');
}

/**
 * The SQL that counts each numeric variable's values in {@link HISTOGRAM_BUCKETS} equal-width buckets between its
 * min and max (one UNION ALL query for the whole table). Names come from the table's own variable list and are
 * quoted as identifiers; min and max are numbers from its statistics.
 */
export function histogramSql(
  tableRef: string,
  variables: readonly { name: string; min: number; max: number }[],
): string {
  const parts = variables.map(({ name, min, max }, index) => {
    const column = quoteIdentifier(name);
    const span = max - min || 1;
    const bucket = `LEAST(${HISTOGRAM_BUCKETS - 1}, CAST(FLOOR((${column} - (${min})) / (${span}) * ${HISTOGRAM_BUCKETS}) AS INT64))`;
    return `SELECT ${index} AS v, ${bucket} AS b, COUNT(*) AS n FROM ${quoteIdentifier(tableRef)} WHERE ${column} IS NOT NULL GROUP BY b`;
  });
  return parts.join(' UNION ALL ');
}

/** A backtick-quoted identifier; only names made of letters, digits, `_`, `.`, `:` and `-` get here. */
export function quoteIdentifier(name: string): string {
  if (!/^[\p{L}\p{N}_.:-]+$/u.test(name)) throw new RangeError(`Not an identifier: ${name}`);
  return `\`${name}\``;
}
