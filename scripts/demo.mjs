#!/usr/bin/env node
// The main job, end to end on loopback: an embedded server verifies requests
// that the client signs, and refuses the ones it must refuse.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}dist/index.js`)) {
  console.log('Building the library first (npm run build)…');
  execSync('npm run build', { cwd: root, stdio: 'ignore' });
}
const { sign, createVerifier, generateNonce, OAuthError } = await import('../dist/index.js');

// In-memory credentials (a real server reads them from its database).
const rsaPrivate = readFileSync(new URL('../test/fixtures/rsa-private-pkcs8.pem', import.meta.url), 'utf8');
const rsaPublic = readFileSync(new URL('../test/fixtures/rsa-cert.pem', import.meta.url), 'utf8');
const clients = new Map([
  ['demo-client', { secret: 'demo client secret' }],
  ['rsa-client', { publicKey: rsaPublic }],
]);
const tokens = new Map([['demo-token', { secret: 'demo token secret' }]]);

const verifier = createVerifier({
  lookupClient: (key) => clients.get(key),
  lookupToken: (token) => tokens.get(token),
  tokenRequired: false,
  signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'PLAINTEXT'],
  realm: 'demo',
});

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const url = `http://${req.headers.host}${req.url}`;
  try {
    const ok = await verifier.verify({ method: req.method, url, headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hello: ok.consumerKey, method: ok.signatureMethod }));
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    res.writeHead(err.status, err.headers).end(err.body);
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
console.log(`Embedded OAuth 1.0 server on ${base}\n`);

async function send(signed) {
  const res = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
  return { status: res.status, text: await res.text() };
}
const rows = [];
async function step(label, expectStatus, signed) {
  const { status, text } = await send(signed);
  const pass = status === expectStatus;
  rows.push(pass);
  console.log(`${pass ? 'ok  ' : 'FAIL'} ${label.padEnd(52)} → ${status} ${status === 200 ? text : decodeURIComponent(text)}`);
  return signed;
}

const hmacClient = { key: 'demo-client', secret: 'demo client secret' };
const token = { key: 'demo-token', secret: 'demo token secret' };
const form = { method: 'POST', url: `${base}/statuses/update?include_entities=true`, body: { status: 'Hello Ladies + Gentlemen, a signed OAuth request!' } };

await step('HMAC-SHA1, user context, form body', 200, sign(form, { client: hmacClient, token }));
await step('HMAC-SHA256, query placement', 200, sign({ method: 'GET', url: `${base}/items?page=2` }, { client: hmacClient, token, signatureMethod: 'HMAC-SHA256', placement: 'query' }));
await step('RSA-SHA1, client credentials only (two-legged)', 200, sign({ method: 'GET', url: `${base}/items` }, { client: { key: 'rsa-client', privateKey: rsaPrivate }, signatureMethod: 'RSA-SHA1' }));
await step('PLAINTEXT over http is refused', 400, sign({ method: 'GET', url: `${base}/items` }, { client: hmacClient, signatureMethod: 'PLAINTEXT', allowPlaintextOverHttp: true }));
const tampered = sign(form, { client: hmacClient, token });
await step('tampered form body is refused', 401, { ...tampered, body: tampered.body.replace('Hello', 'Hullo') });
const once = await step('a fresh request is accepted', 200, sign({ method: 'GET', url: `${base}/items` }, { client: hmacClient, token, nonce: generateNonce() }));
await step('the same request replayed is refused', 401, once);
await step('wrong client secret is refused', 401, sign({ method: 'GET', url: `${base}/items` }, { client: { ...hmacClient, secret: 'guess' }, token }));

const signed = sign({ method: 'GET', url: `${base}/items?b=2&a=1` }, { client: hmacClient, token, nonce: 'n0nce', timestamp: 1700000000 });
console.log(`\nWhat a client can show when a provider says "signature invalid":\n  base string: ${signed.baseString}\n  signature:   ${signed.signature}`);

server.close();
const failed = rows.filter((x) => !x).length;
console.log(`\n${rows.length - failed} of ${rows.length} steps behaved as expected.`);
process.exitCode = failed ? 1 : 0;
