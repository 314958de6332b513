#!/usr/bin/env node
// The main job, end to end on loopback: an embedded OAuth 1.0 provider (in-memory
// credentials and nonces), the whole three-legged flow with the client helpers,
// protected calls with three signature methods, and the requests a server must refuse.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Build when dist/ is missing or older than any source file.
const newestSource = Math.max(...readdirSync(`${root}src`, { recursive: true }).map((f) => statSync(`${root}src/${f}`).mtimeMs));
const built = [`${root}dist/index.js`, `${root}dist/adapters/node.js`];
if (!built.every(existsSync) || Math.min(...built.map((f) => statSync(f).mtimeMs)) < newestSource) {
  console.log('Building the library first (npm run build)…');
  execSync('npm run build', { cwd: root, stdio: 'ignore' });
}
const oauth = await import('../dist/index.js');
const { verifyNodeRequest, sendOAuthError } = await import('../dist/adapters/node.js');
const { sign, createProvider, createMemoryProviderStore, requestTemporaryCredentials, authorizationUrl, requestTokenCredentials, createSignedFetch } = oauth;

// ── The provider: clients it knows, storage in memory ─────────────────────────
const rsaPrivate = readFileSync(new URL('../test/fixtures/rsa-private-pkcs8.pem', import.meta.url), 'utf8');
const rsaCertificate = readFileSync(new URL('../test/fixtures/rsa-cert.pem', import.meta.url), 'utf8');
const hmacClient = { key: 'demo-client', secret: 'demo client secret' };
const clients = new Map([
  [hmacClient.key, { secret: hmacClient.secret }],
  ['rsa-client', { publicKey: rsaCertificate }],
]);
const provider = createProvider({
  lookupClient: (key) => clients.get(key),
  store: createMemoryProviderStore(),
  signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'PLAINTEXT'],
  realm: 'demo',
});

const server = createServer(async (req, res) => {
  try {
    const path = new URL(req.url, 'http://x').pathname;
    let answer;
    if (path === '/oauth/request_token') answer = await provider.requestTemporaryCredentials((v) => verifyNodeRequest(v, req));
    else if (path === '/oauth/access_token') answer = await provider.requestTokenCredentials((v) => verifyNodeRequest(v, req));
    if (answer) {
      res.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    const ok = await verifyNodeRequest(provider.verifier, req);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ owner: ok.token?.owner, client: ok.consumerKey, method: ok.signatureMethod }));
  } catch (err) {
    if (!sendOAuthError(res, err)) {
      res.writeHead(500).end('internal error');
      console.error(err);
    }
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
console.log(`Embedded OAuth 1.0 provider on ${base}\n`);

const results = [];
function report(pass, label, detail) {
  results.push(pass);
  console.log(`${pass ? 'ok  ' : 'FAIL'} ${label.padEnd(54)} ${detail}`);
}
async function call(label, expectStatus, doFetch) {
  let status;
  let detail;
  try {
    const res = await doFetch();
    const text = await res.text();
    status = res.status;
    detail = res.status === 200 ? `200 ${text}` : `${res.status} ${new URLSearchParams(text).get('oauth_problem')}`;
  } catch (err) {
    // The signed fetch throws when the provider refuses: the error says what it refused.
    if (!(err instanceof oauth.ProviderRefusal)) throw err;
    status = err.status;
    detail = `${err.status} ${err.problem}`;
  }
  report(status === expectStatus, label, `→ ${detail}`);
}

// ── 1. The three-legged flow (RFC 5849 §2) with the client helpers ──────────
const temp = await requestTemporaryCredentials({ url: `${base}/oauth/request_token`, client: hmacClient, callback: 'oob' });
report(temp.callbackConfirmed, 'temporary credentials (callback "oob")', `→ oauth_token ${temp.key.slice(0, 10)}…`);
console.log(`     the user would now open ${authorizationUrl(`${base}/oauth/authorize`, temp.key).slice(0, 60)}…`);
const approval = await provider.authorize(temp.key, { owner: 'alice' }); // alice clicked "Allow"
report(typeof approval.verifier === 'string', 'resource owner alice approves', `→ verifier ${approval.verifier.slice(0, 10)}… shown to her`);
const token = await requestTokenCredentials({ url: `${base}/oauth/access_token`, client: hmacClient, temporary: temp, verifier: approval.verifier });
report(token.key !== temp.key, 'token credentials for the verifier', `→ oauth_token ${token.key.slice(0, 10)}…`);

// ── 2. Protected resource, three signature methods ────────────────────────────
await call('GET with HMAC-SHA1 (signed fetch)', 200, () => createSignedFetch({ client: hmacClient, token })(`${base}/api/me?fields=name`));
await call('POST form with HMAC-SHA256 (signed fetch)', 200, () =>
  createSignedFetch({ client: hmacClient, token, signatureMethod: 'HMAC-SHA256' })(`${base}/api/status`, { method: 'POST', body: new URLSearchParams({ status: 'Hello Ladies + Gentlemen' }) }));
const rsaToken = await provider.issueTokenCredentials({ clientKey: 'rsa-client', owner: 'bob' }); // issued directly, no redirect
await call('GET with RSA-SHA1 (token issued directly)', 200, () =>
  createSignedFetch({ client: { key: 'rsa-client', privateKey: rsaPrivate }, token: rsaToken, signatureMethod: 'RSA-SHA1' })(`${base}/api/me`));

// ── 3. What must be refused ───────────────────────────────────────────────────
try {
  sign({ method: 'GET', url: `${base}/api/me` }, { client: hmacClient, token, signatureMethod: 'PLAINTEXT' });
  report(false, 'PLAINTEXT over http, client side', '→ signed anyway');
} catch (err) {
  report(err instanceof TypeError, 'PLAINTEXT over http, client side', `→ refused: ${err.message.slice(0, 48)}…`);
}
const plain = sign({ method: 'GET', url: `${base}/api/me` }, { client: hmacClient, token, signatureMethod: 'PLAINTEXT', allowPlaintextOverHttp: true });
await call('PLAINTEXT over http, forced, server side', 400, () => fetch(plain.url, { headers: plain.headers }));
const form = sign({ method: 'POST', url: `${base}/api/transfer`, body: { amount: '10' } }, { client: hmacClient, token });
await call('tampered form body (amount 10 → 1000)', 401, () => fetch(form.url, { method: 'POST', headers: form.headers, body: form.body.replace('10', '1000') }));
const once = sign({ method: 'GET', url: `${base}/api/me` }, { client: hmacClient, token });
await call('a signed request, first time', 200, () => fetch(once.url, { headers: once.headers }));
await call('the same request replayed', 401, () => fetch(once.url, { headers: once.headers }));
await call('wrong client secret', 401, () => createSignedFetch({ client: { ...hmacClient, secret: 'guess' }, token })(`${base}/api/me`));
await provider.revokeToken(token.key);
await call('after the token is revoked', 401, () => createSignedFetch({ client: hmacClient, token })(`${base}/api/me`));

const shown = sign({ method: 'GET', url: `${base}/api/me?b=2&a=1` }, { client: hmacClient, token, nonce: 'n0nce', timestamp: 1700000000 });
console.log(`\nWhen a provider says "signature invalid", compare base strings (npx oauth1 explain):\n  ${shown.baseString}`);

server.close();
const failed = results.filter((ok) => !ok).length;
console.log(`\n${results.length - failed} of ${results.length} steps behaved as expected.`);
process.exitCode = failed ? 1 : 0;
