// Writes generated/python-methods.md (gitignored) from the method table in packages/resources/README.md, the one
// place the table is maintained, so the guide can never go stale. typedoc.base.mjs runs it before every build.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DOCS_DIR = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = join(DOCS_DIR, '../../packages/resources/README.md');
/** Where the guide is written. */
export const GUIDE = join(DOCS_DIR, 'generated/python-methods.md');
const HEADING = '## Python method → TypeScript method';

/**
 * The guide's text: a front matter, an introduction and the README's section with its headings raised one level.
 *
 * @returns {string}
 */
export function renderGuide() {
  const readme = readFileSync(SOURCE, 'utf8');
  const start = readme.indexOf(HEADING);
  if (start === -1) throw new Error(`${SOURCE} has no "${HEADING}" section`);
  const rest = readme.slice(start + HEADING.length);
  const end = rest.search(/\n## /);
  const section = (end === -1 ? rest : rest.slice(0, end)).trim().replace(/^### /gm, '## ');
  return `---
title: Method table against the Python client
---

# Python client method → redivis-ts method

Every method of the official Python client (\`redivis-python\`) and its redivis-ts equivalent, camelCased, with
keyword arguments as one options object. Generated from the \`@redivis-ts/resources\` README
at every docs build; edit the table there.

${section}
`;
}

/**
 * Write the guide and return its path.
 *
 * @returns {string}
 */
export function writeGuide() {
  mkdirSync(join(DOCS_DIR, 'generated'), { recursive: true });
  writeFileSync(GUIDE, renderGuide());
  return GUIDE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeGuide();
