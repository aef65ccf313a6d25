import { CookieClient, inputValue } from '../../../emulator/test/oauth-helpers.js';
import type { Prng } from '../helpers/prng.js';
import { type Api, type CrashAction, csvRows, dropped, tableFigures, waitUpload } from './actions.js';

function fail(message: string): never {
  throw new Error(message);
}

/** Swallows the network error of a request the kill cut; anything else still throws. */
async function tolerate<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (e) {
    if (dropped(e)) return undefined;
    throw e;
  }
}

async function freshDataset(api: Api, name: string): Promise<string> {
  const ds = await api('/organizations/demo/datasets', { json: { name, publicAccessLevel: 'none' } });
  if (ds.status !== 201) fail(`create dataset ${name}: ${ds.status} ${JSON.stringify(ds.body)}`);
  const t = await api(`/datasets/demo.${name}:next/tables`, { json: { name: 't' } });
  if (t.status !== 201) fail(`create table: ${t.status} ${JSON.stringify(t.body)}`);
  return `demo.${name}:next.t`;
}

function multipart(csv: string): FormData {
  const form = new FormData();
  form.append('metadata', new Blob([JSON.stringify({ name: 'data.csv', type: 'delimited' })]), 'metadata');
  form.append('data', new Blob([csv]), 'data.csv');
  return form;
}

/** An upload killed while its body arrives or while it is processed. */
function uploadAction(rng: Prng, name: string): CrashAction {
  const data = csvRows(rng, rng.int(1_000, 40_000));
  let table = '';
  let uri: string | undefined;
  let completed = false;
  return {
    name: `upload of ${data.n} rows`,
    prepare: async (api) => {
      table = await freshDataset(api, name);
    },
    start: async (api) => {
      const r = await tolerate(api(`/tables/${table}/uploads`, { body: multipart(data.csv) }));
      if (r?.status !== 201) return;
      uri = r.body.uri;
      const done = await tolerate(waitUpload(api, r.body.uri));
      completed = done?.status === 'completed';
    },
    check: async (api) => {
      const figures = await tableFigures(api, table);
      if (uri) {
        const up = await waitUpload(api, uri);
        if (completed && up.status !== 'completed') fail(`a completed upload came back ${up.status}`);
        if (up.status === 'failed' && figures.n !== 0) fail(`a failed upload left ${figures.n} rows`);
        if (up.status === 'completed' && (figures.n !== data.n || figures.sum !== data.sum)) {
          fail(`completed upload: ${figures.n} rows (sum ${figures.sum}), want ${data.n} (${data.sum})`);
        }
      } else if (figures.n !== 0 && figures.n !== data.n)
        fail(`an unacknowledged upload left ${figures.n} rows`);
    },
  };
}

/** A resumable temp upload killed mid-chunk: what a 308 acknowledged stays, and the client can resume. */
function resumableAction(rng: Prng, name: string): CrashAction {
  const data = csvRows(rng, rng.int(20_000, 60_000));
  const bytes = new TextEncoder().encode(data.csv);
  const chunk = 64 * 1024;
  let table = '';
  let session = '';
  let tempId = '';
  let acked = 0;
  return {
    name: `resumable upload of ${bytes.length} bytes`,
    prepare: async (api) => {
      table = await freshDataset(api, name);
      const t = await api(`/tables/${table}/tempUploads`, {
        json: { tempUploads: [{ size: bytes.length, name: 'data.csv', resumable: true }] },
      });
      if (t.status !== 201) fail(`tempUploads: ${t.status} ${JSON.stringify(t.body)}`);
      tempId = t.body.results[0].id;
      const s = await fetch(t.body.results[0].url, {
        method: 'POST',
        headers: { 'x-goog-resumable': 'start' },
      });
      session = s.headers.get('location') ?? fail(`no Location (${s.status})`);
    },
    start: async () => {
      for (let at = 0; at < bytes.length; at += chunk) {
        const end = Math.min(at + chunk, bytes.length) - 1;
        const r = await tolerate(
          fetch(session, {
            method: 'PUT',
            headers: { 'Content-Range': `bytes ${at}-${end}/${bytes.length}` },
            body: bytes.subarray(at, end + 1),
          }),
        );
        if (!r) return;
        if (r.status === 308)
          acked = Number(/bytes=0-(\d+)/.exec(r.headers.get('range') ?? '')?.[1] ?? -1) + 1;
        else if (r.status === 200 || r.status === 201) acked = bytes.length;
        else return;
      }
    },
    check: async (api) => {
      // The session URL names the old port; the same path on the restarted emulator is the same session.
      const url = (path: string) => new URL(new URL(path).pathname + new URL(path).search, api.origin()).href;
      const q = await fetch(url(session), {
        method: 'PUT',
        headers: { 'Content-Range': `bytes */${bytes.length}` },
      });
      let committed =
        q.status === 308 ? Number(/bytes=0-(\d+)/.exec(q.headers.get('range') ?? '')?.[1] ?? -1) + 1 : 0;
      if (q.status === 200 || q.status === 201) committed = bytes.length;
      if (committed < acked) fail(`${acked} bytes were acknowledged, ${committed} survived the kill`);
      if (committed < bytes.length) {
        const r = await fetch(url(session), {
          method: 'PUT',
          headers: { 'Content-Range': `bytes ${committed}-${bytes.length - 1}/${bytes.length}` },
          body: bytes.subarray(committed),
        });
        if (r.status !== 200 && r.status !== 201) fail(`resuming at ${committed}: ${r.status}`);
      }
      const up = await api(`/tables/${table}/uploads`, {
        json: { name: 'data.csv', type: 'delimited', tempUploadId: tempId },
      });
      if (up.status !== 201)
        fail(`upload from the resumed temp upload: ${up.status} ${JSON.stringify(up.body)}`);
      const done = await waitUpload(api, up.body.uri);
      if (done.status !== 'completed') fail(`upload after resume ${done.status}: ${done.errorMessage}`);
      const figures = await tableFigures(api, table);
      if (figures.n !== data.n || figures.sum !== data.sum)
        fail(`resumed upload: ${figures.n} rows, want ${data.n}`);
    },
  };
}

/** A release killed in flight: the version is released with its data, or still next; never in between. */
function releaseAction(rng: Prng, name: string): CrashAction {
  const data = csvRows(rng, rng.int(100, 3_000));
  let released = false;
  return {
    name: `release of ${data.n} rows`,
    prepare: async (api) => {
      const table = await freshDataset(api, name);
      const r = await api(`/tables/${table}/uploads`, { body: multipart(data.csv) });
      if (r.status !== 201) fail(`upload: ${r.status}`);
      if ((await waitUpload(api, r.body.uri)).status !== 'completed')
        fail('the upload before the release failed');
    },
    start: async (api) => {
      const r = await tolerate(api(`/datasets/demo.${name}/versions/next/release`, { method: 'POST' }));
      released = r?.status === 200;
    },
    check: async (api) => {
      const v1 = await api(`/datasets/demo.${name}/versions/v1_0`);
      const next = await api(`/datasets/demo.${name}/versions/next`);
      if (released && v1.status !== 200) fail(`an acknowledged release is gone (${v1.status})`);
      if ((v1.status === 200) === (next.status === 200))
        fail(`v1.0 ${v1.status} and next ${next.status}: half a release`);
      const ref = v1.status === 200 ? `demo.${name}:v1_0.t` : `demo.${name}:next.t`;
      const figures = await tableFigures(api, ref);
      if (figures.n !== data.n || figures.sum !== data.sum) fail(`${ref}: ${figures.n} rows, want ${data.n}`);
    },
  };
}

/** Dataset and table edits killed in flight: each is the old value or the new one, the acknowledged ones new. */
function editAction(rng: Prng, name: string): CrashAction {
  const edits = Array.from({ length: rng.int(1, 8) }, (_, i) => `description ${i} of ${name}`);
  let acked = -1;
  return {
    name: `${edits.length} edits`,
    prepare: async (api) => {
      await freshDataset(api, name);
    },
    start: async (api) => {
      for (const [i, description] of edits.entries()) {
        const d = await tolerate(api(`/datasets/demo.${name}`, { method: 'PATCH', json: { description } }));
        const t = await tolerate(
          api(`/tables/demo.${name}:next.t`, { method: 'PATCH', json: { description } }),
        );
        if (d?.status !== 200 || t?.status !== 200) return;
        acked = i;
      }
    },
    check: async (api) => {
      const d = (await api(`/datasets/demo.${name}`)).body.description;
      const t = (await api(`/tables/demo.${name}:next.t`)).body.description;
      for (const [what, value] of [
        ['dataset', d],
        ['table', t],
      ] as const) {
        const index = value === null || value === '' ? -1 : edits.indexOf(value);
        if (value && index < 0) fail(`${what} description ${JSON.stringify(value)} was never sent`);
        if (index < acked) fail(`${what}: edit ${acked} was acknowledged, ${index} survived`);
      }
    },
  };
}

/** Token changes on the settings page killed in flight: an acknowledged revoke holds, an issued token works. */
function tokenAction(rng: Prng, name: string): CrashAction {
  let browser: CookieClient;
  let first = { id: '', value: '' };
  let revoked = false;
  let second = '';
  const createToken = async (label: string) => {
    const page = await (await browser.fetch('/settings/tokens')).text();
    const res = await browser.postForm('/settings/tokens', {
      csrf_token: inputValue(page, 'csrf_token'),
      name: label,
      scope: 'data.overview',
    });
    if (res.status !== 303) return undefined;
    const after = await (await browser.fetch('/settings/tokens')).text();
    const value = /id="new-token-value">([^<]+)</.exec(after)?.[1];
    const id = new RegExp(`data-token-name="${label}" data-token-id="([^"]+)"`).exec(after)?.[1];
    return value && id ? { id, value } : undefined;
  };
  const status = async (api: Api, token: string) =>
    (await fetch(`${api.origin()}/api/v1/users/me`, { headers: { Authorization: `Bearer ${token}` } }))
      .status;
  return {
    name: 'token revoke and create',
    prepare: async (api) => {
      browser = new CookieClient(api.origin());
      await browser.signIn('alice');
      first = (await createToken(`${name}_a`)) ?? fail('the first token was not created');
      if ((await status(api, first.value)) !== 200) fail('the first token does not work');
    },
    start: async () => {
      const page = await tolerate(browser.fetch('/settings/tokens').then((r) => r.text()));
      if (page === undefined) return;
      const res = await tolerate(
        browser.postForm(`/settings/tokens/${first.id}/revoke`, {
          csrf_token: inputValue(page, 'csrf_token'),
        }),
      );
      revoked = res?.status === 303;
      if (!revoked || rng.next() < 0.2) return;
      second = (await tolerate(createToken(`${name}_b`)))?.value ?? '';
    },
    check: async (api) => {
      const firstStatus = await status(api, first.value);
      if (revoked && firstStatus !== 401) fail(`an acknowledged revoke did not hold (${firstStatus})`);
      if (![200, 401].includes(firstStatus)) fail(`the first token answers ${firstStatus}`);
      if (second && (await status(api, second)) !== 200) fail('a token shown to the user does not work');
    },
  };
}

/** The kill point's action, from the seed. */
export function crashAction(rng: Prng, name: string): CrashAction {
  return rng.pick([uploadAction, resumableAction, releaseAction, editAction, tokenAction])(rng, name);
}
