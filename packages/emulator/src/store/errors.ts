/**
 * An operation the stored state does not allow (releasing an unchanged version, a second next version…). The store
 * throws it without knowing about HTTP; the HTTP layer answers it as `400 invalid_request` with this message.
 */
export class InvalidOperationError extends Error {
  override name = 'InvalidOperationError';
}
