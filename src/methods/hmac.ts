/**
 * HMAC-SHA1 (RFC 5849 §3.4.2) and its SHA-256 and SHA-512 variants.
 * @module
 * @internal
 */
import { constantTimeEqual, hmacBase64, hmacBase64Async } from './crypto/index.js';
import { digestOf } from './body-hash.js';
import { sharedKey } from './shared-secret.js';
import type { BodyHashAlgorithm, SignatureMethodDefinition } from './types.js';

/** The HMAC method over one hash: the signature is base64(HMAC(key, base string)). */
export function hmac(hash: BodyHashAlgorithm): SignatureMethodDefinition {
  const digest = digestOf(hash);
  return {
    kind: 'shared-secret',
    bodyHash: hash,
    sign: (base, keys) => hmacBase64(digest, sharedKey(keys), base),
    verify: (base, signature, keys) => constantTimeEqual(hmacBase64(digest, sharedKey(keys), base), signature),
    signAsync: async (base, keys) => hmacBase64Async(digest, sharedKey(keys), base),
    verifyAsync: async (base, signature, keys) => constantTimeEqual(await hmacBase64Async(digest, sharedKey(keys), base), signature),
  };
}
