import { tableFromIPC, type Table } from 'apache-arrow';

/** A response as the tests see it; `body` is the parsed JSON (undefined when not JSON), checked by assertions. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions that read them
  body: any;
  text: string;
  bytes: Uint8Array;
}

/** A tiny fetch wrapper for contract tests: plain fetch, JSON in, status + parsed body out. */
export function apiClient(baseUrl: string) {
  return async function api(
    path: string,
    init: { method?: string; token?: string | null; json?: unknown } = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    if (init.json !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers,
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    let body: ApiResponse['body'];
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, headers: res.headers, body, text, bytes };
  };
}

/** Reads every stream of a read session (created by the caller) and decodes each as an Arrow table. */
export async function readAllStreams(
  api: ReturnType<typeof apiClient>,
  session: { streams: Array<{ id: string }> },
  token?: string | null,
  query = '',
): Promise<Table[]> {
  const tables: Table[] = [];
  for (const stream of session.streams) {
    const res = await api(`/readStreams/${stream.id}${query}`, { token: token ?? null });
    if (res.status !== 200) throw new Error(`stream ${stream.id}: ${res.status} ${res.text}`);
    tables.push(tableFromIPC(res.bytes));
  }
  return tables;
}
