// The client side of the three-legged flow (RFC 5849 §2): get temporary
// credentials, send the user to the provider to approve, take the verifier
// the provider sends back to our callback, exchange it for token
// credentials, and call the API with them.
//
//   PROVIDER_URL=http://127.0.0.1:3000 CONSUMER_KEY=demo-client CONSUMER_SECRET=demo-client-secret \
//     node three-legged-client.ts      (Node ≥ 22.18; npx tsx three-legged-client.ts on Node 20)
//
// Run provider.ts first. This program prints the URL to open in a browser,
// then waits for the provider to redirect the browser to its callback.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizationUrl, createSignedFetch, requestTemporaryCredentials, requestTokenCredentials } from 'oauth1';

const provider = (process.env.PROVIDER_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const client = { key: process.env.CONSUMER_KEY ?? 'demo-client', secret: process.env.CONSUMER_SECRET ?? 'demo-client-secret' };

// Our callback endpoint: where the provider sends the user back with oauth_token and oauth_verifier.
const callback = createServer();
await new Promise<void>((resolve) => callback.listen(Number(process.env.CALLBACK_PORT ?? 0), '127.0.0.1', resolve));
const callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;

// 1. Temporary credentials, announcing our callback.
const temporary = await requestTemporaryCredentials({ url: `${provider}/oauth/request_token`, client, callback: callbackUrl });

// 2. The user approves at the provider; the provider redirects the browser to our callback.
console.log(`open this URL to authorize: ${authorizationUrl(`${provider}/oauth/authorize`, temporary.key)}`);
const verifier = await new Promise<string>((resolve) => {
  callback.on('request', (req, res) => {
    const query = new URL(req.url ?? '/', callbackUrl).searchParams;
    // Keep the temporary secret on your side (a session), keyed by oauth_token.
    if (query.get('oauth_token') !== temporary.key || !query.get('oauth_verifier')) {
      res.writeHead(400).end('unexpected callback');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('Authorized. You can close this window.');
    resolve(query.get('oauth_verifier') ?? '');
  });
});
callback.close();

// 3. Token credentials: store them for this user.
const token = await requestTokenCredentials({ url: `${provider}/oauth/access_token`, client, temporary, verifier });
console.log(`token credentials received: ${token.key}`);

// 4. Call the API with them.
const api = createSignedFetch({ client, token });
const res = await api(`${provider}/api/me`);
console.log(`GET /api/me: ${res.status} ${await res.text()}`);
if (!res.ok) process.exitCode = 1;
