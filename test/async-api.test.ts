// The portable API: every synchronous signing function has an `Async` form
// with the same options and the same result. On Node both run on
// node:crypto; these tests hold the two forms to each other (and to the
// vectors), so that code written for the web build means the same on Node.
import { createPrivateKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bodyHash,
  bodyHashAsync,
  createSignature,
  createSignatureAsync,
  createVerifier,
  sign,
  signAsync,
  signOutcomeRequest,
  signOutcomeRequestAsync,
  verifySignature,
  verifySignatureAsync,
  type SignatureMethodDefinition,
  type SignOptions,
} from '../src/index.js';
import { signConformanceRequest, signConformanceRequestAsync, type ConformanceRequest } from '../src/conformance/protocol.js';
import type { CryptoBackend } from '../src/methods/crypto/contract.js';
import type * as nodeBackend from '../src/methods/crypto/node.js';
import type * as webBackend from '../src/methods/crypto/web.js';

// Both back ends export the operations of the contract (a compile-time check).
export const nodeConforms = (b: typeof nodeBackend): CryptoBackend<nodeBackend.KeyLike> => b;
export const webConforms = (b: typeof webBackend): CryptoBackend<webBackend.KeyLike> => b;

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const PRIVATE = fixture('rsa-private-pkcs8.pem');
const CERT = fixture('rsa-cert.pem');
const vectorsDir = new URL('../vectors/', import.meta.url);
const signingVectors = readdirSync(vectorsDir)
  .filter((f) => f.endsWith('.json') && f !== 'schema.json')
  .map((f) => JSON.parse(readFileSync(new URL(f, vectorsDir), 'utf8')) as { kind: string; vectors: Array<{ id: string; input: ConformanceRequest }> })
  .filter((file) => file.kind === 'sign')
  .flatMap((file) => file.vectors);

const FIXED = { nonce: 'n0nce', timestamp: 1700000000 } as const;
const CLIENT = { key: 'ck', secret: 'c s' };
const TOKEN = { key: 'tk', secret: 't&s' };

describe('signAsync() and sign()', () => {
  it('agree on every signing vector, refusals included', async () => {
    expect(signingVectors.length).toBeGreaterThan(100);
    for (const v of signingVectors) {
      expect(await signConformanceRequestAsync(v.input), v.id).toEqual(signConformanceRequest(v.input));
    }
  });

  it.each<[string, { method: string; url: string; headers?: Record<string, string>; body?: string }, Partial<SignOptions>]>([
    ['HMAC-SHA256 in the query', { method: 'GET', url: 'https://api.example.com/a?b=1' }, { signatureMethod: 'HMAC-SHA256', placement: 'query' }],
    ['a form body carrying the parameters', { method: 'POST', url: 'https://api.example.com/a', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1&y=%20' }, { placement: 'body' }],
    ['a JSON body with its body hash', { method: 'PUT', url: 'https://api.example.com/a', headers: { 'content-type': 'application/json' }, body: '{"a":"é"}' }, { signatureMethod: 'HMAC-SHA512', bodyHash: true }],
    ['RSA-SHA256 from PEM, with a realm', { method: 'GET', url: 'https://api.example.com/r' }, { signatureMethod: 'RSA-SHA256', client: { key: 'ck', privateKey: PRIVATE }, realm: 'Photos' }],
    ['PLAINTEXT', { method: 'POST', url: 'https://api.example.com/p' }, { signatureMethod: 'PLAINTEXT' }],
  ])('give the same signed request: %s', async (_what, req, extra) => {
    const opts: SignOptions = { client: CLIENT, token: TOKEN, ...FIXED, ...extra };
    expect(await signAsync(req, opts)).toEqual(sign(req, opts));
  });

  it('read the request when called: changing it afterwards changes nothing', async () => {
    const req = { method: 'POST', url: 'https://api.example.com/a', headers: { 'content-type': 'application/json' }, body: '{"a":1}' };
    const opts: SignOptions = { client: CLIENT, ...FIXED, bodyHash: true };
    const pending = signAsync(req, opts);
    req.body = '{"a":2}';
    req.url = 'https://evil.example/';
    expect(await pending).toEqual(sign({ ...req, url: 'https://api.example.com/a', body: '{"a":1}' }, opts));
  });

  it('refuse the same mistakes with the same TypeErrors, as a rejection', async () => {
    const bad: Array<[unknown, unknown]> = [
      [{ method: 'GET', url: 'https://x.example/' }, { client: { key: '' , secret: 's' } }],
      [{ method: 'GET', url: 'https://x.example/' }, { client: { key: 'k' } }],
      [{ method: 'GET', url: 'https://x.example/' }, { client: { key: 'k', secret: 's' }, signatureMethod: 'HMAC-MD5' }],
      [{ method: 'GET', url: 'https://x.example/' }, { client: { key: 'k' }, signatureMethod: 'RSA-SHA1' }],
      [{ method: 'GET', url: 'https://x.example/' }, { client: { key: 'k', privateKey: 'nope' }, signatureMethod: 'RSA-SHA1' }],
      [{ method: '', url: 'https://x.example/' }, { client: { key: 'k', secret: 's' } }],
      [null, { client: { key: 'k', secret: 's' } }],
    ];
    for (const [req, opts] of bad) {
      let thrown: unknown;
      try {
        sign(req as never, opts as never);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      const call = signAsync(req as never, opts as never);
      expect(call).toBeInstanceOf(Promise);
      await expect(call).rejects.toThrowError(expect.objectContaining({ message: (thrown as TypeError).message, code: (thrown as { code: string }).code }));
    }
  });
});

describe('the other Async forms', () => {
  const base = 'POST&https%3A%2F%2Fapi.example.com%2Fa&b%3D1';
  it('createSignatureAsync and verifySignatureAsync match their synchronous forms for every built-in method', async () => {
    const rsaKey = createPrivateKey(PRIVATE);
    for (const method of ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512', 'PLAINTEXT']) {
      const keys = { clientSecret: 'c', tokenSecret: 't', privateKey: rsaKey };
      const signature = await createSignatureAsync(method, base, keys);
      expect(signature, method).toBe(createSignature(method, base, keys));
      const verifying = { clientSecret: 'c', tokenSecret: 't', publicKey: CERT };
      expect(await verifySignatureAsync(method, base, signature, verifying), method).toBe(true);
      expect(await verifySignatureAsync(method, `${base}x`, signature, verifying), method).toBe(verifySignature(method, `${base}x`, signature, verifying));
      expect(await verifySignatureAsync(method, base, 42 as never, verifying)).toBe(false);
    }
    await expect(createSignatureAsync('HMAC-MD5', base, {})).rejects.toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
  });

  it('RSA keys may be WebCrypto CryptoKeys in the Node build too', async () => {
    const pair = await webcrypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    const signature = createSignature('RSA-SHA256', base, { privateKey: pair.privateKey });
    expect(verifySignature('RSA-SHA256', base, signature, { publicKey: pair.publicKey })).toBe(true);
    expect(await verifySignatureAsync('RSA-SHA256', base, signature, { publicKey: pair.publicKey })).toBe(true);
    expect(() => createSignature('RSA-SHA256', base, { privateKey: pair.publicKey })).toThrowError(/"keys.privateKey" must be a private key/);
  });

  it('bodyHashAsync equals bodyHash and refuses the same arguments', async () => {
    for (const hash of ['SHA-1', 'SHA-256', 'SHA-512'] as const) {
      expect(await bodyHashAsync('{"é":1}', hash)).toBe(bodyHash('{"é":1}', hash));
      expect(await bodyHashAsync(new Uint8Array([1, 2, 3]), hash)).toBe(bodyHash(new Uint8Array([1, 2, 3]), hash));
    }
    await expect(bodyHashAsync('', 'MD5' as never)).rejects.toThrowError(/"hash"/);
    await expect(bodyHashAsync(42 as never, 'SHA-1')).rejects.toThrowError(/"body"/);
  });

  it('signOutcomeRequestAsync equals signOutcomeRequest', async () => {
    const opts = { url: 'https://lms.example/outcomes', consumer: { key: 'k', secret: 's' }, xml: '<x/>', nonce: 'n', timestamp: 1700000000, signatureMethod: 'HMAC-SHA256' as const };
    expect(await signOutcomeRequestAsync(opts)).toEqual(signOutcomeRequest(opts));
  });
});

describe('custom methods and the async path', () => {
  const reverse: SignatureMethodDefinition = {
    kind: 'shared-secret',
    bodyHash: 'SHA-256',
    sign: (base) => [...base].reverse().join(''),
    verify: (base, signature) => [...base].reverse().join('') === signature,
  };
  it('a method with only synchronous functions works through signAsync and the verifier', async () => {
    const req = { method: 'GET', url: 'https://api.example.com/a' };
    const opts: SignOptions = { client: CLIENT, ...FIXED, signatureMethod: 'X-REVERSE', customMethods: { 'X-REVERSE': reverse } };
    const signed = await signAsync(req, opts);
    expect(signed.signature).toBe([...signed.baseString].reverse().join(''));
    const verifier = createVerifier({
      lookupClient: () => ({ secret: 'c s' }),
      tokenRequired: false,
      signatureMethods: ['X-REVERSE'],
      customMethods: { 'X-REVERSE': reverse },
      clock: () => 1700000000 * 1000,
    });
    await expect(verifier.verify({ ...req, headers: signed.headers })).resolves.toMatchObject({ signatureMethod: 'X-REVERSE' });
  });
  it('the async path prefers signAsync / verifyAsync when a method has them', async () => {
    const both: SignatureMethodDefinition = { ...reverse, signAsync: async () => 'from-async', verifyAsync: async (_b, s) => s === 'from-async' };
    const req = { method: 'GET', url: 'https://api.example.com/a' };
    const opts: SignOptions = { client: CLIENT, ...FIXED, signatureMethod: 'X-BOTH', customMethods: { 'X-BOTH': both } };
    expect((await signAsync(req, opts)).signature).toBe('from-async');
    expect(sign(req, opts).signature).not.toBe('from-async');
    const verifier = createVerifier({ lookupClient: () => ({ secret: 'c s' }), tokenRequired: false, signatureMethods: ['X-BOTH'], customMethods: { 'X-BOTH': both }, clock: () => 1700000000 * 1000 });
    await expect(verifier.verify({ ...req, headers: (await signAsync(req, opts)).headers })).resolves.toBeDefined();
    await expect(verifier.verify({ ...req, headers: { ...sign(req, { ...opts, nonce: 'other' }).headers } })).rejects.toMatchObject({ problem: 'signature_invalid' });
  });
  it('a definition whose signAsync is not a function is refused', () => {
    expect(() => sign({ method: 'GET', url: 'https://a.example/' }, { client: CLIENT, signatureMethod: 'X', customMethods: { X: { ...reverse, signAsync: 'no' as never } } })).toThrowError(
      /"options.customMethods\["X"\].signAsync" must be a function/,
    );
  });
  it('an EC key is refused with the same message by both forms', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => createSignature('RSA-SHA1', base64Base(), { privateKey: ec })).toThrowError(/must be an RSA key \(got ec\)/);
    await expect(createSignatureAsync('RSA-SHA1', base64Base(), { privateKey: ec })).rejects.toThrowError(/must be an RSA key \(got ec\)/);
  });
});

function base64Base(): string {
  return 'GET&https%3A%2F%2Fa.example%2F&';
}
