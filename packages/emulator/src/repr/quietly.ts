import { ApiError } from '../http/errors.js';

/** A reference resolved for display only: a source that vanished shows as null rather than failing the call. */
export async function quietly<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null;
    throw error;
  }
}
