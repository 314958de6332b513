/**
 * The other direction of the peer matrix: signatures made by the five
 * independent implementations (test/interop/, see test/interop-peers.test.ts)
 * are verified by this library's `createVerifier`.
 *
 * For every peer and every signing vector the peer passed (it produced the
 * vector's signature), the request the vector describes (its URL and query,
 * its form or raw body under its content type) is sent to a verifier with the
 * peer's own `Authorization` header, as the peer formatted it. Where a peer
 * gives no header (PECL oauth cannot write a realm, and writes
 * oauth_callback / oauth_verifier only in requests it sends itself), the
 * header is built from the peer's signature and the vector's protocol
 * parameters. The verifier knows the vector's client secret (or the public
 * half of the vectors/keys/ RSA key) and token secret, allows every method,
 * PLAINTEXT over http and requests without a token, and its clock is the
 * vector's timestamp. Each request must be accepted; the same request with
 * one character of the signature changed must be refused with 401
 * signature_invalid.
 *
 * Signatures a peer made differently from the vector (its deviations) are
 * sent too and only counted: the verifier follows RFC 5849, so it refuses
 * most of them, and that is reported, not failed.
 *
 * Last, the committed record of what the peers do
 * (vectors/generate/peer-results.json, from which the vectors' confirmed_by
 * is generated) must be what the installed peers do:
 * `node vectors/generate/record_peers.mjs --check`.
 *
 * Peers whose packages are missing are skipped with the reason outside CI and
 * fail the run in CI (`CI` set), as in test/interop-peers.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OAuthError, type HttpRequestLike } from '../src/index.js';
import { authorizationFor, enc, requestFor, verifierFor, type Pair, type SignInput as Input, type VectorRequest } from './helpers/sign-vectors.js';
import { INTEROP_DIR, PEERS, ROOT, classify, loadSignVectors, runAll, type AdapterOutput, type Peer } from './interop/peers.js';



const vectors = loadSignVectors();

/**
 * The liboauth adapter is a compiled program that test/interop-peers.test.ts
 * builds into .tmp/interop/ when it starts; test files run in parallel, so
 * this file builds its own copy in a directory of its own instead of racing
 * that build. Every other peer is used as it is.
 */
const ownBuilds: string[] = [];
function ownCopy(peer: Peer): Peer {
  if (peer.id !== 'liboauth') return peer;
  const dir = mkdtempSync(join(tmpdir(), 'oauth1-liboauth-'));
  ownBuilds.push(dir);
  const binary = join(dir, 'liboauth_sign');
  return {
    ...peer,
    command: () => [binary],
    batchCommand: () => [binary, '--jsonl'],
    prepare() {
      const build = spawnSync('sh', [join(INTEROP_DIR, 'build-liboauth.sh'), binary], { encoding: 'utf8', timeout: 120_000 });
      if (build.status === 0 && existsSync(binary)) return { ok: true, reason: 'liboauth adapter built' };
      const why = build.error?.message ?? (build.stderr || build.stdout || '').trim().split('\n').slice(-3).join(' | ');
      return { ok: false, reason: `cannot build test/interop/liboauth_sign.c (${why}); install the Debian packages: apt-get install -y ${peer.packages.join(' ')}` };
    },
  };
}
afterAll(() => {
  for (const dir of ownBuilds) rmSync(dir, { recursive: true, force: true });
});

/** RFC 5849 §3.6 percent-encoding, written here so the request is not built by the code under test. */
/** The same request with one character of its oauth_signature changed. */
function withFlippedSignature(req: VectorRequest): VectorRequest {
  const headers = req.headers.map(([n, v]): Pair => {
    if (n !== 'Authorization') return [n, v];
    return [
      n,
      v.replace(/(oauth_signature\s*=\s*")([^"]*)"/, (_m, head: string, value: string) => {
        // Change a letter or digit of the decoded signature, then encode it again as the peer did.
        const raw = decodeURIComponent(value);
        const i = raw.search(/[A-Za-z0-9]/);
        const flipped = i < 0 ? `A${raw}` : raw.slice(0, i) + (raw[i] === 'A' ? 'B' : 'A') + raw.slice(i + 1);
        return `${head}${enc(flipped)}"`;
      }),
    ];
  });
  return { ...req, headers };
}

type Outcome = { status: number; problem?: string; message?: string };

async function answer(input: Input, req: HttpRequestLike): Promise<Outcome> {
  try {
    await verifierFor(input).verify(req);
    return { status: 200 };
  } catch (err) {
    if (err instanceof OAuthError) return { status: err.status, problem: err.problem, message: err.message };
    throw err; // a TypeError or a crash is never an answer
  }
}

/** The peer's own header, or one built from its signature; undefined when it gave no signature. */
function peerHeader(input: Input, out: AdapterOutput): { header: string; built: boolean } | undefined {
  if (typeof out.authorization === 'string') return { header: out.authorization, built: false };
  if (typeof out.signature === 'string') return { header: authorizationFor(input, out.signature), built: true };
  return undefined;
}

for (const peer of PEERS.map(ownCopy)) {
  const status = peer.prepare();
  const skip = !status.ok && !process.env['CI'];
  if (!status.ok) {
    if (skip) console.warn(`[interop-peers-verify] ${peer.id} skipped: ${status.reason}`);
    describe.skipIf(skip)(`${peer.name} signatures verified by createVerifier${skip ? ` (skipped: ${status.reason})` : ''}`, () => {
      it('has its toolchain installed', () => {
        throw new Error(`${peer.id} cannot run: ${status.reason}`);
      });
    });
    continue;
  }

  // One batch run per peer, at collection time, so that every passed vector is its own test.
  const outcomes = runAll(peer, vectors.map((v) => v.input));
  const rows = vectors.map((v, i) => ({ v, outcome: outcomes[i]!, status: classify(v, outcomes[i]!).status }));
  const signedOk = (o: (typeof rows)[number]['outcome']): o is { ok: true; output: AdapterOutput } => o.ok && typeof o.output.signature === 'string' && o.output.error === undefined;
  const passed = rows.filter((r) => r.status === 'pass' && r.v.result !== 'invalid' && signedOk(r.outcome));
  const deviating = rows.filter((r) => (r.status === 'fail' || r.status === 'acceptable-differs') && r.v.result !== 'invalid' && signedOk(r.outcome));

  const tally = { accepted: 0, sameAsVector: 0, tamperedRefused: 0, builtHeaders: 0 };

  describe(`${peer.name} signatures verified by createVerifier`, () => {
    it('passed signing vectors to verify', () => {
      expect(passed.length).toBeGreaterThan(40);
    });

    it.each(passed.map((r) => [r.v.id, r] as const))('%s: accepted, and refused with one signature character changed', async (_id, r) => {
      const input = r.v.input as unknown as Input;
      const output = (r.outcome as { ok: true; output: AdapterOutput }).output;
      const { header, built } = peerHeader(input, output)!;
      if (built) tally.builtHeaders++;
      const req = requestFor(input, header);
      const got = await answer(input, req);
      if (r.v.result === 'acceptable') {
        // An acceptable vector may be one the verifier refuses whoever signed it (a stale
        // oauth_signature in the query next to the header: RFC 5849 §3.5, one location only).
        // Then the peer's request must get the same answer as the vector's own.
        const own = await answer(input, requestFor(input, r.v.expected.authorization!));
        if (own.status !== 200) {
          expect({ status: got.status, problem: got.problem }).toEqual({ status: own.status, problem: own.problem });
          tally.sameAsVector++;
          return;
        }
      }
      expect(got, `${built ? 'header built from the peer signature' : 'the peer header'}: ${header}; ${req.method} ${req.url}`).toEqual({ status: 200 });
      tally.accepted++;
      const forged = withFlippedSignature(req);
      expect(forged.headers, 'the signature was changed').not.toEqual(req.headers);
      const refused = await answer(input, forged);
      const sent = forged.headers.find(([n]) => n === 'Authorization')![1];
      expect({ status: refused.status, problem: refused.problem }, `${refused.message ?? ''}; sent ${sent}`).toEqual({ status: 401, problem: 'signature_invalid' });
      tally.tamperedRefused++;
    });

    it('signatures the peer made differently from the vector: what the verifier says is recorded', async () => {
      const said: Record<string, string[]> = {};
      for (const r of deviating) {
        const input = r.v.input as unknown as Input;
        const output = (r.outcome as { ok: true; output: AdapterOutput }).output;
        const got = await answer(input, requestFor(input, peerHeader(input, output)!.header));
        const key = got.status === 200 ? 'accepted' : `${got.status} ${got.problem}`;
        (said[key] ??= []).push(r.v.id);
      }
      console.info(
        `[interop-peers-verify] ${peer.id}: ${passed.length} signatures of passed vectors: ${tally.accepted} accepted, ` +
          `${tally.tamperedRefused} refused with one character changed, ${tally.sameAsVector} refused like the vector's own request ` +
          `(${tally.builtHeaders} headers built from the peer's signature); ` +
          `${deviating.length} deviating signatures: ${JSON.stringify(Object.fromEntries(Object.entries(said).map(([k, ids]) => [k, ids.length])))}` +
          (said['accepted'] ? ` (accepted: ${said['accepted'].join(', ')})` : ''),
      );
      expect(Object.values(said).flat()).toHaveLength(deviating.length);
    });
  });
}

describe('the committed record of the peers (vectors/generate/peer-results.json)', () => {
  const missing = PEERS.map(ownCopy).map((p) => ({ id: p.id, ...p.prepare() })).filter((s) => !s.ok);
  const php = spawnSync('php', ['-r', 'exit(class_exists("OAuthProvider") ? 0 : 1);'], { encoding: 'utf8' });
  if (php.status !== 0) missing.push({ id: 'pecl-oauth (OAuthProvider)', ok: false, reason: 'php with the oauth extension is needed for the verify vectors' });
  const skip = missing.length > 0 && !process.env['CI'];
  const why = missing.map((m) => `${m.id}: ${m.reason}`).join('; ');
  it.skipIf(skip)(`is what the installed peers do (record_peers.mjs --check)${skip ? ` (skipped: ${why})` : ''}`, () => {
    if (missing.length) throw new Error(`cannot check the record: ${why}`);
    const run = spawnSync(process.execPath, [join(ROOT, 'vectors', 'generate', 'record_peers.mjs'), '--check'], { encoding: 'utf8', timeout: 120_000, cwd: ROOT });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  }, 150_000);
});
