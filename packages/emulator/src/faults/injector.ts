import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FaultRule, faultRuleSchema, type ResolvedFaultOptions } from './options.js';

/** What the faults matching one request ask for (merged over every matching rule). */
export interface RequestFaults {
  /** Delay before handling, ms (the longest of the matching rules). */
  latencyMs: number;
  /** Injected status instead of handling the request. */
  status?: 429 | 503;
  /** `Retry-After` seconds of the injected status. */
  retryAfterSec: number;
  /** Response body bytes sent before the connection is dropped (the smallest of the matching rules). */
  dropAfterBytes?: number;
  /** Upload chunk bytes accepted before the connection is dropped (read through `faultedRequestBody`). */
  cutUploadChunkAfterBytes?: number;
  /** Error message the processing of an upload created by this request fails with. */
  failUploadProcessing?: string;
}

/** A request a fault was applied to (kept for tests and debugging; the last 1,000). */
export interface AppliedFault {
  method: string;
  /** Path relative to `/api/v1`, query string excluded. */
  path: string;
  faults: RequestFaults;
}

const HISTORY_LIMIT = 1_000;

/** A compiled route pattern: optional method, path segments where `*` is one segment and `**` any number. */
interface RouteMatcher {
  method?: string;
  segments: string[];
}

interface ActiveRule {
  rule: FaultRule;
  matcher: RouteMatcher | null;
  /** Requests left; `Infinity` for rules without `times`. */
  remaining: number;
  /** Armed by a request header (persisted in the data dir so a restart keeps the plan). */
  armed: boolean;
}

/** File in the data dir holding the header-armed rules and their remaining counts. */
export const FAULT_STATE_FILE = 'emulator-faults.json';

const DEFAULT_UPLOAD_FAILURE = 'Upload processing failed (injected fault)';

/** Compiles `[METHOD ]/a/*\/**` into a matcher; malformed patterns are a RangeError. */
export function compileRoute(route: string): RouteMatcher {
  const m = /^(?:([A-Za-z]+)\s+)?(\/\S*)$/.exec(route.trim());
  if (!m) throw new RangeError(`Fault route "${route}" must look like "GET /tables/*/rows"`);
  const path = (m[2] as string).replace(/^\/api\/v1(?=\/|$)/, '') || '/';
  return {
    ...(m[1] ? { method: m[1].toUpperCase() } : {}),
    segments: path.split('/').filter((s) => s !== ''),
  };
}

function matchSegments(pattern: readonly string[], path: readonly string[], pi = 0, si = 0): boolean {
  for (; pi < pattern.length; pi++, si++) {
    const p = pattern[pi];
    if (p === '**') {
      for (let k = si; k <= path.length; k++) if (matchSegments(pattern, path, pi + 1, k)) return true;
      return false;
    }
    if (si >= path.length || (p !== '*' && p !== path[si])) return false;
  }
  return si === path.length;
}

function matches(matcher: RouteMatcher | null, method: string, segments: readonly string[]): boolean {
  if (matcher === null) return true;
  if (matcher.method && matcher.method !== method && !(matcher.method === 'GET' && method === 'HEAD')) {
    return false;
  }
  return matchSegments(matcher.segments, segments);
}

/** The path of a request relative to `/api/v1`, as segments (undecoded, as the client sent them). */
export function pathSegments(pathname: string): string[] {
  return pathname
    .replace(/^\/api\/v1(?=\/|$)/, '')
    .split('/')
    .filter((s) => s !== '');
}

/**
 * Holds the fault rules of one emulator: those of the options (for its lifetime) and those armed by request headers
 * (persisted in the data dir, so a restarted emulator on the same data dir finishes the plan). Matching a request
 * consumes one use of every rule it matches.
 */
export class FaultInjector {
  readonly enabled: boolean;
  /** The requests faults were applied to, oldest first (bounded). */
  readonly applied: AppliedFault[] = [];
  readonly #rules: ActiveRule[];
  readonly #stateFile: string;

  constructor(options: ResolvedFaultOptions, dataDir: string) {
    this.enabled = options.enabled;
    this.#stateFile = join(dataDir, FAULT_STATE_FILE);
    this.#rules = options.rules.map((rule) => ({
      rule,
      matcher: rule.route === undefined ? null : compileRoute(rule.route),
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
      armed: false,
    }));
    if (this.enabled) this.#rules.push(...this.#loadArmed());
  }

  /**
   * Arms rules from a request header: a rule without `route` targets the request's own method and path, and
   * without `times` applies once. The current request counts as the first use.
   */
  arm(rules: readonly FaultRule[], method: string, pathname: string): void {
    for (const rule of rules) {
      const route = rule.route ?? `${method} /${pathSegments(pathname).join('/')}`;
      this.#rules.push({
        rule: { ...rule, route },
        matcher: compileRoute(route),
        remaining: rule.times ?? 1,
        armed: true,
      });
    }
    this.#saveArmed();
  }

  /** The faults for one request, consuming one use of each matching rule; undefined when none match. */
  take(method: string, pathname: string): RequestFaults | undefined {
    if (!this.enabled) return undefined;
    const segments = pathSegments(pathname);
    let faults: RequestFaults | undefined;
    let armedChanged = false;
    for (const active of this.#rules) {
      if (active.remaining <= 0 || !matches(active.matcher, method, segments)) continue;
      active.remaining -= 1;
      if (active.armed) armedChanged = true;
      faults = merge(faults ?? { latencyMs: 0, retryAfterSec: 1 }, active.rule);
    }
    if (armedChanged) {
      for (let i = this.#rules.length - 1; i >= 0; i--) {
        const r = this.#rules[i] as ActiveRule;
        if (r.armed && r.remaining <= 0) this.#rules.splice(i, 1);
      }
      this.#saveArmed();
    }
    if (faults) {
      this.applied.push({ method, path: `/${segments.join('/')}`, faults });
      if (this.applied.length > HISTORY_LIMIT) this.applied.shift();
    }
    return faults;
  }

  #loadArmed(): ActiveRule[] {
    let saved: unknown;
    try {
      saved = JSON.parse(readFileSync(this.#stateFile, 'utf8'));
    } catch {
      return [];
    }
    if (!Array.isArray(saved)) return [];
    const out: ActiveRule[] = [];
    for (const entry of saved) {
      const rule = faultRuleSchema.safeParse((entry as { rule?: unknown })?.rule);
      const remaining = (entry as { remaining?: unknown })?.remaining;
      if (!rule.success || rule.data.route === undefined || typeof remaining !== 'number' || remaining <= 0)
        continue;
      out.push({ rule: rule.data, matcher: compileRoute(rule.data.route), remaining, armed: true });
    }
    return out;
  }

  #saveArmed(): void {
    const armed = this.#rules.filter((r) => r.armed && r.remaining > 0);
    if (armed.length === 0) {
      rmSync(this.#stateFile, { force: true });
      return;
    }
    // Written whole and renamed into place, so a crash never leaves a half-written plan.
    const tmp = `${this.#stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(armed.map((r) => ({ rule: r.rule, remaining: r.remaining }))));
    renameSync(tmp, this.#stateFile);
  }
}

function merge(into: RequestFaults, rule: FaultRule): RequestFaults {
  const out = { ...into };
  if (rule.latencyMs !== undefined) out.latencyMs = Math.max(out.latencyMs, rule.latencyMs);
  if (rule.status !== undefined && out.status === undefined) {
    out.status = rule.status;
    out.retryAfterSec = rule.retryAfterSec ?? 1;
  }
  if (rule.dropAfterBytes !== undefined)
    out.dropAfterBytes = Math.min(out.dropAfterBytes ?? Infinity, rule.dropAfterBytes);
  if (rule.cutUploadChunkAfterBytes !== undefined) {
    out.cutUploadChunkAfterBytes = Math.min(
      out.cutUploadChunkAfterBytes ?? Infinity,
      rule.cutUploadChunkAfterBytes,
    );
  }
  if (rule.failUploadProcessing !== undefined && rule.failUploadProcessing !== false) {
    out.failUploadProcessing =
      typeof rule.failUploadProcessing === 'string' ? rule.failUploadProcessing : DEFAULT_UPLOAD_FAILURE;
  }
  return out;
}
