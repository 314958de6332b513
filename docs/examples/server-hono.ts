// A Hono API (on Node, through @hono/node-server) whose /api routes accept
// only requests signed with OAuth 1.0. The same app runs on Bun, Deno and
// workers with their own server instead of serve().
//
//   PORT=3000 node server-hono.ts      (Node ≥ 22.18; npx tsx server-hono.ts on Node 20)
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createVerifier, type ClientRecord, type TokenRecord } from 'oauth1';
import { honoMiddleware } from 'oauth1/hono';

const clients = new Map<string, ClientRecord>([['demo-client', { secret: 'demo-client-secret' }]]);
const tokens = new Map<string, TokenRecord>([['demo-token', { secret: 'demo-token-secret', clientKey: 'demo-client' }]]);

const verifier = createVerifier({
  lookupClient: (key) => clients.get(key),
  lookupToken: (key) => tokens.get(key),
});

// The middleware reads the body from a clone, only when the signature covers it
// (a form, or oauth_body_hash): c.req.parseBody() and c.req.json() still work in
// the handlers. c.get('oauth') is typed from the verifier.
const app = new Hono()
  .use('/api/*', honoMiddleware(verifier))
  .get('/api/items', (c) => c.json({ client: c.get('oauth').clientKey, query: c.req.query() }))
  .post('/api/items', async (c) => {
    const created = c.req.header('content-type')?.startsWith('application/json') ? await c.req.json() : await c.req.parseBody();
    return c.json({ client: c.get('oauth').clientKey, created }, 201);
  });

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
