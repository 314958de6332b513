#!/usr/bin/env node
// The web build's signing cost against the Node build's, in one run on one
// machine: both builds loaded side by side in this Node process (Node has
// WebCrypto too), the same requests, the same credentials.
//
//   npm run build && node test/bench/web.bench.mjs          (mitata report + summary)
//   node test/bench/web.bench.mjs --quiet                    (summary only)
//
// Not a test: nothing here runs in `npm test`. See test/bench/README.md.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { bench, group, run } from 'mitata';

const root = new URL('../../', import.meta.url);
const node = await import(pathToFileURL(new URL('dist/index.js', root).pathname).href);
const web = await import(pathToFileURL(new URL('dist/web/index.js', root).pathname).href);

const CLIENT = { key: 'bench-consumer-7Yq2xK', secret: 'bench-consumer-secret-T4nP9wLr2Zs8' };
const TOKEN = { key: '4201337-bench-token-Vw3kQe8Rj', secret: 'bench-token-secret-Hm5sYc1Ua7' };
const GET = { method: 'GET', url: 'https://api.example.com/1.1/statuses/user_timeline.json?screen_name=oauth%20bench&count=20&include_rts=false' };
const FIXED = { nonce: 'c2a4f0d2b9e14f55a1d3e6b7c8f90a1b', timestamp: 1700000000 };
const PEM = readFileSync(new URL('test/fixtures/rsa-private-pkcs8.pem', root), 'utf8');
const CERT = readFileSync(new URL('test/fixtures/rsa-cert.pem', root), 'utf8');

const scenarios = {
  'HMAC-SHA1': { client: CLIENT, token: TOKEN, ...FIXED },
  'HMAC-SHA256': { client: CLIENT, token: TOKEN, signatureMethod: 'HMAC-SHA256', ...FIXED },
  'RSA-SHA256': { client: { key: CLIENT.key, privateKey: PEM }, signatureMethod: 'RSA-SHA256', ...FIXED },
};

// Before timing: both builds sign alike, and the web build's sync sign() refuses HMAC.
for (const [name, opts] of Object.entries(scenarios)) {
  const a = node.sign(GET, opts);
  const b = await web.signAsync(GET, opts);
  if (a.headers.Authorization !== b.headers.Authorization) throw new Error(`${name}: the builds disagree`);
}
try {
  web.sign(GET, scenarios['HMAC-SHA1']);
  throw new Error('the web build signed HMAC synchronously');
} catch (err) {
  if (err.code !== 'ERR_SYNC_CRYPTO_UNAVAILABLE') throw err;
}

const verifierOf = (lib, record) =>
  lib.createVerifier({
    lookupClient: () => record,
    lookupToken: () => ({ secret: TOKEN.secret }),
    tokenRequired: false,
    nonceStore: { consume: () => true }, // the same request verified again and again
    clock: () => FIXED.timestamp * 1000,
  });
const hmacSigned = node.sign(GET, scenarios['HMAC-SHA1']);
const rsaSigned = node.sign(GET, scenarios['RSA-SHA256']);
const verifiers = {
  node: { hmac: verifierOf(node, { secret: CLIENT.secret }), rsa: verifierOf(node, { publicKey: CERT }) },
  web: { hmac: verifierOf(web, { secret: CLIENT.secret }), rsa: verifierOf(web, { publicKey: CERT }) },
};
const request = (signed) => ({ method: 'GET', url: signed.url, headers: signed.headers });

const rows = [];
const row = (groupName, name, fn) => rows.push({ group: groupName, name, fn });
for (const [name, opts] of Object.entries(scenarios)) {
  row(`sign ${name}`, `node build: sign()`, () => node.sign(GET, opts));
  row(`sign ${name}`, `node build: signAsync()`, () => node.signAsync(GET, opts));
  row(`sign ${name}`, `web build: signAsync()`, () => web.signAsync(GET, opts));
}
row('verify HMAC-SHA1', 'node build: verify()', () => verifiers.node.hmac.verify(request(hmacSigned)));
row('verify HMAC-SHA1', 'web build: verify()', () => verifiers.web.hmac.verify(request(hmacSigned)));
row('verify RSA-SHA256', 'node build: verify()', () => verifiers.node.rsa.verify(request(rsaSigned)));
row('verify RSA-SHA256', 'web build: verify()', () => verifiers.web.rsa.verify(request(rsaSigned)));
// Sixty-four signatures started at once: what a server signing many calls sees.
row('64 concurrent HMAC-SHA1 signAsync()', 'node build', () => Promise.all(Array.from({ length: 64 }, () => node.signAsync(GET, scenarios['HMAC-SHA1']))));
row('64 concurrent HMAC-SHA1 signAsync()', 'web build', () => Promise.all(Array.from({ length: 64 }, () => web.signAsync(GET, scenarios['HMAC-SHA1']))));

// --rounds=N times the whole set N times, interleaved, and keeps each row's
// round with the lowest median: a burst of other work on a shared machine
// then spoils one round of a row rather than the row.
const roundsArg = process.argv.find((a) => a.startsWith('--rounds='));
const rounds = roundsArg ? Math.max(1, Number.parseInt(roundsArg.slice('--rounds='.length), 10) || 1) : 1;
const quiet = process.argv.includes('--quiet');
const best = new Map();
for (let round = 1; round <= rounds; round++) {
  for (const g of [...new Set(rows.map((r) => r.group))]) {
    group(g, () => {
      for (const r of rows.filter((x) => x.group === g)) bench(r.name, r.fn);
    });
  }
  const result = await run({ format: quiet || rounds > 1 ? 'quiet' : 'mitata', colors: false });
  // mitata reports the rows in the order they were registered (rows are grouped already).
  result.benchmarks.forEach((b, i) => {
    const st = b.runs[0]?.stats;
    if (st && !(best.get(i)?.p50 <= st.p50)) best.set(i, st);
  });
}

const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(1)} µs` : `${ns.toFixed(0)} ns`);
console.log(`\nnode ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, best of ${rounds} round(s) by median\n`);
console.log('| scenario | row | median | p75 | avg | median × first row |');
console.log('|---|---|---:|---:|---:|---:|');
const base = new Map();
rows.forEach((r, i) => {
  const s = best.get(i);
  if (!s) return;
  if (!base.has(r.group)) base.set(r.group, s.p50);
  console.log(`| ${r.group} | ${r.name} | ${fmt(s.p50)} | ${fmt(s.p75)} | ${fmt(s.avg)} | ${(s.p50 / base.get(r.group)).toFixed(1)}× |`);
});
