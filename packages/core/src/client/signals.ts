/**
 * A signal that aborts when any of `signals` does, with that signal's reason. Uses `AbortSignal.any` where it
 * exists (Node 20.3+, current browsers) and links listeners otherwise.
 *
 * @param signals - Signals to combine; `undefined` entries are skipped.
 */
export function anySignal(signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(present);
  const controller = new AbortController();
  for (const signal of present) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
