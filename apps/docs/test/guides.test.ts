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
import { PassThrough } from 'node:stream';
import { run as runCli } from '../../cli/src/main.js';
import { CookieClient } from '../../../packages/emulator/test/oauth-helpers.js';
import {
  firstMissing,
  firstMissingSubstring,
  type GuideBlock,
  readGuides,
  shellCommands,
} from './helpers/guides.js';

const RUN_DIR = join(DOCS_DIR, '.guides-run');
const guides = readGuides(join(DOCS_DIR, 'guides'), [join(DOCS_DIR, 'index.md')]);
const fileOf = (block: GuideBlock) => join(RUN_DIR, `${block.guide}-${block.index}.ts`);

let emulator: RunningEmulator;
const savedEnv = { ...process.env };

beforeAll(async () => {
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  for (const { blocks } of guides) {
    for (const block of blocks) if (block.lang === 'ts') writeFileSync(fileOf(block), block.code);
  }
  // A 1 s poll interval keeps the OAuth guide's device sign-in short (the default is the spec's 5 s).
  emulator = await startEmulator({ seedRows: 200, rateLimit: false, oauth: { deviceIntervalSec: 1 } });
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

/** Runs a shell block's `redivis` lines through the CLI in-process; returns every line they printed. */
async function runShell(block: GuideBlock): Promise<string[]> {
  const printed: string[] = [];
  for (const argv of shellCommands(block.code)) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const chunks: string[] = [];
    stdout.on('data', (d: Buffer) => chunks.push(d.toString()));
    stderr.on('data', (d: Buffer) => chunks.push(d.toString()));
    const code = await runCli(argv, {
      stdout,
      stderr,
      stdin: new PassThrough(),
      env: { ...process.env, NO_COLOR: '1' },
      cwd: RUN_DIR,
      signal: new AbortController().signal,
    });
    printed.push(...chunks.join('').split('\n'));
    if (code !== 0) throw new Error(`redivis ${argv.join(' ')} exited with ${code}:\n${chunks.join('')}`);
  }
  return printed;
}

/**
 * Plays the person a device sign-in asks for: signs `alice` in on the emulator's login page, opens the verification
 * URL the block printed and presses Approve, as she would in a browser.
 */
async function approveDevice(url: string): Promise<void> {
  const person = new CookieClient(new URL(url).origin);
  await person.signIn('alice');
  const { res } = await person.decideDevice(new URL(url).pathname + new URL(url).search, 'approve');
  if (res.status !== 200) throw new Error(`approving ${url} answered ${res.status}`);
}

/**
 * Imports a block's module, capturing what it logs instead of printing it. A printed device verification URL
 * (the OAuth guide's sign-in) is approved meanwhile, while the block's provider polls for the token.
 */
async function run(block: GuideBlock): Promise<string[]> {
  if (block.lang === 'sh') return runShell(block);
  const printed: string[] = [];
  // A failed approval ends the block at once instead of leaving its provider polling until the code expires.
  let approvalFailed: (error: unknown) => void = () => undefined;
  const approvalFailure = new Promise<never>((_, reject) => {
    approvalFailed = reject;
  });
  approvalFailure.catch(() => undefined);
  const original = console.log;
  console.log = (...args: unknown[]) => {
    const line = format(...args);
    printed.push(line);
    const device = /https?:\/\/\S+\/oauth\/device\?user_code=\S+/.exec(line);
    if (device) approveDevice(device[0]).catch(approvalFailed);
  };
  try {
    await Promise.race([import(/* @vite-ignore */ fileOf(block)), approvalFailure]);
  } finally {
    console.log = original;
  }
  return printed;
}

it('finds the guides, each with runnable blocks', () => {
  expect(guides.map((g) => g.guide)).toEqual([
    'authentication',
    'cli',
    'errors-and-retries',
    'files-and-exports',
    'getting-started',
    'migrating-from-redivis-js',
    'oauth',
    'queries',
    'reading-data',
    'referencing-resources',
    'reliability',
    'testing-with-the-emulator',
    'uploads',
    'index',
  ]);
  // The method table is a table, and the reliability page reports figures with the commands that produce them.
  for (const { guide, blocks } of guides)
    if (guide !== 'python-methods' && guide !== 'reliability')
      expect(blocks.length, guide).toBeGreaterThan(0);
});

// A page without code (the reliability figures) gets no suite: vitest refuses an empty one.
for (const { guide, blocks } of guides.filter((g) => g.blocks.length > 0)) {
  describe(`guide ${guide}.md`, () => {
    for (const block of blocks) {
      it(`block ${block.index} (line ${block.line}) prints what its comments say`, async () => {
        expect(block.expected.length, 'a block must show its result in a `// →` comment').toBeGreaterThan(0);
        const printed = await run(block);
        const missing =
          block.lang === 'sh'
            ? firstMissingSubstring(printed, block.expected)
            : firstMissing(printed, block.expected);
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
  const files = guides.flatMap((g) => g.blocks.filter((b) => b.lang === 'ts').map(fileOf));
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
