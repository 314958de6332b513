// The package in real runtimes: workerd (miniflare), Vercel's edge-runtime,
// Deno, Bun, headless Chromium, and Node. One probe (probe.mjs) runs in each,
// importing 'oauth1' as a user would; the runtime or its bundler picks the
// build by its export conditions. A runtime that cannot start here is
// skipped with the reason; with OAUTH1_REQUIRE_RUNTIMES=1 (CI) it fails.
import { createHmac, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceSignArgs, signConformanceRequest, type ConformanceRequest } from '../../src/conformance/protocol.js';
import { RUNTIMES, removeProjectDir, type ProbeRun } from './harness.js';

const read = (p: string): string => readFileSync(new URL(p, import.meta.url), 'utf8');
type Vector = { id: string; input: ConformanceRequest; result?: string; expected?: { base_string: string; signature: string; authorization: string } };
const load = (f: string): Vector[] => (JSON.parse(read(`../../vectors/${f}.json`)) as { vectors: Vector[] }).vectors;

// X developer documentation, "Creating a signature" (vectors/providers.json).
const X_VECTOR = load('providers').find((v) => v.id === 'x-creating-a-signature-api-twitter-com');
if (X_VECTOR?.expected === undefined) throw new Error('the X/Twitter vector is missing');
const X = X_VECTOR.input;
const X_EXPECTED = X_VECTOR.expected;
const xArgs = conformanceSignArgs(X);
if (!('args' in xArgs)) throw new Error('the X/Twitter vector cannot be signed');
const [xRequest, xOptions] = xArgs.args;

const HMAC_REQUEST = { method: 'GET', url: 'https://api.example.com/1.1/items?page=2&q=caf%C3%A9' };
const HMAC_OPTIONS = { client: { key: 'ck', secret: 'c secret' }, token: { key: 'tk', secret: 't&secret' }, signatureMethod: 'HMAC-SHA256', nonce: 'n-256', timestamp: 1700000000 };
const PRIVATE = read('../fixtures/rsa-private-pkcs1.pem');
const RSA_BASE = 'GET&https%3A%2F%2Fapi.example.com%2Fitems&oauth_consumer_key%3Drsa';

// Every signing vector, as the arguments of signAsync(), with the Node build's result to compare.
const SIGNING_FILES = ['rfc5849-examples', 'community-examples', 'providers', 'encoding', 'parameters', 'base-string-uri', 'signature-methods', 'body'];
const VECTORS = SIGNING_FILES.flatMap(load).flatMap((v) => {
  const prepared = conformanceSignArgs(v.input);
  if (!('args' in prepared)) return [];
  const own = v.result === 'valid' && v.expected?.signature ? { base_string: v.expected.base_string, signature: v.expected.signature } : undefined;
  return [{ id: v.id, args: prepared.args, expected: signConformanceRequest(v.input), own }];
});

const input = {
  x: { request: xRequest, ...xOptions },
  hmac: { request: HMAC_REQUEST, ...HMAC_OPTIONS },
  rsa: { baseString: RSA_BASE, privateKey: PRIVATE, certificate: read('../fixtures/rsa-cert.pem') },
  vectors: VECTORS.map(({ id, args }) => ({ id, args })),
};

const required = process.env['OAUTH1_REQUIRE_RUNTIMES'] === '1';
afterAll(removeProjectDir);
const probe = fileURLToPath(new URL('./probe.mjs', import.meta.url));
// Which build each runtime must get from package.json.
const EXPECTED_BUILD: Record<string, string> = {
  node: 'node',
  'node --conditions=worker': 'web',
  bun: 'node',
  'bun --conditions=worker': 'web',
  workerd: 'web',
  'edge-runtime': 'web',
  deno: 'web',
  chromium: 'web',
};

describe.each(RUNTIMES)('oauth1 in $name', (runtime) => {
  let reason: string | undefined;
  let run: ProbeRun | undefined;
  beforeAll(async () => {
    reason = await runtime.unavailable();
    if (reason !== undefined) {
      if (required) throw new Error(`${runtime.name} must run here (OAUTH1_REQUIRE_RUNTIMES=1): ${reason}`);
      return;
    }
    run = await runtime.run(probe, input);
    const out = run.output as Record<string, unknown>;
    const summary = { ...out, vectors: `${Object.keys(out['vectors'] as object).length} signed` };
    console.log(`${runtime.name}: ${run.runtime}: ${JSON.stringify(summary)}`);
  }, 300_000);
  const output = (ctx: { skip(note?: string): void }): Record<string, any> => {
    if (reason !== undefined) ctx.skip(`${runtime.name} cannot start here: ${reason}`);
    return run?.output as Record<string, any>;
  };

  it(`gets the ${EXPECTED_BUILD[runtime.name]} build from package.json`, (ctx) => {
    const out = output(ctx);
    expect(out['build']).toBe(EXPECTED_BUILD[runtime.name]);
    // Where the platform has no Buffer and no process, the build did not need them.
    if (['workerd', 'edge-runtime', 'chromium'].includes(runtime.name)) expect(out['globals']).toEqual({ Buffer: 'undefined', process: 'undefined' });
  });

  it('signs the X/Twitter documentation example to its documented signature', (ctx) => {
    expect(output(ctx)['x']).toEqual({ baseString: X_EXPECTED.base_string, signature: X_EXPECTED.signature, authorization: X_EXPECTED.authorization });
  });

  it('signs with HMAC-SHA256 as node:crypto does', (ctx) => {
    const out = output(ctx)['hmacSha256'];
    const expected = createHmac('sha256', 'c%20secret&t%26secret')
      .update(
        'GET&https%3A%2F%2Fapi.example.com%2F1.1%2Fitems&oauth_consumer_key%3Dck%26oauth_nonce%3Dn-256%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26oauth_token%3Dtk%26oauth_version%3D1.0%26page%3D2%26q%3Dcaf%25C3%25A9',
      )
      .digest('base64');
    expect(out.signature).toBe(expected);
    expect(out.authorization).toContain(`oauth_signature="${encodeURIComponent(expected)}"`);
  });

  it('signs RSA-SHA256 as node:crypto does, verifies it with the certificate and refuses a changed base string', (ctx) => {
    expect(output(ctx)['rsaSha256']).toEqual({
      signature: nodeSign('sha256', Buffer.from(RSA_BASE), createPrivateKey(PRIVATE)).toString('base64'),
      verifies: true,
      refusesTampered: true,
    });
  });

  it('verifies a Fetch Request: accepts it, refuses its replay (401) and a tampered one (401)', (ctx) => {
    expect(output(ctx)['verifier']).toEqual({
      accepted: { ok: true, consumerKey: X.consumer_key },
      replayed: { ok: false, status: 401, problem: 'nonce_used' },
      tampered: { ok: false, status: 401, problem: 'signature_invalid' },
    });
  });

  it('gives every signing vector the result of the Node build (and the vectors\' own)', (ctx) => {
    const got = output(ctx)['vectors'] as Record<string, unknown>;
    expect(Object.keys(got)).toHaveLength(VECTORS.length);
    let own = 0;
    for (const v of VECTORS) {
      expect(got[v.id], v.id).toEqual(v.expected);
      if (v.own !== undefined) {
        expect(got[v.id], v.id).toMatchObject(v.own);
        own++;
      }
    }
    expect(own).toBeGreaterThan(50);
  });
});
