import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { apiClient } from '../helpers/api.js';
import {
  EXPRESSION_SHAPES,
  expectCompleted,
  expectRefused,
  FORBIDDEN_EXPRESSIONS,
  prepareTargets,
  TABLE_SHAPES,
  type Targets,
  tableForms,
} from './escape-helpers.js';

let emu: RunningEmulator;
let api: ReturnType<typeof apiClient>;
let targets: Targets;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 100 });
  api = apiClient(emu.url);
  targets = await prepareTargets(emu, api);
});
afterAll(() => emu.stop());

/** A stack of 1–3 shapes: the innermost wraps the target, each next one wraps the previous as a subquery. */
function nest(shapes: ReadonlyArray<(t: string) => string>, target: string): string {
  let sql = (shapes[0] as (t: string) => string)(target);
  for (const shape of shapes.slice(1)) sql = shape(`(${sql}) AS inner_q`);
  return sql;
}

describe('the SQL sandbox', () => {
  it('runs every wrapping shape around a readable table (the control for the properties below)', async () => {
    for (const shape of TABLE_SHAPES) await expectCompleted(api, targets, shape('iris'));
    for (const shape of EXPRESSION_SHAPES) await expectCompleted(api, targets, shape('abs(-1)'));
    await expectCompleted(
      api,
      targets,
      nest([TABLE_SHAPES[1], TABLE_SHAPES[3], TABLE_SHAPES[9]] as never, 'iris'),
    );
  });

  it('refuses a forbidden table, file or catalog function in any nesting of table shapes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tableForms(targets)),
        fc.array(fc.constantFrom(...TABLE_SHAPES), { minLength: 1, maxLength: 3 }),
        async (target, shapes) => {
          await expectRefused(api, targets, nest(shapes, target));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('refuses a forbidden function in any expression shape, nested in table shapes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORBIDDEN_EXPRESSIONS),
        fc.constantFrom(...EXPRESSION_SHAPES),
        fc.array(fc.constantFrom(...TABLE_SHAPES), { maxLength: 2 }),
        async (expression, shape, outer) => {
          const inner = shape(expression);
          await expectRefused(api, targets, outer.length ? nest(outer, `(${inner}) AS e`) : inner);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses every target in the plainest shape, naming what is not allowed', async () => {
    for (const target of tableForms(targets)) await expectRefused(api, targets, `SELECT * FROM ${target}`);
    for (const expression of FORBIDDEN_EXPRESSIONS) await expectRefused(api, targets, `SELECT ${expression}`);
    // The translator takes api_tokens for the CTE; the tree check sees it is out of the CTE's scope.
    const outOfScope = 'SELECT (WITH api_tokens AS (SELECT 1 AS x) SELECT 1) AS one, * FROM api_tokens';
    expect(await expectRefused(api, targets, outOfScope)).toMatch(/Not found: Table api_tokens/);
    expect(await expectRefused(api, targets, "SELECT current_setting('TimeZone')")).toMatch(
      /Function not found: current_setting/,
    );
    expect(await expectRefused(api, targets, 'SELECT * FROM demo.restricted_survey.responses')).toMatch(
      /Access Denied/,
    );
  });
});
