// "TSDoc on every export", enforced: TypeDoc converts every public package from source with the same base options
// the site uses, then its own validator reports each exported declaration (and member) that has no comment.
import { Application, Logger, type ProjectReflection } from 'typedoc';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseOptions, moduleNames, PUBLIC_PACKAGES } from '../typedoc.base.mjs';
import { readPackageName } from './helpers/packages.js';

/** Records what TypeDoc reports instead of printing it, so the assertion can list every finding. */
class RecordingLogger extends Logger {
  readonly validation: string[] = [];
  readonly problems: string[] = [];

  override validationWarning(text: Parameters<Logger['validationWarning']>[0]): void {
    this.validation.push(String(text));
  }

  override warn(text: Parameters<Logger['warn']>[0]): void {
    this.problems.push(`warning: ${String(text)}`);
  }

  override error(text: Parameters<Logger['error']>[0]): void {
    this.problems.push(`error: ${String(text)}`);
  }
}

const UNDOCUMENTED = /does not have any documentation/;
// Fields of zod object shapes (`datasetSchema.__type.name`) are wire fields named after the REST API, repeated in
// every type inferred from the schema; the schema and its inferred type are checked, their fields are not.
const ZOD_SHAPE_FIELD = /\.__type\..*defined in @redivis-ts\/core\/src\/schemas\//;
const logger = new RecordingLogger();
let project: ProjectReflection | undefined;

// One conversion for the whole file: it type-resolves all five packages, the slowest step of the docs tests.
beforeAll(async () => {
  const app = await Application.bootstrapWithPlugins({
    ...baseOptions(),
    validation: { notExported: true, invalidLink: true, notDocumented: true },
    packagesRequiringDocumentation: PUBLIC_PACKAGES.map(readPackageName),
    treatValidationWarningsAsErrors: false,
  });
  app.logger = logger;
  project = await app.convert();
  if (project) app.validate(project);
}, 300_000);

const list = (lines: string[]) => `\n  ${[...new Set(lines)].sort().join('\n  ')}`;

describe('TSDoc coverage of the public packages', () => {
  it('converts every public package into a named module', () => {
    expect(logger.problems, list(logger.problems)).toEqual([]);
    expect(project?.children?.map((m) => m.name).sort()).toEqual(moduleNames(readPackageName).sort());
  });

  it('documents every export and every member of an exported type', () => {
    const undocumented = logger.validation.filter((m) => UNDOCUMENTED.test(m) && !ZOD_SHAPE_FIELD.test(m));
    expect(undocumented.length, `undocumented exports:${list(undocumented)}`).toBe(0);
  });

  it('has no broken {@link} targets and no referenced-but-unexported types', () => {
    const other = logger.validation.filter((m) => !UNDOCUMENTED.test(m));
    expect(other.length, `TypeDoc validation:${list(other)}`).toBe(0);
  });
});
