// Replay protection across processes: run this API twice (or on many
// machines) against one Redis, and a request accepted by one instance is a
// replay for every other.
//
//   REDIS_URL=redis://localhost:6379 PORT=3000 node redis-nonces.ts      (Node ≥ 22.18; npx tsx … on Node 20)
//   REDIS_URL=redis://localhost:6379 PORT=3001 node redis-nonces.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { createVerifier, type ClientRecord, type TokenRecord } from 'oauth1';
import { sendOAuthError, verifyNodeRequest } from 'oauth1/node';
import { createRedisNonceStore } from 'oauth1/redis';

const clients = new Map<string, ClientRecord>([['demo-client', { secret: 'demo-client-secret' }]]);
const tokens = new Map<string, TokenRecord>([['demo-token', { secret: 'demo-token-secret', clientKey: 'demo-client' }]]);

const redis = await createClient({ url: process.env.REDIS_URL ?? 'redis://localhost:6379' }).connect();

const verifier = createVerifier({
  lookupClient: (key) => clients.get(key),
  lookupToken: (key) => tokens.get(key),
  // One SET NX EX per accepted request. If Redis does not answer within 500 ms,
  // the request is answered 503 with Retry-After, never accepted unchecked.
  nonceStore: createRedisNonceStore(redis, { prefix: 'example-api:nonce:' }),
});

const server = createServer(async (req, res) => {
  try {
    const oauth = await verifyNodeRequest(verifier, req);
    res.setHeader('Content-Type', 'application/json');
    const fields = Object.fromEntries(oauth.params.filter(([name]) => !name.startsWith('oauth_')));
    res.end(JSON.stringify({ client: oauth.clientKey, pid: process.pid, fields }));
  } catch (err) {
    if (!sendOAuthError(res, err)) {
      res.statusCode = 500;
      res.end();
    }
  }
});
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

process.once('SIGTERM', () => {
  server.close();
  void redis.quit();
});
