/**
 * HMAC-SHA1 (RFC 5849 §3.4.2) and its SHA-256 and SHA-512 variants.
 * @module
 * @internal
 */
import { optionalString } from '../core/validate.js';
import { constantTimeEqual, fixedLengthEqual, hmacBase64Async, hmacWithKeyBase64, type HmacKey } from './crypto/index.js';
import { digestOf } from './body-hash.js';
import { HmacKeyCache } from './hmac-keys.js';
import { sharedKey } from './shared-secret.js';
import type { BodyHashAlgorithm, SignatureMethodDefinition } from './types.js';

/** The HMAC method over one hash: the signature is base64(HMAC(key, base string)). */
export function hmac(hash: BodyHashAlgorithm): SignatureMethodDefinition {
  const digest = digestOf(hash);
  const cache = new HmacKeyCache(digest);
  // The key is RFC 5849 §3.4.2's (see sharedKey), its schedule taken from the cache.
  const keyOf = (keys: { clientSecret?: string | undefined; tokenSecret?: string | undefined }): HmacKey =>
    cache.get(optionalString(keys.clientSecret, 'keys.clientSecret') ?? '', optionalString(keys.tokenSecret, 'keys.tokenSecret') ?? '');
  return {
    kind: 'shared-secret',
    bodyHash: hash,
    sign: (base, keys) => hmacWithKeyBase64(keyOf(keys), base),
    // The expected value's length is fixed by the hash (public), so a
    // fixed-length constant-time comparison is enough.
    verify: (base, signature, keys) => fixedLengthEqual(hmacWithKeyBase64(keyOf(keys), base), signature),
    signAsync: async (base, keys) => hmacBase64Async(digest, sharedKey(keys), base),
    verifyAsync: async (base, signature, keys) => constantTimeEqual(await hmacBase64Async(digest, sharedKey(keys), base), signature),
  };
}
