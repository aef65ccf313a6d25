// Serves, from memory, the exact Arrow IPC bytes of one emulator read session (plus the table's variables), so
// that the client can be measured without the emulator's DuckDB → Arrow encoding cost. Runs in its own process;
// prints one JSON line {url} when ready.
import { createServer } from 'node:http';
import { createReadSession } from '../dist/index.js';
import { client, OBS } from './common.mjs';

const [emulatorUrl, streamsArg] = process.argv.slice(2);
const c = client(emulatorUrl);
const variables = await c.request({ path: `${OBS}/variables`, query: { maxResults: 1000 } });
const session = await createReadSession(c, OBS, { requestedStreamCount: Number(streamsArg ?? 8) });
const streams = await Promise.all(
  session.streams.map((s) =>
    c.requestBytes({
      path: `/readStreams/${encodeURIComponent(s.id)}`,
      query: { offset: 0, eosSentinel: true },
    }),
  ),
);
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname.endsWith('/variables')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(variables));
  }
  if (url.pathname.endsWith('/readSessions')) {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(
      JSON.stringify({
        kind: 'readSession',
        id: 'replay',
        numRows: session.numRows,
        streams: streams.map((_, i) => ({ id: String(i) })),
      }),
    );
  }
  const match = /\/readStreams\/(\d+)$/.exec(url.pathname);
  if (match && url.searchParams.get('offset') === '0') {
    res.writeHead(200, { 'content-type': 'application/vnd.apache.arrow.stream' });
    return res.end(streams[Number(match[1])]);
  }
  res.writeHead(404).end();
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}/api/v1` })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
