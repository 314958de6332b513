// The Node crypto back end (src/methods/crypto/node.ts) and the HMAC key
// cache, checked against node:crypto's own HMAC and RSA on the same inputs:
// the fast paths (prepared key schedules, one-shot hashes, a scratch buffer,
// a nonce pool, fixed-length comparison) must give what the plain calls give.
// Written from what mutation testing (npm run mutation) showed no test held.
import { createHmac, generateKeyPairSync, KeyObject, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  bodyHash,
  bodyHashAsync,
  createSignature,
  createSignatureAsync,
  createVerifier,
  getSignatureMethod,
  registerSignatureMethod,
  sign,
  verifySignature,
  verifySignatureAsync,
  type SignatureMethodDefinition,
  type VerifyDebugInfo,
} from '../src/index.js';
import { DEFAULT_VERIFIER_METHODS, findSignatureMethod, isBuiltInMethod, knownSignatureMethods } from '../src/methods/registry.js';
import { syncCryptoUnavailable } from '../src/core/errors.js';
import {
  constantTimeEqual,
  digestBase64,
  dummyRsaPublicKeyAsync,
  fixedLengthEqual,
  hmacBase64,
  hmacWithKeyBase64,
  prepareDummyRsaPublicKey,
  prepareHmacKey,
  randomBase64url,
  randomHex,
  rsaSignBase64,
  rsaVerifyBase64,
} from '../src/methods/crypto/node.js';
import { HmacKeyCache } from '../src/methods/hmac-keys.js';
import * as web from '../src/methods/crypto/web.js';

const privatePem = readFileSync(new URL('./fixtures/rsa-private-pkcs8.pem', import.meta.url), 'utf8');
const publicPem = readFileSync(new URL('./fixtures/rsa-public-spki.pem', import.meta.url), 'utf8');

const reference = (digest: 'sha1' | 'sha256' | 'sha512', key: string, data: string): string => createHmac(digest, Buffer.from(key, 'utf8')).update(Buffer.from(data, 'utf8')).digest('base64');

describe('HMAC with a prepared key schedule equals node:crypto HMAC', () => {
  const keys = ['', 'k', 'kd94hf93k423kf44&pfkkdhi9sl3r4s00', 'é&ü', 'x'.repeat(64), 'y'.repeat(65), 'z'.repeat(129), '☃'.repeat(50)];
  // Lengths across the scratch buffer's growth (4096 bytes, doubling) and past its cap (64 KiB: the streaming path).
  const data = ['', 'GET&https%3A%2F%2Fa&b', 'é☃𝄞', 'a'.repeat(1400), 'b'.repeat(5000), '☃'.repeat(3000), 'c'.repeat(22_000), 'd'.repeat(70_000)];

  it.each(['sha1', 'sha256', 'sha512'] as const)('%s: every key length, every data length', (digest) => {
    for (const key of keys) {
      const prepared = prepareHmacKey(digest, key);
      for (const d of data) {
        expect(hmacWithKeyBase64(prepared, d), `${key.length}/${d.length}`).toBe(reference(digest, key, d));
        expect(hmacBase64(digest, key, d)).toBe(reference(digest, key, d));
      }
    }
  });

  it('a long message after a short one, and a short one after a long one, under the same key', () => {
    const prepared = prepareHmacKey('sha256', 'secret&token');
    for (const d of ['short', 'x'.repeat(30_000), 'short', 'é'.repeat(10_000), 'a']) {
      expect(hmacWithKeyBase64(prepared, d)).toBe(reference('sha256', 'secret&token', d));
    }
  });

  it('the methods sign and verify alike through the cache and the async form, non-ASCII included', async () => {
    const keys = { clientSecret: 'cs é', tokenSecret: 'ts&☃' };
    for (const method of ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512'] as const) {
      const base = `POST&https%3A%2F%2Fa%2F&x%3D${'é'.repeat(10)}`;
      const sync = createSignature(method, base, keys);
      expect(await createSignatureAsync(method, base, keys)).toBe(sync);
      expect(verifySignature(method, base, sync, keys)).toBe(true);
      expect(await verifySignatureAsync(method, base, sync, keys)).toBe(true);
      expect(verifySignature(method, base, sync, { ...keys, tokenSecret: 'ts&☃ ' })).toBe(false);
    }
  });
});

describe('digests', () => {
  it('a string is hashed as UTF-8, equal to its bytes', () => {
    for (const digest of ['sha1', 'sha256', 'sha512'] as const) {
      expect(digestBase64(digest, 'é☃')).toBe(digestBase64(digest, new TextEncoder().encode('é☃')));
    }
    expect(digestBase64('sha1', '')).toBe('2jmj7l5rSw0yVb/vlWAYkK/YBwk=');
  });
});

describe('comparisons', () => {
  it('fixedLengthEqual: equal, unequal, other lengths, non-ASCII, empty and longer than its buffer', () => {
    expect(fixedLengthEqual('abcd', 'abcd')).toBe(true);
    expect(fixedLengthEqual('abcd', 'abce')).toBe(false);
    expect(fixedLengthEqual('abcd', 'abc')).toBe(false);
    expect(fixedLengthEqual('abcd', 'abcde')).toBe(false);
    expect(fixedLengthEqual('abcd', 'abcé')).toBe(false);
    expect(fixedLengthEqual('', '')).toBe(true);
    expect(fixedLengthEqual('', 'a')).toBe(false);
    const long = 'q'.repeat(300);
    expect(fixedLengthEqual(long, long)).toBe(true);
    expect(fixedLengthEqual(long, `${long.slice(1)}r`)).toBe(false);
    expect(fixedLengthEqual(long, long.slice(1))).toBe(false);
    // What one comparison wrote never decides the next one.
    expect(fixedLengthEqual('zzzz', 'zzzz')).toBe(true);
    expect(fixedLengthEqual('zzzy', 'zzzz')).toBe(false);
  });

  it('constantTimeEqual compares the UTF-8 text, whatever the lengths', () => {
    expect(constantTimeEqual('é', 'é')).toBe(true);
    expect(constantTimeEqual('é', 'e')).toBe(false);
    expect(constantTimeEqual('a', 'ab')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('random values', () => {
  it('randomHex: as many bytes as asked, from the pool or not, never the same bytes twice', () => {
    const seen = new Set<string>();
    // 300 draws of 32 bytes empty the 4096-byte pool twice over.
    for (let i = 0; i < 300; i++) {
      const hex = randomHex(32);
      expect(hex).toMatch(/^[0-9a-f]{64}$/);
      seen.add(hex);
    }
    expect(seen.size).toBe(300);
    for (const bytes of [1, 255, 256, 257, 1000]) expect(randomHex(bytes)).toHaveLength(2 * bytes);
  });

  it('randomBase64url: base64url without padding', () => {
    expect(randomBase64url(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('the HMAC key cache', () => {
  it('finds a key only by the exact pair of secrets, and counts what it holds', () => {
    const cache = new HmacKeyCache('sha1', 10);
    const a = cache.get('c', 't');
    expect(cache.get('c', 't')).toBe(a);
    expect(cache.get('c', 't2')).not.toBe(a);
    expect(cache.get('c2', 't')).not.toBe(a);
    expect(cache.size).toBe(3);
    expect(hmacWithKeyBase64(a, 'base')).toBe(reference('sha1', 'c&t', 'base'));
    // The pair is encoded: "a&b" + "" and "a" + "b" are different keys.
    expect(hmacWithKeyBase64(cache.get('a&b', ''), 'm')).toBe(reference('sha1', 'a%26b&', 'm'));
    expect(hmacWithKeyBase64(cache.get('a', 'b'), 'm')).toBe(reference('sha1', 'a&b', 'm'));
  });

  it('is bounded: when full, the keys of the client secret inserted first are dropped', () => {
    const cache = new HmacKeyCache('sha256', 3);
    const first = cache.get('old', 't1');
    cache.get('old', 't2');
    cache.get('mid', 't');
    expect(cache.size).toBe(3);
    const fresh = cache.get('new', 't');
    expect(cache.size).toBe(2);
    expect(cache.get('new', 't')).toBe(fresh);
    // Dropped, then made again: a new schedule with the same result.
    const again = cache.get('old', 't1');
    expect(again).not.toBe(first);
    expect(hmacWithKeyBase64(again, 'm')).toBe(hmacWithKeyBase64(first, 'm'));
    for (let i = 0; i < 20; i++) cache.get(`c${i}`, 't');
    expect(cache.size).toBeLessThanOrEqual(3);
  });

  it('the default bound is 512 keys per algorithm', () => {
    const cache = new HmacKeyCache('sha1');
    for (let i = 0; i < 600; i++) cache.get(`c${i}`, '');
    expect(cache.size).toBe(512);
  });
});

describe('RSA keys in every form', () => {
  it('a WebCrypto CryptoKey pair signs and verifies like its PEM', async () => {
    const pair = await webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
    const sig = rsaSignBase64('sha256', pair.privateKey, 'base');
    expect(rsaVerifyBase64('sha256', pair.publicKey, 'base', sig)).toBe(true);
    expect(rsaVerifyBase64('sha256', KeyObject.from(pair.publicKey).export({ type: 'spki', format: 'pem' }) as string, 'base', sig)).toBe(true);
    expect(() => rsaSignBase64('sha256', pair.publicKey, 'base')).toThrowError('"keys.privateKey" must be a private key');
  });

  it('the key option is named as the caller passed it', () => {
    expect(() => rsaSignBase64('sha1', 'nope', 'b', 'client.privateKey')).toThrowError('"client.privateKey" is not a readable PEM private key (PKCS#1 or PKCS#8)');
    expect(() => rsaSignBase64('sha1', new TextEncoder().encode('nope'), 'b')).toThrowError('"keys.privateKey" is not a readable PEM private key (PKCS#1 or PKCS#8)');
    expect(() => rsaVerifyBase64('sha1', new TextEncoder().encode('nope'), 'b', 'AAAA')).toThrowError('"keys.publicKey" is not a readable PEM public key, RSA public key or X.509 certificate');
    const ed = generateKeyPairSync('ed25519');
    expect(() => rsaVerifyBase64('sha1', ed.publicKey, 'b', 'AAAA')).toThrowError('"keys.publicKey" must be an RSA key (got ed25519)');
    expect(() => rsaVerifyBase64('sha1', ed.privateKey, 'b', 'AAAA')).toThrowError('"keys.publicKey" must be an RSA key (got ed25519)');
  });

  it('a public KeyObject is used as it is; a PEM text is read once and kept', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(rsaVerifyBase64('sha1', publicKey, 'b', 'AAAA')).toBe(false);
    const sig = rsaSignBase64('sha256', privatePem, 'base');
    for (let i = 0; i < 3; i++) expect(rsaVerifyBase64('sha256', publicPem, 'base', sig)).toBe(true);
  });

  it('only the canonical base64 of a valid signature verifies', () => {
    const sig = rsaSignBase64('sha256', privatePem, 'base');
    expect(rsaVerifyBase64('sha256', publicPem, 'base', sig)).toBe(true);
    for (const bad of ['', 'AAAA', sig.slice(0, -4), `${sig}AAAA`, sig.replace(/\+/g, '-').replace(/\//g, '_'), ` ${sig}`, `${sig.slice(0, -2)}`, sig.toLowerCase()]) {
      expect(rsaVerifyBase64('sha256', publicPem, 'base', bad), JSON.stringify(bad.slice(0, 8))).toBe(false);
    }
    expect(rsaVerifyBase64('sha256', publicPem, 'other base', sig)).toBe(false);
    expect(rsaVerifyBase64('sha1', publicPem, 'base', sig)).toBe(false);
  });
});

describe('the dummy RSA key of unknown clients', () => {
  it('is one 2048-bit RSA public key, made once, whether prepared first or not', async () => {
    prepareDummyRsaPublicKey();
    const a = dummyRsaPublicKeyAsync();
    expect(dummyRsaPublicKeyAsync()).toBe(a);
    const key = await a;
    expect(key.type).toBe('public');
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    prepareDummyRsaPublicKey();
    expect(await dummyRsaPublicKeyAsync()).toBe(key);
  });

  it('an RSA request from an unknown client is checked against it: signature_invalid, no configuration error', async () => {
    const debug: VerifyDebugInfo[] = [];
    const verifier = createVerifier({ lookupClient: () => undefined, tokenRequired: false, signatureMethods: ['RSA-SHA1'], clock: () => 1_000_000, onDebug: (i) => debug.push(i) });
    const req = sign({ method: 'GET', url: 'https://a.example/r' }, { client: { key: 'who', privateKey: privatePem }, signatureMethod: 'RSA-SHA1', timestamp: 1000 });
    await expect(verifier.verify(req)).rejects.toMatchObject({ status: 401, problem: 'signature_invalid' });
    expect(debug[0]).toMatchObject({ check: 'lookup', cause: 'consumer_key_unknown' });
    expect(debug[0]).not.toHaveProperty('configurationError');
  });
});

describe('the WebCrypto back end: what it refuses, and its caches', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('every synchronous form throws ERR_SYNC_CRYPTO_UNAVAILABLE naming the operation', () => {
    const calls: Array<[string, () => unknown]> = [
      ['HMAC', () => web.hmacBase64('sha1', 'k', 'd')],
      ['HMAC', () => web.prepareHmacKey('sha1', 'k')],
      ['HMAC', () => web.hmacWithKeyBase64({ digest: 'sha1' }, 'd')],
      ['the body hash', () => web.digestBase64('sha1', 'd')],
      ['RSA', () => web.rsaSignBase64('sha1', privatePem, 'd')],
      ['RSA', () => web.rsaVerifyBase64('sha1', publicPem, 'd', 'AAAA')],
    ];
    for (const [what, call] of calls) {
      expect(call).toThrowError(expect.objectContaining({ code: 'ERR_SYNC_CRYPTO_UNAVAILABLE', message: `${what} uses WebCrypto, which is asynchronous in this build` }));
    }
    expect(web.SYNC_CRYPTO).toBe(false);
  });

  it('without crypto.subtle: ERR_WEBCRYPTO_UNAVAILABLE, naming secure contexts', async () => {
    vi.stubGlobal('crypto', { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) });
    await expect(web.digestBase64Async('sha256', 'x')).rejects.toThrowError(
      expect.objectContaining({ code: 'ERR_WEBCRYPTO_UNAVAILABLE', message: expect.stringContaining('secure contexts') }),
    );
    expect(() => web.prepareDummyRsaPublicKey()).not.toThrow();
  });

  it('HMAC under more keys than it keeps: every one still equals node:crypto', async () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 20; i++) {
        expect(await web.hmacBase64Async('sha256', `key-${i}`, 'data')).toBe(reference('sha256', `key-${i}`, 'data'));
      }
    }
    expect(await web.hmacBase64Async('sha1', '', 'data')).toBe(reference('sha1', '', 'data'));
  });

  it('fixedLengthEqual is its constant-time comparison', () => {
    expect(web.fixedLengthEqual('abc', 'abc')).toBe(true);
    expect(web.fixedLengthEqual('abc', 'abd')).toBe(false);
    expect(web.fixedLengthEqual('', 'a')).toBe(false);
  });

  it('a public CryptoKey without the verify usage, or keys made for another hash and not extractable, are named', async () => {
    const subtle = globalThis.crypto.subtle;
    const params = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' };
    const signOnly = await subtle.generateKey(params, false, ['sign']);
    await expect(web.rsaVerifyBase64Async('sha256', signOnly.publicKey, 'b', 'AAAA')).rejects.toThrowError('"keys.publicKey" must be a CryptoKey usable for "verify"');
    const locked = await subtle.generateKey(params, false, ['sign', 'verify']);
    const spki = await subtle.exportKey('spki', locked.publicKey);
    const lockedPublic = await subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
    await expect(web.rsaVerifyBase64Async('sha1', lockedPublic, 'b', 'AAAA')).rejects.toThrowError('"keys.publicKey" is a CryptoKey for SHA-256; this method needs one imported for SHA-1');
    await expect(web.rsaSignBase64Async('sha512', locked.privateKey, 'b', 'client.privateKey')).rejects.toThrowError(
      '"client.privateKey" is a CryptoKey for SHA-256; this method needs one imported for SHA-512 (or an extractable key)',
    );
  });

  it('PEM given as bytes reads like the text', async () => {
    const sig = await web.rsaSignBase64Async('sha256', new TextEncoder().encode(privatePem), 'base');
    expect(sig).toBe(rsaSignBase64('sha256', privatePem, 'base'));
    expect(await web.rsaVerifyBase64Async('sha256', new TextEncoder().encode(publicPem), 'base', sig)).toBe(true);
  });
});

describe('the method table: lookups, async forms and custom definitions', () => {
  const custom: SignatureMethodDefinition = { kind: 'shared-secret', bodyHash: 'SHA-256', sign: () => 'sync', verify: (_b, sig) => sig === 'sync' };

  it('the async forms refuse what the sync forms refuse, with the same errors', async () => {
    await expect(createSignatureAsync(5 as never, 'b', {})).rejects.toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE', message: '"method" must be a string' }));
    await expect(createSignatureAsync('HMAC-SHA1', 5 as never, {})).rejects.toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE', message: '"baseString" must be a string' }));
    await expect(verifySignatureAsync('HMAC-SHA1', null as never, 'x', {})).rejects.toThrowError('"baseString" must be a string');
    await expect(verifySignatureAsync('HMAC-MD5', 'b', 'x', {})).rejects.toThrowError(/^"method" "HMAC-MD5" is not a known signature method/);
    await expect(bodyHashAsync(5 as never, 'SHA-1')).rejects.toThrowError('"body" must be a string or a Uint8Array');
    expect(await bodyHashAsync('é', 'SHA-256')).toBe(bodyHash('é', 'SHA-256'));
  });

  it('missing keys are no keys, in every form', async () => {
    expect(createSignature('PLAINTEXT', 'b', undefined as never)).toBe('&');
    expect(await createSignatureAsync('PLAINTEXT', 'b', undefined as never)).toBe('&');
    expect(verifySignature('PLAINTEXT', 'b', '&', undefined as never)).toBe(true);
    expect(await verifySignatureAsync('PLAINTEXT', 'b', '&', undefined as never)).toBe(true);
    expect(await verifySignatureAsync('PLAINTEXT', 'b', '&x', {})).toBe(false);
  });

  it('a definition\'s async form is used when it has one, its sync form otherwise', async () => {
    const both: SignatureMethodDefinition = { ...custom, signAsync: async () => 'async', verifyAsync: async (_b, sig) => sig === 'async' };
    registerSignatureMethod('X-TEST-BOTH', both);
    registerSignatureMethod('X-TEST-SYNC', custom);
    expect(createSignature('X-TEST-BOTH', 'b', {})).toBe('sync');
    expect(await createSignatureAsync('X-TEST-BOTH', 'b', {})).toBe('async');
    expect(await verifySignatureAsync('X-TEST-BOTH', 'b', 'async', {})).toBe(true);
    expect(await verifySignatureAsync('X-TEST-BOTH', 'b', 'sync', {})).toBe(false);
    expect(await createSignatureAsync('X-TEST-SYNC', 'b', {})).toBe('sync');
    expect(await verifySignatureAsync('X-TEST-SYNC', 'b', 'sync', {})).toBe(true);
    expect(getSignatureMethod('X-TEST-BOTH')).toBe(both);
    expect(knownSignatureMethods()).toEqual(expect.arrayContaining(['X-TEST-BOTH', 'X-TEST-SYNC']));
  });

  it('a custom method that cannot sign synchronously is named with the async function to use; other errors pass unchanged', () => {
    const asyncOnly: SignatureMethodDefinition = {
      ...custom,
      sign: () => {
        throw syncCryptoUnavailable('X');
      },
      verify: () => {
        throw syncCryptoUnavailable('X');
      },
    };
    registerSignatureMethod('X-TEST-ASYNC-ONLY', asyncOnly);
    expect(() => createSignature('X-TEST-ASYNC-ONLY', 'b', {})).toThrowError(
      expect.objectContaining({ code: 'ERR_SYNC_CRYPTO_UNAVAILABLE', message: 'createSignature() cannot finish synchronously here: X uses WebCrypto, which is asynchronous in this build. Use createSignatureAsync() (same arguments, a promise of the same result)' }),
    );
    expect(() => verifySignature('X-TEST-ASYNC-ONLY', 'b', 's', {})).toThrowError(/^verifySignature\(\) cannot finish synchronously here: .* Use verifySignatureAsync\(\)/);
    const boom = new RangeError('boom');
    registerSignatureMethod('X-TEST-BOOM', { ...custom, sign: () => { throw boom; } });
    expect(() => createSignature('X-TEST-BOOM', 'b', {})).toThrow(boom);
  });

  it('names are matched exactly and only as own entries of a custom table', () => {
    expect(getSignatureMethod('hmac-sha1')).toBeUndefined();
    expect(findSignatureMethod('toString', {})).toBeUndefined();
    expect(findSignatureMethod('constructor', { 'X-A': custom })).toBeUndefined();
    expect(findSignatureMethod('X-A', { 'X-A': custom })).toBe(custom);
    expect(findSignatureMethod('X-A')).toBeUndefined();
    expect(knownSignatureMethods({ 'X-A': custom })).toContain('X-A');
    expect(knownSignatureMethods().slice(0, 7)).toEqual(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512', 'PLAINTEXT']);
  });

  it('a verifier accepts by default every built-in method but PLAINTEXT; only built-ins count as built in', () => {
    expect(DEFAULT_VERIFIER_METHODS).toEqual(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512']);
    expect(isBuiltInMethod(getSignatureMethod('HMAC-SHA1')!)).toBe(true);
    expect(isBuiltInMethod(custom)).toBe(false);
    expect(getSignatureMethod('PLAINTEXT')).toMatchObject({ kind: 'shared-secret', bodyHash: 'SHA-1', revealsSecret: true });
    expect(getSignatureMethod('RSA-SHA512')).toMatchObject({ kind: 'rsa', bodyHash: 'SHA-512' });
    expect(getSignatureMethod('HMAC-SHA256')).toMatchObject({ kind: 'shared-secret', bodyHash: 'SHA-256' });
  });

  it('definitions with a signAsync or verifyAsync that is not a function are named', () => {
    expect(() => registerSignatureMethod('X-TEST-BAD', { ...custom, signAsync: 'x' as never })).toThrowError('"definition.signAsync" must be a function');
    expect(() => registerSignatureMethod('X-TEST-BAD', { ...custom, verifyAsync: 1 as never })).toThrowError('"definition.verifyAsync" must be a function');
  });
});

describe('argument names in every form (run 4 survivors)', () => {
  it('the sync and async forms name the method, the missing RSA key and a secret that is not a string', async () => {
    expect(() => verifySignature(5 as never, 'b', 's', {})).toThrowError('"method" must be a string');
    await expect(createSignatureAsync('RSA-SHA256', 'b', {})).rejects.toThrowError('"keys.privateKey" is required for RSA-SHA256');
    await expect(verifySignatureAsync('RSA-SHA1', 'b', 'AAAA', {})).rejects.toThrowError('"keys.publicKey" is required for RSA-SHA1');
    expect(() => createSignature('PLAINTEXT', 'b', { clientSecret: 5 as never })).toThrowError('"keys.clientSecret" must be a string');
    expect(() => createSignature('PLAINTEXT', 'b', { tokenSecret: 5 as never })).toThrowError('"keys.tokenSecret" must be a string');
    await expect(createSignatureAsync('HMAC-SHA1', 'b', { tokenSecret: 5 as never })).rejects.toThrowError('"keys.tokenSecret" must be a string');
  });
});
