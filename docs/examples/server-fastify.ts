// A Fastify API whose /api routes accept only requests signed with OAuth 1.0.
//
//   PORT=3000 node server-fastify.ts      (Node ≥ 22.18; npx tsx server-fastify.ts on Node 20)
import Fastify from 'fastify';
import { createVerifier, type ClientRecord, type TokenRecord } from 'oauth1';
import { fastifyOAuth1 } from 'oauth1/fastify';

const clients = new Map<string, ClientRecord>([['demo-client', { secret: 'demo-client-secret' }]]);
const tokens = new Map<string, TokenRecord>([['demo-token', { secret: 'demo-token-secret', clientKey: 'demo-client' }]]);

const verifier = createVerifier({
  lookupClient: (key) => clients.get(key),
  lookupToken: (key) => tokens.get(key),
});

const app = Fastify();
app.get('/health', async () => ({ ok: true })); // outside the OAuth scope

// Every route registered in this scope is checked. The plugin adds a form parser,
// a hook that copies the bytes Fastify's own parsers (JSON, text) read into
// request.rawBody for the signature and oauth_body_hash, and a preHandler hook
// that sets request.oauth (typed by importing oauth1/fastify).
await app.register(
  async (api) => {
    await api.register(fastifyOAuth1, { verifier });
    api.get('/items', async (request) => ({ client: request.oauth.clientKey, query: request.query }));
    api.post('/items', async (request, reply) => reply.code(201).send({ client: request.oauth.clientKey, created: request.body }));
  },
  { prefix: '/api' },
);

const url = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on ${url}`);
