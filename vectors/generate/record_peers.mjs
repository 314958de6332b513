#!/usr/bin/env node
/**
 * Records what five independent OAuth 1.0 implementations ("peers") make of
 * every vector, for generate.py and generate_verify.py, which fill each
 * vector's `confirmed_by` (and `confirmation_note`) from the record.
 *
 *     node vectors/generate/record_peers.mjs          # run the peers, write peer-results.json
 *     node vectors/generate/record_peers.mjs --check  # run the peers, compare with the committed file
 *
 * Signing vectors (kind "sign"): every vector goes through every peer's
 * conformance adapter (test/interop/, run in their --jsonl batch mode) and is
 * classified exactly as test/interop-peers.test.ts classifies it: the code
 * that runs the adapters and compares their output with the vector
 * (test/interop/peers.ts) is loaded as it is, through Vite's module runner.
 *
 * Verification vectors (kind "verify"): of the five peers only PECL oauth has
 * a verifier that decides a whole request (OAuthProvider); python3-oauthlib's
 * endpoints are run by generate_verify.py itself. Each vector's requests are
 * sent, in order and byte for byte, to test/interop/pecl_provider.php under
 * PHP's built-in server, configured with the file's server and the vector's
 * policy (a fresh nonce store per vector). The request goes to the loopback
 * address with the vector URL's authority as `Host` and its scheme as
 * `X-Forwarded-Proto`, which is how OAuthProvider learns the URL a client
 * addressed behind a TLS-terminating proxy. As for oauthlib, a vector passes
 * when PECL accepts and refuses exactly the requests whose main answer is
 * accepted and refused; a vector with a request signed by a method
 * OAuthProvider cannot verify is "unsupported".
 *
 * The record (vectors/generate/peer-results.json) holds, per vector id and
 * peer, one of pass | fail | unsupported | error | acceptable-differs (an
 * `acceptable` vector answered the other reasonable way), the reason for
 * every result that is not a pass, the Debian package versions and the date.
 * --check runs everything again and exits 1 when a result or a reason
 * differs (the date and the versions are reported, not compared). Every peer
 * must be installed: a record with a peer missing would be a different
 * record. Debian packages: see docs/interop.md ("Reproducing").
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const VECTORS = dirname(HERE);
const ROOT = dirname(VECTORS);
const RECORD = join(HERE, 'peer-results.json');
const PROVIDER = join(ROOT, 'test', 'interop', 'pecl_provider.php');

/** Signature methods OAuthProvider (PECL oauth 2.0.7) cannot verify: RSA-SHA1 because it verifies by signing again, which needs a private key it cannot be given; the others it does not know. */
const PECL_CANNOT_VERIFY = {
  'RSA-SHA1': 'OAuthProvider cannot verify RSA-SHA1: it checks a signature by computing it again, which needs the client\'s private key, and it takes no key',
  'RSA-SHA256': 'OAuthProvider has no RSA-SHA256',
  'RSA-SHA512': 'OAuthProvider has no RSA-SHA512',
  'HMAC-SHA512': 'OAuthProvider has no HMAC-SHA512',
};

/** The adapter each peer's signing results come from (peers.ts runs them). */
const ADAPTERS = {
  'python3-oauthlib': 'test/interop/oauthlib_sign.py',
  liboauth: 'test/interop/liboauth_sign.c',
  'pecl-oauth': 'test/interop/pecl_sign.php',
  'perl-net-oauth': 'test/interop/perl_sign.pl',
  'ruby-oauth': 'test/interop/ruby_sign.rb',
};

async function loadPeers() {
  let runnerImport;
  try {
    ({ runnerImport } = await import('vite'));
  } catch (err) {
    throw new Error(`record_peers.mjs loads test/interop/peers.ts through Vite (a dependency of vitest); run npm ci first (${err.message})`);
  }
  const { module } = await runnerImport(join(ROOT, 'test', 'interop', 'peers.ts'), { configFile: false, logLevel: 'error', root: ROOT });
  return module;
}

// ---------------------------------------------------------------------------
// Signing vectors through the five adapters.

/**
 * The liboauth adapter is compiled; test/interop-peers.test.ts builds it into
 * .tmp/interop/ and may do so while this script runs (the tests run it), so
 * this script builds its own copy in a directory of its own.
 */
function ownCopy(P, peer, dir) {
  if (peer.id !== 'liboauth') return peer;
  const binary = join(dir, 'liboauth_sign');
  return {
    ...peer,
    command: () => [binary],
    batchCommand: () => [binary, '--jsonl'],
    prepare() {
      const build = spawnSync('sh', [join(P.INTEROP_DIR, 'build-liboauth.sh'), binary], { encoding: 'utf8', timeout: 120_000 });
      if (build.status === 0 && existsSync(binary)) return { ok: true, reason: 'liboauth adapter built' };
      const why = build.error?.message ?? (build.stderr || build.stdout || '').trim().split('\n').slice(-3).join(' | ');
      return { ok: false, reason: `cannot build test/interop/liboauth_sign.c (${why}); install: apt-get install -y ${peer.packages.join(' ')}` };
    },
  };
}

function recordSign(P) {
  const vectors = P.loadSignVectors();
  const inputs = vectors.map((v) => v.input);
  const peers = {};
  const results = Object.fromEntries(vectors.map((v) => [v.id, {}]));
  const details = {};
  const buildDir = mkdtempSync(join(tmpdir(), 'oauth1-record-liboauth-'));
  try {
    for (const original of P.PEERS) {
      const peer = ownCopy(P, original, buildDir);
      recordPeer(P, peer, vectors, inputs, peers, results, details);
    }
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
  return { peers, results, details, count: vectors.length };
}

function recordPeer(P, peer, vectors, inputs, peers, results, details) {
  const status = peer.prepare();
  if (!status.ok) throw new Error(`${peer.id} cannot run: ${status.reason}`);
  const started = Date.now();
  const outcomes = P.runAll(peer, inputs);
  peers[peer.id] = { name: peer.name, adapter: ADAPTERS[peer.id] ?? null, packages: P.packageVersions(peer.versionPackages) };
  vectors.forEach((v, i) => {
    const c = P.classify(v, outcomes[i]);
    results[v.id][peer.id] = c.status;
    if (c.status !== 'pass') (details[v.id] ??= {})[peer.id] = c.detail;
  });
  const counts = {};
  for (const v of vectors) counts[results[v.id][peer.id]] = (counts[results[v.id][peer.id]] ?? 0) + 1;
  console.log(`sign   ${peer.id.padEnd(17)} ${JSON.stringify(counts)} (${Date.now() - started} ms)`);
}

// ---------------------------------------------------------------------------
// Verification vectors through PECL oauth's OAuthProvider.

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Sends raw bytes to 127.0.0.1:port and resolves with {status, body} once the server closes the connection. */
function exchange(port, bytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(15_000, () => socket.destroy(new Error('no answer within 15 s')));
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (!m) return reject(new Error(`not an HTTP response: ${text.slice(0, 200)}`));
      const at = text.indexOf('\r\n\r\n');
      resolve({ status: Number(m[1]), body: at < 0 ? '' : text.slice(at + 4) });
    });
  });
}

/** The bytes of one HTTP/1.1 request, sent to the loopback server as if it were the vector URL's host. */
function wire({ method, url, headers, body }) {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/.exec(url);
  if (!m) throw new Error(`cannot split URL ${url}`);
  const [, scheme, authority, rest] = m;
  const target = rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest;
  const payload = body === null || body === undefined ? Buffer.alloc(0) : Buffer.from(body, 'utf8');
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${authority}`, `X-Forwarded-Proto: ${scheme.toLowerCase()}`];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  if (payload.length > 0 || body !== null) lines.push(`Content-Length: ${payload.length}`);
  lines.push('Connection: close', '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'utf8'), payload]);
}

function post(port, path, json) {
  const body = JSON.stringify(json);
  return exchange(port, wire({ method: 'POST', url: `http://127.0.0.1:${port}${path}`, headers: [['Content-Type', 'application/json']], body }));
}

async function startProvider() {
  const state = mkdtempSync(join(tmpdir(), 'oauth1-pecl-provider-'));
  const port = await freePort();
  const child = spawn('php', ['-S', `127.0.0.1:${port}`, PROVIDER], { env: { ...process.env, PECL_PROVIDER_STATE: state }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (c) => (log += c));
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(state, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    try {
      const r = await post(port, '/__config', {});
      if (r.status === 200) return { port, stop, hello: JSON.parse(r.body) };
    } catch {
      /* not listening yet */
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  stop();
  throw new Error(`php -S did not start test/interop/pecl_provider.php: ${log.trim().slice(-500)}`);
}

/** The oauth_signature_method a request announces (header, then query, then body), if any. */
function methodOf(request) {
  const decode = (x) => {
    try {
      return decodeURIComponent(x.replace(/\+/g, ' '));
    } catch {
      return x;
    }
  };
  for (const [name, value] of request.headers) {
    const m = name.toLowerCase() === 'authorization' ? /oauth_signature_method\s*=\s*"([^"]*)"/.exec(value) : null;
    if (m) return decode(m[1]);
  }
  const query = request.url.split('#')[0].split('?').slice(1).join('?');
  for (const text of [query, request.body ?? '']) {
    const m = /(?:^|&)oauth_signature_method=([^&]*)/.exec(text);
    if (m) return decode(m[1]);
  }
  return undefined;
}

async function recordVerify() {
  const files = readdirSync(VECTORS)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json' && !f.startsWith('peer-'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(VECTORS, f), 'utf8')))
    .filter((d) => d.kind === 'verify');
  const provider = await startProvider();
  const results = {};
  const details = {};
  const problems = { same: 0, differs: 0 };
  const started = Date.now();
  try {
    for (const file of files) {
      for (const v of file.vectors) {
        const config = await post(provider.port, '/__config', { clients: file.server.clients, tokens: file.server.tokens, policy: v.policy });
        if (config.status !== 200) throw new Error(`configuring ${v.id}: ${config.status} ${config.body}`);
        const answers = [];
        for (const r of v.requests) {
          const got = await exchange(provider.port, wire(r));
          let parsed = {};
          try {
            parsed = JSON.parse(got.body);
          } catch {
            /* reported below */
          }
          answers.push({ status: got.status, problem: parsed.problem, message: parsed.message });
        }
        const unverifiable = v.requests.map(methodOf).find((m) => m && PECL_CANNOT_VERIFY[m]);
        const said = answers.map((a, i) => `request ${i + 1} ${a.status === 200 ? 'accepted' : `refused ${a.status} ${a.problem}`}`).join(', ');
        let status;
        let detail;
        if (answers.some((a) => a.status >= 500 || (a.status !== 200 && !a.problem))) {
          status = 'error';
          detail = `the provider failed: ${answers.map((a) => `${a.status} ${a.message ?? ''}`).join('; ')}`;
        } else if (unverifiable) {
          status = 'unsupported';
          detail = PECL_CANNOT_VERIFY[unverifiable];
        } else {
          const match = answers.every((a, i) => (a.status === 200) === (v.expected[i].status === 200));
          status = match ? 'pass' : 'fail';
          if (!match) detail = said;
          answers.forEach((a, i) => {
            if (a.status !== 200 && v.expected[i].status !== 200) problems[a.problem === v.expected[i].problem ? 'same' : 'differs']++;
          });
        }
        results[v.id] = { 'pecl-oauth': status };
        if (detail) details[v.id] = { 'pecl-oauth': detail };
      }
    }
  } finally {
    provider.stop();
  }
  const counts = {};
  for (const r of Object.values(results)) counts[r['pecl-oauth']] = (counts[r['pecl-oauth']] ?? 0) + 1;
  console.log(`verify pecl-oauth        ${JSON.stringify(counts)} (${Date.now() - started} ms); refusals with the expected problem code: ${problems.same}, another code: ${problems.differs}`);
  return { results, details, count: Object.keys(results).length, provider: provider.hello };
}

// ---------------------------------------------------------------------------

function osName() {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? process.platform;
  } catch {
    return process.platform;
  }
}

function comparable(record) {
  return JSON.stringify({ sign: record.sign, verify: record.verify, details: record.details });
}

async function main(argv) {
  const check = argv.includes('--check');
  const P = await loadPeers();
  const sign = recordSign(P);
  const verify = await recordVerify();
  const details = {};
  for (const [id, byPeer] of [...Object.entries(sign.details), ...Object.entries(verify.details)]) details[id] = { ...details[id], ...byPeer };
  const peers = sign.peers;
  peers['pecl-oauth'].verifier = relative(ROOT, PROVIDER);
  const record = {
    description:
      'What five independent OAuth 1.0 implementations make of every vector: per vector id and peer, pass, fail, unsupported, error or acceptable-differs (vectors/README.md, "Running the vectors"; verification vectors: whether the peer accepts and refuses exactly the requests the vector accepts and refuses), and in "details" the reason for every result that is not a pass. Written by vectors/generate/record_peers.mjs; read by generate.py and generate_verify.py to fill confirmed_by. Do not edit by hand.',
    recorded: new Date().toISOString().slice(0, 10),
    platform: `${osName()}, ${process.arch}, Node.js ${process.version}, PHP ${verify.provider.php} with oauth ${verify.provider.oauth}`,
    peers,
    sign: sign.results,
    verify: verify.results,
    details,
  };
  const text = JSON.stringify(record, null, 2) + '\n';
  if (check) {
    let committed;
    try {
      committed = JSON.parse(readFileSync(RECORD, 'utf8'));
    } catch (err) {
      console.error(`cannot read ${relative(ROOT, RECORD)}: ${err.message}`);
      return 1;
    }
    for (const [id, peer] of Object.entries(peers)) {
      const before = JSON.stringify(committed.peers?.[id]?.packages ?? {});
      if (before !== JSON.stringify(peer.packages)) console.log(`note: ${id} packages ${before} recorded, ${JSON.stringify(peer.packages)} installed`);
    }
    if (comparable(committed) !== comparable(record)) {
      for (const part of ['sign', 'verify', 'details']) {
        const ids = new Set([...Object.keys(committed[part] ?? {}), ...Object.keys(record[part])]);
        for (const id of ids) {
          const a = JSON.stringify(committed[part]?.[id]);
          const b = JSON.stringify(record[part][id]);
          if (a !== b) console.log(`differs: ${part} ${id}: recorded ${a}, now ${b}`);
        }
      }
      console.log(`${relative(ROOT, RECORD)} is out of date (recorded ${committed.recorded}): run node vectors/generate/record_peers.mjs, then the generators`);
      return 1;
    }
    console.log(`${relative(ROOT, RECORD)} matches what the installed peers do (${sign.count} sign vectors x ${Object.keys(peers).length} peers, ${verify.count} verify vectors through OAuthProvider)`);
    return 0;
  }
  writeFileSync(RECORD, text);
  console.log(`wrote ${relative(ROOT, RECORD)}: ${sign.count} sign vectors x ${Object.keys(peers).length} peers, ${verify.count} verify vectors through OAuthProvider`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`record_peers.mjs: ${err.stack ?? err}`);
    process.exit(2);
  },
);
