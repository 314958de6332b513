/**
 * The Node back end: the one module that imports `node:crypto`. Everything
 * above it works with strings and this small seam (see `contract.ts`; the web
 * build has `web.ts` instead). Its operations are synchronous; the `Async`
 * forms exist so that code written for every build runs here too.
 * @module
 * @internal
 */
import * as nodeCrypto from 'node:crypto';
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

// ---------------------------------------------------------------------------
// HMAC with the key schedule computed once per key (RFC 2104):
//   HMAC(K, m) = H((K' xor opad) || H((K' xor ipad) || m))
// where K' is the key, hashed first when longer than the hash's block. The two
// padded blocks depend on the key only: prepareHmacKey computes them once (the
// caller keeps them in a bounded cache) and each signature then costs two
// one-shot hashes (`crypto.hash`, Node >= 20.12) instead of an Hmac object.
// Measured for the X/Twitter example request (median of interleaved batches):
// two crypto.hash 0.50x, 0.53x, 0.52x the time of createHmac().update().digest()
// on Node 20, 22, 24; Hash.copy() of the absorbed pads 0.77x, 0.93x, 0.87x
// (each copy is a new Hash object, which is most of what createHmac costs).

type HashOnce = (algorithm: string, data: string | NodeJS.ArrayBufferView, outputEncoding: 'latin1' | 'base64') => string;
const hashOnce: HashOnce | undefined =
  typeof (nodeCrypto as { hash?: unknown }).hash === 'function' ? (nodeCrypto as unknown as { hash: HashOnce }).hash : undefined;

const BLOCK: Record<DigestName, number> = { sha1: 64, sha256: 64, sha512: 128 };
const DIGEST_LENGTH: Record<DigestName, number> = { sha1: 20, sha256: 32, sha512: 64 };

/** An HMAC key with its schedule computed: the padded key blocks. Opaque to callers. */
export interface HmacKey {
  readonly digest: DigestName;
  /** K' xor ipad (one block). */
  readonly inner: Buffer;
  /** K' xor opad (one block), followed by room for the inner digest. */
  readonly outer: Buffer;
}

/** Computes the key schedule of `key` (UTF-8) for HMAC with `digest`. */
export function prepareHmacKey(digest: DigestName, key: string): HmacKey {
  const block = BLOCK[digest];
  let k: Buffer = Buffer.from(key, 'utf8');
  if (k.length > block) k = createHash(digest).update(k).digest();
  const inner = Buffer.alloc(block, 0x36);
  const outer = Buffer.alloc(block + DIGEST_LENGTH[digest], 0x5c);
  k.forEach((byte, i) => {
    inner[i] = 0x36 ^ byte;
    outer[i] = 0x5c ^ byte;
  });
  k.fill(0);
  return { digest, inner, outer };
}

// The inner hash's input (K' xor ipad, then the message) is written into one
// scratch buffer; messages too long for it take the streaming path.
const SCRATCH_MAX = 64 * 1024;
let scratch = Buffer.allocUnsafe(4096);

/** Base64 HMAC of `data` (UTF-8) under a prepared key: equal to `hmacBase64` with the same key. */
export function hmacWithKeyBase64(key: HmacKey, data: string): string {
  const { digest, inner: ipad, outer } = key;
  const block = ipad.length;
  // Room for any UTF-8 encoding of data: at most 3 bytes per UTF-16 code unit.
  const room = block + 3 * data.length;
  if (hashOnce !== undefined && room <= SCRATCH_MAX) {
    if (room > scratch.length) scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, 2 ** Math.ceil(Math.log2(room))));
    scratch.set(ipad, 0);
    const written = scratch.write(data, block, 'utf8');
    const innerDigest = hashOnce(digest, new Uint8Array(scratch.buffer, scratch.byteOffset, block + written), 'latin1');
    scratch.fill(0, 0, block); // no copy of key material left behind in the shared buffer
    outer.write(innerDigest, block, 'latin1');
    return hashOnce(digest, outer, 'base64');
  }
  const innerDigest = createHash(digest).update(ipad).update(data, 'utf8').digest();
  return createHash(digest).update(outer.subarray(0, block)).update(innerDigest).digest('base64');
}

// Comparing a received signature with the expected one. For HMAC the expected
// value is base64 of a digest, whose length is fixed by the algorithm and so
// public: a length mismatch may answer at once. Equal lengths are compared
// with timingSafeEqual over scratch copies (no allocation per call).
const COMPARE_MAX = 256;
const compareA = Buffer.alloc(COMPARE_MAX);
const compareB = Buffer.alloc(3 * COMPARE_MAX);
// Views of the first n bytes of each, made once per length.
const viewsA: Buffer[] = [];
const viewsB: Buffer[] = [];

/**
 * Constant-time equality of `expected` (ASCII, at most 256 characters, its
 * length public) and `given` (anything). The time depends on the length of
 * `expected` and on whether `given` has that length, never on the contents.
 */
export function fixedLengthEqual(expected: string, given: string): boolean {
  const n = expected.length;
  if (n > COMPARE_MAX || n === 0) return constantTimeEqual(expected, given);
  if (given.length !== n) return false;
  compareA.write(expected, 0, 'latin1');
  // utf8Write: a character outside ASCII takes several bytes, so the byte
  // count differs and the answer is false, as it must be (expected is ASCII).
  const written = compareB.write(given, 0, 'utf8');
  const a = (viewsA[n] ??= compareA.subarray(0, n));
  const b = (viewsB[n] ??= compareB.subarray(0, n));
  const equal = timingSafeEqual(a, b);
  return written === n && equal;
}

/** Base64 digest of `data` (a string is hashed as UTF-8): one `crypto.hash` call where there is one. */
export function digestBase64(digest: DigestName, data: string | Uint8Array): string {
  if (hashOnce !== undefined) return hashOnce(digest, data, 'base64');
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

/**
 * Verifies an RSASSA-PKCS1-v1_5 signature given in base64; false for any
 * malformed input. Only the canonical spelling is read: the unused bits of
 * the last character must be zero, or one signature would have several
 * spellings that all verify.
 */
export function rsaVerifyBase64(digest: DigestName, key: KeyLike, data: string, signature: string, path = 'keys.publicKey'): boolean {
  const publicKey = toPublicKey(key, path);
  if (signature.length === 0 || signature.length % 4 !== 0 || !BASE64.test(signature)) return false;
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.toString('base64') !== signature) return false;
  try {
    return cryptoVerify(digest, Buffer.from(data, 'utf8'), publicKey, bytes);
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
