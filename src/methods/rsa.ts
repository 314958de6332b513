/**
 * RSA-SHA1 (RFC 5849 §3.4.3, RSASSA-PKCS1-v1_5) and its SHA-256 and SHA-512 variants.
 * @module
 * @internal
 */
import { missingOption } from '../core/errors.js';
import { rsaSignBase64, rsaSignBase64Async, rsaVerifyBase64, rsaVerifyBase64Async, type KeyLike } from './crypto/index.js';
import { digestOf } from './body-hash.js';
import type { BodyHashAlgorithm, SignatureMethodDefinition } from './types.js';

/** The RSA method over one hash. */
export function rsa(hash: BodyHashAlgorithm): SignatureMethodDefinition {
  const digest = digestOf(hash);
  const name = `RSA-${hash.replace('-', '')}`;
  const key = (value: KeyLike | undefined, path: string): KeyLike => {
    if (value === undefined) throw missingOption(path, `for ${name}`);
    return value;
  };
  return {
    kind: 'rsa',
    bodyHash: hash,
    sign: (base, keys) => rsaSignBase64(digest, key(keys.privateKey, 'keys.privateKey'), base),
    verify: (base, signature, keys) => rsaVerifyBase64(digest, key(keys.publicKey, 'keys.publicKey'), base, signature),
    signAsync: async (base, keys) => rsaSignBase64Async(digest, key(keys.privateKey, 'keys.privateKey'), base),
    verifyAsync: async (base, signature, keys) => rsaVerifyBase64Async(digest, key(keys.publicKey, 'keys.publicKey'), base, signature),
  };
}
