#!/usr/bin/env node
// The web build's signing cost against the Node build's, in one run on one
// machine: both builds loaded side by side in this Node process (Node has
// WebCrypto too), the same requests, the same credentials.
//
//   npm run bench:web                                (builds dist/ first)
//   node test/bench/web.bench.mjs --batches=100 --batch-ms=25
//
// Not a test: nothing here runs in `npm test`. See test/bench/README.md.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';

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

// Each scenario compares rows that do the same job. Rows are timed in
// alternating batches (A B A B …, the order flipping every batch), so a burst
// of other work on a shared machine lands on both; each row's figure is the
// median per-call time over its batches, and the ratio is the median of the
// per-batch ratios to the scenario's first row.
const scenariosToTime = [];
const scenario = (name, rows) => scenariosToTime.push({ name, rows });
for (const [name, opts] of Object.entries(scenarios)) {
  scenario(`sign ${name}`, [
    ['node build: sign()', () => node.sign(GET, opts), false],
    ['node build: signAsync()', () => node.signAsync(GET, opts), true],
    ['web build: signAsync()', () => web.signAsync(GET, opts), true],
  ]);
}
scenario('verify HMAC-SHA1', [
  ['node build: verify()', () => verifiers.node.hmac.verify(request(hmacSigned)), true],
  ['web build: verify()', () => verifiers.web.hmac.verify(request(hmacSigned)), true],
]);
scenario('verify RSA-SHA256', [
  ['node build: verify()', () => verifiers.node.rsa.verify(request(rsaSigned)), true],
  ['web build: verify()', () => verifiers.web.rsa.verify(request(rsaSigned)), true],
]);
// Sixty-four signatures started at once: what a server signing many calls sees (per signature).
const burst = (lib) => () => Promise.all(Array.from({ length: 64 }, () => lib.signAsync(GET, scenarios['HMAC-SHA1'])));
scenario('64 concurrent HMAC-SHA1 signAsync(), per signature', [
  ['node build', burst(node), true, 64],
  ['web build', burst(web), true, 64],
]);

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const BATCHES = arg('batches', 60);
const TARGET_MS = arg('batch-ms', 25);

/** Per-call microseconds of `calls` calls (awaited one after the other when async). */
async function batch(fn, isAsync, calls, per) {
  const t0 = performance.now();
  if (isAsync) for (let i = 0; i < calls; i++) await fn();
  else for (let i = 0; i < calls; i++) fn();
  return ((performance.now() - t0) * 1000) / (calls * per);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const table = ['| scenario | row | median per call | p25–p75 | × first row (median of batch ratios) |', '|---|---|---:|---:|---:|'];
for (const { name, rows } of scenariosToTime) {
  // Calibrate: enough calls per batch for ~TARGET_MS, after a warm-up.
  const calls = [];
  for (const [, fn, isAsync, per = 1] of rows) {
    await batch(fn, isAsync, 200 / per, 1);
    const probe = await batch(fn, isAsync, 50, per);
    calls.push(Math.max(5, Math.round((TARGET_MS * 1000) / (probe * per))));
  }
  const times = rows.map(() => []);
  for (let b = 0; b < BATCHES; b++) {
    const order = b % 2 === 0 ? rows.map((_, i) => i) : rows.map((_, i) => rows.length - 1 - i);
    for (const i of order) {
      const [, fn, isAsync, per = 1] = rows[i];
      times[i].push(await batch(fn, isAsync, calls[i], per));
    }
  }
  rows.forEach(([rowName], i) => {
    const sorted = [...times[i]].sort((a, b) => a - b);
    const q = (f) => sorted[Math.floor(f * (sorted.length - 1))];
    const ratio = median(times[i].map((t, b) => t / times[0][b]));
    table.push(`| ${name} | ${rowName} | ${q(0.5).toFixed(1)} µs | ${q(0.25).toFixed(1)}–${q(0.75).toFixed(1)} µs | ${i === 0 ? '1 (ref)' : `${ratio.toFixed(2)}×`} |`);
  });
}
console.log(`\n${BATCHES} alternating batches of ~${TARGET_MS} ms per row; load average at end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
console.log(table.join('\n'));
