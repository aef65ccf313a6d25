// The guides' ```ts blocks run as written, against one in-process emulator: each block is written to its own
// module, imported, and what it prints must match its `// → …` comments. The blocks are type-checked too, since a
// reader copies the types as well as the calls.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_DIR } from '../typedoc.base.mjs';
import { firstMissing, type GuideBlock, readGuides } from './helpers/guides.js';

const RUN_DIR = join(DOCS_DIR, '.guides-run');
const guides = readGuides(join(DOCS_DIR, 'guides'));
const fileOf = (block: GuideBlock) => join(RUN_DIR, `${block.guide}-${block.index}.ts`);

let emulator: RunningEmulator;
const savedEnv = { ...process.env };

beforeAll(async () => {
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  for (const { blocks } of guides) for (const block of blocks) writeFileSync(fileOf(block), block.code);
  emulator = await startEmulator({ seedRows: 200, rateLimit: false });
  // The guides are written for a configured environment, as a user's program would run.
  process.env.REDIVIS_API_ENDPOINT = emulator.url;
  process.env.REDIVIS_API_TOKEN = 'rdv_demo_admin_token';
});

afterAll(async () => {
  for (const key of ['REDIVIS_API_ENDPOINT', 'REDIVIS_API_TOKEN']) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  await emulator?.stop();
  rmSync(RUN_DIR, { recursive: true, force: true });
});

/** Imports a block's module, capturing what it logs instead of printing it. */
async function run(block: GuideBlock): Promise<string[]> {
  const printed: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    printed.push(format(...args));
  };
  try {
    await import(/* @vite-ignore */ fileOf(block));
  } finally {
    console.log = original;
  }
  return printed;
}

it('finds the guides, each with runnable blocks', () => {
  expect(guides.map((g) => g.guide)).toEqual(
    expect.arrayContaining(['authentication', 'getting-started', 'reading-data']),
  );
  for (const { guide, blocks } of guides) expect(blocks.length, guide).toBeGreaterThan(0);
});

for (const { guide, blocks } of guides) {
  describe(`guide ${guide}.md`, () => {
    for (const block of blocks) {
      it(`block ${block.index} (line ${block.line}) prints what its comments say`, async () => {
        expect(block.expected.length, 'a block must show its result in a `// →` comment').toBeGreaterThan(0);
        const printed = await run(block);
        const missing = firstMissing(printed, block.expected);
        expect(missing, `expected "${missing}" among what the block printed:\n${printed.join('\n')}`).toBe(
          undefined,
        );
      });
    }
  });
}

it('type-checks every block against the packages as they are', () => {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(DOCS_DIR, 'tsconfig.typedoc.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  const files = guides.flatMap((g) => g.blocks.map(fileOf));
  const program = ts.createProgram(files, { ...parsed?.options, noEmit: true });
  const problems = files.flatMap((file) => {
    const source = program.getSourceFile(file);
    if (!source) return [`${file}: not loaded`];
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
      (d) => {
        const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${file.slice(RUN_DIR.length + 1)}:${line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      },
    );
  });
  expect(problems, problems.join('\n')).toEqual([]);
}, 120_000);
