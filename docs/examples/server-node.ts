// An API on node:http that accepts requests signed with OAuth 1.0.
//
//   PORT=3000 node server-node.ts      (Node ≥ 22.18; npx tsx server-node.ts on Node 20)
//
// Try it with the client example: API_URL=http://localhost:3000 CONSUMER_KEY=demo-client
// CONSUMER_SECRET=demo-client-secret ACCESS_TOKEN=demo-token ACCESS_TOKEN_SECRET=demo-token-secret node client.ts
import { createServer } from 'node:http';
import { createVerifier, type ClientRecord, type TokenRecord } from 'oauth1';
import { sendOAuthError, verifyNodeRequest } from 'oauth1/node';

// Your database. A token record names the client it was issued to.
const clients = new Map<string, ClientRecord>([['demo-client', { secret: 'demo-client-secret' }]]);
const tokens = new Map<string, TokenRecord>([['demo-token', { secret: 'demo-token-secret', clientKey: 'demo-client' }]]);

// One verifier per process: it holds the nonce store that stops replays.
const verifier = createVerifier({
  lookupClient: (key) => clients.get(key),
  lookupToken: (key) => tokens.get(key),
  onDebug: (info) => {
    if (!info.ok) console.error(`refused: ${info.check} ${info.cause ?? info.problem}; our base string: ${info.baseString ?? '-'}`);
  },
});

const server = createServer(async (req, res) => {
  try {
    const oauth = await verifyNodeRequest(verifier, req);
    // A form body was read for the signature: its fields are in oauth.params.
    const fields = Object.fromEntries(oauth.params.filter(([name]) => !name.startsWith('oauth_')));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ client: oauth.clientKey, token: oauth.tokenKey, method: req.method, fields }));
  } catch (err) {
    if (sendOAuthError(res, err)) return; // 400 or 401, with WWW-Authenticate
    console.error(err);
    res.statusCode = 500;
    res.end();
  }
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') console.log(`listening on http://127.0.0.1:${address.port}`);
});
