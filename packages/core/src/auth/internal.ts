// Small helpers shared by the OAuth flows; not exported from the package.
import { splitScope } from './jwt.js';

export { sleep } from '../wait/sleep.js';

/** Rejects with the signal's reason (an `AbortError` DOMException by default) when it is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/** The union of scope lists, in first-seen order. */
export function unionScopes(...lists: (readonly string[] | undefined)[]): string[] {
  return [...new Set(lists.flatMap((l) => l ?? []))];
}

/** Strips the query string and fragment so URLs in errors never carry codes or tokens. */
export function stripQuery(url: string): string {
  return url.replace(/[?#].*$/, '');
}

/** Normalises a scope option to a list. */
export function scopeList(scope: string | readonly string[]): string[] {
  return typeof scope === 'string' ? splitScope(scope) : [...scope];
}

/** `globalThis.fetch`, looked up per call so it is never invoked detached from `window` in browsers. */
export const defaultFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
