import { spawn } from 'node:child_process';

/** The command that opens a URL in the default browser on this platform, or `undefined` when there is none. */
function opener(platform: NodeJS.Platform): { command: string; args: (url: string) => string[] } | undefined {
  if (platform === 'darwin') return { command: 'open', args: (url) => [url] };
  // `start` is a cmd built-in; the empty title argument keeps a quoted URL from being taken as the title.
  if (platform === 'win32') return { command: 'cmd', args: (url) => ['/c', 'start', '""', url] };
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd')
    return { command: 'xdg-open', args: (url) => [url] };
  return undefined;
}

/**
 * Open `url` in the user's browser (`open` on macOS, `xdg-open` on Linux, `start` on Windows). Resolves `true` once
 * the opener started, `false` when it could not (no opener installed, no display, a headless server): callers then
 * rely on the URL they printed. Only `http:` and `https:` URLs are opened; anything else is refused, so a URL
 * from a server can never start a local program.
 *
 * @param url - The page to open.
 */
export function openUrl(url: string): Promise<boolean> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return Promise.resolve(false);
  const how = opener(process.platform);
  if (!how) return Promise.resolve(false);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(how.command, how.args(parsed.href), { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
