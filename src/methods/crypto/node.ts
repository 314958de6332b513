/**
 * The one module that imports `node:crypto`. Everything above it works with
 * strings and this small seam.
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
  randomBytes,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
} from 'node:crypto';
import { invalidArgType, invalidArgValue } from '../../core/errors.js';

/** A key accepted for RSA methods: PEM text or bytes, or a `KeyObject`. */
export type KeyLike = string | Uint8Array | KeyObject;

export type DigestName = 'sha1' | 'sha256' | 'sha512';

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

/** Random bytes. */
export function random(bytes: number): Buffer {
  return randomBytes(bytes);
}

const compareKey = randomBytes(32);

/**
 * Compares two strings in time that depends on neither their contents nor
 * which of them is longer: both are reduced to an HMAC of fixed length first.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHmac('sha256', compareKey).update(a, 'utf8').digest();
  const hb = createHmac('sha256', compareKey).update(b, 'utf8').digest();
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

/** A private key from PEM (PKCS#1 or PKCS#8) or a KeyObject. */
export function toPrivateKey(key: KeyLike, path = 'keys.privateKey'): KeyObject {
  if (key instanceof KeyObject) {
    if (key.type !== 'private') throw invalidArgValue(path, 'must be a private key');
    return ensureRsa(key, path);
  }
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) {
    throw invalidArgType(path, 'a PEM string, a Uint8Array or a KeyObject');
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

/** A public key from PEM (SPKI, PKCS#1, X.509 certificate), a private key, or a KeyObject. */
export function toPublicKey(key: KeyLike, path = 'keys.publicKey'): KeyObject {
  if (key instanceof KeyObject) {
    return ensureRsa(key.type === 'private' ? createPublicKey(key) : key, path);
  }
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) {
    throw invalidArgType(path, 'a PEM string, a Uint8Array or a KeyObject');
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

/** RSASSA-PKCS1-v1_5 signature, base64. */
export function rsaSignBase64(digest: DigestName, key: KeyObject, data: string): string {
  return cryptoSign(digest, Buffer.from(data, 'utf8'), key).toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Verifies an RSASSA-PKCS1-v1_5 signature given in base64; false for any
 * malformed input. Only the canonical spelling is read: the unused bits of
 * the last character must be zero, or one signature would have several
 * spellings that all verify.
 */
export function rsaVerifyBase64(digest: DigestName, key: KeyObject, data: string, signature: string): boolean {
  if (signature.length === 0 || signature.length % 4 !== 0 || !BASE64.test(signature)) return false;
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.toString('base64') !== signature) return false;
  try {
    return cryptoVerify(digest, Buffer.from(data, 'utf8'), key, bytes);
  } catch {
    return false;
  }
}

// A public key for requests that name an unknown RSA client: the signature is
// still checked (against this key, so it fails) and takes as long as usual.
let dummyRsa: KeyObject | undefined;
let dummyRsaPending = false;

/** Starts making the dummy RSA key in the background (a verifier calls it when it accepts RSA). */
export function prepareDummyRsaPublicKey(): void {
  if (dummyRsa !== undefined || dummyRsaPending) return;
  dummyRsaPending = true;
  generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey) => {
    if (!err) dummyRsa ??= publicKey;
  });
}

/** The dummy RSA public key (made now if the background job has not finished). */
export function dummyRsaPublicKey(): KeyObject {
  dummyRsa ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  return dummyRsa;
}
