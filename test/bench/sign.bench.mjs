#!/usr/bin/env node
// Signing and verification benchmark: our sign() and verify() next to the raw
// crypto floor and next to other npm OAuth 1.0 signers, in one run.
//
//   npm run bench                                   (builds dist/ first)
//   node test/bench/sign.bench.mjs --filter=verify  (only rows whose name matches)
//   node test/bench/sign.bench.mjs --quiet          (summary table only, no mitata report)
//   node test/bench/sign.bench.mjs --json=out.json  (also write the raw numbers)
//   node test/bench/sign.bench.mjs --rounds=3       (best of 3 interleaved rounds per row)
//
// Not a test: nothing here runs in `npm test`. See test/bench/README.md.

import { spawnSync } from 'node:child_process';
import { createHmac, createPrivateKey, createPublicKey, randomBytes, sign as cryptoSign, timingSafeEqual, verify as cryptoVerify } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import querystring from 'node:querystring';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const SELF = fileURLToPath(import.meta.url);
const ARGS = process.argv.slice(2);
const ALLOC_MODE = ARGS.includes('--alloc');

// mitata collects garbage between benchmarks only when gc is exposed, and the
// allocation pass needs it too: re-run this file with the flag when it is missing.
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', SELF, ...ARGS], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url);

// Others may rebuild dist/ while this runs (npm test builds it): measure a copy
// of the build this run started with. The allocation child gets the same copy.
async function snapshotDist() {
  const dist = fileURLToPath(new URL('dist/', root));
  for (let tries = 0; !existsSync(`${dist}index.js`); tries++) {
    if (tries === 60) throw new Error('dist/index.js is missing: run `npm run bench` (it builds first)');
    await new Promise((r) => setTimeout(r, 500));
  }
  const dir = mkdtempSync(`${os.tmpdir()}/oauth1-bench-`);
  cpSync(dist, dir, { recursive: true, filter: (src) => !src.endsWith('.map') && !src.endsWith('.d.ts') && !src.endsWith('.d.cts') });
  return dir;
}
const snapshotArg = ARGS.find((a) => a.startsWith('--dist='));
const DIST = snapshotArg ? snapshotArg.slice('--dist='.length) : await snapshotDist();
if (!snapshotArg) process.on('exit', () => rmSync(DIST, { recursive: true, force: true }));
const lib = await import(pathToFileURL(`${DIST}/index.js`).href);
const { sign, createVerifier, signatureBaseString, parseAuthorizationHeader, formatAuthorizationHeader, percentEncode, createSignature, generateNonce, parseForm } = lib;

// ---------------------------------------------------------------------------
// The requests every row signs. Credentials are made up for this file.

const CLIENT = { key: 'bench-consumer-7Yq2xK', secret: 'bench-consumer-secret-T4nP9wLr2Zs8' };
const TOKEN = { key: '4201337-bench-token-Vw3kQe8Rj', secret: 'bench-token-secret-Hm5sYc1Ua7' };
const SHARED_KEY = `${percentEncode(CLIENT.secret)}&${percentEncode(TOKEN.secret)}`;
const NONCE = 'c2a4f0d2b9e14f55a1d3e6b7c8f90a1b';
const TIMESTAMP = Math.floor(Date.now() / 1000); // fixed for the whole run; the verifier's clock is pinned to it

// A typical API call: GET with three query parameters, one of them needing encoding.
const GET_BASE = 'https://api.example.com/1.1/statuses/user_timeline.json';
const GET_QUERY = 'screen_name=oauth%20bench&count=20&include_rts=false';
const GET_URL = `${GET_BASE}?${GET_QUERY}`;

// A POST with a ten-field form body (spaces, punctuation, a non-ASCII letter).
const POST_URL = 'https://api.example.com/1.1/items/create.json';
const FIELDS = {
  title: 'Ladies + Gentlemen',
  description: 'A signed request, with commas, & ampersands!',
  tags: 'oauth,rfc5849,bench',
  lang: 'en',
  visibility: 'public',
  lat: '48.8566',
  long: '2.3522',
  in_reply_to: '1234567890123456789',
  source: 'café-client/1.0',
  draft: 'false',
};
const POST_BODY = new URLSearchParams(FIELDS).toString(); // as it travels: `+` for spaces
const FORM_TYPE = 'application/x-www-form-urlencoded';

const RSA_PRIVATE_PEM = readFileSync(new URL('test/fixtures/rsa-private-pkcs8.pem', root), 'utf8');
const RSA_PUBLIC_PEM = readFileSync(new URL('test/fixtures/rsa-public-spki.pem', root), 'utf8');
const RSA_PRIVATE_KEY = createPrivateKey(RSA_PRIVATE_PEM);
const RSA_PUBLIC_KEY = createPublicKey(RSA_PUBLIC_PEM);

const getReq = () => ({ method: 'GET', url: GET_URL });
const postReq = () => ({ method: 'POST', url: POST_URL, headers: { 'content-type': FORM_TYPE }, body: POST_BODY });
const fixed = { nonce: NONCE, timestamp: TIMESTAMP };

// ---------------------------------------------------------------------------
// Peers, each signing the same request (same credentials, nonce, timestamp).

const OAuth1a = require('oauth-1.0a');
const { OAuth: NodeOAuth } = require('oauth');
const oauthSign = require('oauth-sign');

const hmacHash = (alg) => (base, key) => createHmac(alg, key).update(base).digest('base64');
const rsaHash = (base) => cryptoSign('sha1', Buffer.from(base), RSA_PRIVATE_KEY).toString('base64');

function pinNonce(o, nonceMethod, timestampMethod) {
  o[nonceMethod] = () => NONCE;
  o[timestampMethod] = () => TIMESTAMP;
  return o;
}

// oauth-1.0a: the caller supplies hash_function; node:crypto here.
const oa = {
  sha1: pinNonce(new OAuth1a({ consumer: CLIENT, signature_method: 'HMAC-SHA1', hash_function: hmacHash('sha1') }), 'getNonce', 'getTimeStamp'),
  sha1Random: new OAuth1a({ consumer: CLIENT, signature_method: 'HMAC-SHA1', hash_function: hmacHash('sha1') }),
  sha256: pinNonce(new OAuth1a({ consumer: CLIENT, signature_method: 'HMAC-SHA256', hash_function: hmacHash('sha256') }), 'getNonce', 'getTimeStamp'),
  rsa: pinNonce(new OAuth1a({ consumer: CLIENT, signature_method: 'RSA-SHA1', hash_function: rsaHash }), 'getNonce', 'getTimeStamp'),
};
const oaHeader = (o, request) => o.toHeader(o.authorize(request, TOKEN)).Authorization;

// oauth (node-oauth): authHeader() builds the header without sending; for a form
// body, _prepareParameters() + _buildAuthorizationHeaders() is what its
// _performSecureRequest() does before opening a connection.
const newNodeOAuth = (method, secret) => new NodeOAuth(null, null, CLIENT.key, secret, '1.0', null, method);
const no = {
  sha1: pinNonce(newNodeOAuth('HMAC-SHA1', CLIENT.secret), '_getNonce', '_getTimestamp'),
  sha1Random: newNodeOAuth('HMAC-SHA1', CLIENT.secret),
  sha256: pinNonce(newNodeOAuth('HMAC-SHA256', CLIENT.secret), '_getNonce', '_getTimestamp'),
  // Its RSA-SHA1 takes the private key in place of the consumer secret and hands
  // it to crypto.createSign() on every call: a KeyObject here (no PEM parse per
  // call), the same head start oauth-sign and oauth-1.0a get below.
  rsa: pinNonce(newNodeOAuth('RSA-SHA1', RSA_PRIVATE_KEY), '_getNonce', '_getTimestamp'),
  rsaPem: pinNonce(newNodeOAuth('RSA-SHA1', RSA_PRIVATE_PEM), '_getNonce', '_getTimestamp'),
};
const noFormHeader = (o) => o._buildAuthorizationHeaders(o._prepareParameters(TOKEN.key, TOKEN.secret, 'POST', POST_URL, FIELDS));

// oauth-sign (the signer `request` used) computes the signature only: the
// caller collects the parameters and writes the header, as `request` did.
function oauthSignHeader(method, url, fields, signatureMethod, secretOrKey) {
  const q = url.indexOf('?');
  const base = q === -1 ? url : url.slice(0, q);
  const oauthParams = {
    oauth_consumer_key: CLIENT.key,
    oauth_nonce: NONCE,
    oauth_signature_method: signatureMethod,
    oauth_timestamp: String(TIMESTAMP),
    oauth_token: TOKEN.key,
    oauth_version: '1.0',
  };
  const params = Object.assign(q === -1 ? {} : querystring.parse(url.slice(q + 1)), fields, oauthParams);
  oauthParams.oauth_signature = oauthSign.sign(signatureMethod, method, base, params, secretOrKey, TOKEN.secret);
  let header = 'OAuth ';
  for (const name in oauthParams) header += `${header.length > 6 ? ',' : ''}${name}="${oauthSign.rfc3986(oauthParams[name])}"`;
  return header;
}

// ---------------------------------------------------------------------------
// Verifiers. The nonce store accepts every nonce, so that one signed request can
// be verified again and again; a real store costs one Map look-up (memory) or a
// round trip (Redis) on top.

const acceptAllNonces = { consume: () => true };
const pinnedClock = () => TIMESTAMP * 1000;
const hmacVerifier = createVerifier({
  lookupClient: (key) => (key === CLIENT.key ? { secret: CLIENT.secret } : undefined),
  lookupToken: (key) => (key === TOKEN.key ? { secret: TOKEN.secret } : undefined),
  nonceStore: acceptAllNonces,
  clock: pinnedClock,
});
const rsaVerifier = createVerifier({
  lookupClient: (key) => (key === CLIENT.key ? { publicKey: RSA_PUBLIC_PEM } : undefined),
  lookupToken: (key) => (key === TOKEN.key ? { secret: TOKEN.secret } : undefined),
  nonceStore: acceptAllNonces,
  clock: pinnedClock,
});
const signedGet = sign(getReq(), { client: CLIENT, token: TOKEN, ...fixed });
const signedGetRsa = sign(getReq(), { client: { key: CLIENT.key, privateKey: RSA_PRIVATE_PEM }, token: TOKEN, signatureMethod: 'RSA-SHA1', ...fixed });
const toVerify = (s) => ({ method: s.method, url: s.url, headers: s.headers });
const verifyGet = toVerify(signedGet);
const verifyGetRsa = toVerify(signedGetRsa);

// ---------------------------------------------------------------------------
// Floors: the one crypto call each signature needs, over our base string.

const BASE = signedGet.baseString;
const BASE_RSA = signedGetRsa.baseString;
const BASE_BYTES_RSA = Buffer.from(BASE_RSA);

// Pieces of our own pipeline, to see where the time over the floor goes.
const GET_URL_OBJECT = new URL(GET_URL);
const GET_PARAMS = [...parseForm(GET_QUERY), ...signedGet.oauthParams.filter(([n]) => n !== 'oauth_signature')];
const AUTH_HEADER = signedGet.headers.Authorization;
const compareKey = randomBytes(32);
const ctEqualLikeOurs = (a, b) =>
  timingSafeEqual(createHmac('sha256', compareKey).update(a).digest(), createHmac('sha256', compareKey).update(b).digest());

// ---------------------------------------------------------------------------
// Rows. group: what is compared; floor: the raw crypto row of the same
// algorithm; ours: our row of the same scenario (the "x ours" column).

const rows = [
  // floors
  { group: 'floor', name: 'floor: HMAC-SHA1 over the base string', floor: true, fn: () => createHmac('sha1', SHARED_KEY).update(BASE).digest('base64') },
  { group: 'floor', name: 'floor: HMAC-SHA256 over the base string', floor: true, fn: () => createHmac('sha256', SHARED_KEY).update(BASE).digest('base64') },
  { group: 'floor', name: 'floor: RSA-SHA1 sign (KeyObject)', floor: true, fn: () => cryptoSign('sha1', BASE_BYTES_RSA, RSA_PRIVATE_KEY).toString('base64') },
  { group: 'floor', name: 'floor: RSA-SHA1 verify (KeyObject)', floor: true, fn: () => cryptoVerify('sha1', BASE_BYTES_RSA, RSA_PUBLIC_KEY, Buffer.from(signedGetRsa.signature, 'base64')) },

  // GET, HMAC-SHA1, header placement, fixed nonce/timestamp
  { group: 'GET HMAC-SHA1', name: 'ours sign(): GET 3 query params, HMAC-SHA1', floorOf: 'floor: HMAC-SHA1 over the base string', ours: true,
    fn: () => sign(getReq(), { client: CLIENT, token: TOKEN, ...fixed }).headers.Authorization },
  { group: 'GET HMAC-SHA1', name: 'oauth-1.0a: GET, HMAC-SHA1', floorOf: 'floor: HMAC-SHA1 over the base string', peer: 'oauth-1.0a',
    fn: () => oaHeader(oa.sha1, { method: 'GET', url: GET_URL }) },
  { group: 'GET HMAC-SHA1', name: 'oauth: GET, HMAC-SHA1', floorOf: 'floor: HMAC-SHA1 over the base string', peer: 'oauth',
    fn: () => no.sha1.authHeader(GET_URL, TOKEN.key, TOKEN.secret, 'GET') },
  { group: 'GET HMAC-SHA1', name: 'oauth-sign (+ header glue): GET, HMAC-SHA1', floorOf: 'floor: HMAC-SHA1 over the base string', peer: 'oauth-sign',
    fn: () => oauthSignHeader('GET', GET_URL, undefined, 'HMAC-SHA1', CLIENT.secret) },

  // the same with each library's own random nonce and current time
  { group: 'GET HMAC-SHA1 random nonce', name: 'ours sign(): GET, default nonce/timestamp', floorOf: 'floor: HMAC-SHA1 over the base string', ours: true,
    fn: () => sign(getReq(), { client: CLIENT, token: TOKEN }).headers.Authorization },
  { group: 'GET HMAC-SHA1 random nonce', name: 'oauth-1.0a: GET, default nonce/timestamp', floorOf: 'floor: HMAC-SHA1 over the base string',
    fn: () => oaHeader(oa.sha1Random, { method: 'GET', url: GET_URL }) },
  { group: 'GET HMAC-SHA1 random nonce', name: 'oauth: GET, default nonce/timestamp', floorOf: 'floor: HMAC-SHA1 over the base string',
    fn: () => no.sha1Random.authHeader(GET_URL, TOKEN.key, TOKEN.secret, 'GET') },

  // POST with a ten-field form body
  { group: 'POST form HMAC-SHA1', name: 'ours sign(): POST 10-field form (text body)', floorOf: 'floor: HMAC-SHA1 over the base string', ours: true,
    fn: () => sign(postReq(), { client: CLIENT, token: TOKEN, ...fixed }).headers.Authorization },
  { group: 'POST form HMAC-SHA1', name: 'ours sign(): POST 10-field form (fields object)', floorOf: 'floor: HMAC-SHA1 over the base string',
    fn: () => sign({ method: 'POST', url: POST_URL, body: FIELDS }, { client: CLIENT, token: TOKEN, ...fixed }).headers.Authorization },
  { group: 'POST form HMAC-SHA1', name: 'oauth-1.0a: POST form, HMAC-SHA1', floorOf: 'floor: HMAC-SHA1 over the base string', peer: 'oauth-1.0a',
    fn: () => oaHeader(oa.sha1, { method: 'POST', url: POST_URL, data: FIELDS }) },
  { group: 'POST form HMAC-SHA1', name: 'oauth: POST form, HMAC-SHA1', floorOf: 'floor: HMAC-SHA1 over the base string', peer: 'oauth',
    fn: () => noFormHeader(no.sha1) },
  { group: 'POST form HMAC-SHA1', name: 'oauth-sign (+ header glue): POST form, HMAC-SHA1', floorOf: 'floor: HMAC-SHA1 over the base string', peer: 'oauth-sign',
    fn: () => oauthSignHeader('POST', POST_URL, FIELDS, 'HMAC-SHA1', CLIENT.secret) },

  // GET, HMAC-SHA256
  { group: 'GET HMAC-SHA256', name: 'ours sign(): GET, HMAC-SHA256', floorOf: 'floor: HMAC-SHA256 over the base string', ours: true,
    fn: () => sign(getReq(), { client: CLIENT, token: TOKEN, signatureMethod: 'HMAC-SHA256', ...fixed }).headers.Authorization },
  { group: 'GET HMAC-SHA256', name: 'oauth-1.0a: GET, HMAC-SHA256', floorOf: 'floor: HMAC-SHA256 over the base string', peer: 'oauth-1.0a',
    fn: () => oaHeader(oa.sha256, { method: 'GET', url: GET_URL }) },
  { group: 'GET HMAC-SHA256', name: 'oauth: GET, HMAC-SHA256', floorOf: 'floor: HMAC-SHA256 over the base string', peer: 'oauth',
    fn: () => no.sha256.authHeader(GET_URL, TOKEN.key, TOKEN.secret, 'GET') },
  { group: 'GET HMAC-SHA256', name: 'oauth-sign (+ header glue): GET, HMAC-SHA256', floorOf: 'floor: HMAC-SHA256 over the base string', peer: 'oauth-sign',
    fn: () => oauthSignHeader('GET', GET_URL, undefined, 'HMAC-SHA256', CLIENT.secret) },

  // GET, RSA-SHA1
  { group: 'GET RSA-SHA1', name: 'ours sign(): GET, RSA-SHA1 (PEM, parsed once and cached)', floorOf: 'floor: RSA-SHA1 sign (KeyObject)', ours: true,
    fn: () => sign(getReq(), { client: { key: CLIENT.key, privateKey: RSA_PRIVATE_PEM }, token: TOKEN, signatureMethod: 'RSA-SHA1', ...fixed }).headers.Authorization },
  { group: 'GET RSA-SHA1', name: 'oauth-1.0a: GET, RSA-SHA1 (KeyObject)', floorOf: 'floor: RSA-SHA1 sign (KeyObject)', peer: 'oauth-1.0a',
    fn: () => oaHeader(oa.rsa, { method: 'GET', url: GET_URL }) },
  { group: 'GET RSA-SHA1', name: 'oauth: GET, RSA-SHA1 (KeyObject)', floorOf: 'floor: RSA-SHA1 sign (KeyObject)', peer: 'oauth',
    fn: () => no.rsa.authHeader(GET_URL, TOKEN.key, TOKEN.secret, 'GET') },
  { group: 'GET RSA-SHA1', name: 'oauth: GET, RSA-SHA1 (PEM, parsed every call)', floorOf: 'floor: RSA-SHA1 sign (KeyObject)', peer: 'oauth',
    fn: () => no.rsaPem.authHeader(GET_URL, TOKEN.key, TOKEN.secret, 'GET') },
  { group: 'GET RSA-SHA1', name: 'oauth-sign (+ header glue): GET, RSA-SHA1 (KeyObject)', floorOf: 'floor: RSA-SHA1 sign (KeyObject)', peer: 'oauth-sign',
    fn: () => oauthSignHeader('GET', GET_URL, undefined, 'RSA-SHA1', RSA_PRIVATE_KEY) },

  // verification (the nonce store accepts every nonce: see above)
  { group: 'verify', name: 'ours verify(): GET, HMAC-SHA1 (nonce store always accepts)', floorOf: 'floor: HMAC-SHA1 over the base string', oursOf: 'ours sign(): GET 3 query params, HMAC-SHA1',
    fn: () => hmacVerifier.verify(verifyGet) },
  { group: 'verify', name: 'ours verify(): GET, RSA-SHA1 (nonce store always accepts)', floorOf: 'floor: RSA-SHA1 verify (KeyObject)', oursOf: 'ours sign(): GET, RSA-SHA1 (PEM, parsed once and cached)',
    fn: () => rsaVerifier.verify(verifyGetRsa) },

  // where our time goes (pieces of sign()/verify(), through the public API where there is one)
  { group: 'breakdown', name: 'piece: new URL(GET url)', fn: () => new URL(GET_URL) },
  { group: 'breakdown', name: 'piece: parseForm(query)', fn: () => parseForm(GET_QUERY) },
  { group: 'breakdown', name: 'piece: signatureBaseString (9 params)', fn: () => signatureBaseString({ method: 'GET', url: GET_URL_OBJECT, params: GET_PARAMS }) },
  { group: 'breakdown', name: 'piece: createSignature(HMAC-SHA1)', fn: () => createSignature('HMAC-SHA1', BASE, { clientSecret: CLIENT.secret, tokenSecret: TOKEN.secret }) },
  { group: 'breakdown', name: 'piece: formatAuthorizationHeader', fn: () => formatAuthorizationHeader(signedGet.oauthParams) },
  { group: 'breakdown', name: 'piece: parseAuthorizationHeader', fn: () => parseAuthorizationHeader(AUTH_HEADER) },
  { group: 'breakdown', name: 'piece: generateNonce (randomBytes(16) hex)', fn: () => generateNonce() },
  { group: 'breakdown', name: 'piece: percentEncode of an unreserved-only name', fn: () => percentEncode('oauth_signature_method') },
  { group: 'breakdown', name: 'piece: encodeURIComponent of the same name', fn: () => encodeURIComponent('oauth_signature_method') },
  { group: 'breakdown', name: 'piece: constant-time compare as verify does (2x HMAC-SHA256)', fn: () => ctEqualLikeOurs(signedGet.signature, signedGet.signature) },
];

const byName = new Map(rows.map((r) => [r.name, r]));
const OURS_GET = 'ours sign(): GET 3 query params, HMAC-SHA1';
const HMAC_FLOOR = 'floor: HMAC-SHA1 over the base string';
for (const r of rows) {
  if (r.oursOf === undefined) r.oursOf = rows.find((o) => o.ours && o.group === r.group)?.name ?? OURS_GET;
}
const filterArg = ARGS.find((a) => a.startsWith('--filter='));
const filter = filterArg ? new RegExp(filterArg.slice('--filter='.length), 'i') : null;
const selected = rows.filter((r) => !filter || filter.test(r.name) || r.floor || r.name === OURS_GET || r.name === r.oursOf);

// ---------------------------------------------------------------------------
// Allocation pass (a child process: its flags would change the timings).
// With a 512 MiB young generation nothing is collected while a row runs, so the
// growth of V8's used heap over N calls, divided by N, is what one call
// allocates on the JS heap. Buffers' backing stores (off-heap) are not counted.

async function allocationPass() {
  const gcTimes = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcTimes.push([e.startTime, e.startTime + e.duration]);
  });
  obs.observe({ entryTypes: ['gc'] });
  const settle = () => new Promise((r) => setTimeout(r, 5));
  const out = {};
  for (const r of selected) {
    const probe = r.fn();
    const isAsync = probe instanceof Promise;
    if (isAsync) await probe;
    // Warm up (JIT, key caches), then measure three times and keep the median.
    const t0w = performance.now();
    let warm = 0;
    while (warm < 3000 && performance.now() - t0w < 1500) {
      isAsync ? await r.fn() : r.fn();
      warm++;
    }
    const perCall = (performance.now() - t0w) / warm; // ms
    const n = Math.max(200, Math.min(5000, Math.floor(400 / perCall)));
    const samples = [];
    for (let attempt = 0; attempt < 6 && samples.length < 3; attempt++) {
      globalThis.gc();
      globalThis.gc();
      await settle();
      gcTimes.length = 0;
      const h0 = v8.getHeapStatistics().used_heap_size;
      const t0 = performance.now();
      if (isAsync) for (let i = 0; i < n; i++) await r.fn();
      else for (let i = 0; i < n; i++) r.fn();
      const h1 = v8.getHeapStatistics().used_heap_size;
      const t1 = performance.now();
      await settle();
      if (gcTimes.some(([s, e]) => e >= t0 && s <= t1)) continue; // a collection ran: discard
      samples.push((h1 - h0) / n);
    }
    samples.sort((a, b) => a - b);
    out[r.name] = samples.length ? samples[Math.floor(samples.length / 2)] : null;
  }
  obs.disconnect();
  return out;
}

if (ALLOC_MODE) {
  process.stdout.write(JSON.stringify(await allocationPass()));
  process.exit(0);
}

// ---------------------------------------------------------------------------
// Before timing: does every peer produce our signature for the same request?

function signatureOf(header) {
  const parsed = parseAuthorizationHeader(header);
  return parsed?.params.find(([n]) => n === 'oauth_signature')?.[1];
}

function agreement() {
  const lines = [];
  for (const r of selected) {
    if (!r.peer) continue;
    const ours = byName.get(r.oursOf);
    let verdict;
    try {
      const a = signatureOf(ours.fn());
      const b = signatureOf(r.fn());
      verdict = a !== undefined && a === b ? 'agree' : `DISAGREE (ours ${a}, theirs ${b})`;
    } catch (err) {
      verdict = `DISAGREE (threw: ${err.message})`;
    }
    lines.push(`  ${verdict.startsWith('agree') ? 'agree   ' : 'disagree'}  ${r.name}${verdict === 'agree' ? '' : `: ${verdict}`}`);
  }
  return lines;
}

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`oauth1 signing benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'} (${os.availableParallelism()} cores), ${new Date().toISOString()}, load average ${loadavg()}`);
console.log('Signature agreement with ours, same request, nonce and timestamp:');
for (const line of agreement()) console.log(line);
for (const [label, v, req] of [['HMAC-SHA1', hmacVerifier, verifyGet], ['RSA-SHA1', rsaVerifier, verifyGetRsa]]) {
  try {
    await v.verify(req);
    console.log(`  ok        our verify() accepts our ${label} request`);
  } catch (err) {
    console.log(`  FAILED    our verify() rejects our ${label} request: ${err.message}`);
  }
}
console.log('verify() rows use a nonce store whose consume() always returns true (the same signed request is verified repeatedly).');
console.log('');

// ---------------------------------------------------------------------------
// Timing (mitata), then the allocation pass, then the summary table.

const { bench, group, run } = await import('mitata');
function register() {
  const seen = new Set();
  for (const r of selected) {
    if (seen.has(r.group)) continue;
    seen.add(r.group);
    group(r.group, () => {
      for (const row of selected.filter((x) => x.group === r.group)) {
        const b = bench(row.name, row.fn);
        if (row.ours || row.floor) b.baseline(true);
      }
    });
  }
}
// --rounds=N runs the whole suite N times, interleaved in time, and keeps for
// each row the round with the lowest average: a burst of other work on the
// machine then spoils one round of a row rather than the row.
const roundsArg = ARGS.find((a) => a.startsWith('--rounds='));
const rounds = roundsArg ? Math.max(1, Number.parseInt(roundsArg.slice('--rounds='.length), 10) || 1) : 1;
const quiet = ARGS.includes('--quiet');
const stats = new Map();
for (let round = 1; round <= rounds; round++) {
  if (quiet || rounds > 1) console.log(`timing ${selected.length} rows${rounds > 1 ? `, round ${round} of ${rounds}` : ''}… (load average ${loadavg()})`);
  register();
  const result = await run({ format: quiet ? 'quiet' : 'mitata', colors: false });
  for (const b of result.benchmarks) {
    const st = b.runs[0]?.stats;
    if (st && !(stats.get(b.alias)?.avg <= st.avg)) stats.set(b.alias, st);
  }
}

console.log(`\ntiming done, load average ${loadavg()} (other processes on the machine make the numbers noisier; compare p75 too)`);
console.log('\nallocation pass (child process, --max-semi-space-size=512 --min-semi-space-size=512, no GC during a row)…');
const child = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=512', '--min-semi-space-size=512', SELF, '--alloc', `--dist=${DIST}`, ...ARGS.filter((a) => a.startsWith('--filter='))], {
  encoding: 'utf8',
  maxBuffer: 1 << 24,
});
let alloc = {};
if (child.status === 0) alloc = JSON.parse(child.stdout);
else console.log(`allocation pass failed: ${child.stderr}`);


const fmtNs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
const fmtX = (x) => (x === undefined || !Number.isFinite(x) ? '–' : x >= 100 ? `${x.toFixed(0)}×` : `${x.toFixed(2)}×`);
const fmtB = (b) => (b === undefined || b === null ? '–' : b < 0 ? '≈0 B' : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${Math.round(b)} B`);

const table = [];
table.push('| row | avg | p75 | × HMAC-SHA1 floor | × same-alg floor | × our sign() | JS heap/op (≈) |');
table.push('|---|---:|---:|---:|---:|---:|---:|');
const floorAvg = stats.get(HMAC_FLOOR)?.avg;
const json = [];
for (const r of selected) {
  const s = stats.get(r.name);
  if (!s) {
    table.push(`| ${r.name} | failed | | | | | |`);
    continue;
  }
  const algFloor = r.floorOf ? stats.get(r.floorOf)?.avg : undefined;
  const ours = r.group === 'floor' ? stats.get(OURS_GET)?.avg : stats.get(r.oursOf)?.avg;
  const xOurs = r.name === r.oursOf ? undefined : s.avg / ours;
  table.push(
    `| ${r.name} | ${fmtNs(s.avg)} | ${fmtNs(s.p75)} | ${fmtX(s.avg / floorAvg)} | ${fmtX(algFloor && s.avg / algFloor)} | ${r.name === r.oursOf ? '1 (ref)' : fmtX(xOurs)} | ${fmtB(alloc[r.name])} |`,
  );
  json.push({ group: r.group, name: r.name, avgNs: s.avg, p75Ns: s.p75, p99Ns: s.p99, heapAvgMitata: s.heap?.avg ?? null, heapApprox: alloc[r.name] ?? null });
}
console.log(`\nSummary (avg and p75 per call${rounds > 1 ? `, from each row's best of ${rounds} rounds` : ''}; the ratios divide averages; "× our sign()" compares with our row of the same scenario, or with our GET HMAC-SHA1 sign() for floors and pieces):\n`);
console.log(table.join('\n'));
console.log(
  '\nJS heap/op (≈): approximate bytes allocated per call: growth of V8\'s used heap over N calls / N, in a child process whose young' +
    '\ngeneration is large enough that nothing is collected meanwhile (median of 3). JS heap only: Buffer backing stores are not counted.' +
    '\nmitata\'s own heap estimate is in --json output only: it drops every batch during which a GC ran, and undercounts badly here.',
);
const jsonArg = ARGS.find((a) => a.startsWith('--json='));
if (jsonArg) {
  writeFileSync(jsonArg.slice('--json='.length), JSON.stringify({ node: process.version, cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), date: new Date().toISOString(), rows: json }, null, 2));
}
