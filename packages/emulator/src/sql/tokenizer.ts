/** Kinds of lexical tokens in Redivis (BigQuery-flavoured) SQL. */
export type TokenKind =
  | 'space'
  | 'comment'
  | 'string' // '…', "…", '''…''', """…""", with r/b prefixes
  | 'backtick' // `…` quoted identifier or path
  | 'quoted' // "…" is a string in BigQuery, so this kind only appears in DuckDB output
  | 'word' // identifiers and keywords
  | 'number'
  | 'param' // @name / @@name / ?
  | 'punct';

/** A token with its exact source text and position. */
export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** For strings: the decoded value. For backticks: the content between the backticks (`` `` `` unescaped). */
  value?: string;
}

/** Thrown on text the tokenizer cannot read (an unterminated string, comment or quoted identifier). */
export class SqlSyntaxError extends Error {
  override readonly name = 'SqlSyntaxError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const WORD_START = /[A-Za-z_]/;
const WORD = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '?': '?',
};

/**
 * Splits SQL into tokens, keeping every character (concatenating the token texts gives the input back). Strings,
 * comments and quoted identifiers are read whole, so a reference-looking text inside them is never mistaken for one.
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number, value?: string) => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, end, ...(value === undefined ? {} : { value }) });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j] as string)) j++;
      push('space', j);
    } else if ((c === '-' && next === '-') || c === '#') {
      const nl = sql.indexOf('\n', i);
      push('comment', nl === -1 ? sql.length : nl);
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close === -1) throw new SqlSyntaxError('Unclosed comment', i);
      push('comment', close + 2);
    } else if (c === '`') {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= sql.length) throw new SqlSyntaxError('Unclosed identifier (missing closing backtick)', i);
        const ch = sql[j] as string;
        if (ch === '\\' && j + 1 < sql.length) {
          value += ESCAPES[sql[j + 1] as string] ?? sql[j + 1];
          j += 2;
        } else if (ch === '`') {
          break;
        } else {
          value += ch;
          j++;
        }
      }
      push('backtick', j + 1, value);
    } else if (c === "'" || c === '"' || (/[rRbB]/.test(c) && (next === "'" || next === '"'))) {
      readString();
    } else if (/[rRbB]/.test(c) && /[rRbB]/.test(next ?? '') && (sql[i + 2] === "'" || sql[i + 2] === '"')) {
      readString();
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(next ?? ''))) {
      const m = /^(?:0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/.exec(
        sql.slice(i),
      ) as RegExpExecArray;
      push('number', i + m[0].length);
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < sql.length && WORD.test(sql[j] as string)) j++;
      push('word', j);
    } else if (c === '@' || c === '?') {
      let j = i + 1;
      while (j < sql.length && (WORD.test(sql[j] as string) || sql[j] === '@')) j++;
      push('param', j);
    } else {
      const two = sql.slice(i, i + 2);
      push('punct', i + (['::', '<=', '>=', '<>', '!=', '||', '<<', '>>', '=>', '->'].includes(two) ? 2 : 1));
    }
  }
  return tokens;

  function readString(): void {
    let j = i;
    let raw = false;
    while (/[rRbB]/.test(sql[j] as string)) {
      if (/[rR]/.test(sql[j] as string)) raw = true;
      j++;
    }
    const quote = sql[j] as string;
    const triple = sql.startsWith(quote.repeat(3), j);
    const delimiter = triple ? quote.repeat(3) : quote;
    j += delimiter.length;
    let value = '';
    for (;;) {
      if (j >= sql.length) throw new SqlSyntaxError('Unclosed string literal', i);
      const ch = sql[j] as string;
      if (ch === '\\' && !raw && j + 1 < sql.length) {
        value += decodeEscape();
      } else if (ch === '\\' && raw && j + 1 < sql.length) {
        value += sql.slice(j, j + 2);
        j += 2;
      } else if (sql.startsWith(delimiter, j)) {
        // SQL-standard doubled quote inside a single-quoted literal ('it''s').
        if (!triple && sql[j + 1] === quote) {
          value += quote;
          j += 2;
          continue;
        }
        break;
      } else {
        value += ch;
        j++;
      }
    }
    push('string', j + delimiter.length, value);

    function decodeEscape(): string {
      const e = sql[j + 1] as string;
      const hex = (len: number) => {
        const digits = sql.slice(j + 2, j + 2 + len);
        if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== len) {
          throw new SqlSyntaxError(`Invalid escape sequence \\${e}${digits}`, j);
        }
        j += 2 + len;
        return String.fromCodePoint(Number.parseInt(digits, 16));
      };
      if (e === 'x' || e === 'X') return hex(2);
      if (e === 'u') return hex(4);
      if (e === 'U') return hex(8);
      if (/[0-7]/.test(e)) {
        const digits = sql.slice(j + 1, j + 4);
        j += 4;
        return String.fromCharCode(Number.parseInt(digits, 8));
      }
      const mapped = ESCAPES[e];
      if (mapped === undefined) throw new SqlSyntaxError(`Invalid escape sequence \\${e}`, j);
      j += 2;
      return mapped;
    }
  }
}

/** Whether a token carries no meaning (whitespace or a comment). */
export function isTrivia(token: Token): boolean {
  return token.kind === 'space' || token.kind === 'comment';
}

/** Whether a token is the given keyword, case-insensitively. */
export function isKeyword(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.text.toUpperCase());
}
