import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bodyHash,
  createSignature,
  listSignatureMethods,
  registerSignatureMethod,
  verifySignature,
  type SignatureMethod,
} from '../src/index.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const privatePkcs8 = fixture('rsa-private-pkcs8.pem');
const privatePkcs1 = fixture('rsa-private-pkcs1.pem');
const publicForms = {
  spki: fixture('rsa-public-spki.pem'),
  pkcs1: fixture('rsa-public-pkcs1.pem'),
  certificate: fixture('rsa-cert.pem'),
  keyObject: createPublicKey(fixture('rsa-public-spki.pem')),
  bytes: new TextEncoder().encode(fixture('rsa-public-spki.pem')),
};

// RFC 5849 §3.4.1.1 base string; signature as corrected by erratum EID 2550.
const RFC_BASE =
  'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7';
const RFC_KEYS = { clientSecret: 'j49sk3j29djd', tokenSecret: 'dh893hdasih9' };

describe('HMAC methods (RFC 5849 §3.4.2)', () => {
  it('signs the RFC 5849 §3.4.1.1 example as erratum 2550 gives it', () => {
    expect(createSignature('HMAC-SHA1', RFC_BASE, RFC_KEYS)).toBe('r6/TJjbCOr97/+UU0NsvSne7s5g=');
  });
  it.each([
    ['HMAC-SHA1', 'sha1'],
    ['HMAC-SHA256', 'sha256'],
    ['HMAC-SHA512', 'sha512'],
  ] as const)('%s uses key = encode(client secret) & encode(token secret)', (method, digest) => {
    const keys = { clientSecret: 'c s+é', tokenSecret: 't&s' };
    const expected = createHmac(digest, 'c%20s%2B%C3%A9&t%26s').update('base').digest('base64');
    expect(createSignature(method, 'base', keys)).toBe(expected);
    expect(verifySignature(method, 'base', expected, keys)).toBe(true);
  });
  it.each(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512'])('%s rejects a wrong client secret, token secret or base string', (method) => {
    const sig = createSignature(method, RFC_BASE, RFC_KEYS);
    expect(verifySignature(method, RFC_BASE, sig, { ...RFC_KEYS, clientSecret: 'j49sk3j29djX' })).toBe(false);
    expect(verifySignature(method, RFC_BASE, sig, { ...RFC_KEYS, tokenSecret: '' })).toBe(false);
    expect(verifySignature(method, `${RFC_BASE}x`, sig, RFC_KEYS)).toBe(false);
    expect(verifySignature(method, RFC_BASE, `${sig}x`, RFC_KEYS)).toBe(false);
    expect(verifySignature(method, RFC_BASE, '', RFC_KEYS)).toBe(false);
  });
  it('treats a missing token secret as empty (two-legged)', () => {
    const expected = createHmac('sha1', 'cs&').update('b').digest('base64');
    expect(createSignature('HMAC-SHA1', 'b', { clientSecret: 'cs' })).toBe(expected);
  });
});

describe('PLAINTEXT (RFC 5849 §3.4.4)', () => {
  it('is the encoded secrets joined by &', () => {
    expect(createSignature('PLAINTEXT', 'ignored', { clientSecret: 'kd94hf93k423kf44', tokenSecret: 'pfkkdhi9sl3r4s00' })).toBe(
      'kd94hf93k423kf44&pfkkdhi9sl3r4s00',
    );
    expect(createSignature('PLAINTEXT', 'ignored', { clientSecret: 'a&b c' })).toBe('a%26b%20c&');
  });
  it('verifies only the exact value', () => {
    expect(verifySignature('PLAINTEXT', 'x', 'ja893SD9&', { clientSecret: 'ja893SD9' })).toBe(true);
    expect(verifySignature('PLAINTEXT', 'x', 'ja893SD9&x', { clientSecret: 'ja893SD9' })).toBe(false);
  });
});

describe('RSA methods (RFC 5849 §3.4.3, PKCS#1 v1.5)', () => {
  const methods: SignatureMethod[] = ['RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512'];
  it.each(methods)('%s signs with PKCS#8, PKCS#1 and KeyObject private keys alike (deterministic)', (method) => {
    const a = createSignature(method, RFC_BASE, { privateKey: privatePkcs8 });
    expect(createSignature(method, RFC_BASE, { privateKey: privatePkcs1 })).toBe(a);
    expect(createSignature(method, RFC_BASE, { privateKey: createPrivateKey(privatePkcs8) })).toBe(a);
  });
  it.each(methods)('%s verifies with SPKI, PKCS#1, certificate, KeyObject and bytes public keys', (method) => {
    const sig = createSignature(method, RFC_BASE, { privateKey: privatePkcs8 });
    for (const [form, publicKey] of Object.entries(publicForms)) {
      expect(verifySignature(method, RFC_BASE, sig, { publicKey }), form).toBe(true);
    }
  });
  it.each(methods)('%s rejects another key, a changed base string and garbage signatures', (method) => {
    const sig = createSignature(method, RFC_BASE, { privateKey: privatePkcs8 });
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(verifySignature(method, RFC_BASE, sig, { publicKey: other })).toBe(false);
    expect(verifySignature(method, `${RFC_BASE}&`, sig, { publicKey: publicForms.spki })).toBe(false);
    for (const bad of ['', 'not base64!', 'AAAA', sig.slice(1)]) {
      expect(verifySignature(method, RFC_BASE, bad, { publicKey: publicForms.spki })).toBe(false);
    }
  });
  it.each(methods)('%s refuses the same signature bytes spelled in non-canonical base64 (found by the mutation property)', (method) => {
    // A 128- or 256-byte signature leaves unused bits in its last base64
    // character; a decoder that ignores them reads several spellings as the
    // same bytes. Only the one spelling the signer produced is the signature.
    const sig = createSignature(method, RFC_BASE, { privateKey: privatePkcs8 });
    const last = sig.replace(/=+$/, '').length - 1;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const respelled = [...alphabet]
      .map((c) => `${sig.slice(0, last)}${c}${sig.slice(last + 1)}`)
      .filter((s) => s !== sig && Buffer.from(s, 'base64').equals(Buffer.from(sig, 'base64')));
    expect(respelled.length).toBeGreaterThan(0);
    for (const s of respelled) expect(verifySignature(method, RFC_BASE, s, { publicKey: publicForms.spki }), s).toBe(false);
    expect(verifySignature(method, RFC_BASE, sig.replace(/=+$/, ''), { publicKey: publicForms.spki }), 'padding dropped').toBe(false);
    expect(verifySignature(method, RFC_BASE, sig, { publicKey: publicForms.spki })).toBe(true);
  });
  it('a SHA-1 signature does not verify as SHA-256', () => {
    const sig = createSignature('RSA-SHA1', RFC_BASE, { privateKey: privatePkcs8 });
    expect(verifySignature('RSA-SHA256', RFC_BASE, sig, { publicKey: publicForms.spki })).toBe(false);
  });
  it('names the missing or unreadable key', () => {
    expect(() => createSignature('RSA-SHA1', 'b', {})).toThrowError(expect.objectContaining({ code: 'ERR_MISSING_OPTION', message: expect.stringContaining('"keys.privateKey"') }));
    expect(() => createSignature('RSA-SHA1', 'b', { privateKey: 'nope' })).toThrowError(/"keys.privateKey" is not a readable PEM/);
    expect(() => verifySignature('RSA-SHA1', 'b', 'x', { publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' })).toThrowError(/"keys.publicKey"/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => createSignature('RSA-SHA1', 'b', { privateKey: ec.privateKey })).toThrowError(/must be an RSA key/);
  });
});

describe('the table', () => {
  it('lists the seven built-in methods', () => {
    expect(listSignatureMethods()).toEqual(expect.arrayContaining(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512', 'PLAINTEXT']));
  });
  it('rejects an unknown method with a TypeError naming the argument', () => {
    expect(() => createSignature('HMAC-MD5', 'b', {})).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringContaining('"method"') }));
    expect(() => createSignature('hmac-sha1', 'b', {})).toThrow(TypeError);
  });
  it('takes a custom method and refuses to replace a built-in one', () => {
    registerSignatureMethod('TEST-REVERSE', {
      kind: 'shared-secret',
      bodyHash: 'SHA-256',
      sign: (base) => [...base].reverse().join(''),
      verify: (base, sig) => [...base].reverse().join('') === sig,
    });
    expect(createSignature('TEST-REVERSE', 'abc', {})).toBe('cba');
    expect(verifySignature('TEST-REVERSE', 'abc', 'cba', {})).toBe(true);
    expect(() => registerSignatureMethod('HMAC-SHA1', { kind: 'shared-secret', bodyHash: 'SHA-1', sign: () => '', verify: () => true })).toThrow(/built in/);
  });
});

describe('bodyHash (OAuth Request Body Hash)', () => {
  it('hashes the empty body', () => {
    expect(bodyHash('', 'SHA-1')).toBe('2jmj7l5rSw0yVb/vlWAYkK/YBwk=');
    expect(bodyHash(new Uint8Array(), 'SHA-256')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });
  it('hashes text as UTF-8, the same as its bytes', () => {
    // OAuth Request Body Hash 1.0 Draft 4, Appendix A.1: SHA-1 of "Hello World!".
    expect(bodyHash('Hello World!', 'SHA-1')).toBe('Lve95gjOVATpfV8EL5X4nxwjKHE=');
    expect(bodyHash('é', 'SHA-512')).toBe(bodyHash(new TextEncoder().encode('é'), 'SHA-512'));
  });
  it('refuses an unknown hash', () => {
    expect(() => bodyHash('', 'MD5' as never)).toThrowError(/"hash"/);
  });
});
