// An OAuth 1.0 provider (RFC 5849 §2) on node:http: the temporary credential
// and token endpoints, a consent page where the resource owner approves, and
// a protected resource. Storage is in memory; the signed-in user is fixed
// ("alice") where your application has its login.
//
//   PORT=3000 node provider.ts      (Node ≥ 22.18; npx tsx provider.ts on Node 20)
//
// Credential endpoints answer over plain http only to a client on this same
// machine; anywhere else, serve them over https.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryProviderStore, createProvider, type ProviderClientRecord } from 'oauth1';
import { sendOAuthError, verifyNodeRequest } from 'oauth1/node';

// Registered clients. In production, register each client's callback URLs
// (`callbacks: ['https://app.example/oauth/callback']`): oauth_callback must then match one.
const clients = new Map<string, ProviderClientRecord & { name: string }>([
  ['demo-client', { secret: 'demo-client-secret', name: 'Demo App' }],
]);
const store = createMemoryProviderStore();
const provider = createProvider({
  lookupClient: (key) => clients.get(key),
  store,
  temporaryTtl: 300,
  // RFC 5849 §4.10: issuing temporary credentials costs storage; cap them per client.
  allowTemporary: (clientKey) => store.countTemporary(clientKey) < 20,
});

const CURRENT_USER = 'alice'; // your session's user
const csrfTokens = new Map<string, string>(); // temporary key → the token of the form shown for it

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(new URLSearchParams(text)));
    req.on('error', reject);
  });
}

// RFC 5849 §2.2: the resource owner approves explicitly, on a page that cannot be framed (§4.14).
async function consentPage(url: URL, res: ServerResponse): Promise<void> {
  const temporaryKey = url.searchParams.get('oauth_token') ?? '';
  const pending = await provider.pendingAuthorization(temporaryKey);
  const csrf = randomBytes(16).toString('base64url');
  csrfTokens.set(temporaryKey, csrf);
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "frame-ancestors 'none'" });
  res.end(`<!doctype html><title>Authorize</title>
<p>${escapeHtml(clients.get(pending.clientKey)?.name ?? pending.clientKey)} asks to access your account, ${escapeHtml(CURRENT_USER)}.</p>
<form method="post" action="/oauth/authorize">
  <input type="hidden" name="oauth_token" value="${escapeHtml(temporaryKey)}">
  <input type="hidden" name="csrf" value="${csrf}">
  <button>Allow</button>
</form>`);
}

// RFC 5849 §4.13: only a POST from our own form (CSRF token) approves.
async function approve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readForm(req);
  const temporaryKey = form.get('oauth_token') ?? '';
  const expected = Buffer.from(csrfTokens.get(temporaryKey) ?? '');
  const sent = Buffer.from(form.get('csrf') ?? '');
  if (expected.length === 0 || expected.length !== sent.length || !timingSafeEqual(expected, sent)) {
    res.writeHead(403).end('forbidden');
    return;
  }
  csrfTokens.delete(temporaryKey);
  const { redirectTo, verifier } = await provider.authorize(temporaryKey, { owner: CURRENT_USER });
  if (redirectTo !== undefined) res.writeHead(303, { Location: redirectTo }).end();
  else res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`Enter this code in the application: ${verifier}`); // oauth_callback=oob
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const answer =
    req.method === 'POST' && url.pathname === '/oauth/request_token'
      ? await provider.requestTemporaryCredentials((verifier) => verifyNodeRequest(verifier, req))
      : req.method === 'POST' && url.pathname === '/oauth/access_token'
        ? await provider.requestTokenCredentials((verifier) => verifyNodeRequest(verifier, req))
        : undefined;
  if (answer !== undefined) {
    res.writeHead(answer.status, answer.headers).end(answer.body);
  } else if (req.method === 'GET' && url.pathname === '/oauth/authorize') {
    await consentPage(url, res);
  } else if (req.method === 'POST' && url.pathname === '/oauth/authorize') {
    await approve(req, res);
  } else if (url.pathname === '/api/me') {
    const oauth = await verifyNodeRequest(provider.verifier, req);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ user: oauth.token?.owner, client: oauth.clientKey }));
  } else {
    res.writeHead(404).end();
  }
}

const server = createServer((req, res) => {
  route(req, res).catch((err: unknown) => {
    if (sendOAuthError(res, err)) return;
    console.error(err);
    res.writeHead(500).end();
  });
});
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
