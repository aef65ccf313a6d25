import { describe, expect, it, vi } from 'vitest';
import {
  BadRequestError,
  ConflictError,
  errorFromResponse,
  ForbiddenError,
  InsufficientScopeError,
  isRedivisError,
  NotFoundError,
  parseRetryAfter,
  RateLimitError,
  RedivisError,
  requestIdFromHeaders,
  ServerError,
  UnauthorizedError,
} from '../src/errors/index.js';

describe('errorFromResponse', () => {
  it('maps each status to its class', () => {
    const cases: [number, new (...args: never[]) => RedivisError][] = [
      [400, BadRequestError],
      [401, UnauthorizedError],
      [403, ForbiddenError],
      [404, NotFoundError],
      [409, ConflictError],
      [429, RateLimitError],
      [500, ServerError],
      [503, ServerError],
    ];
    for (const [status, cls] of cases) {
      const error = errorFromResponse(status, '', {});
      expect(error).toBeInstanceOf(cls);
      expect(error.status).toBe(status);
    }
    const gone = errorFromResponse(410, '', {});
    expect(gone.constructor).toBe(RedivisError);
    expect(gone.description).toBe('Gone');
  });

  it('parses the OAuth-style body', () => {
    const body = JSON.stringify({
      error: 'insufficient_scope',
      error_description: 'Needs data access',
      status: 403,
      scope: 'data.data data.edit',
      amr_values: ['mfa'],
    });
    const error = errorFromResponse(403, body, {});
    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect(error).toBeInstanceOf(ForbiddenError);
    const scoped = error as InsufficientScopeError;
    expect(scoped.scope).toEqual(['data.data', 'data.edit']);
    expect(scoped.amrValues).toEqual(['mfa']);
    expect(scoped.code).toBe('insufficient_scope');
    expect(scoped.description).toBe('Needs data access');
    expect(scoped.message).toBe('[403 insufficient_scope] Needs data access');
  });

  it('parses the nested {error: {message, status}} shape', () => {
    const error = errorFromResponse(404, '{"error":{"message":"Dataset not found","status":404}}', {});
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.description).toBe('Dataset not found');
    expect(error.code).toBeUndefined();
    expect(error.message).toBe('[404] Dataset not found');
  });

  it('takes the status from the body when the HTTP status is unknown', () => {
    expect(errorFromResponse(0, '{"error":"not_found","error_description":"x","status":404}')).toBeInstanceOf(
      NotFoundError,
    );
    expect(errorFromResponse(0, '{"error":{"message":"x","status":409}}')).toBeInstanceOf(ConflictError);
  });

  it('reads the URL-encoded X-Redivis-Error-Payload header when the body is empty (HEAD)', () => {
    const payload = encodeURIComponent(
      JSON.stringify({ error: 'not_found', error_description: 'No such table', status: 404 }),
    );
    const error = errorFromResponse(404, '', { 'X-Redivis-Error-Payload': payload });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe('not_found');
    expect(error.description).toBe('No such table');
  });

  it('falls back to the raw text for non-JSON bodies, and to the reason phrase for empty ones', () => {
    const error = errorFromResponse(502, '<html>Bad gateway from proxy</html>', {});
    expect(error).toBeInstanceOf(ServerError);
    expect(error.description).toBe('<html>Bad gateway from proxy</html>');
    expect(errorFromResponse(500, '   ', {}).description).toBe('Internal Server Error');
    expect(errorFromResponse(418, '', {}).description).toBe('HTTP 418');
    expect(errorFromResponse(400, '"just a string"', {}).description).toBe('just a string');
    expect(errorFromResponse(400, '{"message":"plain message"}', {}).description).toBe('plain message');
  });

  it('truncates huge bodies', () => {
    expect(errorFromResponse(500, 'x'.repeat(10_000), {}).description.length).toBeLessThan(2100);
  });

  it('carries Retry-After on 429 and the request id', () => {
    const error = errorFromResponse(429, '{"error":"rate_limit_exceeded","error_description":"slow down"}', {
      'Retry-After': '7',
      'X-Request-Id': 'req-123',
    }) as RateLimitError;
    expect(error.retryAfterMs).toBe(7000);
    expect(error.requestId).toBe('req-123');
  });
});

describe('requestIdFromHeaders', () => {
  it('prefers x-request-id and reads the trace id of x-cloud-trace-context', () => {
    expect(requestIdFromHeaders(new Headers({ 'x-cloud-trace-context': 'abc123/456;o=1' }))).toBe('abc123');
    expect(
      requestIdFromHeaders(new Headers({ 'x-cloud-trace-context': 'abc/1', 'x-request-id': 'r1' })),
    ).toBe('r1');
    expect(requestIdFromHeaders(new Headers())).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('accepts delta-seconds and HTTP-dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('isRedivisError', () => {
  it('recognises errors from a second copy of the module', async () => {
    // A fresh module registry loads every errors/ file again: a duplicate copy of the package.
    vi.resetModules();
    const copy = await import('../src/errors/index.js');
    const foreign = new copy.NotFoundError({ description: 'elsewhere' });
    expect(copy.NotFoundError).not.toBe(NotFoundError);
    expect(foreign instanceof RedivisError).toBe(false);
    expect(isRedivisError(foreign)).toBe(true);
    expect(copy.isRedivisError(new BadRequestError({ description: 'here' }))).toBe(true);
  });

  it('rejects look-alikes', () => {
    expect(isRedivisError(new Error('x'))).toBe(false);
    expect(isRedivisError({ name: 'RedivisError', message: 'x' })).toBe(false);
    expect(isRedivisError(null)).toBe(false);
    expect(isRedivisError('RedivisError')).toBe(false);
  });
});
