/**
 * Edges of the signature methods (src/methods) that the mutation run showed
 * no test held: the checks that name a wrong key, method or definition,
 * custom methods given per call, key forms, and the nonce source.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bodyHash,
  createSignature,
  createVerifier,
  generateNonce,
  registerSignatureMethod,
  sign,
  verifySignature,
  type SignatureMethodDefinition,
} from '../src/index.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const privatePem = fixture('rsa-private-pkcs8.pem');
const publicPem = fixture('rsa-public-spki.pem');

function thrown(run: () => unknown): Error & { code?: string } {
  try {
    run();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

describe('shared-secret methods', () => {
  it('a missing secret is the empty secret; a secret that is not a string is named', () => {
    expect(createSignature('HMAC-SHA1', 'base', {})).toBe(createSignature('HMAC-SHA1', 'base', { clientSecret: '', tokenSecret: '' }));
    expect(createSignature('PLAINTEXT', 'base', {})).toBe('&');
    expect(thrown(() => createSignature('HMAC-SHA1', 'b', { clientSecret: 5 as never }))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"keys.clientSecret" must be a string' });
    expect(thrown(() => createSignature('HMAC-SHA1', 'b', { tokenSecret: null as never }))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"keys.tokenSecret" must be a string' });
  });
});

describe('RSA keys', () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('names the missing key with the method', () => {
    expect(thrown(() => createSignature('RSA-SHA256', 'b', {}))).toMatchObject({ code: 'ERR_MISSING_OPTION', message: '"keys.privateKey" is required for RSA-SHA256' });
    expect(thrown(() => verifySignature('RSA-SHA512', 'b', 'AAAA', {}))).toMatchObject({ code: 'ERR_MISSING_OPTION', message: '"keys.publicKey" is required for RSA-SHA512' });
  });

  it('names a key of the wrong kind, type or algorithm', () => {
    expect(thrown(() => createSignature('RSA-SHA1', 'b', { privateKey: pair.publicKey }))).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: '"keys.privateKey" must be a private key' });
    expect(thrown(() => createSignature('RSA-SHA1', 'b', { privateKey: 42 as never }))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"keys.privateKey" must be a PEM string, a Uint8Array, a KeyObject or a CryptoKey' });
    expect(thrown(() => verifySignature('RSA-SHA1', 'b', 'AAAA', { publicKey: 42 as never }))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"keys.publicKey" must be a PEM string, a Uint8Array, a KeyObject or a CryptoKey' });
    expect(thrown(() => createSignature('RSA-SHA1', 'b', { privateKey: ec.privateKey }))).toMatchObject({ message: '"keys.privateKey" must be an RSA key (got ec)' });
    // A readable PEM of another algorithm is named as such, not as unreadable.
    expect(thrown(() => createSignature('RSA-SHA1', 'b', { privateKey: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string }))).toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: '"keys.privateKey" must be an RSA key (got ec)',
    });
    expect(thrown(() => verifySignature('RSA-SHA1', 'b', 'AAAA', { publicKey: ec.publicKey.export({ type: 'spki', format: 'pem' }) as string }))).toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: '"keys.publicKey" must be an RSA key (got ec)',
    });
    expect(thrown(() => verifySignature('RSA-SHA1', 'b', 'AAAA', { publicKey: 'not a key' }))).toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: '"keys.publicKey" is not a readable PEM public key, RSA public key or X.509 certificate',
    });
  });

  it('verifies with the public half of a private KeyObject, and with PEM given as bytes', () => {
    const signature = createSignature('RSA-SHA256', 'base', { privateKey: new TextEncoder().encode(privatePem) });
    expect(signature).toBe(createSignature('RSA-SHA256', 'base', { privateKey: privatePem }));
    const keyPair = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const sig = createSignature('RSA-SHA1', 'base', { privateKey: keyPair.privateKey });
    expect(verifySignature('RSA-SHA1', 'base', sig, { publicKey: keyPair.privateKey })).toBe(true);
    expect(verifySignature('RSA-SHA256', 'base', signature, { publicKey: new TextEncoder().encode(publicPem) })).toBe(true);
  });
});

describe('the method table', () => {
  it('names a method that is not a string or not known, and a base string that is not a string', () => {
    expect(thrown(() => createSignature(5 as never, 'b', {}))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"method" must be a string' });
    expect(thrown(() => createSignature('HMAC-MD5', 'b', {}))).toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: expect.stringMatching(/^"method" "HMAC-MD5" is not a known signature method \(HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, RSA-SHA1, RSA-SHA256, RSA-SHA512, PLAINTEXT/),
    });
    expect(thrown(() => createSignature('HMAC-SHA1', 5 as never, {}))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"baseString" must be a string' });
    expect(thrown(() => verifySignature('HMAC-SHA1', null as never, 'x', {}))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"baseString" must be a string' });
    // A signature that is not a string is simply not valid.
    expect(verifySignature('HMAC-SHA1', 'b', 5 as never, {})).toBe(false);
    expect(verifySignature('RSA-SHA1', 'b', undefined as never, { publicKey: publicPem })).toBe(false);
  });

  it('registerSignatureMethod names a bad name or definition', () => {
    const good: SignatureMethodDefinition = { kind: 'shared-secret', bodyHash: 'SHA-256', sign: () => 's', verify: () => true };
    for (const name of ['', 'has space', ' LEADING', 'TRAILING ', 'tab\tname', 5]) {
      expect(thrown(() => registerSignatureMethod(name as never, good)), String(name)).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: '"name" must be a non-empty printable ASCII string' });
    }
    expect(thrown(() => registerSignatureMethod('HMAC-SHA1', good))).toMatchObject({ message: '"name" "HMAC-SHA1" is built in and cannot be replaced' });
    expect(thrown(() => registerSignatureMethod('X-NEW', null as never))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"definition" must be a signature method definition' });
    expect(thrown(() => registerSignatureMethod('X-NEW', { ...good, sign: 'x' as never }))).toMatchObject({ message: '"definition.sign" must be a function' });
    expect(thrown(() => registerSignatureMethod('X-NEW', { ...good, verify: undefined as never }))).toMatchObject({ message: '"definition.verify" must be a function' });
    expect(thrown(() => registerSignatureMethod('X-NEW', { ...good, kind: 'dsa' as never }))).toMatchObject({ message: `"definition.kind" must be 'shared-secret' or 'rsa'` });
    expect(thrown(() => registerSignatureMethod('X-NEW', { ...good, bodyHash: 'MD5' as never }))).toMatchObject({ message: `"definition.bodyHash" must be 'SHA-1', 'SHA-256' or 'SHA-512'` });
  });

  it('customMethods, per call: used by sign() and by a verifier that lists them, checked and named', async () => {
    const calls: string[] = [];
    const custom: Record<string, SignatureMethodDefinition> = {
      'X-REVERSE': {
        kind: 'shared-secret',
        bodyHash: 'SHA-256',
        sign: (base, keys) => `${keys.clientSecret ?? ''}:${[...base].reverse().join('')}`.slice(0, 40),
        verify: (base, signature, keys) => {
          calls.push('verify');
          return signature === `${keys.clientSecret ?? ''}:${[...base].reverse().join('')}`.slice(0, 40);
        },
      },
    };
    const signed = sign({ method: 'GET', url: 'https://api.example.com/r' }, { client: { key: 'k', secret: 's' }, signatureMethod: 'X-REVERSE', customMethods: custom, timestamp: 1000, nonce: 'n' });
    expect(signed.signature.startsWith('s:')).toBe(true);
    const verifier = createVerifier({
      lookupClient: () => ({ secret: 's' }),
      tokenRequired: false,
      customMethods: custom,
      signatureMethods: ['X-REVERSE'],
      clock: () => 1_000_000,
    });
    await expect(verifier.verify(signed)).resolves.toMatchObject({ signatureMethod: 'X-REVERSE' });
    expect(calls).toEqual(['verify']);
    // Not registered globally: without customMethods it is unknown.
    expect(thrown(() => sign({ method: 'GET', url: 'https://x/' }, { client: { key: 'k', secret: 's' }, signatureMethod: 'X-REVERSE' }))).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    expect(thrown(() => createVerifier({ lookupClient: () => undefined, tokenRequired: false, signatureMethods: ['X-REVERSE'] }))).toMatchObject({ message: '"options.signatureMethods[0]" is not a known signature method' });
  });

  it('customMethods that are not a table, replace a built-in, or are malformed are named', () => {
    const make = (customMethods: unknown): unknown => createVerifier({ lookupClient: () => undefined, tokenRequired: false, customMethods: customMethods as never });
    expect(thrown(() => make('X'))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"options.customMethods" must be an object of signature method definitions by name' });
    expect(thrown(() => make({ 'HMAC-SHA1': { kind: 'rsa', bodyHash: 'SHA-1', sign: () => '', verify: () => true } }))).toMatchObject({
      message: '"options.customMethods["HMAC-SHA1"]" "HMAC-SHA1" is built in and cannot be replaced',
    });
    expect(thrown(() => make({ 'bad name': {} }))).toMatchObject({ message: '"options.customMethods["bad name"]" must be a non-empty printable ASCII string' });
    expect(thrown(() => make({ 'X-A': { kind: 'rsa', bodyHash: 'SHA-1', sign: () => '' } }))).toMatchObject({ message: '"options.customMethods["X-A"].verify" must be a function' });
  });
});

describe('body hash and nonces', () => {
  it('bodyHash names a body or an algorithm it cannot hash', () => {
    expect(thrown(() => bodyHash(5 as never, 'SHA-1'))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"body" must be a string or a Uint8Array' });
    expect(thrown(() => bodyHash('x', 'MD5' as never))).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: `"hash" must be 'SHA-1', 'SHA-256' or 'SHA-512'` });
    expect(bodyHash(new TextEncoder().encode('é'), 'SHA-256')).toBe(bodyHash('é', 'SHA-256'));
  });

  it('nonces are 128 random bits as 32 hex digits, never repeated, however many are drawn', () => {
    const nonces = Array.from({ length: 1000 }, () => generateNonce());
    for (const n of nonces) expect(n).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(nonces).size).toBe(nonces.length);
  });
});
