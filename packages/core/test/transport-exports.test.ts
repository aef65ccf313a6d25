import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';

describe('public surface of the transport (contract names)', () => {
  it('exports the client, errors, pagination and wait names from the package root', () => {
    const names = [
      'createTransport',
      'RedivisError',
      'BadRequestError',
      'UnauthorizedError',
      'ForbiddenError',
      'InsufficientScopeError',
      'NotFoundError',
      'ConflictError',
      'RateLimitError',
      'ServerError',
      'NetworkError',
      'TimeoutError',
      'ResponseValidationError',
      'InvalidReferenceError',
      'JobFailedError',
      'WaitTimeoutError',
      'isRedivisError',
      'errorFromResponse',
      'paginate',
      'waitFor',
    ];
    for (const name of names) expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
  });

  it('keeps the subclass chain', () => {
    const error = new core.InsufficientScopeError({ description: 'x', scope: ['a'] });
    expect(error).toBeInstanceOf(core.ForbiddenError);
    expect(error).toBeInstanceOf(core.RedivisError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InsufficientScopeError');
    expect(core.isRedivisError(error)).toBe(true);
  });
});
