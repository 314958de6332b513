/**
 * The WebCrypto back end: SubtleCrypto for HMAC, RSASSA-PKCS1-v1_5 and
 * digests, `crypto.getRandomValues` for randomness, no `Buffer` and no Node
 * built-in. It serves workers (workerd), edge runtimes, Deno and browsers.
 * SubtleCrypto is asynchronous, so every keyed or hashing operation here
 * returns a promise; randomness and comparison stay synchronous.
 * @module
 * @internal
 */
import { fromBase64, toBase64, toBase64url, utf8 } from './bytes.js';
import { KeyFormatError, NotRsaError, rsaPrivateKeyFromPem, rsaPublicKeyFromPem } from './der.js';
import { invalidArgType, invalidArgValue, syncCryptoUnavailable } from '../../core/errors.js';
import type { DigestName } from './contract.js';

export type { DigestName } from './contract.js';

/** A key accepted for RSA methods: PEM text or PEM bytes, or a `CryptoKey`. */
export type KeyLike = string | Uint8Array | CryptoKey;

/** SubtleCrypto has no synchronous API: the synchronous forms below throw. */
export const SYNC_CRYPTO = false;

/** Throws: HMAC is asynchronous here (use {@link hmacBase64Async}). */
export function hmacBase64(_digest: DigestName, _key: string, _data: string): string {
  throw syncCryptoUnavailable('HMAC');
}

/** A prepared HMAC key: none here (the synchronous HMAC is unavailable). */
export interface HmacKey {
  readonly digest: DigestName;
}

/** Throws: HMAC is asynchronous here (use {@link hmacBase64Async}). */
export function prepareHmacKey(_digest: DigestName, _key: string): HmacKey {
  throw syncCryptoUnavailable('HMAC');
}

/** Throws: HMAC is asynchronous here (use {@link hmacBase64Async}). */
export function hmacWithKeyBase64(_key: HmacKey, _data: string): string {
  throw syncCryptoUnavailable('HMAC');
}

/** Throws: digests are asynchronous here (use {@link digestBase64Async}). */
export function digestBase64(_digest: DigestName, _data: string | Uint8Array): string {
  throw syncCryptoUnavailable('the body hash');
}

/** Throws: RSA is asynchronous here (use {@link rsaSignBase64Async}). */
export function rsaSignBase64(_digest: DigestName, _key: KeyLike, _data: string, _path?: string): string {
  throw syncCryptoUnavailable('RSA');
}

/** Throws: RSA is asynchronous here (use {@link rsaVerifyBase64Async}). */
export function rsaVerifyBase64(_digest: DigestName, _key: KeyLike, _data: string, _signature: string, _path?: string): boolean {
  throw syncCryptoUnavailable('RSA');
}

const HASH = { sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512' } as const;
// HMAC block sizes (RFC 2104 B): an empty key is B zero bytes.
const BLOCK = { sha1: 64, sha256: 64, sha512: 128 } as const;
const RSA = 'RSASSA-PKCS1-v1_5';

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) {
    const err = new Error(
      'WebCrypto (crypto.subtle) is not available: browsers offer it only in secure contexts (https, or http://localhost)',
    ) as Error & { code: string };
    err.code = 'ERR_WEBCRYPTO_UNAVAILABLE';
    throw err;
  }
  return s;
}

// Importing an HMAC key costs as much as the signature itself (a second trip
// through the platform's crypto queue); a client signs call after call with
// the same credentials, so the last few keys are kept, non-extractable.
const MAX_CACHED_HMAC_KEYS = 16;
const hmacKeys = new Map<string, Promise<CryptoKey>>();

/** Base64 HMAC of `data` (UTF-8) under `key` (UTF-8). */
export async function hmacBase64Async(digest: DigestName, key: string, data: string): Promise<string> {
  const s = subtle();
  const id = `${digest}\n${key}`;
  let cryptoKey = hmacKeys.get(id);
  if (cryptoKey === undefined) {
    const raw = key.length === 0 ? new Uint8Array(BLOCK[digest]) : utf8(key);
    cryptoKey = s.importKey('raw', raw, { name: 'HMAC', hash: HASH[digest] }, false, ['sign']);
    if (hmacKeys.size >= MAX_CACHED_HMAC_KEYS) hmacKeys.delete(hmacKeys.keys().next().value as string);
    hmacKeys.set(id, cryptoKey);
    const pending = cryptoKey;
    pending.catch(() => {
      if (hmacKeys.get(id) === pending) hmacKeys.delete(id);
    });
  }
  return toBase64(new Uint8Array(await s.sign('HMAC', await cryptoKey, utf8(data))));
}

/** Base64 digest of `data` (a string is hashed as UTF-8). */
export async function digestBase64Async(digest: DigestName, data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? utf8(data) : data;
  return toBase64(new Uint8Array(await subtle().digest(HASH[digest], bytes as Uint8Array<ArrayBuffer>)));
}

// getRandomValues fills at most 65536 bytes per call.
const MAX_RANDOM_CALL = 65536;

/** Random bytes from the platform's CSPRNG. */
export function random(bytes: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes);
  for (let at = 0; at < bytes; at += MAX_RANDOM_CALL) {
    globalThis.crypto.getRandomValues(out.subarray(at, Math.min(bytes, at + MAX_RANDOM_CALL)));
  }
  return out;
}

// Two hex digits per byte value, read with slice: no lookup can come back empty.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')).join('');

// As in the Node back end: one getRandomValues call per nonce costs more than
// slicing a pool, and the pool never hands out the same bytes twice.
const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let poolOffset = POOL_SIZE;

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  let source: Uint8Array;
  let from: number;
  if (bytes > 256) {
    source = random(bytes);
    from = 0;
  } else {
    if (poolOffset + bytes > pool.length) {
      pool = random(POOL_SIZE);
      poolOffset = 0;
    }
    source = pool;
    from = poolOffset;
    poolOffset += bytes;
  }
  let out = '';
  for (let i = from; i < from + bytes; i++) {
    const at = 2 * (source[i] ?? 0);
    out += HEX.slice(at, at + 2);
  }
  return out;
}

/** `bytes` random bytes as base64url (credentials, verifiers). */
export function randomBase64url(bytes: number): string {
  return toBase64url(random(bytes));
}

/**
 * Compares a value we computed (`expected`) with one a request carried
 * (`received`). The loop runs once per character of `received`, whatever the
 * contents and whatever the length of `expected`, and has no early exit: the
 * time says nothing about the secret side. (The Node back end reduces both to
 * an HMAC first; that is asynchronous here, and this needs no key.)
 */
export function constantTimeEqual(expected: string, received: string): boolean {
  const n = expected.length;
  let diff = n ^ received.length;
  for (let i = 0; i < received.length; i++) {
    // charCodeAt past the end is NaN, which `^` reads as 0; the length check above already differs then.
    diff |= expected.charCodeAt(n === 0 ? 0 : i % n) ^ received.charCodeAt(i);
  }
  return diff === 0;
}

/** {@link constantTimeEqual}, which already takes time independent of the computed side. */
export function fixedLengthEqual(expected: string, received: string): boolean {
  return constantTimeEqual(expected, received);
}

// ---------------------------------------------------------------------------
// RSA keys. WebCrypto binds the hash into an RSA key when it is imported, so a
// key is imported once per (key, hash); PEM parsing and import cost far more
// than a signature, so both are cached.

const MAX_CACHED_KEYS = 64;
const privateKeys = new Map<string, Promise<CryptoKey>>();
const publicKeys = new Map<string, Promise<CryptoKey>>();
const converted = new WeakMap<CryptoKey, Map<string, Promise<CryptoKey>>>();

function cached(cache: Map<string, Promise<CryptoKey>>, id: string, make: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let key = cache.get(id);
  if (key === undefined) {
    key = make();
    if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value as string);
    cache.set(id, key);
    // A key that cannot be read is not remembered: the next call reports it again.
    key.catch(() => {
      if (cache.get(id) === key) cache.delete(id);
    });
  }
  return key;
}

function isCryptoKey(value: unknown): value is CryptoKey {
  if (typeof CryptoKey === 'function' && value instanceof CryptoKey) return true;
  // Another realm's CryptoKey (a VM context, an iframe): recognised by shape.
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.prototype.toString.call(value) === '[object CryptoKey]' &&
    typeof (value as CryptoKey).type === 'string'
  );
}

function pemText(key: string | Uint8Array): string {
  return typeof key === 'string' ? key : new TextDecoder().decode(key);
}

/** Turns a DER/PEM reading failure into the option's TypeError. */
function unreadable(err: unknown, path: string, what: string): never {
  if (err instanceof NotRsaError) throw invalidArgValue(path, `must be an RSA key (got ${err.keyType})`);
  if (err instanceof KeyFormatError && /encrypted/.test(err.message)) throw invalidArgValue(path, `is an encrypted private key; decrypt it first`);
  throw invalidArgValue(path, what);
}

const PRIVATE_UNREADABLE = 'is not a readable PEM private key (PKCS#1 or PKCS#8)';
const PUBLIC_UNREADABLE = 'is not a readable PEM public key, RSA public key or X.509 certificate';

function rsaAlgorithm(digest: DigestName): RsaHashedImportParams {
  return { name: RSA, hash: HASH[digest] };
}

/** Checks a CryptoKey for RSASSA-PKCS1-v1_5 and returns the hash it was made for. */
function cryptoKeyHash(key: CryptoKey, path: string): string {
  const algorithm = key.algorithm as Partial<RsaHashedKeyAlgorithm>;
  if (key.type === 'secret' || algorithm.name !== RSA) {
    throw invalidArgValue(path, `must be an RSA key for ${RSA} (got ${key.type === 'secret' ? 'secret' : String(algorithm.name)})`);
  }
  return typeof algorithm.hash === 'object' && algorithm.hash !== null ? algorithm.hash.name : String(algorithm.hash);
}

/** The same key (or its public half), imported for another hash; only an extractable key can be. */
function rehashed(key: CryptoKey, use: 'sign' | 'verify', digest: DigestName, path: string, make: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let byUse = converted.get(key);
  if (byUse === undefined) converted.set(key, (byUse = new Map()));
  return cached(byUse, `${use} ${digest}`, make).catch((err: unknown) => {
    if (err instanceof TypeError) throw err;
    throw invalidArgValue(path, `could not be re-imported for ${HASH[digest]}`);
  });
}

/** An RSA private CryptoKey for `digest`, from PEM (PKCS#8, PKCS#1) or a CryptoKey. */
export function toPrivateKeyAsync(key: KeyLike, digest: DigestName, path = 'keys.privateKey'): Promise<CryptoKey> {
  if (isCryptoKey(key)) {
    if (key.type !== 'private') return Promise.reject(invalidArgValue(path, 'must be a private key'));
    let hash: string;
    try {
      hash = cryptoKeyHash(key, path);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!key.usages.includes('sign')) return Promise.reject(invalidArgValue(path, 'must be a CryptoKey usable for "sign"'));
    if (hash === HASH[digest]) return Promise.resolve(key);
    if (!key.extractable) {
      return Promise.reject(invalidArgValue(path, `is a CryptoKey for ${hash}; this method needs one imported for ${HASH[digest]} (or an extractable key)`));
    }
    return rehashed(key, 'sign', digest, path, async () => {
      const pkcs8 = await subtle().exportKey('pkcs8', key);
      return subtle().importKey('pkcs8', pkcs8, rsaAlgorithm(digest), false, ['sign']);
    });
  }
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) {
    return Promise.reject(invalidArgType(path, 'a PEM string, a Uint8Array or a CryptoKey'));
  }
  const pem = pemText(key);
  return cached(privateKeys, `${digest}\n${pem}`, async () => {
    let pkcs8: Uint8Array;
    try {
      pkcs8 = rsaPrivateKeyFromPem(pem).pkcs8;
    } catch (err) {
      unreadable(err, path, PRIVATE_UNREADABLE);
    }
    try {
      return await subtle().importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, rsaAlgorithm(digest), false, ['sign']);
    } catch {
      throw invalidArgValue(path, PRIVATE_UNREADABLE);
    }
  });
}

/**
 * An RSA public CryptoKey for `digest`, from PEM (SPKI, PKCS#1, an X.509
 * certificate, or a private key), or a CryptoKey (a private one must be
 * extractable).
 */
export function toPublicKeyAsync(key: KeyLike, digest: DigestName, path = 'keys.publicKey'): Promise<CryptoKey> {
  if (isCryptoKey(key)) {
    let hash: string;
    try {
      hash = cryptoKeyHash(key, path);
    } catch (err) {
      return Promise.reject(err);
    }
    if (key.type === 'public' && hash === HASH[digest]) {
      if (!key.usages.includes('verify')) return Promise.reject(invalidArgValue(path, 'must be a CryptoKey usable for "verify"'));
      return Promise.resolve(key);
    }
    if (!key.extractable) {
      return Promise.reject(
        invalidArgValue(path, key.type === 'private' ? 'is a private CryptoKey that is not extractable; pass its public key' : `is a CryptoKey for ${hash}; this method needs one imported for ${HASH[digest]}`),
      );
    }
    return rehashed(key, 'verify', digest, path, async () => {
      const { n, e } = await subtle().exportKey('jwk', key);
      if (n === undefined || e === undefined) throw invalidArgValue(path, 'is an RSA CryptoKey whose modulus and exponent cannot be exported');
      return subtle().importKey('jwk', { kty: 'RSA', n, e, ext: true }, rsaAlgorithm(digest), true, ['verify']);
    });
  }
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) {
    return Promise.reject(invalidArgType(path, 'a PEM string, a Uint8Array or a CryptoKey'));
  }
  const pem = pemText(key);
  return cached(publicKeys, `${digest}\n${pem}`, async () => {
    let spki: Uint8Array;
    try {
      spki = rsaPublicKeyFromPem(pem);
    } catch (err) {
      unreadable(err, path, PUBLIC_UNREADABLE);
    }
    try {
      return await subtle().importKey('spki', spki as Uint8Array<ArrayBuffer>, rsaAlgorithm(digest), true, ['verify']);
    } catch {
      throw invalidArgValue(path, PUBLIC_UNREADABLE);
    }
  });
}

/** RSASSA-PKCS1-v1_5 signature of `data` (UTF-8), base64. */
export async function rsaSignBase64Async(digest: DigestName, key: KeyLike, data: string, path?: string): Promise<string> {
  const cryptoKey = await toPrivateKeyAsync(key, digest, path);
  return toBase64(new Uint8Array(await subtle().sign(RSA, cryptoKey, utf8(data))));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Verifies an RSASSA-PKCS1-v1_5 signature given in base64; false for any
 * malformed input. Only the canonical spelling is read (the unused bits of
 * the last character zero), as on the Node back end.
 */
export async function rsaVerifyBase64Async(digest: DigestName, key: KeyLike, data: string, signature: string, path?: string): Promise<boolean> {
  const cryptoKey = await toPublicKeyAsync(key, digest, path);
  if (signature.length === 0 || signature.length % 4 !== 0 || !BASE64.test(signature)) return false;
  const bytes = fromBase64(signature);
  if (bytes === undefined || toBase64(bytes) !== signature) return false;
  try {
    return await subtle().verify(RSA, cryptoKey, bytes, utf8(data));
  } catch {
    return false;
  }
}

// A public key for requests that name an unknown RSA client: the signature is
// still checked (against this key, so it fails) and takes as long as usual.
let dummyRsa: Promise<CryptoKey> | undefined;

function makeDummy(): Promise<CryptoKey> {
  const made = subtle()
    .generateKey({ name: RSA, modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' }, true, ['sign', 'verify'])
    .then((pair) => pair.publicKey);
  made.catch(() => {
    if (dummyRsa === made) dummyRsa = undefined;
  });
  return made;
}

/** Starts making the dummy RSA key in the background (a verifier calls it when it accepts RSA). */
export function prepareDummyRsaPublicKey(): void {
  try {
    dummyRsa ??= makeDummy();
  } catch {
    // No SubtleCrypto here: the error surfaces when a request needs the key.
  }
}

/** The dummy RSA public key (an extractable SHA-256 key, re-imported for other hashes on use). */
export function dummyRsaPublicKeyAsync(): Promise<CryptoKey> {
  dummyRsa ??= makeDummy();
  return dummyRsa;
}
