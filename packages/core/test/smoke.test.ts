import { packageName } from '@redivis-ts/core';
import { expect, test } from 'vitest';

test('resolves the workspace source', () => {
  expect(packageName).toBe('@redivis-ts/core');
});
