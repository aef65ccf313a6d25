import type { AuthorizationResult, AuthorizeContext } from './authorization-code.js';
import { OAuthAccessDeniedError, OAuthError } from './errors.js';

/** Options of {@link popupAuthorize}. */
export interface PopupAuthorizeOptions {
  /** `window.open` features. @default 'width=600,height=700' */
  features?: string;
  /** Window name, so a second flow reuses the popup. @default 'redivis_oauth' */
  name?: string;
}

function parseMessage(data: unknown): Partial<AuthorizationResult> & { error?: string } {
  let value = data;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  return value !== null && typeof value === 'object' ? (value as Record<string, string>) : {};
}

/**
 * A browser `authorize` callback for {@link authorizationCodeFlow} with redirect URI
 * `urn:ietf:wg:oauth:2.0:oob:auto`, as the official JavaScript client does it: opens the authorize URL in a popup
 * and waits for the page to `postMessage` the JSON string `{"code", "state"}` to its opener. Messages from other
 * origins or with another `state` are ignored. Call it from a user gesture (a click), or browsers block the popup.
 *
 * @throws OAuthError (code `popup_blocked`) when the popup cannot open; OAuthAccessDeniedError when the user closes
 * it or the page reports an error.
 */
export function popupAuthorize(
  options: PopupAuthorizeOptions = {},
): (url: string, context: AuthorizeContext) => Promise<AuthorizationResult> {
  return (url, context) =>
    new Promise<AuthorizationResult>((resolve, reject) => {
      const origin = new URL(url).origin;
      const popup = globalThis.open?.(
        url,
        options.name ?? 'redivis_oauth',
        options.features ?? 'width=600,height=700',
      );
      if (!popup) {
        reject(new OAuthError('popup_blocked', 'The browser blocked the authorization popup.'));
        return;
      }
      const cleanup = () => {
        globalThis.removeEventListener('message', onMessage);
        context.signal?.removeEventListener('abort', onAbort);
        clearInterval(closedCheck);
      };
      const onMessage = (event: MessageEvent) => {
        if (event.origin !== origin) return;
        const message = parseMessage(event.data);
        if (message.state !== context.state) return;
        cleanup();
        popup.close();
        if (typeof message.code === 'string') resolve({ code: message.code, state: message.state });
        else
          reject(
            new OAuthAccessDeniedError(message.error ?? 'access_denied', 'Authorization was not granted.'),
          );
      };
      const onAbort = () => {
        cleanup();
        popup.close();
        reject(context.signal?.reason);
      };
      // A closed popup never posts; polling `closed` is the only portable way to notice.
      const closedCheck = setInterval(() => {
        if (!popup.closed) return;
        cleanup();
        reject(new OAuthAccessDeniedError('access_denied', 'The authorization window was closed.'));
      }, 500);
      globalThis.addEventListener('message', onMessage);
      context.signal?.addEventListener('abort', onAbort, { once: true });
    });
}
