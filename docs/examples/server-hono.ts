// A Hono API (on Node, through @hono/node-server) whose /api routes accept
// only requests signed with OAuth 1.0. The same code runs on Bun, Deno and
// workers with their own server instead of serve().
//
//   PORT=3000 node server-hono.ts      (Node ≥ 22.18; npx tsx server-hono.ts on Node 20)
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createVerifier, OAuthError, type ClientRecord, type TokenRecord, type VerifiedRequest } from 'oauth1';
import { oauthErrorResponse, verifyFetchRequest } from 'oauth1/fetch';

const clients = new Map<string, ClientRecord>([['demo-client', { secret: 'demo-client-secret' }]]);
const tokens = new Map<string, TokenRecord>([['demo-token', { secret: 'demo-token-secret', clientKey: 'demo-client' }]]);

const verifier = createVerifier({
  lookupClient: (key) => clients.get(key),
  lookupToken: (key) => tokens.get(key),
});

const app = new Hono<{ Variables: { oauth: VerifiedRequest } }>();
app.use('/api/*', async (c, next) => {
  try {
    // Reads the body from a clone, only when the signature covers it: c.req.json() still works.
    c.set('oauth', await verifyFetchRequest(verifier, c.req.raw));
  } catch (err) {
    if (err instanceof OAuthError) return oauthErrorResponse(err);
    throw err;
  }
  await next();
  return undefined;
});
app.get('/api/items', (c) => c.json({ client: c.get('oauth').consumerKey, query: c.req.query() }));
app.post('/api/items', async (c) => c.json({ client: c.get('oauth').consumerKey, created: await c.req.parseBody() }, 201));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
