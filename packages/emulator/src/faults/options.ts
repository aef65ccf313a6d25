import { z } from 'zod';

/** Most requests one rule may fault; keeps a header from arming an unbounded plan. */
const MAX_TIMES = 1_000_000;
/** Longest injected latency (ms): long enough for timeout tests, short enough that a typo cannot hang a suite. */
const MAX_LATENCY_MS = 120_000;

/**
 * One fault rule: which requests it hits and what happens to them. Every effect is optional; a rule with several
 * effects applies them all (latency first, then the status, else the body cut).
 */
export const faultRuleSchema = z
  .object({
    /**
     * Requests the rule hits: `[METHOD ]/path/pattern`, the path relative to `/api/v1` (or from the site root for
     * routes outside the API), `*` matching one path segment and `**` any number of them, e.g.
     * `GET /readStreams/*`, `/tables/**`. Omitted: every request (option rules) or the request's own method and path
     * (header rules).
     */
    route: z.string().min(1).max(500).optional(),
    /** How many matching requests the rule applies to before it is spent. Omitted: unlimited (header rules: 1). */
    times: z.number().int().min(1).max(MAX_TIMES).optional(),
    /** Delay before the request is handled, in milliseconds. */
    latencyMs: z.number().int().min(0).max(MAX_LATENCY_MS).optional(),
    /** Answer with this status instead of handling the request (`429` carries `Retry-After`). */
    status: z.union([z.literal(429), z.literal(503)]).optional(),
    /** `Retry-After` of an injected 429/503, in seconds. @default 1 */
    retryAfterSec: z.number().int().min(0).max(86_400).optional(),
    /** Send only this many bytes of the response body, then drop the connection. */
    dropAfterBytes: z.number().int().min(0).optional(),
    /** Read only this many bytes of an upload chunk's body, store them, then drop the connection. */
    cutUploadChunkAfterBytes: z.number().int().min(0).optional(),
    /** Fail the processing of an upload created by the request; a string is the upload's error message. */
    failUploadProcessing: z.union([z.boolean(), z.string().min(1).max(1000)]).optional(),
  })
  .strict();

/** One fault rule: which requests it hits (`route`, `times`) and what happens to them (the other fields). */
export type FaultRule = z.infer<typeof faultRuleSchema>;

/** Fault injection settings of {@link startEmulator}. Off unless `enabled` is true or `rules` are given. */
export interface FaultOptions {
  /** Turns fault injection on, which also makes the emulator honour the `X-Redivis-Emulator-Fault` header. */
  enabled?: boolean;
  /** Rules applied to every matching request for the emulator's lifetime (counts start afresh on each start). */
  rules?: FaultRule[];
}

/** {@link FaultOptions} validated, with the defaults applied. */
export interface ResolvedFaultOptions {
  enabled: boolean;
  rules: FaultRule[];
}

/** Request header carrying per-request fault rules: one rule or an array of rules, as JSON. */
export const FAULT_HEADER = 'X-Redivis-Emulator-Fault';

/** Validates {@link FaultOptions}; a bad rule is a RangeError naming the field (startEmulator's error type). */
export function resolveFaultOptions(options: FaultOptions | undefined): ResolvedFaultOptions {
  const rules = options?.rules ?? [];
  if (!Array.isArray(rules)) throw new RangeError('faults.rules must be an array of fault rules');
  const parsed = rules.map((rule, i) => {
    const result = faultRuleSchema.safeParse(rule);
    if (!result.success) throw new RangeError(`faults.rules[${i}]: ${describeIssues(result.error)}`);
    return result.data;
  });
  return { enabled: options?.enabled === true || parsed.length > 0, rules: parsed };
}

/** Parses the header's JSON (one rule or up to 20 rules); the message names the problem. */
export function parseFaultHeader(value: string): FaultRule[] | string {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return `${FAULT_HEADER} must be a JSON fault rule or an array of them`;
  }
  // Parsed by shape rather than through a union, so the message names the field that is wrong.
  const result = Array.isArray(json)
    ? z.array(faultRuleSchema).max(20).safeParse(json)
    : faultRuleSchema.transform((rule) => [rule]).safeParse(json);
  if (!result.success) return `${FAULT_HEADER}: ${describeIssues(result.error)}`;
  return result.data;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
