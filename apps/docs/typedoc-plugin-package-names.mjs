// A local TypeDoc plugin: names each module after its package ("@redivis-ts/core") instead of the path TypeDoc
// derives from the entry point ("core/src"), which would otherwise need a `@module` tag in every package index.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Converter, ReflectionKind } from 'typedoc';

const names = new Map();

function packageNameOf(fileName) {
  for (let dir = dirname(fileName); dir !== dirname(dir); dir = dirname(dir)) {
    if (names.has(dir)) return names.get(dir);
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const { name } = JSON.parse(readFileSync(file, 'utf8'));
      names.set(dir, name);
      return name;
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
