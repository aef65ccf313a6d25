// The API reference site: every public package plus the guides, written to apps/docs/site (gitignored).
import { join } from 'node:path';
import { baseOptions, DOCS_DIR } from './typedoc.base.mjs';

/** @type {import('typedoc').TypeDocOptions} */
export default {
  ...baseOptions(),
  out: join(DOCS_DIR, 'site'),
  cleanOutputDir: true,
};
