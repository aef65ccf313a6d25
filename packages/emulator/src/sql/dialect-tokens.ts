import { isKeyword, isTrivia, type Token } from './tokenizer.js';

/**
 * A BigQuery string or bytes literal as DuckDB SQL. DuckDB's parser ends a literal at a NUL character, so strings
 * holding one (`'\u0000'`, `'\x00'`) are spelled as concatenations with `chr(0)`; bytes are written with `\xHH`
 * escapes, which DuckDB's BLOB cast decodes.
 */
export function literalSql(token: Token): string {
  const value = token.value ?? '';
  if (/^[rR]?[bB]/.test(token.text)) {
    const escaped = [...value]
      .map((ch) => {
        const code = ch.charCodeAt(0);
        return code < 0x20 || code > 0x7e || ch === '\\' ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
      })
      .join('');
    return `'${escaped.replaceAll("'", "''")}'::BLOB`;
  }
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  if (!value.includes('\0')) return quote(value);
  return `(${value.split('\0').map(quote).join(' || chr(0) || ')})`;
}

/**
 * BigQuery's NUMERIC (alias DECIMAL) is DECIMAL(38, 9); DuckDB reads a bare NUMERIC as DECIMAL(18, 3), which
 * overflows on values BigQuery holds. BIGNUMERIC (alias BIGDECIMAL) holds 76 digits, beyond DuckDB's 38: DOUBLE
 * keeps its range (±5.7e38) at 15–17 significant digits.
 */
const NUMERIC_TYPES: Record<string, string> = {
  NUMERIC: 'DECIMAL(38, 9)',
  DECIMAL: 'DECIMAL(38, 9)',
  BIGNUMERIC: 'DOUBLE',
  BIGDECIMAL: 'DOUBLE',
};
const CAST_FUNCTIONS = ['CAST', 'SAFE_CAST', 'TRY_CAST'];

function significant(tokens: Token[], from: number, step: 1 | -1): number {
  let j = from + step;
  while (j >= 0 && j < tokens.length && isTrivia(tokens[j] as Token)) j += step;
  return j;
}

/** Whether token `i` is the type of `CAST(x AS type)` (any CAST spelling) or of `x::type`. */
function inTypePosition(tokens: Token[], i: number): boolean {
  const before = tokens[significant(tokens, i, -1)];
  if (before?.text === '::') return true;
  if (!isKeyword(before, 'AS')) return false;
  let depth = 0;
  for (let j = i - 1; j >= 0; j--) {
    const text = (tokens[j] as Token).text;
    if (text === ')') depth++;
    else if (text === '(' && depth-- === 0)
      return isKeyword(tokens[significant(tokens, j, -1)], ...CAST_FUNCTIONS);
  }
  return false;
}

/**
 * The DuckDB spelling of a BigQuery NUMERIC-family type at token `i` — in a cast, or as a typed literal
 * (`NUMERIC '1.5'`) — and the last token it covers; undefined when the word is not a type there (a column or alias
 * named `numeric`). Parameterized types (`NUMERIC(10, 2)`) keep their parameters.
 */
export function numericTypeSql(tokens: Token[], i: number): { sql: string; last: number } | undefined {
  const token = tokens[i] as Token;
  const type = token.kind === 'word' ? NUMERIC_TYPES[token.text.toUpperCase()] : undefined;
  if (!type) return undefined;
  const nextIndex = significant(tokens, i, 1);
  const next = tokens[nextIndex];
  if (next?.kind === 'string') {
    return { sql: `CAST(${literalSql(next)} AS ${type})`, last: nextIndex };
  }
  if (!inTypePosition(tokens, i)) return undefined;
  if (next?.text === '(') return { sql: 'DECIMAL', last: i };
  return { sql: type, last: i };
}
