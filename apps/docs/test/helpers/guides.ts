import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** A fenced `ts` code block of a guide. */
export interface GuideBlock {
  /** Guide file name without `.md`, e.g. `reading-data`. */
  guide: string;
  /** 1-based position of the block within its guide. */
  index: number;
  /** Line of the opening fence, for messages. */
  line: number;
  /** The code. */
  code: string;
  /** What the block's annotated `console.log` lines print (`// → text`), in source order. */
  expected: string[];
  /** `ts` blocks run as modules; `sh` blocks run their `redivis …` lines through the CLI in-process. */
  lang: 'ts' | 'sh';
}

const FENCE = /^```(\S*)\s*$/;
const EXPECTATION = /console\.log\(.*\);\s*\/\/ → (.*)$/;
const SHELL_EXPECTATION = /^# → (.*)$/;

/**
 * Extracts the ```ts / ```typescript blocks of a markdown document. Other fences (```sh, ```json) are prose.
 *
 * @param guide - Name reported for the blocks.
 * @param markdown - The document.
 * @returns The blocks in order, each with its `// →` expectations.
 */
export function extractBlocks(guide: string, markdown: string): GuideBlock[] {
  const blocks: GuideBlock[] = [];
  let open: { lang: string; line: number; lines: string[] } | undefined;
  markdown.split('\n').forEach((text, i) => {
    const fence = FENCE.exec(text);
    if (!open) {
      if (fence) open = { lang: fence[1] ?? '', line: i + 1, lines: [] };
      return;
    }
    if (!fence || fence[1] !== '') {
      open.lines.push(text);
      return;
    }
    const code = `${open.lines.join('\n')}\n`;
    if (open.lang === 'ts' || open.lang === 'typescript') {
      const expected = open.lines.flatMap((l) => EXPECTATION.exec(l)?.[1] ?? []);
      blocks.push({ guide, index: blocks.length + 1, line: open.line, code, expected, lang: 'ts' });
    } else if (open.lang === 'sh') {
      // Shell blocks with `# →` lines are examples that run; others (installs, exports) are prose.
      const expected = open.lines.flatMap((l) => SHELL_EXPECTATION.exec(l)?.[1] ?? []);
      if (expected.length > 0)
        blocks.push({ guide, index: blocks.length + 1, line: open.line, code, expected, lang: 'sh' });
    }
    open = undefined;
  });
  if (open) throw new Error(`${guide}.md: the code fence opened on line ${open.line} is never closed`);
  return blocks;
}

/**
 * Every guide under `dir` with its blocks, in file-name order, then each of `extra` (the landing page).
 *
 * @param dir - The guides folder.
 * @param extra - More markdown files whose blocks run too.
 */
export function readGuides(dir: string, extra: string[] = []): { guide: string; blocks: GuideBlock[] }[] {
  const files = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => join(dir, f)),
    ...extra,
  ];
  return files.map((file) => {
    const guide = basename(file, '.md');
    return { guide, blocks: extractBlocks(guide, readFileSync(file, 'utf8')) };
  });
}

/**
 * The `redivis …` command lines of a shell block, split into words (double or single quotes group words).
 *
 * @param code - The block's text.
 * @returns One argv (without the program name) per command line.
 */
export function shellCommands(code: string): string[][] {
  return code
    .split('\n')
    .filter((line) => line.startsWith('redivis '))
    .map((line) =>
      [...line.slice('redivis '.length).matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map(
        (m) => m[1] ?? m[2] ?? m[3] ?? '',
      ),
    );
}

/**
 * Whether each of `expected` is contained in some line of `actual`, in order.
 *
 * @returns The first expectation not found, or `undefined` when all were.
 */
export function firstMissingSubstring(
  actual: readonly string[],
  expected: readonly string[],
): string | undefined {
  let at = 0;
  for (const want of expected) {
    let found = -1;
    for (let i = at; i < actual.length; i++) {
      if ((actual[i] as string).includes(want)) {
        found = i;
        break;
      }
    }
    if (found === -1) return want;
    at = found + 1;
  }
  return undefined;
}

/**
 * Whether `expected` appears within `actual` in order (other output may come between; loops may print more).
 *
 * @returns The first expectation not found, or `undefined` when all were.
 */
export function firstMissing(actual: readonly string[], expected: readonly string[]): string | undefined {
  let at = 0;
  for (const want of expected) {
    const found = actual.indexOf(want, at);
    if (found === -1) return want;
    at = found + 1;
  }
  return undefined;
}
