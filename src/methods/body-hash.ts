/**
 * `oauth_body_hash` (OAuth Request Body Hash 1.0, draft 4): the hash of a
 * body that is not a form.
 * @module
 */
import { invalidArgType, requireAsync } from '../core/errors.js';
import { oneOf } from '../core/validate.js';
import { digestBase64, digestBase64Async, type DigestName } from './crypto/index.js';
import type { BodyHashAlgorithm } from './types.js';

/** The body-hash algorithms, and the digest each names. */
const DIGESTS: Readonly<Record<BodyHashAlgorithm, DigestName>> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' };

/** Every body-hash algorithm, in the order messages list them. @internal */
export const BODY_HASH_ALGORITHMS = Object.keys(DIGESTS) as readonly BodyHashAlgorithm[];

/** The digest behind a body-hash algorithm. @internal */
export function digestOf(hash: BodyHashAlgorithm): DigestName {
  return DIGESTS[hash];
}

/**
 * The `oauth_body_hash` value of a body: base64 of its digest (a string is
 * hashed as UTF-8). Use it for bodies that are not forms; a form body never
 * carries a body hash.
 *
 * @example
 * ```ts
 * bodyHash('{"a":1}', 'SHA-256');
 * ```
 * @throws TypeError (`ERR_SYNC_CRYPTO_UNAVAILABLE`) in the web build (workers, edge, Deno, browsers), where WebCrypto is asynchronous: use {@link bodyHashAsync} there.
 * @see OAuth Request Body Hash 1.0 Draft 4, §3.1
 * @group Signature methods
 */
export function bodyHash(body: string | Uint8Array, hash: BodyHashAlgorithm): string {
  const digest = checkBodyHashArguments(body, hash);
  try {
    return digestBase64(digest, body);
  } catch (err) {
    throw requireAsync(err, 'bodyHash', 'bodyHashAsync');
  }
}

/**
 * {@link bodyHash} in every build: in the web build, where hashing is
 * asynchronous (WebCrypto), this is the form that works. The bytes are read
 * when it is called.
 *
 * @example
 * ```ts
 * await bodyHashAsync('{"a":1}', 'SHA-256');
 * ```
 * @see OAuth Request Body Hash 1.0 Draft 4, §3.1
 * @group Signature methods
 */
export async function bodyHashAsync(body: string | Uint8Array, hash: BodyHashAlgorithm): Promise<string> {
  return digestBase64Async(checkBodyHashArguments(body, hash), body);
}

function checkBodyHashArguments(body: unknown, hash: unknown): DigestName {
  const algorithm = oneOf(hash, 'hash', BODY_HASH_ALGORITHMS);
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) throw invalidArgType('body', 'a string or a Uint8Array');
  return DIGESTS[algorithm];
}
