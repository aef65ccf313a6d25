import type { AuthInfo } from '../auth/request.js';
import type { RequestFaults } from '../faults/injector.js';

/**
 * Hono environment of every emulator app and route module: `c.get('auth')` is set by the auth middleware;
 * `bodyLimit` is a route's own body limit in bytes (set by `allowBody`; unset means the JSON default).
 */
export interface AppEnv {
  Variables: {
    auth: AuthInfo;
    /** Faults injected into this request (set only when fault injection is on and a rule matched). */
    faults?: RequestFaults;
    /** Set by `faultedRequestBody` when it cut the body: the connection is dropped after the handler. */
    faultCutRequest?: boolean;
    /** This route's body limit in bytes (set by `allowBody`; unset: the JSON default). */
    bodyLimit?: number;
  };
}
