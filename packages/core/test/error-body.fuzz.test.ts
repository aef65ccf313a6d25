import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ConflictError,
  errorFromResponse,
  ForbiddenError,
  isRedivisError,
  NotFoundError,
  parseErrorBody,
  parseRetryAfter,
  RateLimitError,
  ServerError,
  UnauthorizedError,
} from '../src/errors/index.js';

/** A token shaped like the ones the emulator and redivis.com issue (`rdv_` + base64url, or a JWT-ish string). */
const token = fc.oneof(
  fc.stringMatching(/^rdv_[A-Za-z0-9_-]{20,43}$/),
  fc.stringMatching(/^eyJ[A-Za-z0-9_-]{10,30}\.[A-Za-z0-9_-]{10,30}\.[A-Za-z0-9_-]{10,30}$/),
);

/** JSON values of the shapes error bodies take, plus arbitrary junk inside them. */
const anyJson = fc.jsonValue({ maxDepth: 3 });
const errorShape = (secret: string) =>
  fc.oneof(
    fc.record(
      {
        error: fc.oneof(fc.string(), fc.constant('insufficient_scope'), anyJson),
        error_description: fc.oneof(fc.string(), fc.constant(`bad token ${secret}`), anyJson),
        status: fc.oneof(fc.integer({ min: -5, max: 700 }), fc.string(), anyJson),
        scope: fc.oneof(fc.string(), fc.array(fc.oneof(fc.string(), anyJson)), anyJson),
        amr_values: fc.oneof(fc.array(fc.string()), anyJson),
        message: fc.oneof(fc.string(), fc.constant(`Authorization: Bearer ${secret}`)),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        error: fc.record(
          {
            message: fc.oneof(fc.string(), fc.constant(`echo ${secret}`)),
            code: fc.oneof(fc.string(), anyJson),
            reason: fc.oneof(fc.string(), anyJson),
            status: fc.oneof(fc.integer(), fc.string(), anyJson),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
    anyJson,
  );

/** Body text: JSON of an error shape, that JSON cut at a random point, or arbitrary text with the secret inside. */
const bodyText = (secret: string) =>
  fc.oneof(
    errorShape(secret).map((v) => JSON.stringify(v) ?? ''),
    fc.tuple(errorShape(secret), fc.nat()).map(([v, cut]) => {
      const text = JSON.stringify(v) ?? '';
      return text.slice(0, cut % (text.length + 1));
    }),
    fc
      .tuple(fc.string({ maxLength: 2500 }), fc.string({ maxLength: 100 }))
      .map(([before, after]) => `${before}${secret}${after}`),
    fc.string({ unit: 'binary', maxLength: 300 }),
  );

const statusCode = fc.oneof(
  fc.constantFrom(0, 400, 401, 403, 404, 409, 413, 416, 429, 500, 502, 503),
  fc.integer({ min: 0, max: 999 }),
);

const CLASSES: Record<number, new (...args: never[]) => Error> = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
};

describe('error bodies of any shape', () => {
  it('parseErrorBody never throws and only reports statuses that are HTTP statuses', () => {
    fc.assert(
      fc.property(
        token.chain((t) => bodyText(t)),
        (text) => {
          const parsed = parseErrorBody(text);
          if (parsed.status !== undefined) {
            expect(Number.isInteger(parsed.status)).toBe(true);
            expect(parsed.status).toBeGreaterThanOrEqual(100);
            expect(parsed.status).toBeLessThanOrEqual(599);
          }
          for (const list of [parsed.scope, parsed.amrValues]) {
            if (list) expect(list.every((s) => typeof s === 'string')).toBe(true);
          }
          if (parsed.code !== undefined) expect(typeof parsed.code).toBe('string');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('errorFromResponse always returns the typed error for the status, with no trace of the token', () => {
    fc.assert(
      fc.property(
        token.chain((secret) =>
          fc.record({
            secret: fc.constant(secret),
            status: statusCode,
            body: bodyText(secret),
            asHeader: fc.boolean(),
            retryAfter: fc.oneof(
              fc.string(),
              fc.nat().map(String),
              fc.constant('Wed, 21 Oct 2015 07:28:00 GMT'),
            ),
            requestId: fc.oneof(fc.string(), fc.constant(secret)),
          }),
        ),
        ({ secret, status, body, asHeader, retryAfter, requestId }) => {
          const headers: Record<string, string> = { 'retry-after': retryAfter };
          if (asHeader) headers['x-redivis-error-payload'] = encodeURIComponent(body);
          const error = errorFromResponse(status, asHeader ? '' : body, headers, {
            method: 'GET',
            url: `https://redivis.com/api/v1/tables/x?access_token=${secret}`,
            secrets: [secret],
            cause: new Error(`socket said ${secret}`),
          });
          expect(isRedivisError(error)).toBe(true);
          const effective = error.status ?? 0;
          const expected = CLASSES[effective];
          if (expected && !(effective === 403 && error.code === 'insufficient_scope')) {
            expect(error).toBeInstanceOf(expected);
          }
          if (effective >= 500) expect(error).toBeInstanceOf(ServerError);
          if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
            expect(error.retryAfterMs).toBeGreaterThanOrEqual(0);
          }
          // The request id header is the server's text; everything the client composes must be token-free.
          const { requestId: _id, ...rest } = error.toJSON();
          for (const text of [error.message, error.description, JSON.stringify(rest), String(error.url)]) {
            expect(text).not.toContain(secret);
          }
          expect(inspect(error.body, { depth: 10 })).not.toContain(secret);
          expect(String((error.cause as Error | undefined)?.message)).not.toContain(secret);
          void requestId;
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a token straddling the description cut is not left half-visible', () => {
    fc.assert(
      fc.property(token, fc.integer({ min: 1900, max: 2050 }), (secret, at) => {
        const body = JSON.stringify({ error: 'x', error_description: `${'a'.repeat(at)}${secret} tail` });
        const error = errorFromResponse(400, body, {}, { secrets: [secret] });
        // Neither the whole token nor its first 12 characters may survive.
        expect(error.message).not.toContain(secret.slice(0, 12));
      }),
      { numRuns: 200 },
    );
  });

  it('parseRetryAfter is never negative nor NaN', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.double().map(String),
          fc.date().map((d) => d.toUTCString()),
        ),
        (v) => {
          const ms = parseRetryAfter(v, 1_700_000_000_000);
          if (ms !== undefined) {
            expect(Number.isNaN(ms)).toBe(false);
            expect(ms).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
