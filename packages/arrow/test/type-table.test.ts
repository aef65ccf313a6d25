import { VARIABLE_TYPE_FACTS, VARIABLE_TYPES } from '@redivis-ts/core';
import { describe, expect, it } from 'vitest';
import { arrowTypeForVariable } from '../src/index.js';

// How pyarrow prints each Arrow type core names, next to how apache-arrow prints the same type.
const ARROW_PRINTED = {
  int64: 'Int64',
  float64: 'Float64',
  bool: 'Bool',
  'date32[day]': 'Date32<DAY>',
  'timestamp[us]': 'Timestamp<MICROSECOND>',
  'time64[us]': 'Time64<MICROSECOND>',
  string: 'Utf8',
} as const;

describe("Arrow types come from core's type table", () => {
  it.each(VARIABLE_TYPES)('%s streams as the Arrow type core names for it', (type) => {
    expect(String(arrowTypeForVariable(type))).toBe(ARROW_PRINTED[VARIABLE_TYPE_FACTS[type].arrow]);
  });

  it('gives an unknown type utf8, as the official clients do', () => {
    expect(String(arrowTypeForVariable('interval'))).toBe('Utf8');
    expect(String(arrowTypeForVariable('toString'))).toBe('Utf8');
  });
});
