import { InvalidReferenceError } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from './helpers.js';

// owner.dataset(name) / owner.workflow(name) never drop part of what the caller wrote and never move a reference to
// another owner: a valid reference stays one, a string that cannot be one is the display name, whole.
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.stop());

const catchError = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('a display name that cannot be a reference is kept whole', () => {
  it.each([
    ['Census dataset: 1940-1980', 'census_dataset_1940_1980'],
    ['U.S. Counties', 'u_s_counties'],
  ])('%j creates a dataset of that name, found again by name and by escaped reference', async (name, escaped) => {
    const demo = env.redivis.organization('demo');
    const dataset = demo.dataset(name);
    expect(dataset.reference).toEqual({ owner: 'demo', name });
    await dataset.create();
    expect(dataset.properties?.name).toBe(name);
    expect(dataset.owner?.name).toBe('demo');

    const again = await demo.dataset(name).get();
    expect(again.properties?.id).toBe(dataset.properties?.id);
    const byReference = await env.redivis.dataset(`demo.${escaped}`).get();
    expect(byReference.properties?.name).toBe(name);
    await dataset.delete();
  });
});

describe('a reference stays a reference', () => {
  it('keeps the version and reference id written after the name', async () => {
    const demo = env.redivis.organization('demo');
    expect(demo.dataset('iris_species:v1_0').reference).toEqual({
      owner: 'demo',
      name: 'iris_species',
      version: 'v1_0',
    });
    const iris = await demo.dataset('Iris species:current').get();
    expect(iris.properties?.name).toBe('Iris species');
  });

  it('accepts an owner prefix naming this owner, in any case', async () => {
    const iris = await env.redivis.organization('demo').dataset('DEMO.iris_species').get();
    expect(iris.properties?.name).toBe('Iris species');
    expect(iris.owner?.name).toBe('demo');
  });

  it("refuses another owner's dataset instead of creating it under this one", async () => {
    const demo = env.redivis.organization('demo');
    const error = catchError(() => demo.dataset('alice.hijack'));
    expect(error).toBeInstanceOf(InvalidReferenceError);
    expect((error as InvalidReferenceError).input).toBe('alice.hijack');
    expect((error as Error).message).toMatch(/dataset of "alice", not of "demo"/);
    expect((error as Error).message).toMatch(/redivis\.dataset\("alice\.hijack"\).*literalName: true/);
    expect(await demo.dataset('hijack').exists()).toBe(false);
    expect(() => env.redivis.user('demo_admin').workflow('alice.notes')).toThrow(
      /workflow of "alice", not of "demo_admin"/,
    );
  });
});

describe('{ literalName: true } takes any string as the display name', () => {
  it('creates "alice.hijack" and "Data:2020" under this owner, with nothing read as an owner or id', async () => {
    const demo = env.redivis.organization('demo');
    // Without the option, "Data:2020" is the dataset "Data" with reference id 2020: a valid reference stays one.
    expect(demo.dataset('Data:2020').reference).toEqual({ owner: 'demo', name: 'Data', referenceId: '2020' });
    for (const name of ['alice.hijack', 'Data:2020']) {
      const dataset = demo.dataset(name, { literalName: true });
      expect(dataset.reference).toEqual({ owner: 'demo', name });
      await dataset.create();
      expect(dataset.properties?.name).toBe(name);
      expect(dataset.properties?.qualifiedReference).toMatch(/^demo\./);
      await dataset.delete();
    }
  });

  it('still refuses a string that is no name at all', () => {
    const demo = env.redivis.organization('demo');
    expect(() => demo.dataset('...', { literalName: true })).toThrow(/needs at least one letter or digit/);
    expect(() => demo.dataset('a.b\u202E.c')).toThrow(InvalidReferenceError);
  });
});
