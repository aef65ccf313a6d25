import type { DeviceFlowOptions, DeviceVerification, TokenProvider } from '@redivis-ts/core';
import { deviceFlow, oauthOriginOf, resolveBaseUrl } from '@redivis-ts/core';
import { openUrl } from './open-url.js';
import { fileTokenStore } from './token-store.js';

/** The public client id of the official Python client, which the device flow identifies itself with. */
export const REDIVIS_DEVICE_CLIENT_ID = '7YGtYWuQot1TEe0pHB3EPSj5';

/** The scopes the official Python client asks for. */
export const DEFAULT_LOGIN_SCOPES: readonly string[] = ['data.edit', 'organization.write', 'workflow.write'];

/** Options of {@link deviceLogin}: those of core's `deviceFlow`, with terminal defaults. */
export interface DeviceLoginOptions extends Partial<Omit<DeviceFlowOptions, 'oauthOrigin'>> {
  /**
   * Site origin, e.g. `https://redivis.com` (a client's `oauthOrigin`).
   * @defaultValue the origin of `REDIVIS_API_ENDPOINT`, else `https://redivis.com`
   */
  oauthOrigin?: string;
  /** Try to open the browser on the verification page. @defaultValue true */
  openBrowser?: boolean;
  /** Where the instructions are written. @defaultValue `process.stderr` */
  output?: {
    /** Writes one block of text. */
    write(text: string): unknown;
  };
  /** Opens the browser; injectable for other environments. @defaultValue {@link openUrl} */
  open?: (url: string) => Promise<boolean>;
}

/** The lines shown to the user. @internal */
export function verificationMessage(info: DeviceVerification, opened: boolean): string {
  const lines = [
    opened
      ? 'Your browser has been opened to sign in to Redivis. If it did not open, visit:'
      : 'To sign in to Redivis, visit:',
    `  ${info.verificationUriComplete}`,
  ];
  if (info.userCode) lines.push(`and confirm the code ${info.userCode}`);
  lines.push('Waiting for authorization…');
  return `${lines.join('\n')}\n`;
}

/**
 * A device-flow {@link TokenProvider} for terminals, as the official Python client signs in: it prints the
 * verification URL and code to stderr, opens the browser when it can, and keeps the credentials in
 * {@link fileTokenStore} (0600) so later runs reuse and refresh them without asking again.
 *
 * @example
 * ```ts
 * import { createClient } from 'redivis-ts';
 * import { deviceLogin } from '@redivis-ts/node';
 * const redivis = createClient({ tokenProvider: deviceLogin() });
 * ```
 *
 * @param options - Origin, and anything of core's `deviceFlow` options to override.
 */
export function deviceLogin(options: DeviceLoginOptions = {}): TokenProvider {
  const { openBrowser = true, output = process.stderr, open = openUrl, oauthOrigin, ...flow } = options;
  return deviceFlow({
    oauthOrigin: oauthOrigin ?? oauthOriginOf(resolveBaseUrl()),
    clientId: REDIVIS_DEVICE_CLIENT_ID,
    scope: DEFAULT_LOGIN_SCOPES,
    store: fileTokenStore(),
    ...flow,
    onVerification: async (info) => {
      const opened = openBrowser ? await open(info.verificationUriComplete) : false;
      output.write(verificationMessage(info, opened));
      await flow.onVerification?.(info);
    },
  });
}
