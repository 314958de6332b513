/**
 * PLAINTEXT (RFC 5849 §3.4.4): the signature is the key itself, so it MUST
 * only travel over TLS.
 * @module
 * @internal
 */
import { constantTimeEqual } from './crypto/index.js';
import { sharedKey } from './shared-secret.js';
import type { SignatureMethodDefinition } from './types.js';

export const plaintext: SignatureMethodDefinition = {
  kind: 'shared-secret',
  bodyHash: 'SHA-1',
  revealsSecret: true,
  sign: (_base, keys) => sharedKey(keys),
  verify: (_base, signature, keys) => constantTimeEqual(sharedKey(keys), signature),
  signAsync: async (_base, keys) => sharedKey(keys),
  verifyAsync: async (_base, signature, keys) => constantTimeEqual(sharedKey(keys), signature),
};
