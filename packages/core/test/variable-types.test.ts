import { describe, expect, it } from 'vitest';
import {
  isVariableType,
  PARAMETER_TYPES,
  VARIABLE_TYPE_FACTS,
  VARIABLE_TYPES,
  variableSchema,
  variableTypeSchema,
} from '../src/index.js';

describe('the Redivis type table', () => {
  it('has facts for exactly the listed types, and the schema accepts exactly those', () => {
    expect(Object.keys(VARIABLE_TYPE_FACTS).sort()).toEqual([...VARIABLE_TYPES].sort());
    expect(variableTypeSchema.options).toEqual([...VARIABLE_TYPES]);
    for (const t of VARIABLE_TYPES) expect(isVariableType(t)).toBe(true);
    for (const bad of ['Integer', 'text', 'toString', 'constructor', 1, null]) {
      expect(isVariableType(bad)).toBe(false);
      expect(variableTypeSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('states what the clients and the emulator rely on', () => {
    expect(VARIABLE_TYPE_FACTS.integer).toMatchObject({ arrow: 'int64', duckdb: 'BIGINT', bytesPerValue: 8 });
    expect(VARIABLE_TYPE_FACTS.dateTime).toMatchObject({ arrow: 'timestamp[us]', duckdb: 'TIMESTAMP' });
    expect(VARIABLE_TYPE_FACTS.geography).toMatchObject({
      arrow: 'string',
      duckdb: 'VARCHAR',
      addsUtf8Length: true,
    });
    expect(VARIABLE_TYPE_FACTS.boolean.bytesPerValue).toBe(1);
    // Text counts 2 bytes plus its length (BigQuery's STRING size); no other type depends on its value.
    const textual = VARIABLE_TYPES.filter((t) => VARIABLE_TYPE_FACTS[t].addsUtf8Length);
    expect(textual).toEqual(['string', 'geography']);
    expect(PARAMETER_TYPES).toEqual(VARIABLE_TYPES.filter((t) => t !== 'geography'));
  });

  it('types variables with the listed types only', () => {
    expect(variableSchema.shape.type).toBe(variableTypeSchema);
  });
});
