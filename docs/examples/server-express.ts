// An Express API whose /api routes accept only requests signed with OAuth 1.0.
//
//   PORT=3000 node server-express.ts      (Node ≥ 22.18; npx tsx server-express.ts on Node 20)
import express from 'express';
import { createVerifier, type ClientRecord, type TokenRecord } from 'oauth1';
import { expressMiddleware, keepRawBody } from 'oauth1/express';

const clients = new Map<string, ClientRecord>([['demo-client', { secret: 'demo-client-secret' }]]);
const tokens = new Map<string, TokenRecord>([['demo-token', { secret: 'demo-token-secret', clientKey: 'demo-client' }]]);

const verifier = createVerifier({
  lookupClient: (key) => clients.get(key),
  lookupToken: (key) => tokens.get(key),
});

const app = express();
// App-wide parsers first, each keeping the bytes it read (req.rawBody) through its
// verify hook: the signature, and a JSON body's oauth_body_hash, are checked over them.
// (Mounted before every parser instead, the middleware reads the body and puts it back.)
app.use(express.urlencoded({ extended: true, verify: keepRawBody }));
app.use(express.json({ verify: keepRawBody }));
app.use('/api', expressMiddleware(verifier));

app.get('/api/items', (req, res) => {
  res.json({ client: req.oauth?.clientKey, query: req.query });
});
app.post('/api/items', (req, res) => {
  res.status(201).json({ client: req.oauth?.clientKey, created: req.body });
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') console.log(`listening on http://127.0.0.1:${address.port}`);
});
