/**
 * The Node back end: the one module that imports `node:crypto`. Everything
 * above it works with strings and this small seam (see `contract.ts`; the web
 * build has `web.ts` instead). Its operations are synchronous; the `Async`
 * forms exist so that code written for every build runs here too.
 * @module
 * @internal
 */
import {
  generateKeyPair,
  generateKeyPairSync,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  type webcrypto,
  randomBytes,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
} from 'node:crypto';
import { invalidArgType, invalidArgValue } from '../../core/errors.js';
import type { DigestName } from './contract.js';

export type { DigestName } from './contract.js';

/**
 * A key accepted for RSA methods: PEM text or bytes, a `KeyObject`, or a
 * WebCrypto `CryptoKey`. The two key objects are described by their shape, so
 * that the published types do not need @types/node (a project without
 * `"types": ["node"]` type-checks against the package); Node's `KeyObject`
 * and `CryptoKey` fit, and at run time a key is told apart by
 * `instanceof KeyObject` and its `[object CryptoKey]` tag.
 */
export type KeyLike =
  | string
  | Uint8Array
  | { readonly type: 'secret' | 'public' | 'private'; readonly asymmetricKeyType?: string | undefined; export(...args: never[]): unknown }
  | { readonly type: string; readonly algorithm: object; readonly extractable: boolean; readonly usages: readonly string[] };

/** node:crypto works synchronously. */
export const SYNC_CRYPTO = true;

/** Base64 HMAC of `data` (UTF-8) under `key` (UTF-8). */
export function hmacBase64(digest: DigestName, key: string, data: string): string {
  return createHmac(digest, key).update(data, 'utf8').digest('base64');
}

/** Base64 digest of `data` (a string is hashed as UTF-8). */
export function digestBase64(digest: DigestName, data: string | Uint8Array): string {
  const h = createHash(digest);
  if (typeof data === 'string') h.update(data, 'utf8');
  else h.update(data);
  return h.digest('base64');
}

/** {@link hmacBase64}, as a promise. */
export async function hmacBase64Async(digest: DigestName, key: string, data: string): Promise<string> {
  return hmacBase64(digest, key, data);
}

/** {@link digestBase64}, as a promise (computed now: later changes to `data` do not count). */
export async function digestBase64Async(digest: DigestName, data: string | Uint8Array): Promise<string> {
  return digestBase64(digest, data);
}

// One randomBytes call per nonce costs more than the HMAC it goes with; draw
// from a pool instead, never handing out the same bytes twice.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = POOL_SIZE;

/** `bytes` random bytes (at most 256) as lowercase hex, from the CSPRNG. */
export function randomHex(bytes: number): string {
  if (bytes > 256) return randomBytes(bytes).toString('hex');
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const out = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return out;
}

/** `bytes` random bytes as base64url (credentials, verifiers, dummy secrets). */
export function randomBase64url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

const compareKey = randomBytes(32);

/**
 * Compares two strings in time that depends on neither their contents nor
 * which of them is longer: both are reduced to an HMAC of fixed length first.
 */
export function constantTimeEqual(expected: string, received: string): boolean {
  const ha = createHmac('sha256', compareKey).update(expected, 'utf8').digest();
  const hb = createHmac('sha256', compareKey).update(received, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

// PEM parsing costs far more than signing; keys are few and reused.
const MAX_CACHED_KEYS = 64;
const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

function cached(cache: Map<string, KeyObject>, pem: string, make: () => KeyObject): KeyObject {
  let key = cache.get(pem);
  if (key === undefined) {
    key = make();
    if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value as string);
    cache.set(pem, key);
  }
  return key;
}

function pemText(key: string | Uint8Array): string {
  return typeof key === 'string' ? key : Buffer.from(key).toString('utf8');
}

function ensureRsa(key: KeyObject, path: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw invalidArgValue(path, `must be an RSA key (got ${key.asymmetricKeyType ?? key.type})`);
  }
  return key;
}

function isCryptoKey(value: unknown): value is webcrypto.CryptoKey {
  return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object CryptoKey]';
}

/** A private key from PEM (PKCS#1 or PKCS#8), a KeyObject or a CryptoKey. */
function toPrivateKey(input: KeyLike, path: string): KeyObject {
  const key: unknown = isCryptoKey(input) ? KeyObject.from(input) : input;
  if (key instanceof KeyObject) {
    if (key.type !== 'private') throw invalidArgValue(path, 'must be a private key');
    return ensureRsa(key, path);
  }
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) {
    throw invalidArgType(path, 'a PEM string, a Uint8Array, a KeyObject or a CryptoKey');
  }
  const pem = pemText(key);
  return cached(privateKeys, pem, () => {
    try {
      return ensureRsa(createPrivateKey(pem), path);
    } catch (err) {
      if (err instanceof TypeError && 'code' in err && err.code === 'ERR_INVALID_ARG_VALUE') throw err;
      throw invalidArgValue(path, 'is not a readable PEM private key (PKCS#1 or PKCS#8)');
    }
  });
}

/** A public key from PEM (SPKI, PKCS#1, X.509 certificate), a private key, a KeyObject or a CryptoKey. */
function toPublicKey(input: KeyLike, path: string): KeyObject {
  const key: unknown = isCryptoKey(input) ? KeyObject.from(input) : input;
  if (key instanceof KeyObject) {
    return ensureRsa(key.type === 'private' ? createPublicKey(key) : key, path);
  }
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) {
    throw invalidArgType(path, 'a PEM string, a Uint8Array, a KeyObject or a CryptoKey');
  }
  const pem = pemText(key);
  return cached(publicKeys, pem, () => {
    try {
      return ensureRsa(createPublicKey(pem), path);
    } catch (err) {
      if (err instanceof TypeError && 'code' in err && err.code === 'ERR_INVALID_ARG_VALUE') throw err;
      throw invalidArgValue(path, 'is not a readable PEM public key, RSA public key or X.509 certificate');
    }
  });
}

/** RSASSA-PKCS1-v1_5 signature, base64; `path` names the key option in errors. */
export function rsaSignBase64(digest: DigestName, key: KeyLike, data: string, path = 'keys.privateKey'): string {
  return cryptoSign(digest, Buffer.from(data, 'utf8'), toPrivateKey(key, path)).toString('base64');
}

/** {@link rsaSignBase64}, as a promise. */
export async function rsaSignBase64Async(digest: DigestName, key: KeyLike, data: string, path?: string): Promise<string> {
  return rsaSignBase64(digest, key, data, path);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Verifies an RSASSA-PKCS1-v1_5 signature given in base64; false for any malformed signature. */
export function rsaVerifyBase64(digest: DigestName, key: KeyLike, data: string, signature: string, path = 'keys.publicKey'): boolean {
  const publicKey = toPublicKey(key, path);
  if (signature.length === 0 || signature.length % 4 !== 0 || !BASE64.test(signature)) return false;
  try {
    return cryptoVerify(digest, Buffer.from(data, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** {@link rsaVerifyBase64}, as a promise. */
export async function rsaVerifyBase64Async(digest: DigestName, key: KeyLike, data: string, signature: string, path?: string): Promise<boolean> {
  return rsaVerifyBase64(digest, key, data, signature, path);
}

// A public key for requests that name an unknown RSA client: the signature is
// still checked (against this key, so it fails) and takes as long as usual.
let dummyRsa: Promise<KeyObject> | undefined;

function makeDummy(): Promise<KeyObject> {
  return new Promise<KeyObject>((resolve) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey) => {
      // Should the background job fail, make the key now rather than never.
      resolve(err ? generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey : publicKey);
    });
  });
}

/** Starts making the dummy RSA key in the background (a verifier calls it when it accepts RSA). */
export function prepareDummyRsaPublicKey(): void {
  dummyRsa ??= makeDummy();
}

/** The dummy RSA public key, once made. */
export function dummyRsaPublicKeyAsync(): Promise<KeyObject> {
  return (dummyRsa ??= makeDummy());
}
