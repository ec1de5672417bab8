// The npm graphql-ws client subscribes to the query in argv[3] at the URL in argv[2]
// (token in CAIRN_TOKEN) and prints one JSON line per event: connected, next, error.
// It exits after the first result, or after 60 s (a guard so a broken server cannot hang CI).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, query] = process.argv.slice(2);
const say = (event) => console.log(JSON.stringify(event));
const guard = setTimeout(() => { say({ event: 'timeout' }); process.exit(3); }, 60000);

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${process.env.CAIRN_TOKEN}` },
  retryAttempts: 0,
  on: { connected: () => say({ event: 'connected' }) },
});
try {
  for await (const result of client.iterate({ query })) {
    say({ event: 'next', result });
    break;
  }
} catch (error) {
  // graphql-ws rejects with the CloseEvent when the server closes the socket
  say({ event: 'error', code: error?.code ?? null, reason: error?.reason ?? String(error) });
  process.exitCode = 2;
}
clearTimeout(guard);
await client.dispose();
