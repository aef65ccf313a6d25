import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** A fragment built with hono's auto-escaping `html` template tag. */
export type Fragment = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1d2330;color:#fff;padding:.6rem 1.2rem;display:flex;justify-content:space-between;align-items:center}
header a{color:#cfd8ff}
main{max-width:40rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.35rem;margin-top:0}
code,.code{font-family:ui-monospace,monospace;background:#eef;padding:.1rem .3rem;border-radius:4px}
.code{display:block;font-size:1.2rem;padding:.6rem;word-break:break-all;user-select:all}
button{font:inherit;padding:.45rem 1.1rem;border-radius:6px;border:1px solid #889;background:#fff;cursor:pointer}
button.primary{background:#2a5bd7;color:#fff;border-color:#2a5bd7}
button.danger{color:#b3261e;border-color:#b3261e}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem;border-bottom:1px solid #e2e4ea;vertical-align:top}
.error{color:#b3261e}.notice{background:#eef7ee;padding:.6rem;border-radius:6px}
label{display:block;margin:.25rem 0}input[type=text]{font:inherit;padding:.3rem;width:100%;box-sizing:border-box}
`;

/** Who the header shows as signed in. */
export interface PageUser {
  name: string;
}

/**
 * Renders a complete emulator page. Pages are plain HTML forms (no script) except the `oob:auto` page, so
 * the real click path works in any browser; `extraHead` carries that page's postMessage script.
 */
export function page(
  c: Context,
  opts: {
    title: string;
    user?: PageUser | null;
    body: Fragment;
    status?: 200 | 400 | 403 | 404;
    extraHead?: Fragment;
  },
): Response | Promise<Response> {
  c.header('Cache-Control', 'no-store');
  // Consent pages must not be framed by other sites (clickjacking on the Approve button).
  c.header('X-Frame-Options', 'DENY');
  c.header('Content-Security-Policy', "frame-ancestors 'none'");
  const who = opts.user
    ? html`<span>Signed in as <strong id="signed-in-user">${opts.user.name}</strong> ·
        <form method="post" action="/logout" style="display:inline"><button type="submit">Sign out</button></form></span>`
    : html`<a href="/login">Sign in</a>`;
  return c.html(
    html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${opts.title} · Redivis emulator</title><style>${raw(STYLE)}</style>${opts.extraHead ?? ''}</head>
<body><header><span>Redivis emulator</span>${who}</header>
<main>${opts.body}</main></body></html>`,
    opts.status ?? 200,
  );
}

/** A hidden CSRF field for forms posted back to the emulator. */
export function csrfField(token: string): Fragment {
  return html`<input type="hidden" name="csrf_token" value="${token}">`;
}
