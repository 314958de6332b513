/**
 * Runs the verification vectors (vectors/verify-*.json, kind "verify")
 * through the public verifier API, and checks that every valid signing
 * vector, presented with its expected signature, is accepted by the verifier.
 */
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  createMemoryNonceStore,
  createVerifier,
  OAuthError,
  type ClientRecord,
  type TokenRecord,
} from '../src/index.js';
import { oauthlibStatus, PYTHON } from './helpers/python.js';
import { authorizationFor, requestFor, verifierFor as signVectorVerifier, VECTOR_RSA_PUBLIC, type SignInput } from './helpers/sign-vectors.js';

// ---------------------------------------------------------------------------
// The corpus.

type Pair = [string, string];
interface Answer {
  status: 200 | 400 | 401;
  problem?: string;
}
interface ExpectedAnswer extends Answer {
  alternatives?: Answer[];
}
interface Policy {
  now: number;
  signature_methods: string[];
  timestamp_window: { past: number; future: number };
  token_required: boolean;
  allow_plaintext_over_http: boolean;
  require_body_hash: boolean;
}
interface HttpRequest {
  method: string;
  url: string;
  headers: Pair[];
  body: string | null;
}
interface VerifyVector {
  id: string;
  policy: Policy;
  requests: HttpRequest[];
  expected: ExpectedAnswer[];
  result: 'valid' | 'invalid' | 'acceptable';
}
interface Server {
  clients: Record<string, { secret?: string; rsa_public_key_pem?: string; signature_methods?: string[] }>;
  tokens: Record<string, { secret: string; revoked: boolean }>;
}
interface SignVector {
  id: string;
  input: SignInput;
  expected: { signature?: string; authorization?: string };
  result: 'valid' | 'invalid' | 'acceptable';
}
interface VectorFile<V> {
  kind: string;
  server?: Server;
  vectors: V[];
}

const dir = new URL('../vectors/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'schema.json')
  .sort()
  .map((name) => ({ name, data: JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as VectorFile<unknown> }));
const verifyFiles = files.filter((f) => f.data.kind === 'verify') as Array<{ name: string; data: VectorFile<VerifyVector> }>;
const signFiles = files.filter((f) => f.data.kind === 'sign') as Array<{ name: string; data: VectorFile<SignVector> }>;

// ---------------------------------------------------------------------------
// Helpers.

/** What the verifier answers: 200, or the status and problem of its OAuthError. */
type Outcome = { status: number; problem?: string };

async function answer(verify: () => Promise<unknown>): Promise<Outcome> {
  try {
    await verify();
    return { status: 200 };
  } catch (err) {
    if (err instanceof OAuthError) return { status: err.status, problem: err.problem };
    throw err; // a TypeError or a crash is never an acceptable answer
  }
}

function allowed(expected: ExpectedAnswer, result: VerifyVector['result']): Answer[] {
  const primary: Answer = expected.problem === undefined ? { status: expected.status } : { status: expected.status, problem: expected.problem };
  return result === 'acceptable' ? [primary, ...(expected.alternatives ?? [])] : [primary];
}

function sameAnswer(got: Outcome, want: Answer): boolean {
  return got.status === want.status && (want.status === 200 || got.problem === want.problem);
}

function verifierFor(server: Server, policy: Policy) {
  const clients = new Map<string, ClientRecord>(
    Object.entries(server.clients).map(([key, c]) => [
      key,
      {
        ...(c.secret !== undefined ? { secret: c.secret } : {}),
        ...(c.rsa_public_key_pem !== undefined ? { publicKey: c.rsa_public_key_pem } : {}),
        ...(c.signature_methods !== undefined ? { signatureMethods: c.signature_methods } : {}),
      },
    ]),
  );
  const tokens = new Map<string, TokenRecord>(Object.entries(server.tokens).map(([key, t]) => [key, { secret: t.secret, revoked: t.revoked }]));
  return createVerifier({
    lookupClient: (key) => clients.get(key),
    lookupToken: (token) => tokens.get(token),
    signatureMethods: policy.signature_methods,
    allowPlaintextOverHttp: policy.allow_plaintext_over_http,
    timestampWindow: { past: policy.timestamp_window.past, future: policy.timestamp_window.future },
    clock: () => policy.now * 1000,
    tokenRequired: policy.token_required,
    requireBodyHash: policy.require_body_hash,
    nonceStore: createMemoryNonceStore(),
  });
}

// ---------------------------------------------------------------------------
// (a) Verification vectors.

describe('verification vectors', () => {
  it('exist, one file per concern', () => {
    expect(verifyFiles.map((f) => f.name)).toEqual(
      expect.arrayContaining(['verify-accept.json', 'verify-replay-and-time.json', 'verify-signature.json', 'verify-syntax.json']),
    );
  });

  // The generator re-signs every request, re-checks each case with its own
  // model and re-runs python3-oauthlib; the committed files must be its output.
  const oauthlib = oauthlibStatus();
  it.skipIf(!oauthlib.ok)(`are what vectors/generate/generate_verify.py writes (${oauthlib.reason})`, () => {
    const script = fileURLToPath(new URL('generate/generate_verify.py', dir));
    const run = spawnSync(PYTHON, [script, '--check'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  for (const { name, data } of verifyFiles) {
    describe(name, () => {
      it('is self-consistent: one answer per request, result matching the answers', () => {
        expect(data.server, 'a verify file defines its server').toBeDefined();
        for (const v of data.vectors) {
          expect(v.expected.length, v.id).toBe(v.requests.length);
          const hasAlternatives = v.expected.some((e) => e.alternatives !== undefined);
          const allAccepted = v.expected.every((e) => e.status === 200);
          const want = hasAlternatives ? 'acceptable' : allAccepted ? 'valid' : 'invalid';
          expect(v.result, v.id).toBe(want);
        }
      });

      it.each(data.vectors.map((v) => [v.id, v] as const))('%s', async (_id, v) => {
        const verifier = verifierFor(data.server!, v.policy);
        const got: Outcome[] = [];
        for (const r of v.requests) {
          got.push(await answer(() => verifier.verify({ method: r.method, url: r.url, headers: r.headers, body: r.body ?? undefined })));
        }
        got.forEach((g, i) => {
          const ok = allowed(v.expected[i]!, v.result);
          expect(
            ok.some((a) => sameAnswer(g, a)),
            `request ${i + 1}: got ${JSON.stringify(g)}, expected ${ok.map((a) => JSON.stringify(a)).join(' or ')}`,
          ).toBe(true);
        });
      });
    });
  }
});

// ---------------------------------------------------------------------------
// (b) Every valid signing vector, presented with its expected signature, is accepted.

/** The HTTP request a signing vector describes, with its expected signature in the Authorization header. */
function requestOf(v: SignVector) {
  return requestFor(v.input, v.expected.authorization ?? authorizationFor(v.input, v.expected.signature!));
}

describe('every signing vector, presented with its expected signature, is accepted', () => {
  it('the RSA vectors use the keys/ test key', () => {
    const pems = new Set(signFiles.flatMap((f) => f.data.vectors.map((v) => v.input.rsa_private_key_pem).filter((p): p is string => p !== null)));
    expect(pems.size).toBeGreaterThan(0);
    for (const pem of pems) {
      expect(createPublicKey(pem).export({ type: 'spki', format: 'pem' })).toBe(VECTOR_RSA_PUBLIC);
    }
  });

  for (const { name, data } of signFiles) {
    const valid = data.vectors.filter((v) => v.result === 'valid');
    if (valid.length === 0) continue;
    describe(name, () => {
      it.each(valid.map((v) => [v.id, v] as const))('%s', async (_id, v) => {
        const verifier = signVectorVerifier(v.input);
        const req = requestOf(v);
        const sent = /oauth_signature="([^"]*)"/.exec(req.headers.find(([n]) => n === 'Authorization')![1]);
        expect(decodeURIComponent(sent![1]!), 'the header carries the expected signature').toBe(v.expected.signature);
        expect(await answer(() => verifier.verify(req))).toEqual({ status: 200 });
        // The same request with its signature changed is refused: the check above is not vacuous.
        const forged = { ...req, headers: req.headers.map(([n, val]): Pair => [n, n === 'Authorization' ? val.replace(/oauth_signature="[^"]*"/, 'oauth_signature="AAAA"') : val]) };
        expect(await answer(() => verifier.verify(forged))).toEqual({ status: 401, problem: 'signature_invalid' });
      });
    });
  }
});
