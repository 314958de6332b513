/**
 * RSA-SHA1 (RFC 5849 §3.4.3, RSASSA-PKCS1-v1_5) and its SHA-256 and SHA-512 variants.
 * @module
 * @internal
 */
import { missingOption } from '../core/errors.js';
import { rsaSignBase64, rsaVerifyBase64, toPrivateKey, toPublicKey } from './crypto/node.js';
import { digestOf } from './body-hash.js';
import type { BodyHashAlgorithm, SignatureMethodDefinition } from './types.js';

/** The RSA method over one hash. */
export function rsa(hash: BodyHashAlgorithm): SignatureMethodDefinition {
  const digest = digestOf(hash);
  const name = `RSA-${hash.replace('-', '')}`;
  return {
    kind: 'rsa',
    bodyHash: hash,
    sign: (base, keys) => {
      if (keys.privateKey === undefined) throw missingOption('keys.privateKey', `for ${name}`);
      return rsaSignBase64(digest, toPrivateKey(keys.privateKey), base);
    },
    verify: (base, signature, keys) => {
      if (keys.publicKey === undefined) throw missingOption('keys.publicKey', `for ${name}`);
      return rsaVerifyBase64(digest, toPublicKey(keys.publicKey), base, signature);
    },
  };
}
