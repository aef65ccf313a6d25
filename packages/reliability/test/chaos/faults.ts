import type { Prng } from '../helpers/prng.js';

/** One emulator fault rule (packages/emulator README, Fault injection), always with a route and a count. */
export interface Rule {
  route: string;
  times: number;
  latencyMs?: number;
  status?: 429 | 503;
  retryAfterSec?: number;
  dropAfterBytes?: number;
  cutUploadChunkAfterBytes?: number;
  failUploadProcessing?: boolean | string;
}

/** The kinds of fault the suite injects, for the figures. */
export type FaultKind =
  | 'none'
  | 'cut'
  | '429'
  | '503'
  | 'latency'
  | 'chunkCut'
  | 'processingFailed'
  | 'clientKill';

/** A fault chosen for a run: its kind and the rules that make it. */
export interface Fault {
  kind: FaultKind;
  rules: Rule[];
}

/** Transient faults any request may meet: bursts of 429 with Retry-After, 503, latency. */
export function transientFault(rng: Prng, routes: readonly string[]): Fault {
  const route = rng.pick(routes);
  const kind = rng.pick(['none', '429', '503', 'latency'] as const);
  if (kind === 'none') return { kind, rules: [] };
  if (kind === 'latency')
    return { kind, rules: [{ route, times: rng.int(1, 3), latencyMs: rng.int(20, 400) }] };
  // Retry-After is mostly 0 so that 500 runs fit in minutes; sometimes 1 s, to exercise the wait.
  const retryAfterSec = rng.next() < 0.85 ? 0 : 1;
  return {
    kind,
    rules: [{ route, times: rng.int(1, 3), status: kind === '429' ? 429 : 503, retryAfterSec }],
  };
}

/** A response body cut at a random byte, or a transient fault. */
export function readFault(
  rng: Prng,
  bodyRoute: string,
  otherRoutes: readonly string[],
  maxByte: number,
): Fault {
  if (rng.next() < 0.5) {
    return {
      kind: 'cut',
      rules: [{ route: bodyRoute, times: rng.int(1, 2), dropAfterBytes: rng.int(0, maxByte) }],
    };
  }
  return transientFault(rng, [bodyRoute, ...otherRoutes]);
}

/**
 * Turns the path pattern of a rule into a path that matches it and names nothing (`*` → `x`), so that sending it
 * consumes one use of the rule without touching data: what a run did not consume is drained before the next run,
 * and every run starts from no armed fault (a failing seed replays alone).
 */
export function probeFor(rule: Rule): { method: string; path: string } {
  const [method, path] = rule.route.split(' ') as [string, string];
  return { method, path: path.replace(/\*\*?/g, 'chaos_probe') };
}
