import type { AuthInfo } from '../auth/request.js';
import type { RequestFaults } from '../faults/injector.js';

/** Hono environment of every emulator app and route module: `c.get('auth')` is set by the auth middleware. */
export interface AppEnv {
  Variables: {
    auth: AuthInfo;
    /** Faults injected into this request (set only when fault injection is on and a rule matched). */
    faults?: RequestFaults;
    /** Set by `faultedRequestBody` when it cut the body: the connection is dropped after the handler. */
    faultCutRequest?: boolean;
  };
}
