import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { GUIDE, renderGuide } from '../scripts/python-methods.mjs';

it('the Python method table guide matches the resources README (run node apps/docs/scripts/python-methods.mjs)', () => {
  const guide = readFileSync(GUIDE, 'utf8');
  expect(guide).toBe(renderGuide());
  expect(guide).toContain('| `list_rows(…)` |');
});
