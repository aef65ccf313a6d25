// A local TypeDoc plugin: names each module after its package ("@redivis-ts/core") instead of the path TypeDoc
// derives from the entry point ("core/src"), which would otherwise need a `@module` tag in every package index.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Converter, ReflectionKind } from 'typedoc';

const names = new Map();

const SOURCE_CONDITION = '@redivis-ts/source';

/** The package's name and its subpath entry files (absolute path → `name/subpath`). */
function packageOf(dir) {
  if (!names.has(dir)) {
    const { name, exports = {} } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const subpaths = new Map();
    for (const [key, value] of Object.entries(exports)) {
      const target = value?.[SOURCE_CONDITION];
      if (key !== '.' && typeof target === 'string')
        subpaths.set(join(dir, target), `${name}${key.slice(1)}`);
    }
    names.set(dir, { name, subpaths });
  }
  return names.get(dir);
}

function packageNameOf(fileName) {
  for (let dir = dirname(fileName); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const { name, subpaths } = packageOf(dir);
      return subpaths.get(fileName) ?? name;
    }
  }
  return undefined;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName;
    const name = file && packageNameOf(file);
    if (name) reflection.name = name;
  });
}
