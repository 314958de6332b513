// The WebCrypto back end, run on Node's globalThis.crypto.subtle and checked
// against node:crypto on the same inputs: every result below is computed by
// node:crypto or read from a fixture, never written down by hand.
import {
  X509Certificate,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, fromUtf8, toBase64, toBase64url, utf8 } from '../src/methods/crypto/bytes.js';
import {
  constantTimeEqual,
  digestBase64Async,
  dummyRsaPublicKeyAsync,
  hmacBase64Async,
  random,
  randomBase64url,
  randomHex,
  rsaSignBase64Async,
  rsaVerifyBase64Async,
  toPrivateKeyAsync,
  toPublicKeyAsync,
  type DigestName,
} from '../src/methods/crypto/web.js';
import { KeyFormatError, pemBlocks, rsaPrivateKeyFromPem, rsaPublicKeyFromPem } from '../src/methods/crypto/der.js';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const keys2048 = {
  pkcs8: read('./fixtures/rsa-private-pkcs8.pem'),
  pkcs1: read('./fixtures/rsa-private-pkcs1.pem'),
  spki: read('./fixtures/rsa-public-spki.pem'),
  publicPkcs1: read('./fixtures/rsa-public-pkcs1.pem'),
  cert: read('./fixtures/rsa-cert.pem'),
};
const keys1024 = {
  pkcs8: read('../vectors/keys/rsa-1024-private-pkcs8.pem'),
  pkcs1: read('../vectors/keys/rsa-1024-private-pkcs1.pem'),
  spki: read('../vectors/keys/rsa-1024-public-spki.pem'),
  publicPkcs1: read('../vectors/keys/rsa-1024-public-pkcs1.pem'),
  cert: read('../vectors/keys/rsa-1024-cert.pem'),
};
const DIGESTS: DigestName[] = ['sha1', 'sha256', 'sha512'];
const BASE = 'POST&https%3A%2F%2Fapi.example.com%2F1%2Fitems&a%3D1%26oauth_consumer_key%3Dck%26caf%C3%A9';
const der = (pem: string): Buffer => createPublicKey(pem).export({ type: 'spki', format: 'der' });

describe('bytes without Buffer', () => {
  it('base64 and base64url agree with Buffer for every length up to 64 and random contents', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
        expect(toBase64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64(toBase64(bytes))).toEqual(new Uint8Array(bytes));
        expect(fromBase64(toBase64url(bytes))).toEqual(new Uint8Array(bytes));
      }),
    );
  });
  it('decodes wrapped PEM bodies and refuses what is not base64', () => {
    expect(fromBase64('QUJD\nREVG\r\n R0g=')).toEqual(new TextEncoder().encode('ABCDEFGH'));
    for (const bad of ['QUJ*', 'Q', 'QUJDR', 'QU=JD', 'QUJD===', 'QUI==', 'é']) expect(fromBase64(bad), bad).toBeUndefined();
  });
  it('encodes UTF-8 as Buffer does, lone surrogates included', () => {
    for (const s of ['', 'café', '\u{1F600}', 'a\uD800b', '\uDFFF']) {
      expect(utf8(s)).toEqual(new Uint8Array(Buffer.from(s, 'utf8')));
      expect(fromUtf8(utf8(s))).toBe(Buffer.from(s, 'utf8').toString('utf8'));
    }
  });
});

describe('HMAC and digests on SubtleCrypto', () => {
  it.each(DIGESTS)('HMAC-%s equals node:crypto, empty and non-ASCII keys included', async (digest) => {
    for (const [key, data] of [['k%20s&t', BASE], ['', ''], ['&', 'x'], ['clé&秘密', 'données'], ['x'.repeat(200), 'long key']]) {
      expect(await hmacBase64Async(digest, key!, data!)).toBe(createHmac(digest, key!).update(data!, 'utf8').digest('base64'));
    }
  });
  it.each(DIGESTS)('%s digest of strings and bytes equals node:crypto', async (digest) => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 255);
    expect(await digestBase64Async(digest, 'é{"a":1}')).toBe(createHash(digest).update('é{"a":1}', 'utf8').digest('base64'));
    expect(await digestBase64Async(digest, bytes)).toBe(createHash(digest).update(bytes).digest('base64'));
    expect(await digestBase64Async(digest, '')).toBe(createHash(digest).update('').digest('base64'));
  });
});

describe('RSASSA-PKCS1-v1_5 on SubtleCrypto', () => {
  for (const [size, keys] of [['2048', keys2048], ['1024', keys1024]] as const) {
    it.each(DIGESTS)(`${size}-bit key, %s: PKCS#8 and PKCS#1 sign exactly as node:crypto`, async (digest) => {
      const expected = nodeSign(digest, Buffer.from(BASE), createPrivateKey(keys.pkcs8)).toString('base64');
      expect(await rsaSignBase64Async(digest, keys.pkcs8, BASE)).toBe(expected);
      expect(await rsaSignBase64Async(digest, keys.pkcs1, BASE)).toBe(expected);
      expect(await rsaSignBase64Async(digest, new TextEncoder().encode(keys.pkcs1), BASE)).toBe(expected);
    });
    it.each(DIGESTS)(`${size}-bit key, %s: every public form verifies node's signature and refuses changes`, async (digest) => {
      const signature = nodeSign(digest, Buffer.from(BASE), createPrivateKey(keys.pkcs8)).toString('base64');
      const other = nodeSign(digest, Buffer.from(`${BASE}x`), createPrivateKey(keys.pkcs8)).toString('base64');
      for (const publicKey of [keys.spki, keys.publicPkcs1, keys.cert, keys.pkcs8, keys.pkcs1]) {
        expect(await rsaVerifyBase64Async(digest, publicKey, BASE, signature)).toBe(true);
        expect(await rsaVerifyBase64Async(digest, publicKey, `${BASE}x`, signature)).toBe(false);
        expect(await rsaVerifyBase64Async(digest, publicKey, BASE, other)).toBe(false);
      }
    });
  }
  it('a malformed signature is false, never an exception', async () => {
    const good = nodeSign('sha256', Buffer.from(BASE), createPrivateKey(keys2048.pkcs8)).toString('base64');
    for (const sig of ['', 'abc', '!!!!', `${good}AAAA`, good.slice(0, -4), good.replace(/=*$/, ''), 'A'.repeat(344)]) {
      expect(await rsaVerifyBase64Async('sha256', keys2048.spki, BASE, sig), sig).toBe(false);
    }
  });
  it('only the canonical base64 spelling of a signature verifies, as on the Node back end', async () => {
    // 256 bytes leave 4 unused bits in the last character: 15 other spellings
    // decode to the same bytes and must not verify.
    const good = nodeSign('sha256', Buffer.from(BASE), createPrivateKey(keys2048.pkcs8)).toString('base64');
    const last = good.replace(/=+$/, '').length - 1;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const respelled = [...alphabet]
      .map((c) => `${good.slice(0, last)}${c}${good.slice(last + 1)}`)
      .filter((s) => s !== good && Buffer.from(s, 'base64').equals(Buffer.from(good, 'base64')));
    expect(respelled).toHaveLength(15);
    for (const s of respelled) expect(await rsaVerifyBase64Async('sha256', keys2048.spki, BASE, s), s).toBe(false);
    expect(await rsaVerifyBase64Async('sha256', keys2048.spki, BASE, good)).toBe(true);
  });
  it('the signature of one hash does not verify under another', async () => {
    const sha1 = await rsaSignBase64Async('sha1', keys2048.pkcs8, BASE);
    expect(await rsaVerifyBase64Async('sha256', keys2048.spki, BASE, sha1)).toBe(false);
  });
});

describe('CryptoKey inputs', () => {
  const subtle = globalThis.crypto.subtle;
  const rsa = (hash: string, extractable: boolean): Promise<CryptoKeyPair> =>
    subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash }, extractable, ['sign', 'verify']);

  it('uses a key pair made for the hash as it is, and re-imports an extractable one made for another', async () => {
    const pair = await rsa('SHA-256', true);
    expect(await toPrivateKeyAsync(pair.privateKey, 'sha256')).toBe(pair.privateKey);
    expect(await toPublicKeyAsync(pair.publicKey, 'sha256')).toBe(pair.publicKey);
    for (const digest of DIGESTS) {
      const signature = await rsaSignBase64Async(digest, pair.privateKey, BASE);
      const spki = Buffer.from(await subtle.exportKey('spki', pair.publicKey));
      const nodeKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      const { verify } = await import('node:crypto');
      expect(verify(digest, Buffer.from(BASE), nodeKey, Buffer.from(signature, 'base64'))).toBe(true);
      expect(await rsaVerifyBase64Async(digest, pair.publicKey, BASE, signature)).toBe(true);
      // A private key stands for its public half when it is extractable.
      expect(await rsaVerifyBase64Async(digest, pair.privateKey, BASE, signature)).toBe(true);
    }
  });
  it('refuses what it cannot use, naming the option', async () => {
    const locked = await rsa('SHA-256', false);
    await expect(rsaSignBase64Async('sha1', locked.privateKey, BASE)).rejects.toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringMatching(/^"keys.privateKey" is a CryptoKey for SHA-256/) }),
    );
    await expect(rsaVerifyBase64Async('sha256', locked.privateKey, BASE, 'AAAA')).rejects.toThrowError(/"keys.publicKey" is a private CryptoKey that is not extractable/);
    await expect(rsaSignBase64Async('sha256', locked.publicKey, BASE)).rejects.toThrowError(/"keys.privateKey" must be a private key/);
    const hmacKey = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    await expect(rsaSignBase64Async('sha256', hmacKey, BASE)).rejects.toThrowError(/"keys.privateKey" must be a private key/);
    await expect(rsaVerifyBase64Async('sha256', hmacKey, BASE, 'AAAA')).rejects.toThrowError(/"keys.publicKey" must be an RSA key .*got secret/);
    const ec = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    await expect(rsaSignBase64Async('sha256', ec.privateKey, BASE)).rejects.toThrowError(/must be an RSA key for RSASSA-PKCS1-v1_5 \(got ECDSA\)/);
  });
});

describe('PEM the back end refuses', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const pss = generateKeyPairSync('rsa-pss', { modulusLength: 1024 });
  const rsaKey = createPrivateKey(keys2048.pkcs8);
  it.each([
    ['an EC key (PKCS#8)', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }), /must be an RSA key \(got ec\)/],
    ['an EC key (SEC1)', ec.privateKey.export({ type: 'sec1', format: 'pem' }), /must be an RSA key \(got ec\)/],
    ['an Ed25519 key', ed.privateKey.export({ type: 'pkcs8', format: 'pem' }), /must be an RSA key \(got ed25519\)/],
    ['an RSA-PSS key', pss.privateKey.export({ type: 'pkcs8', format: 'pem' }), /must be an RSA key \(got rsa-pss\)/],
    ['an encrypted PKCS#8 key', rsaKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'p' }), /encrypted private key/],
    ['an encrypted PKCS#1 key', rsaKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'p' }), /encrypted private key/],
    ['a public key', keys2048.spki, /is not a readable PEM private key \(PKCS#1 or PKCS#8\)/],
    ['a certificate', keys2048.cert, /is not a readable PEM private key/],
    ['not PEM', 'nope', /is not a readable PEM private key/],
    ['a block of garbage', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', /is not a readable PEM private key/],
    ['a truncated key', keys2048.pkcs8.replace(/\n[^\n]*\n-----END/, '\n-----END'), /is not a readable PEM private key/],
  ])('%s as a private key', async (_what, pem, message) => {
    await expect(rsaSignBase64Async('sha256', pem as string, BASE)).rejects.toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringMatching(message) }));
  });
  it.each([
    ['an EC public key', ec.publicKey.export({ type: 'spki', format: 'pem' }), /must be an RSA key \(got ec\)/],
    ['an Ed25519 public key', ed.publicKey.export({ type: 'spki', format: 'pem' }), /must be an RSA key \(got ed25519\)/],
    ['an empty SPKI block', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', /"keys.publicKey" is not a readable PEM public key/],
    ['not PEM', 'nope', /is not a readable PEM public key/],
  ])('%s as a public key', async (_what, pem, message) => {
    await expect(rsaVerifyBase64Async('sha256', pem as string, BASE, 'AAAA')).rejects.toThrowError(message);
  });
  it('a value of another type is ERR_INVALID_ARG_TYPE', async () => {
    await expect(rsaSignBase64Async('sha256', 42 as never, BASE)).rejects.toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    await expect(rsaVerifyBase64Async('sha256', null as never, BASE, 'AAAA', 'client.publicKey')).rejects.toThrowError(/^"client.publicKey" must be a PEM string/);
  });
  it('a key that failed is not cached: the next call reports it again', async () => {
    await expect(rsaSignBase64Async('sha1', 'nope', BASE)).rejects.toThrow(TypeError);
    await expect(rsaSignBase64Async('sha1', 'nope', BASE)).rejects.toThrow(TypeError);
  });
});

describe('our DER against node:crypto', () => {
  for (const [size, keys] of [['2048', keys2048], ['1024', keys1024]] as const) {
    it(`${size}-bit: PKCS#1 is wrapped into the PKCS#8 node exports, and every public form gives node's SPKI`, () => {
      const pkcs8 = createPrivateKey(keys.pkcs8).export({ type: 'pkcs8', format: 'der' });
      expect(Buffer.from(rsaPrivateKeyFromPem(keys.pkcs1).pkcs8).equals(pkcs8)).toBe(true);
      expect(Buffer.from(rsaPrivateKeyFromPem(keys.pkcs8).pkcs8).equals(pkcs8)).toBe(true);
      const spki = der(keys.spki);
      expect(Buffer.from(new X509Certificate(keys.cert).publicKey.export({ type: 'spki', format: 'der' })).equals(spki)).toBe(true);
      for (const pem of [keys.spki, keys.publicPkcs1, keys.cert, keys.pkcs8, keys.pkcs1]) {
        expect(Buffer.from(rsaPublicKeyFromPem(pem)).equals(spki)).toBe(true);
      }
      expect(Buffer.from(rsaPrivateKeyFromPem(keys.pkcs1).spki).equals(spki)).toBe(true);
    });
  }
  it('finds the first usable block in a file that holds several', () => {
    const bundle = `${keys2048.cert}\n${keys1024.pkcs1}`;
    expect(pemBlocks(bundle).map((b) => b.label)).toEqual(['CERTIFICATE', 'RSA PRIVATE KEY']);
    expect(Buffer.from(rsaPrivateKeyFromPem(bundle).spki).equals(der(keys1024.spki))).toBe(true);
    expect(Buffer.from(rsaPublicKeyFromPem(bundle)).equals(der(keys2048.spki))).toBe(true);
  });
  it('never reads past a length, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(bytes).toString('base64')}\n-----END PUBLIC KEY-----`;
        try {
          rsaPublicKeyFromPem(pem);
        } catch (err) {
          expect(err).toBeInstanceOf(KeyFormatError);
        }
      }),
    );
  });
});

describe('randomness and comparison', () => {
  it('random bytes: the length asked, and different each time', () => {
    expect(random(70_000)).toHaveLength(70_000);
    expect(toBase64(random(32))).not.toBe(toBase64(random(32)));
    // More than one getRandomValues call's worth: the tail is filled too.
    const big = random(140_000);
    expect(big.subarray(131_072).some((b) => b !== 0)).toBe(true);
  });
  it('hex nonces from the pool: the length asked, never the same twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const n = randomHex(16);
      expect(n).toMatch(/^[0-9a-f]{32}$/);
      seen.add(n);
    }
    expect(seen.size).toBe(600);
    expect(randomHex(300)).toMatch(/^[0-9a-f]{600}$/);
    expect(randomBase64url(24)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
  it('constantTimeEqual agrees with === on any pair of strings', () => {
    for (const [a, b] of [['', ''], ['', 'a'], ['a', ''], ['abc', 'abc'], ['abc', 'abd'], ['abc', 'abcabc'], ['abcabc', 'abc'], ['é', 'e'], ['\u0000', '']]) {
      expect(constantTimeEqual(a!, b!), `${a} ${b}`).toBe(a === b);
    }
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => constantTimeEqual(a, b) === (a === b)));
    fc.assert(fc.property(fc.string(), (a) => constantTimeEqual(a, a)));
  });
  it('the dummy RSA key verifies no real signature', async () => {
    const signature = nodeSign('sha256', Buffer.from(BASE), createPrivateKey(keys2048.pkcs8)).toString('base64');
    const dummy = await dummyRsaPublicKeyAsync();
    expect((dummy.algorithm as RsaHashedKeyAlgorithm).modulusLength).toBe(2048);
    expect(await rsaVerifyBase64Async('sha256', dummy, BASE, signature)).toBe(false);
    expect(await rsaVerifyBase64Async('sha1', dummy, BASE, signature)).toBe(false);
  });
});

describe('the back end is portable', () => {
  // A mutation run (vitest.mutation.config.ts) bundles Stryker's instrumented
  // sources, which carry its own runtime hooks: this checks the sources as written.
  it.skipIf(process.env['OAUTH1_MUTATION_RUN'] === '1')('bundles for the browser with no Node built-in and no Buffer', async () => {
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: [new URL('../src/methods/crypto/web.ts', import.meta.url).pathname],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.some((i) => i.endsWith('src/methods/crypto/der.ts'))).toBe(true);
    expect(inputs.filter((i) => !i.startsWith('src/'))).toEqual([]);
    expect(out.outputFiles[0]!.text).not.toMatch(/\bBuffer\b|\bprocess\b|node:/);
  });
});
