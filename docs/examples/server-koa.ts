// A Koa API that accepts only requests signed with OAuth 1.0.
//
//   PORT=3000 node server-koa.ts      (Node ≥ 22.18; npx tsx server-koa.ts on Node 20)
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { createVerifier, type ClientRecord, type TokenRecord } from 'oauth1';
import { koaMiddleware, type KoaOAuthState } from 'oauth1/koa';

const clients = new Map<string, ClientRecord>([['demo-client', { secret: 'demo-client-secret' }]]);
const tokens = new Map<string, TokenRecord>([['demo-token', { secret: 'demo-token-secret', clientKey: 'demo-client' }]]);

const verifier = createVerifier({
  lookupClient: (key) => clients.get(key),
  lookupToken: (key) => tokens.get(key),
});

const app = new Koa<KoaOAuthState>();
// koa-bodyparser (forms and JSON) keeps the raw text in ctx.request.rawBody: the
// signature and a JSON body's oauth_body_hash are checked over it.
app.use(bodyParser());
app.use(koaMiddleware(verifier));
app.use((ctx) => {
  const client = ctx.state.oauth.clientKey;
  if (ctx.method === 'POST') {
    ctx.status = 201;
    ctx.body = { client, created: ctx.request.body }; // the form's fields, or the parsed JSON
  } else ctx.body = { client, query: ctx.query };
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') console.log(`listening on http://127.0.0.1:${address.port}`);
});
