/**
 * Awaits a promise that must reject and returns the rejection reason, typed loosely so tests can inspect any
 * error field. Fails when the promise resolves.
 */
// biome-ignore lint/suspicious/noExplicitAny: tests look at arbitrary fields of whatever was thrown.
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
