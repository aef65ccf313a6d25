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
}

const FENCE = /^```(\S*)\s*$/;
const EXPECTATION = /console\.log\(.*\);\s*\/\/ → (.*)$/;

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
    if (open.lang === 'ts' || open.lang === 'typescript') {
      const code = `${open.lines.join('\n')}\n`;
      const expected = open.lines.flatMap((l) => EXPECTATION.exec(l)?.[1] ?? []);
      blocks.push({ guide, index: blocks.length + 1, line: open.line, code, expected });
    }
    open = undefined;
  });
  if (open) throw new Error(`${guide}.md: the code fence opened on line ${open.line} is never closed`);
  return blocks;
}

/**
 * Every guide under `dir` with its blocks, in file-name order.
 *
 * @param dir - The guides folder.
 */
export function readGuides(dir: string): { guide: string; blocks: GuideBlock[] }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file) => {
      const guide = basename(file, '.md');
      return { guide, blocks: extractBlocks(guide, readFileSync(join(dir, file), 'utf8')) };
    });
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
