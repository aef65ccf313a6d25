/**
 * Waiting for long-running jobs: {@link waitFor} with delay bounds, jitter, maximum wait, abort and explicit
 * terminal states.
 *
 * @module
 */
export { sleep } from './sleep.js';
export { pollDelay, type WaitForOptions, waitFor } from './wait-for.js';
