import * as arrow from '@redivis-ts/arrow';
import * as core from '@redivis-ts/core';
import * as node from '@redivis-ts/node';
import * as resources from '@redivis-ts/resources';
import * as upload from '@redivis-ts/upload';
import { describe, expect, it } from 'vitest';
import * as browserEntry from '../src/browser.js';
import * as nodeEntry from '../src/index.js';

/** Every exported class of a package that extends RedivisError (the class itself included), by export name. */
function errorClasses(mod: Record<string, unknown>): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value !== 'function') continue;
    if (value === core.RedivisError || value.prototype instanceof core.RedivisError) found.set(name, value);
  }
  return found;
}

const packages = { core, arrow, upload, resources, node } as Record<string, Record<string, unknown>>;

describe('every error a public method can throw is exported from redivis-ts', () => {
  it('finds the error classes of the packages below (so the check below checks something)', () => {
    expect(errorClasses(core).has('NotFoundError')).toBe(true);
    expect(errorClasses(arrow).has('UnsafeIntegerError')).toBe(true);
    expect(errorClasses(resources).has('ResourceUsageError')).toBe(true);
    for (const name of [
      'UploadFailedError',
      'UploadUsageError',
      'ResumableUploadError',
      'SessionGoneError',
    ]) {
      expect(errorClasses(upload).has(name), name).toBe(true);
    }
  });

  for (const [entryName, entry] of Object.entries({ node: nodeEntry, browser: browserEntry })) {
    it(`the ${entryName} entry exports each one as the same class`, () => {
      const missing: string[] = [];
      for (const [pkg, mod] of Object.entries(packages)) {
        for (const [name, cls] of errorClasses(mod)) {
          if ((entry as Record<string, unknown>)[name] !== cls) missing.push(`${pkg}.${name}`);
        }
      }
      expect(missing).toEqual([]);
    });
  }
});
